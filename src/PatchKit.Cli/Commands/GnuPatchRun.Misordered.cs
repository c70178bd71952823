using System.Buffers;
using System.Collections.Immutable;
using PatchKit.Diffs;

namespace PatchKit.Cli.Commands;

/// <summary>Hunks GNU patch finds before lines it has written already. GNU 2.7.6 looks for each hunk from where its
/// header says, moved by the offset of the hunk before (locate_hunk), and never before the last line the hunks before
/// it wrote or removed — unless that guess itself lies before them: then it looks from as far before them as the guess
/// is, upward through the whole file. Where a hunk found there has a change among lines written already, it cannot be
/// written (copy_till: "misordered hunks! output would be garbled"): it fails, and its place still sets the offset the
/// next hunks are looked for with. Where only leading context lines were written already, GNU applies it there. The
/// library looks after the written lines only, so such a hunk is taken out (or cut to its changes, placed where GNU
/// writes them) and the hunks after it are moved by the offset GNU's place gives.</summary>
internal sealed partial class GnuPatchRun
{
    private const string Misordered = "misordered hunks! output would be garbled";

    /// <summary>Applies as <see cref="Apply"/> does, then as GNU for the hunks it finds before lines already written: a
    /// hunk GNU cannot write there fails with the reason <see cref="Misordered"/> and the 1-based line GNU found it at;
    /// one it writes over leading context lines is applied there.</summary>
    private ReadOnlyMemory<byte> ApplyInOrder(FilePatch target, FilePatch counted, ReadOnlyMemory<byte> original, out FileApplyResult r, ApplyOptions options)
    {
        ReadOnlyMemory<byte> result = Apply(target, original, out r, options);
        if (r.ReversedDetected || r.Error is not null || target.Hunks.Count < 2)
        {
            return result;
        }

        var found = new OutOfOrder?[target.Hunks.Count];
        string[]? lines = null;
        while (FindOutOfOrder(counted, target, r, original, options.Reverse, found, ref lines))
        {
            var hunks = new List<Hunk>(target.Hunks.Count);
            int moved = 0;
            for (int i = 0; i < target.Hunks.Count; i++)
            {
                Hunk h = found[i]?.Cut ?? target.Hunks[i];
                if (found[i] is { Cut: null } gone)
                {
                    moved += gone.Shift;
                    continue;
                }

                hunks.Add(moved == 0 ? h : new Hunk(Math.Max(0, h.OldStart + moved), h.OldCount, Math.Max(0, h.NewStart + moved), h.NewCount, h.SectionHeading, h.Body, h.LineNumber));
                moved += found[i]?.Shift ?? 0;
            }

            result = Apply(WithHunks(target, hunks), original, out FileApplyResult part, options);
            var all = ImmutableArray.CreateBuilder<HunkResult>(target.Hunks.Count);
            moved = 0;
            int j = 0;
            for (int i = 0; i < target.Hunks.Count; i++)
            {
                if (found[i] is { Cut: null } gone)
                {
                    moved += gone.Shift;
                    all.Add(new HunkResult(i, HunkStatus.Failed, gone.At, 0, 0, Misordered));
                    continue;
                }

                HunkResult h = part.Hunks[j++];
                if (h.Status == HunkStatus.Applied)
                {
                    h = found[i] is { } over
                        ? h with { Line = over.Line, Offset = over.Offset, Fuzz = over.Fuzz }
                        : h with { Offset = h.Offset + moved };
                }

                all.Add(h with { Index = i });
                moved += found[i]?.Shift ?? 0;
            }

            r = FileApplyResult.Create(r.Path, target, all.MoveToImmutable(), options.Reverse);
        }

        return result;
    }

    /// <summary>Replays GNU's search over the library's results: the first hunk (not taken yet) that GNU finds before
    /// the lines written already goes into <paramref name="found"/>; false when there is none. Cheap unless a hunk's
    /// guess lies before the end of the hunk applied before it.</summary>
    private bool FindOutOfOrder(FilePatch counted, FilePatch target, FileApplyResult r, ReadOnlyMemory<byte> original, bool reverse, OutOfOrder?[] found, ref string[]? lines)
    {
        int inOffset = 0;
        int outDelta = 0;
        int lastApplied = -1;
        int[] where = new int[counted.Hunks.Count];
        for (int i = 0; i < counted.Hunks.Count; i++)
        {
            Hunk hunk = counted.Hunks[i];
            int first = GnuFirst(hunk, reverse);
            if (found[i] is { Cut: null } gone)
            {
                inOffset = gone.At - first;
                continue;
            }

            int guess = first + inOffset;
            if (found[i] is null && lastApplied >= 0 && guess < where[lastApplied] + OldLines(counted.Hunks[lastApplied], reverse)
                && LastFrozen(counted, r, where, lastApplied, reverse) is int lastFrozen && guess <= lastFrozen
                && GnuBefore(hunk, r.Hunks[i], guess, lastFrozen, original, reverse, ref lines) is { } before)
            {
                found[i] = before with
                {
                    // Applied over context lines written already: the hunk's changes go where GNU writes them.
                    Cut = before.Lead < 0 ? null : Cut(target.Hunks[i], before.Lead, before.Trail, before.At + before.Lead - inOffset, reverse),
                    Shift = before.At - first - inOffset,
                    Line = before.At + outDelta,
                    Offset = before.At - first,
                };
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

    /// <summary>Where GNU finds a hunk whose guess lies before the last line written, when that is not where the
    /// library finds it: before the last line written (with, when GNU applies it there, how many context lines lead
    /// it and how many trailing ones the fuzz left out; -1 when it fails). <see langword="null"/> when GNU finds it
    /// where the library does, or nowhere.</summary>
    private OutOfOrder? GnuBefore(Hunk hunk, HunkResult applied, int guess, int lastFrozen, ReadOnlyMemory<byte> original, bool reverse, ref string[]? lines)
    {
        var gnu = GnuMergeHunk.From(hunk, reverse);
        if (gnu.Old.Length == 0)
        {
            // "A null range matches always": the hunk's lines would go before the line GNU wrote last.
            return guess >= 1 ? new OutOfOrder(guess, 0, -1, 0) : null;
        }

        lines ??= GnuMergeFile.Lines(original.ToArray());
        int maxFuzz = applied.Status == HunkStatus.Applied ? applied.Fuzz : Math.Min(_s.Fuzz, Math.Max(gnu.Prefix, gnu.Suffix));
        for (int fuzz = 0; fuzz <= maxFuzz; fuzz++)
        {
            int at = GnuMergeFile.Locate(lines, gnu, fuzz, guess, lastFrozen, _s.IgnoreWhitespace);
            if (at == 0)
            {
                continue;
            }

            if (at > lastFrozen)
            {
                return null;
            }

            // GNU writes the lines before the hunk's first change first: lines written already cannot be. When only
            // context lines were, it applies the hunk there; the library then applies it without its leading context
            // (copied from the file all the same) and without the trailing context lines the fuzz left out.
            int trail = Math.Max(0, fuzz + gnu.Suffix - Math.Max(gnu.Prefix, gnu.Suffix));
            return new OutOfOrder(at, fuzz, at + gnu.Prefix <= lastFrozen ? -1 : gnu.Prefix, trail);
        }

        return null;
    }

    /// <summary>A hunk without its first <paramref name="lead"/> and last <paramref name="trail"/> lines (context
    /// lines), moved so that it says it starts at the line <paramref name="line"/>.</summary>
    private static Hunk Cut(Hunk hunk, int lead, int trail, int line, bool reverse)
    {
        var all = new List<HunkLine>();
        foreach (HunkLine l in hunk.GetLines())
        {
            all.Add(l);
        }

        var body = new ArrayBufferWriter<byte>(hunk.Body.Length);
        for (int i = lead; i < all.Count - trail; i++)
        {
            HunkLine l = all[i];
            body.Write([l.Kind switch { HunkLineKind.Added => (byte)'+', HunkLineKind.Removed => (byte)'-', _ => (byte)' ' }]);
            body.Write(l.Content.Span);
            if (!l.HasNewline)
            {
                body.Write("\n\\ No newline at end of file\n"u8);
            }
        }

        int cut = lead + trail;
        var moved = new Hunk(hunk.OldStart, hunk.OldCount - cut, hunk.NewStart, hunk.NewCount - cut, hunk.SectionHeading, body.WrittenMemory, hunk.LineNumber);
        int by = line - GnuFirst(moved, reverse);
        return new Hunk(hunk.OldStart + by, hunk.OldCount - cut, hunk.NewStart + by, hunk.NewCount - cut, hunk.SectionHeading, body.WrittenMemory, hunk.LineNumber);
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

    /// <summary>A hunk GNU finds before the lines written already: the 1-based line it finds it at and the fuzz; how
    /// many context lines lead it (-1: GNU cannot write it there, "misordered") and how many trailing ones the fuzz
    /// left out; the hunk cut to what GNU writes there (<see langword="null"/>: it fails); how far the offset of the
    /// hunks after it moves; the line and offset GNU reports for it.</summary>
    private sealed record OutOfOrder(int At, int Fuzz, int Lead, int Trail)
    {
        public Hunk? Cut { get; init; }

        public int Shift { get; init; }

        public int Line { get; init; }

        public int Offset { get; init; }
    }
}
