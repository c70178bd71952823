namespace PatchKit.Diffs.Algorithms;

/// <summary>The line diff of two byte buffers: GNU diff's identical-ends trimming (<c>io.c find_identical_ends</c>,
/// with a horizon of <c>context</c> lines), ids for the middle lines, the chosen algorithm, then GNU's
/// <c>shift_boundaries</c>. The result is the list of changes with absolute 0-based line numbers.</summary>
internal static class LineDiff
{
    /// <summary>Computes the changes from <paramref name="a"/> to <paramref name="b"/> into <paramref name="changes"/>
    /// (cleared first).</summary>
    public static void Compute(
        ReadOnlySpan<byte> a, int[] startsA, ReadOnlySpan<byte> b, int[] startsB, int horizon,
        DiffAlgorithm algorithm, bool minimal, List<Change> changes, CancellationToken cancellationToken)
    {
        changes.Clear();
        int linesA = startsA.Length - 1;
        int linesB = startsB.Length - 1;
        bool missA = a.Length > 0 && a[^1] != (byte)'\n';
        bool missB = b.Length > 0 && b[^1] != (byte)'\n';
        if (a.Length == b.Length && a.SequenceEqual(b))
        {
            return;
        }

        // Identical prefix, in whole lines (a last line without LF never matches one with it).
        int k = a.CommonPrefixLength(b);
        int prefixLines = a[..k].Count((byte)'\n');
        prefixLines = Math.Max(0, prefixLines - horizon);
        int prefixEnd = startsA[prefixLines];

        // Identical suffix, only when both or neither miss the final newline.
        int suffixLinesFromEndA = 0;
        if (missA == missB)
        {
            int nA = a.Length + (missA ? 1 : 0);
            int nB = b.Length + (missB ? 1 : 0);
            int s = Math.Min(CommonSuffixLength(a, b) + (missA ? 1 : 0), Math.Min(nA, nB) - prefixEnd);
            int p0 = nA - s, p1 = nB - s;
            bool atLineStart = (p0 == 0 || VirtualAt(a, missA, p0 - 1) == (byte)'\n') && (p1 == 0 || VirtualAt(b, missB, p1 - 1) == (byte)'\n');
            int skip = horizon + (atLineStart ? 0 : 1);
            int startLineA = LineOf(startsA, Math.Min(p0, a.Length), atLineStart);
            int suffixStartLineA = Math.Min(linesA, startLineA + skip);
            suffixLinesFromEndA = linesA - suffixStartLineA;
        }

        int endA = linesA - suffixLinesFromEndA;
        int endB = linesB - suffixLinesFromEndA;
        int n = endA - prefixLines;
        int m = endB - prefixLines;
        if (n < 0 || m < 0)
        {
            // Cannot happen for consistent inputs; compare everything.
            prefixLines = 0;
            endA = linesA;
            endB = linesB;
            n = linesA;
            m = linesB;
        }

        DiffScratch scratch = DiffScratch.Current;
        int[] idsA = DiffScratch.Ensure(ref scratch.IdsA, n);
        int[] idsB = DiffScratch.Ensure(ref scratch.IdsB, m);
        scratch.Index.Build(a, startsA, prefixLines, endA, idsA, b, startsB, prefixLines, endB, idsB);
        int idCount = scratch.Index.Count;
        byte[] chA = DiffScratch.Ensure(ref scratch.ChangedA, n + 2);
        byte[] chB = DiffScratch.Ensure(ref scratch.ChangedB, m + 2);
        Array.Clear(chA, 0, n + 2);
        Array.Clear(chB, 0, m + 2);
        switch (algorithm)
        {
            case DiffAlgorithm.Histogram:
                HistogramDiff.Diff(idsA, n, idsB, m, idCount, chA, chB, scratch, cancellationToken);
                break;
            case DiffAlgorithm.Patience:
                PatienceDiff.Diff(idsA, n, idsB, m, idCount, chA, chB, scratch, cancellationToken);
                break;
            default:
                MyersDiff.Diff(idsA, n, idsB, m, idCount, chA, chB, minimal, discard: true, scratch, cancellationToken);
                break;
        }

        ShiftBoundaries.Run(idsA, n, chA, idsB, m, chB);

        int i0 = 0, i1 = 0;
        while (i0 < n || i1 < m)
        {
            if ((chA[i0 + 1] | chB[i1 + 1]) != 0)
            {
                int l0 = i0, l1 = i1;
                while (chA[i0 + 1] != 0)
                {
                    i0++;
                }

                while (chB[i1 + 1] != 0)
                {
                    i1++;
                }

                changes.Add(new Change(l0 + prefixLines, l1 + prefixLines, i0 - l0, i1 - l1));
            }

            i0++;
            i1++;
        }
    }

    private static int CommonSuffixLength(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        int max = Math.Min(a.Length, b.Length);
        int s = 0;
        const int Block = 256;
        while (s + Block <= max && a.Slice(a.Length - s - Block, Block).SequenceEqual(b.Slice(b.Length - s - Block, Block)))
        {
            s += Block;
        }

        while (s < max && a[a.Length - 1 - s] == b[b.Length - 1 - s])
        {
            s++;
        }

        return s;
    }

    private static byte VirtualAt(ReadOnlySpan<byte> s, bool missing, int i) => i < s.Length ? s[i] : (byte)'\n';

    /// <summary>The index of the line that starts at or contains <paramref name="offset"/>; when the offset is not a
    /// line start, the line containing it.</summary>
    private static int LineOf(int[] starts, int offset, bool atLineStart)
    {
        int idx = Array.BinarySearch(starts, offset);
        if (idx >= 0)
        {
            // starts may repeat only at the end (the final entry equals the length).
            while (idx > 0 && starts[idx - 1] == offset)
            {
                idx--;
            }

            return idx;
        }

        _ = atLineStart;
        return ~idx - 1;
    }
}
