namespace PatchKit.Diffs.Algorithms;

/// <summary>GNU diff's <c>shift_boundaries</c> (<c>analyze.c</c>): slides each run of changes over identical lines
/// to merge it with neighbouring runs, then as far down as possible, then back to line up with a run of changes in the
/// other file. Flags are indexed line + 1 with zero sentinels at both ends.</summary>
internal static class ShiftBoundaries
{
    public static void Run(int[] idsA, int n, byte[] chA, int[] idsB, int m, byte[] chB)
    {
        Shift(idsA, n, chA, chB);
        Shift(idsB, m, chB, chA);
    }

    private static void Shift(int[] equivs, int iEnd, byte[] changedArr, byte[] otherArr)
    {
        // c(k) = changedArr[k + 1]; oc(k) = otherArr[k + 1].
        Span<byte> changed = changedArr;
        Span<byte> other = otherArr;
        int i = 0, j = 0;
        while (true)
        {
            while (i < iEnd && changed[i + 1] == 0)
            {
                while (other[1 + j++] != 0)
                {
                }

                i++;
            }

            if (i == iEnd)
            {
                break;
            }

            int start = i;
            while (changed[1 + ++i] != 0)
            {
            }

            while (other[1 + j] != 0)
            {
                j++;
            }

            int runlength, corresponding;
            do
            {
                runlength = i - start;
                while (start != 0 && equivs[start - 1] == equivs[i - 1])
                {
                    changed[1 + --start] = 1;
                    changed[1 + --i] = 0;
                    while (changed[1 + start - 1] != 0)
                    {
                        start--;
                    }

                    while (other[1 + --j] != 0)
                    {
                    }
                }

                corresponding = other[1 + j - 1] != 0 ? i : iEnd;
                while (i != iEnd && equivs[start] == equivs[i])
                {
                    changed[1 + start++] = 0;
                    changed[1 + i++] = 1;
                    while (changed[1 + i] != 0)
                    {
                        i++;
                    }

                    while (other[1 + ++j] != 0)
                    {
                        corresponding = i;
                    }
                }
            }
            while (runlength != i - start);

            while (corresponding < i)
            {
                changed[1 + --start] = 1;
                changed[1 + --i] = 0;
                while (other[1 + --j] != 0)
                {
                }
            }
        }
    }
}
