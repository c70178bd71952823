using System.Buffers;
using PatchKit.Diffs.Algorithms;

namespace PatchKit.Diffs.Merge;

/// <summary>A three-way merge over lines (diff3): the changes from base to ours and from base to theirs are taken
/// together; where they touch or overlap and differ, the region is a conflict, written with markers; elsewhere the
/// side that changed wins. Lines keep their bytes (line ends and a missing final newline are data).</summary>
/// <remarks>
/// Conservative on purpose, as <c>git merge-file</c>: two changes that only touch (one ends where the other starts, or
/// both insert at the same place) are a conflict unless both sides wrote the same lines there. So a clean merge never
/// guesses an order between two edits.
/// </remarks>
internal static class ThreeWayMerge
{
    private const int MarkerSize = 7;
    private const int WholeHorizon = int.MaxValue / 4;

    /// <summary>Merges and writes the result to <paramref name="output"/>.</summary>
    /// <returns>The number of conflicts written (0: clean).</returns>
    public static int Merge(
        ReadOnlySpan<byte> ours, ReadOnlySpan<byte> @base, ReadOnlySpan<byte> theirs, ConflictStyle style,
        string oursLabel, string baseLabel, string theirsLabel, IBufferWriter<byte> output, CancellationToken cancellationToken = default)
    {
        int[] o = LineIndex.LineStarts(ours);
        int[] b = LineIndex.LineStarts(@base);
        int[] t = LineIndex.LineStarts(theirs);
        List<Change> co = Diff(@base, ours, cancellationToken);
        List<Change> ct = Diff(@base, theirs, cancellationToken);
        (int Lo, int Hi)[] zo = Zones(co, @base, b, ours, o);
        (int Lo, int Hi)[] zt = Zones(ct, @base, b, theirs, t);

        int conflicts = 0;
        int baseLines = b.Length - 1;
        int pos = 0; // next base line not yet written
        int io = 0, it = 0;
        int deltaO = 0, deltaT = 0; // side line = base line + delta, outside changes
        while (io < co.Count || it < ct.Count)
        {
            // The region starts at the earliest change; it grows while a change of either side starts at or before its end
            // (a change that only touches the region joins it: touching changes conflict, as in git merge-file).
            // Regions are made of zones (a change plus the runs of equal lines it could slide over), so a change whose
            // place is ambiguous conflicts with anything in reach instead of merging cleanly at one guessed place.
            bool takeO = it >= ct.Count || (io < co.Count && zo[io].Lo <= zt[it].Lo);
            int lo = Math.Max(pos, takeO ? zo[io].Lo : zt[it].Lo);
            int hi = lo;
            int firstO = io, firstT = it;
            bool grew = true;
            while (grew)
            {
                grew = false;
                if (io < co.Count && zo[io].Lo <= hi)
                {
                    hi = Math.Max(hi, zo[io].Hi);
                    io++;
                    grew = true;
                }

                if (it < ct.Count && zt[it].Lo <= hi)
                {
                    hi = Math.Max(hi, zt[it].Hi);
                    it++;
                    grew = true;
                }
            }

            // Unchanged base lines before the region.
            Write(output, @base, b, pos, lo);
            int oStart = lo + deltaO, tStart = lo + deltaT;
            for (int k = firstO; k < io; k++)
            {
                deltaO += co[k].Inserted - co[k].Deleted;
            }

            for (int k = firstT; k < it; k++)
            {
                deltaT += ct[k].Inserted - ct[k].Deleted;
            }

            int oEnd = hi + deltaO, tEnd = hi + deltaT;
            bool changedO = io > firstO, changedT = it > firstT;
            ReadOnlySpan<byte> oText = Slice(ours, o, oStart, oEnd);
            ReadOnlySpan<byte> tText = Slice(theirs, t, tStart, tEnd);
            if (!changedT || (changedO && oText.SequenceEqual(tText)))
            {
                output.Write(oText);
            }
            else if (!changedO)
            {
                output.Write(tText);
            }
            else
            {
                conflicts++;
                ReadOnlySpan<byte> bText = Slice(@base, b, lo, hi);
                Marker(output, '<', oursLabel);
                Section(output, oText);
                if (style == ConflictStyle.Diff3)
                {
                    Marker(output, '|', baseLabel);
                    Section(output, bText);
                }

                Marker(output, '=', null);
                Section(output, tText);
                Marker(output, '>', theirsLabel);
            }

            pos = hi;
        }

        Write(output, @base, b, pos, baseLines);
        return conflicts;
    }

    /// <summary>Merges into a new array.</summary>
    public static byte[] Merge(ReadOnlySpan<byte> ours, ReadOnlySpan<byte> @base, ReadOnlySpan<byte> theirs, ConflictStyle style, out int conflicts)
    {
        var buffer = new ArrayBufferWriter<byte>(Math.Max(256, ours.Length + theirs.Length - @base.Length + 256));
        conflicts = Merge(ours, @base, theirs, style, "ours", "base", "theirs", buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>For each change, the base lines it covers widened over the runs of lines equal to its first or last line
    /// (deleted or inserted) next to it: where an equally short diff could have put it.</summary>
    private static (int Lo, int Hi)[] Zones(List<Change> changes, ReadOnlySpan<byte> @base, int[] b, ReadOnlySpan<byte> side, int[] s)
    {
        var zones = new (int Lo, int Hi)[changes.Count];
        int baseLines = b.Length - 1;
        for (int i = 0; i < changes.Count; i++)
        {
            Change c = changes[i];
            int lo = c.Line0, hi = c.Line0 + c.Deleted;
            while (hi < baseLines && ((c.Deleted > 0 && Equal(@base, b, hi, @base, b, hi - 1, c.Line0)) || (c.Inserted > 0 && Slice(@base, b, hi, hi + 1).SequenceEqual(Slice(side, s, c.Line1 + c.Inserted - 1, c.Line1 + c.Inserted)))))
            {
                hi++;
            }

            while (lo > 0 && ((c.Deleted > 0 && Equal(@base, b, lo - 1, @base, b, c.Line0, c.Line0)) || (c.Inserted > 0 && Slice(@base, b, lo - 1, lo).SequenceEqual(Slice(side, s, c.Line1, c.Line1 + 1)))))
            {
                lo--;
            }

            zones[i] = (lo, hi);
        }

        return zones;
    }

    // Line x of one text equals line y (a deleted line of the change that starts at base line 'from'): compared by bytes.
    private static bool Equal(ReadOnlySpan<byte> a, int[] sa, int x, ReadOnlySpan<byte> c, int[] sc, int y, int from) =>
        y >= from && Slice(a, sa, x, x + 1).SequenceEqual(Slice(c, sc, y, y + 1));

    private static List<Change> Diff(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, CancellationToken cancellationToken)
    {
        var changes = new List<Change>();
        // No identical-ends trimming (a horizon as long as the files): the boundary shifting then sees the whole file
        // and slides every insertion and deletion as far down as it goes, as git's xdiff does, so both sides place an
        // ambiguous run of equal lines at the same spot.
        LineDiff.Compute(a, b, WholeHorizon, 0, wholeFile: true, DiffAlgorithm.Myers, minimal: true, changes, out _, out _, cancellationToken);
        return changes;
    }

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> text, int[] starts, int from, int to) => text[starts[from]..starts[to]];

    private static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> text, int[] starts, int from, int to)
    {
        if (to > from)
        {
            output.Write(Slice(text, starts, from, to));
        }
    }

    private static void Section(IBufferWriter<byte> output, ReadOnlySpan<byte> text)
    {
        output.Write(text);
        if (text.Length > 0 && text[^1] != (byte)'\n')
        {
            output.Write("\n"u8);
        }
    }

    private static void Marker(IBufferWriter<byte> output, char c, string? label)
    {
        int n = MarkerSize + (label is null ? 0 : 1 + System.Text.Encoding.UTF8.GetByteCount(label)) + 1;
        Span<byte> span = output.GetSpan(n);
        span[..MarkerSize].Fill((byte)c);
        int w = MarkerSize;
        if (label is not null)
        {
            span[w++] = (byte)' ';
            w += System.Text.Encoding.UTF8.GetBytes(label, span[w..]);
        }

        span[w++] = (byte)'\n';
        output.Advance(w);
    }
}
