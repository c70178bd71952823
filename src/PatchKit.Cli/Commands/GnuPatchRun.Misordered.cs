using System.Collections.Immutable;
using PatchKit.Diffs;

namespace PatchKit.Cli.Commands;

/// <summary>Hunks GNU patch finds before lines it has written already. GNU 2.7.6 looks for each hunk from where its
/// header says, moved by the offset of the hunk before (locate_hunk), and never before the last line the hunks before
/// it wrote or removed — unless that guess itself lies before them: then it looks from as far before them as the guess
/// is, upward through the whole file. A hunk it finds there cannot be written (copy_till: "misordered hunks! output
/// would be garbled"): it fails, and its place still sets the offset the next hunks are looked for with. The library
/// looks after the written lines only, so such a hunk is taken out and the hunks after it are moved by the new
/// offset.</summary>
internal sealed partial class GnuPatchRun
{
    private const string Misordered = "misordered hunks! output would be garbled";

    /// <summary>Applies as <see cref="Apply"/> does, then as GNU fails the hunks it would find before lines already
    /// written: such a hunk's result has the reason <see cref="Misordered"/> and the 1-based line GNU found it
    /// at.</summary>
    private ReadOnlyMemory<byte> ApplyInOrder(FilePatch target, FilePatch counted, ReadOnlyMemory<byte> original, out FileApplyResult r, ApplyOptions options)
    {
        ReadOnlyMemory<byte> result = Apply(target, original, out r, options);
        if (r.ReversedDetected || r.Error is not null || target.Hunks.Count < 2)
        {
            return result;
        }

        int[] misordered = new int[target.Hunks.Count];
        int[] shift = new int[target.Hunks.Count];
        string[]? lines = null;
        while (FindMisordered(counted, target, r, original, options.Reverse, misordered, shift, ref lines))
        {
            var hunks = new List<Hunk>(target.Hunks.Count);
            int moved = 0;
            for (int i = 0; i < target.Hunks.Count; i++)
            {
                Hunk h = target.Hunks[i];
                if (misordered[i] != 0)
                {
                    moved += shift[i];
                }
                else
                {
                    hunks.Add(moved == 0 ? h : new Hunk(Math.Max(0, h.OldStart + moved), h.OldCount, Math.Max(0, h.NewStart + moved), h.NewCount, h.SectionHeading, h.Body, h.LineNumber));
                }
            }

            result = Apply(WithHunks(target, hunks), original, out FileApplyResult part, options);
            var all = ImmutableArray.CreateBuilder<HunkResult>(target.Hunks.Count);
            moved = 0;
            int j = 0;
            for (int i = 0; i < target.Hunks.Count; i++)
            {
                if (misordered[i] != 0)
                {
                    moved += shift[i];
                    all.Add(new HunkResult(i, HunkStatus.Failed, misordered[i], 0, 0, Misordered));
                    continue;
                }

                HunkResult h = part.Hunks[j++];
                all.Add(h with { Index = i, Offset = h.Status == HunkStatus.Applied ? h.Offset + moved : h.Offset });
            }

            r = FileApplyResult.Create(r.Path, target, all.MoveToImmutable(), options.Reverse);
        }

        return result;
    }

    /// <summary>Replays GNU's search over the library's results: the first hunk (not marked yet) that GNU finds before
    /// the lines written already gets its line in <paramref name="misordered"/> and, in <paramref name="shift"/>, how
    /// far the offset of the hunks after it moves; false when there is none. Cheap unless a hunk's guess lies before
    /// the end of the hunk applied before it.</summary>
    private bool FindMisordered(FilePatch counted, FilePatch target, FileApplyResult r, ReadOnlyMemory<byte> original, bool reverse, int[] misordered, int[] shift, ref string[]? lines)
    {
        int inOffset = 0;
        int outDelta = 0;
        int lastApplied = -1;
        int[] where = new int[counted.Hunks.Count];
        for (int i = 0; i < counted.Hunks.Count; i++)
        {
            Hunk hunk = counted.Hunks[i];
            int first = GnuFirst(hunk, reverse);
            if (misordered[i] != 0)
            {
                inOffset = misordered[i] - first;
                continue;
            }

            int guess = first + inOffset;
            if (lastApplied >= 0 && guess < where[lastApplied] + OldLines(counted.Hunks[lastApplied], reverse)
                && LastFrozen(counted, r, where, lastApplied, reverse) is int lastFrozen && guess <= lastFrozen
                && GnuMisorderedAt(hunk, r.Hunks[i], guess, lastFrozen, original, reverse, ref lines) is int at and > 0)
            {
                misordered[i] = at;
                shift[i] = at - first - inOffset;
                return true;
            }

            HunkResult h = r.Hunks[i];
            if (h.Status != HunkStatus.Applied)
            {
                continue;
            }

            where[i] = OldLines(hunk, reverse) == 0 ? guess : h.Line - outDelta;
            inOffset = where[i] - first;
            lastApplied = i;
            Hunk written = target.Hunks[i];
            outDelta += NewLines(written, reverse) - OldLines(written, reverse);
        }

        return false;
    }

    /// <summary>Where GNU finds a hunk whose guess lies before the last line written (1-based), when it cannot write
    /// it there; 0 when GNU finds it where the library does, or applies it over lines written already (not copied:
    /// the library's place is kept), or fails it anyway.</summary>
    private int GnuMisorderedAt(Hunk hunk, HunkResult applied, int guess, int lastFrozen, ReadOnlyMemory<byte> original, bool reverse, ref string[]? lines)
    {
        var gnu = GnuMergeHunk.From(hunk, reverse);
        if (gnu.Old.Length == 0)
        {
            // "A null range matches always": the hunk's lines go before the line GNU wrote last.
            return guess >= 1 ? guess : 0;
        }

        lines ??= GnuMergeFile.Lines(original.ToArray());
        int maxFuzz = applied.Status == HunkStatus.Applied ? applied.Fuzz : Math.Min(_s.Fuzz, Math.Max(gnu.Prefix, gnu.Suffix));
        for (int fuzz = 0; fuzz <= maxFuzz; fuzz++)
        {
            int where = GnuMergeFile.Locate(lines, gnu, fuzz, guess, lastFrozen, _s.IgnoreWhitespace);
            if (where != 0)
            {
                // GNU writes the lines before the hunk's first change first: lines written already cannot be.
                return where + gnu.Prefix <= lastFrozen ? where : 0;
            }
        }

        return 0;
    }

    /// <summary>The last line GNU has written or removed (1-based) after the hunks applied up to
    /// <paramref name="last"/>: the line before the trailing context of the last one that changes something.</summary>
    private static int LastFrozen(FilePatch counted, FileApplyResult r, int[] where, int last, bool reverse)
    {
        for (int i = last; i >= 0; i--)
        {
            Hunk hunk = counted.Hunks[i];
            int trailing = TrailingContext(hunk, out bool changes);
            if (r.Hunks[i].Status == HunkStatus.Applied && changes)
            {
                return where[i] - 1 + OldLines(hunk, reverse) - trailing;
            }
        }

        return 0;
    }

    private static int OldLines(Hunk hunk, bool reverse) => reverse ? hunk.NewCount : hunk.OldCount;

    private static int NewLines(Hunk hunk, bool reverse) => reverse ? hunk.OldCount : hunk.NewCount;

    /// <summary>The context lines after a hunk's last change; whether it changes anything.</summary>
    private static int TrailingContext(Hunk hunk, out bool changes)
    {
        int trailing = 0;
        changes = false;
        foreach (HunkLine line in hunk.GetLines())
        {
            changes |= line.Kind != HunkLineKind.Context;
            trailing = line.Kind == HunkLineKind.Context ? trailing + 1 : 0;
        }

        return trailing;
    }
}
