using System.Buffers;
using PatchKit.Diffs.Algorithms;

namespace PatchKit.Diffs;

/// <summary>Writes the hunks of an edit script as GNU diff's <c>pr_unidiff_hunk</c> does: changes closer than
/// 2 × context + 1 unchanged lines share a hunk, ranges print <c>l</c> for one line and <c>l-1,0</c> for none,
/// a last line without LF is followed by <c>\ No newline at end of file</c>.</summary>
internal static class UnifiedWriter
{
    public static void WriteHunks(
        IBufferWriter<byte> output, ReadOnlySpan<byte> a, int[] startsA, ReadOnlySpan<byte> b, int[] startsB,
        List<Change> changes, int context, bool showFunction)
    {
        int linesA = startsA.Length - 1;
        int linesB = startsB.Length - 1;
        bool missA = a.Length > 0 && a[^1] != (byte)'\n';
        bool missB = b.Length > 0 && b[^1] != (byte)'\n';
        int lastSearch = 0;
        int lastMatch = -1;
        int threshold = 2 * context + 1;
        int h = 0;
        while (h < changes.Count)
        {
            int end = h;
            while (end + 1 < changes.Count)
            {
                Change cur = changes[end];
                if (changes[end + 1].Line0 - (cur.Line0 + cur.Deleted) >= threshold)
                {
                    break;
                }

                end++;
            }

            Change first = changes[h];
            Change last = changes[end];
            int first0 = Math.Max(first.Line0 - context, 0);
            int first1 = Math.Max(first.Line1 - context, 0);
            int last0 = last.Line0 + last.Deleted - 1;
            int last1 = last.Line1 + last.Inserted - 1;
            last0 = last0 < linesA - context ? last0 + context : linesA - 1;
            last1 = last1 < linesB - context ? last1 + context : linesB - 1;

            output.Put("@@ -"u8);
            WriteRange(output, first0, last0);
            output.Put(" +"u8);
            WriteRange(output, first1, last1);
            output.Put(" @@"u8);
            if (showFunction)
            {
                int found = -1;
                int lastBound = lastSearch;
                lastSearch = first0;
                for (int i = first0 - 1; i >= lastBound; i--)
                {
                    int s = startsA[i];
                    if (startsA[i + 1] > s && IsFunctionStart(a[s]))
                    {
                        found = i;
                        lastMatch = i;
                        break;
                    }
                }

                if (found < 0)
                {
                    found = lastMatch;
                }

                if (found >= 0)
                {
                    WriteFunction(output, a.Slice(startsA[found], startsA[found + 1] - startsA[found]));
                }
            }

            output.Put((byte)'\n');

            int ia = first0;
            int next = h;
            while (ia <= last0 || next <= end)
            {
                if (next > end || ia < changes[next].Line0)
                {
                    output.Put((byte)' ');
                    WriteLine(output, a, startsA, ia, missA && ia == linesA - 1);
                    ia++;
                }
                else
                {
                    Change c = changes[next];
                    for (int k = 0; k < c.Deleted; k++)
                    {
                        int line = c.Line0 + k;
                        output.Put((byte)'-');
                        WriteLine(output, a, startsA, line, missA && line == linesA - 1);
                    }

                    for (int k = 0; k < c.Inserted; k++)
                    {
                        int line = c.Line1 + k;
                        output.Put((byte)'+');
                        WriteLine(output, b, startsB, line, missB && line == linesB - 1);
                    }

                    ia = c.Line0 + c.Deleted;
                    next++;
                }
            }

            h = end + 1;
        }
    }

    private static bool IsFunctionStart(byte c) => (uint)((c | 0x20) - 'a') <= 'z' - 'a' || c == (byte)'_' || c == (byte)'$';

    private static bool IsCSpace(byte c) => c == (byte)' ' || (c >= (byte)'\t' && c <= (byte)'\r');

    private static void WriteFunction(IBufferWriter<byte> output, ReadOnlySpan<byte> line)
    {
        output.Put((byte)' ');
        int i = 0;
        while (i < line.Length && IsCSpace(line[i]) && line[i] != (byte)'\n')
        {
            i++;
        }

        int j = i;
        while (j < i + 40 && j < line.Length && line[j] != (byte)'\n')
        {
            j++;
        }

        while (i < j && IsCSpace(line[j - 1]))
        {
            j--;
        }

        output.Put(line[i..j]);
    }

    private static void WriteLine(IBufferWriter<byte> output, ReadOnlySpan<byte> text, int[] starts, int line, bool missingNewline)
    {
        output.Put(text[starts[line]..starts[line + 1]]);
        if (missingNewline)
        {
            output.Put("\n\\ No newline at end of file\n"u8);
        }
    }

    private static void WriteRange(IBufferWriter<byte> output, int a, int b)
    {
        int ta = a + 1, tb = b + 1;
        if (tb <= ta)
        {
            output.PutNumber(tb);
            if (tb < ta)
            {
                output.Put(",0"u8);
            }
        }
        else
        {
            output.PutNumber(ta);
            output.Put((byte)',');
            output.PutNumber(tb - ta + 1);
        }
    }
}
