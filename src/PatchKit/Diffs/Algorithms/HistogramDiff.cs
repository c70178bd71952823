namespace PatchKit.Diffs.Algorithms;

/// <summary>git's histogram diff (<c>xdiff/xhistogram.c</c>): splits on the longest common run of lines whose
/// rarest member occurs least often in the old side, recursing on both sides; when every common line occurs more
/// than <see cref="MaxChainLength"/> times it falls back to Myers (<c>fall_back_to_classic_diff</c>).
/// Lines are ids, so git's hash-bucket chain limit (a collision guard) has no counterpart here.</summary>
internal static class HistogramDiff
{
    public const int MaxChainLength = 64;

    public static void Diff(int[] x, int n, int[] y, int m, int idCount, byte[] chX, byte[] chY, DiffScratch scratch, CancellationToken cancellationToken)
    {
        // Per id: first occurrence (1-based) in the current old range, and its count; per old line: next occurrence.
        int[] recPtr = DiffScratch.Ensure(ref scratch.Work, idCount);
        int[] recCnt = DiffScratch.Ensure(ref scratch.Work2, idCount);
        int[] nextPtr = DiffScratch.Ensure(ref scratch.Work3, n + 2);
        Array.Clear(recCnt, 0, idCount);
        var pending = new Stack<(int Line1, int Count1, int Line2, int Count2)>();
        pending.Push((1, n, 1, m));
        int steps = 0;
        while (pending.Count > 0)
        {
            var (line1, count1, line2, count2) = pending.Pop();
            while (true)
            {
                if ((++steps & 255) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if (count1 <= 0 && count2 <= 0)
                {
                    break;
                }

                if (count1 == 0)
                {
                    while (count2-- > 0)
                    {
                        chY[line2++] = 1;
                    }

                    break;
                }

                if (count2 == 0)
                {
                    while (count1-- > 0)
                    {
                        chX[line1++] = 1;
                    }

                    break;
                }

                int end1 = line1 + count1 - 1;
                int end2 = line2 + count2 - 1;

                // scanA: from the end, so each record's first pointer is the earliest occurrence.
                for (int ptr = end1; ptr >= line1; ptr--)
                {
                    int id = x[ptr - 1];
                    if (recCnt[id] != 0)
                    {
                        nextPtr[ptr] = recPtr[id];
                        recPtr[id] = ptr;
                        recCnt[id]++;
                    }
                    else
                    {
                        nextPtr[ptr] = 0;
                        recPtr[id] = ptr;
                        recCnt[id] = 1;
                    }
                }

                int lcsBegin1 = 0, lcsBegin2 = 0, lcsEnd1 = 0, lcsEnd2 = 0;
                int indexCnt = MaxChainLength + 1;
                bool hasCommon = false;
                for (int bPtr = line2; bPtr <= end2;)
                {
                    int bNext = bPtr + 1;
                    int id = y[bPtr - 1];
                    int cnt = recCnt[id];
                    if (cnt != 0)
                    {
                        hasCommon = true;
                        if (cnt <= indexCnt)
                        {
                            int @as = recPtr[id];
                            while (true)
                            {
                                int np = nextPtr[@as];
                                int bs = bPtr, ae = @as, be = bs, rc = cnt;
                                while (line1 < @as && line2 < bs && x[@as - 2] == y[bs - 2])
                                {
                                    @as--;
                                    bs--;
                                    if (1 < rc)
                                    {
                                        rc = Math.Min(rc, recCnt[x[@as - 1]]);
                                    }
                                }

                                while (ae < end1 && be < end2 && x[ae] == y[be])
                                {
                                    ae++;
                                    be++;
                                    if (1 < rc)
                                    {
                                        rc = Math.Min(rc, recCnt[x[ae - 1]]);
                                    }
                                }

                                if (bNext <= be)
                                {
                                    bNext = be + 1;
                                }

                                if (lcsEnd1 - lcsBegin1 < ae - @as || rc < indexCnt)
                                {
                                    lcsBegin1 = @as;
                                    lcsBegin2 = bs;
                                    lcsEnd1 = ae;
                                    lcsEnd2 = be;
                                    indexCnt = rc;
                                }

                                if (np == 0)
                                {
                                    break;
                                }

                                while (np != 0 && np <= ae)
                                {
                                    np = nextPtr[np];
                                }

                                if (np == 0)
                                {
                                    break;
                                }

                                @as = np;
                            }
                        }
                    }

                    bPtr = bNext;
                }

                for (int ptr = line1; ptr <= end1; ptr++)
                {
                    recCnt[x[ptr - 1]] = 0;
                }

                if (hasCommon && MaxChainLength < indexCnt)
                {
                    MyersDiff.DiffRange(x, n, y, m, line1 - 1, end1, line2 - 1, end2, chX, chY, scratch, cancellationToken);
                    break;
                }

                if (lcsBegin1 == 0 && lcsBegin2 == 0)
                {
                    while (count1-- > 0)
                    {
                        chX[line1++] = 1;
                    }

                    while (count2-- > 0)
                    {
                        chY[line2++] = 1;
                    }

                    break;
                }

                pending.Push((line1, lcsBegin1 - line1, line2, lcsBegin2 - line2));
                count1 = end1 - lcsEnd1;
                line1 = lcsEnd1 + 1;
                count2 = end2 - lcsEnd2;
                line2 = lcsEnd2 + 1;
            }
        }
    }
}
