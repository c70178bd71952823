using System.Buffers;
using System.Collections.Immutable;

namespace PatchKit.Diffs.Apply;

/// <summary>Applies the hunks of one file patch to the bytes of one file, as GNU patch does: each hunk is looked for
/// where its header says (shifted by the offset of the hunk before), then at growing distances both ways, nearest
/// first and later first on a tie, then with fuzz; context lines are kept from the file, added lines come from the
/// patch, and line endings are data.</summary>
internal sealed class HunkApplier
{
    private const string ReversedReason = "Reversed (or previously applied) patch detected!";

    private readonly List<PatternLine> _lines = [];
    private readonly List<PatternLine> _old = [];
    private readonly ApplySettings _settings;
    private int _prefix;
    private int _suffix;
    private HunkDiagnoser? _diagnoser;

    private HunkApplier(ApplySettings settings)
    {
        _settings = settings;
    }

    public static FileApplyResult Apply(FilePatch patch, ReadOnlySpan<byte> file, IBufferWriter<byte> output, in ApplySettings settings, string? path)
    {
        var applier = new HunkApplier(settings);
        return applier.Run(patch, file, output, path);
    }

    private static bool IsAllCrLf(FilePatch patch)
    {
        bool any = false;
        foreach (Hunk hunk in patch.Hunks)
        {
            foreach (HunkLine line in hunk.GetLines())
            {
                ReadOnlySpan<byte> c = line.Content.Span;
                if (c.Length == 0 || c[^1] != (byte)'\n')
                {
                    continue;
                }

                if (c.Length < 2 || c[^2] != (byte)'\r')
                {
                    return false;
                }

                any = true;
            }
        }

        return any;
    }

    private FileApplyResult Run(FilePatch patch, ReadOnlySpan<byte> file, IBufferWriter<byte> output, string? path)
    {
        using LineTable table = LineTable.Build(file);
        // GNU patch strips trailing CRs from the patch when its file header ends in CRLF (the patch was saved with
        // CRLF line endings). PatchKit strips them only when the patch text looks saved that way (that header, or
        // every @@ line, ends in CRLF), every hunk line is CRLF and the file is LF throughout: a CRLF line added to an
        // LF file by a patch with LF headers is data and is kept.
        bool stripCr = patch.SavedWithCrLf && IsAllCrLf(patch) && table.HasLf(file) && !table.HasCrLf(file);
        bool anyNewline = _settings.MatchLineEndings;
        LineEnding? addedEnding = null;
        if (_settings.MatchLineEndings)
        {
            if (table.HasCrLf(file) && !table.HasLf(file))
            {
                addedEnding = LineEnding.CrLf;
            }
            else if (table.HasLf(file) && !table.HasCrLf(file))
            {
                addedEnding = LineEnding.Lf;
            }
        }

        IReadOnlyList<Hunk> hunks = patch.Hunks;
        var results = ImmutableArray.CreateBuilder<HunkResult>(hunks.Count);
        var writer = new OutputWriter(output);
        int frozen = 0;
        int copiedByte = 0;
        int inOffset = 0;
        int outDelta = 0;
        bool reversed = false;
        for (int k = 0; k < hunks.Count; k++)
        {
            Hunk hunk = hunks[k];
            Load(hunk, _settings.Reverse, stripCr);
            int oldStart = _settings.Reverse ? hunk.NewStart : hunk.OldStart;
            int m = _old.Count;
            long header = m == 0 ? oldStart : (long)oldStart - 1;
            int guess = table.ClampLine(file, header + inOffset);
            int maxFuzz = Math.Min(_settings.Fuzz, Math.Max(_prefix, _suffix));
            int found = -1;
            int fuzz = 0;
            for (; fuzz <= maxFuzz; fuzz++)
            {
                found = Locate(file, table, fuzz, guess, oldStart, frozen, anyNewline);
                if (found >= 0)
                {
                    break;
                }

                // As GNU patch: the first hunk is tried reversed at each fuzz before the next fuzz is tried forward.
                if (k == 0 && _settings.DetectReversed && IsReversedHere(hunk, file, table, guess, fuzz, frozen, stripCr, anyNewline, emptyMatches: true))
                {
                    reversed = true;
                    break;
                }
            }

            if (reversed)
            {
                break;
            }

            if (found < 0)
            {
                string reason = "the hunk's old side was not found";
                HunkStatus status = HunkStatus.Failed;
                if (_settings.DetectReversed && IsReversedHere(hunk, file, table, guess, 0, frozen, stripCr, anyNewline))
                {
                    status = HunkStatus.AlreadyApplied;
                    reason = "the hunk's new side is already there (previously applied)";
                }

                results.Add(new HunkResult(k, status, (int)Math.Clamp((long)oldStart + inOffset, 0, int.MaxValue), 0, 0, reason)
                {
                    Diagnosis = _settings.DiagnoseFailures ? Diagnose(file, table, guess, frozen, anyNewline) : null,
                });
                continue;
            }

            // Copy the file up to the hunk, then walk the hunk up to its last change: context from the file, added
            // lines from the patch. As GNU patch, the context after the last change is left to the copy that follows
            // (the next hunk may start inside it: only lines up to the last change are frozen).
            int lastChange = _lines.Count - 1;
            while (lastChange >= 0 && _lines[lastChange].Kind == HunkLineKind.Context)
            {
                lastChange--;
            }

            int cursor = found;
            int added = 0;
            int removed = 0;
            if (lastChange >= 0)
            {
                writer.Write(file[copiedByte..table.StartOf(file, found)]);
            }

            for (int i = 0; i <= lastChange; i++)
            {
                PatternLine line = _lines[i];
                switch (line.Kind)
                {
                    case HunkLineKind.Context:
                        // A suffix context line dropped by fuzz may lie past the end of the file: nothing to copy.
                        if (table.EnsureLines(file, cursor + 1))
                        {
                            writer.Write(file[table.StartOf(file, cursor)..table.StartOf(file, cursor + 1)]);
                        }

                        cursor++;
                        break;
                    case HunkLineKind.Removed:
                        cursor++;
                        removed++;
                        break;
                    default:
                        writer.WriteLine(line.Body.Span, addedEnding is { } e && line.Ending != LineEnding.None ? e : line.Ending);
                        added++;
                        break;
                }
            }

            if (!table.EnsureLines(file, cursor))
            {
                cursor = table.Count(file);
            }

            if (lastChange >= 0)
            {
                copiedByte = table.StartOf(file, cursor);
                frozen = cursor;
            }

            // GNU's offsets count from where the header says, also past the end of the file; a hunk without old lines
            // is placed where the header says moved by the offset so far (locate_hunk's "null range matches always"),
            // so it keeps that offset and reports that line.
            int at = found + outDelta + 1;
            if (m == 0)
            {
                at = (int)Math.Clamp(header + inOffset + outDelta + 1, int.MinValue, int.MaxValue);
            }
            else
            {
                inOffset = (int)Math.Clamp(found - header, int.MinValue, int.MaxValue);
            }

            results.Add(new HunkResult(k, HunkStatus.Applied, at, inOffset, fuzz, null));
            outDelta += added - removed;
        }

        if (reversed)
        {
            results.Clear();
            for (int k = 0; k < hunks.Count; k++)
            {
                int start = _settings.Reverse ? hunks[k].NewStart : hunks[k].OldStart;
                HunkFailureDiagnosis? diagnosis = null;
                if (_settings.DiagnoseFailures)
                {
                    Load(hunks[k], _settings.Reverse, stripCr);
                    diagnosis = Diagnose(file, table, table.ClampLine(file, _old.Count == 0 ? start : (long)start - 1), 0, anyNewline);
                }

                results.Add(new HunkResult(k, HunkStatus.AlreadyApplied, start, 0, 0, ReversedReason) { Diagnosis = diagnosis });
            }

            output.Write(file);
        }
        else
        {
            writer.Write(file[copiedByte..]);
        }

        return new FileApplyResult(path, patch, results.MoveToImmutable(), reversed, _settings.SkipAlreadyApplied, _settings.Reverse);
    }

    /// <summary>Works out why the loaded hunk failed (only on failure: the matching loop above stays as it is).</summary>
    private HunkFailureDiagnosis Diagnose(ReadOnlySpan<byte> file, LineTable table, int guess, int frozen, bool anyNewline) =>
        (_diagnoser ??= new HunkDiagnoser()).Diagnose(file, table, _lines, guess, frozen, _settings.IgnoreWhitespace, anyNewline);

    private void Load(Hunk hunk, bool reverse, bool stripCr)
    {
        _lines.Clear();
        _old.Clear();
        foreach (HunkLine raw in hunk.GetLines())
        {
            var line = PatternLine.From(raw, reverse, stripCr);
            _lines.Add(line);
            if (line.Kind != HunkLineKind.Added)
            {
                _old.Add(line);
            }
        }

        int prefix = 0;
        while (prefix < _lines.Count && _lines[prefix].Kind == HunkLineKind.Context)
        {
            prefix++;
        }

        int suffix = 0;
        while (suffix < _lines.Count - prefix && _lines[_lines.Count - 1 - suffix].Kind == HunkLineKind.Context)
        {
            suffix++;
        }

        _prefix = prefix;
        _suffix = suffix;
    }

    private bool IsReversedHere(Hunk hunk, ReadOnlySpan<byte> file, LineTable table, int guess, int fuzz, int frozen, bool stripCr, bool anyNewline, bool emptyMatches = false)
    {
        // Look for the new side where the old side was expected, at the fuzz the old side was just looked for with.
        // With emptyMatches, a hunk whose new side is empty (it only removes lines, without context) counts as found
        // reversed, as GNU patch's locate_hunk matches an empty range anywhere: lines to remove that are not there
        // were most likely removed already.
        Load(hunk, !_settings.Reverse, stripCr);
        bool onlyAdds = true;
        foreach (PatternLine line in _lines)
        {
            if (line.Kind != HunkLineKind.Context)
            {
                onlyAdds = false;
                break;
            }
        }

        int newStart = _settings.Reverse ? hunk.OldStart : hunk.NewStart;
        bool found = !onlyAdds && (_old.Count == 0 ? emptyMatches : Locate(file, table, Math.Min(fuzz, Math.Max(_prefix, _suffix)), guess, newStart, frozen, anyNewline) >= 0);
        Load(hunk, _settings.Reverse, stripCr);
        return found;
    }

    /// <summary>Finds the 0-based line where the hunk's old side starts at this fuzz, or -1 (GNU <c>locate_hunk</c>).</summary>
    private int Locate(ReadOnlySpan<byte> file, LineTable table, int fuzz, int guess, int oldStart, int frozen, bool anyNewline)
    {
        int m = _old.Count;
        if (m == 0)
        {
            return Math.Max(guess, frozen);
        }

        int context = Math.Max(_prefix, _suffix);
        int prefixFuzz = fuzz + _prefix - context;
        int suffixFuzz = fuzz + _suffix - context;
        if (prefixFuzz < 0 && oldStart <= 1)
        {
            // Can only match the start of the file (or, with no room at the end either, the whole file).
            if (frozen > 0 || (suffixFuzz < 0 && m != table.Count(file)))
            {
                return -1;
            }

            return Match(file, table, 0, 0, Math.Max(suffixFuzz, 0), anyNewline) ? 0 : -1;
        }

        prefixFuzz = Math.Max(prefixFuzz, 0);
        if (suffixFuzz >= 0 && guess >= frozen && Match(file, table, guess, prefixFuzz, suffixFuzz, anyNewline))
        {
            return guess; // where the header says: the common case, found without counting the file's lines
        }

        int n = table.Count(file);
        if (suffixFuzz < 0)
        {
            // Can only match the end of the file.
            int w = n - m;
            return w >= frozen && Match(file, table, w, prefixFuzz, 0, anyNewline) ? w : -1;
        }

        int minWhere = frozen;
        int maxWhere = n - m + suffixFuzz;
        if (maxWhere < minWhere)
        {
            return -1;
        }

        int first = prefixFuzz;
        int last = m - suffixFuzz;
        if (first >= last)
        {
            return Math.Clamp(guess, minWhere, maxWhere);
        }

        if (guess >= minWhere && guess <= maxWhere && Match(file, table, guess, first, suffixFuzz, anyNewline))
        {
            return guess;
        }

        int maxOffset = Math.Max(maxWhere - guess, guess - minWhere);
        if (maxOffset <= 32)
        {
            for (int offset = 1; offset <= maxOffset; offset++)
            {
                int up = guess + offset;
                if (up <= maxWhere && up >= minWhere && Match(file, table, up, first, suffixFuzz, anyNewline))
                {
                    return up;
                }

                int down = guess - offset;
                if (down >= minWhere && down <= maxWhere && Match(file, table, down, first, suffixFuzz, anyNewline))
                {
                    return down;
                }
            }

            return -1;
        }

        return SearchIndexed(file, table, guess, minWhere, maxWhere, first, last, suffixFuzz, anyNewline);
    }

    private int SearchIndexed(ReadOnlySpan<byte> file, LineTable table, int guess, int minWhere, int maxWhere, int first, int last, int suffixFuzz, bool anyNewline)
    {
        // Anchor on the rarest line of the window: every place the hunk can match holds that line at that distance.
        bool ignoreWs = _settings.IgnoreWhitespace;
        int anchor = -1;
        ReadOnlySpan<int> best = default;
        for (int i = first; i < last; i++)
        {
            ReadOnlySpan<int> c = table.Candidates(file, _old[i].Body.Span, ignoreWs);
            if (c.IsEmpty)
            {
                return -1;
            }

            if (anchor < 0 || c.Length < best.Length)
            {
                anchor = i;
                best = c;
            }
        }

        // Walk the anchor's positions outward from the guess: nearest first, the later one first on a tie.
        int target = guess + anchor;
        int hi = best.BinarySearch(target);
        if (hi < 0)
        {
            hi = ~hi;
        }

        int lo = hi - 1;
        while (true)
        {
            int up = hi < best.Length ? best[hi] - anchor : int.MaxValue;
            if (up > maxWhere)
            {
                up = int.MaxValue;
                hi = best.Length;
            }

            int down = lo >= 0 ? best[lo] - anchor : int.MinValue;
            if (down < minWhere)
            {
                down = int.MinValue;
                lo = -1;
            }

            if (up == int.MaxValue && down == int.MinValue)
            {
                break;
            }

            int w;
            if (down == int.MinValue || (up != int.MaxValue && (long)up - guess <= (long)guess - down))
            {
                w = up;
                hi++;
            }
            else
            {
                w = down;
                lo--;
            }

            if (w >= minWhere && w <= maxWhere && Match(file, table, w, first, suffixFuzz, anyNewline))
            {
                return w;
            }
        }

        return -1;
    }

    private bool Match(ReadOnlySpan<byte> file, LineTable table, int where, int first, int suffixFuzz, bool anyNewline)
    {
        int last = _old.Count - suffixFuzz;
        if (where < 0 || !table.EnsureLines(file, where + last))
        {
            return false;
        }

        bool ignoreWs = _settings.IgnoreWhitespace;
        for (int i = first; i < last; i++)
        {
            ReadOnlySpan<byte> body = table.Body(file, where + i, out LineEnding ending);
            if (!LineMatcher.Matches(body, ending, _old[i], ignoreWs, anyNewline))
            {
                return false;
            }
        }

        return true;
    }
}
