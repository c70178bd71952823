namespace PatchKit.Diffs.Algorithms;

/// <summary>The line diff of two byte buffers: GNU diff's identical-ends trimming (<c>io.c find_identical_ends</c>,
/// with a horizon of <c>context</c> lines), ids for the middle lines only, the chosen algorithm, then GNU's
/// <c>shift_boundaries</c>. The result is the list of changes with absolute 0-based line numbers, and for each side
/// the window of lines (middle plus context) the writer needs; bytes outside it are never split into lines.</summary>
internal static class LineDiff
{
    private const int Unknown = int.MaxValue / 2;

    /// <summary>Computes the changes from <paramref name="a"/> to <paramref name="b"/> into <paramref name="changes"/>
    /// (cleared first). <paramref name="wholeFile"/> makes the windows cover the whole files (for <c>-p</c>).</summary>
    public static void Compute(
        ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int horizon, int context, bool wholeFile,
        DiffAlgorithm algorithm, bool minimal, List<Change> changes, out LineWindow windowA, out LineWindow windowB,
        CancellationToken cancellationToken)
    {
        changes.Clear();
        horizon = Math.Max(horizon, context);
        bool missA = a.Length > 0 && a[^1] != (byte)'\n';
        bool missB = b.Length > 0 && b[^1] != (byte)'\n';
        windowA = new LineWindow { Starts = [0], MissingNewline = missA, TotalLines = Unknown };
        windowB = new LineWindow { Starts = [0], MissingNewline = missB, TotalLines = Unknown };
        if (a.Length == b.Length && a.SequenceEqual(b))
        {
            return;
        }

        // Identical prefix, in whole lines (a last line without LF never matches one with it).
        int k = a.CommonPrefixLength(b);
        int firstDiffLine = a[..k].Count((byte)'\n');
        int prefixLines = Math.Max(0, firstDiffLine - horizon);
        int prefixEnd = StartOfLineBack(a, k, firstDiffLine - prefixLines);
        int winBase = wholeFile ? 0 : Math.Max(0, prefixLines - context);
        int winStart = wholeFile ? 0 : StartOfLineBack(a, prefixEnd, prefixLines - winBase);

        // Identical suffix, only when both or neither miss the final newline.
        int suffixA = a.Length, suffixB = b.Length;
        if (missA == missB)
        {
            int nA = a.Length + (missA ? 1 : 0);
            int nB = b.Length + (missB ? 1 : 0);
            int s = Math.Min(CommonSuffixLength(a, b) + (missA ? 1 : 0), Math.Min(nA, nB) - prefixEnd);
            int p0 = nA - s, p1 = nB - s;
            bool atLineStart = (p0 == 0 || VirtualAt(a, p0 - 1) == (byte)'\n') && (p1 == 0 || VirtualAt(b, p1 - 1) == (byte)'\n');
            int skip = horizon + (atLineStart ? 0 : 1);
            int pos = Math.Min(p0, a.Length);
            pos = SkipLines(a, pos, skip);
            suffixA = pos;
            suffixB = pos + (b.Length - a.Length);
        }

        int winEndA = wholeFile ? a.Length : SkipLines(a, suffixA, context);
        int winEndB = wholeFile ? b.Length : SkipLines(b, suffixB, context);
        DiffScratch scratch = DiffScratch.Current;
        windowA = MakeWindow(a, winStart, winEndA, winBase, missA, ref scratch.StartsA);
        windowB = MakeWindow(b, winStart, winEndB, winBase, missB, ref scratch.StartsB);
        int relPrefix = prefixLines - winBase;
        int endA = LineIndexOf(windowA, suffixA);
        int endB = LineIndexOf(windowB, suffixB);
        int n = endA - relPrefix;
        int m = endB - relPrefix;

        int[] idsA = DiffScratch.Ensure(ref scratch.IdsA, n);
        int[] idsB = DiffScratch.Ensure(ref scratch.IdsB, m);
        scratch.Index.Build(a, windowA.Starts, relPrefix, endA, idsA, b, windowB.Starts, relPrefix, endB, idsB);
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

    /// <summary>The window's line starts go into the thread's scratch array <paramref name="starts"/>: they are read by the
    /// writer right after <see cref="Compute"/>, before the thread's next comparison.</summary>
    private static LineWindow MakeWindow(ReadOnlySpan<byte> text, int from, int to, int baseLine, bool missing, ref int[] starts)
    {
        int count = LineIndex.LineStarts(text[from..to], ref starts);
        if (from != 0)
        {
            for (int i = 0; i <= count; i++)
            {
                starts[i] += from;
            }
        }

        return new LineWindow
        {
            Starts = starts,
            Base = baseLine,
            Count = count,
            TotalLines = to == text.Length ? baseLine + count : Unknown,
            MissingNewline = missing,
        };
    }

    /// <summary>The window-relative index of the line starting at <paramref name="offset"/> (or the count, at the window's end).</summary>
    private static int LineIndexOf(in LineWindow window, int offset)
    {
        int idx = Array.BinarySearch(window.Starts, 0, window.Count + 1, offset);
        return idx >= 0 ? idx : ~idx - 1;
    }

    /// <summary>The start of the line <paramref name="back"/> lines before the line that contains offset <paramref name="pos"/>
    /// (0 when the file has fewer lines before it).</summary>
    private static int StartOfLineBack(ReadOnlySpan<byte> text, int pos, int back)
    {
        for (int i = 0; i <= back; i++)
        {
            int lf = text[..pos].LastIndexOf((byte)'\n');
            if (lf < 0)
            {
                return 0;
            }

            if (i == back)
            {
                return lf + 1;
            }

            pos = lf;
        }

        return 0;
    }

    /// <summary>Moves from <paramref name="pos"/> past <paramref name="lines"/> line ends (GNU's <c>while (*p0++ != '\n')</c>), stopping at the end.</summary>
    private static int SkipLines(ReadOnlySpan<byte> text, int pos, int lines)
    {
        for (int i = 0; i < lines && pos < text.Length; i++)
        {
            int lf = text[pos..].IndexOf((byte)'\n');
            pos = lf < 0 ? text.Length : pos + lf + 1;
        }

        return pos;
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

    private static byte VirtualAt(ReadOnlySpan<byte> s, int i) => i < s.Length ? s[i] : (byte)'\n';
}
