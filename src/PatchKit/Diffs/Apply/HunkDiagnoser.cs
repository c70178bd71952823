using System.Collections.Immutable;
using System.Text;

namespace PatchKit.Diffs.Apply;

/// <summary>Works out why a hunk did not apply: finds the place of the file that holds most of the hunk's old side
/// (and, to tell an already applied change, its new side), then compares the hunk with the file there line by line.
/// Runs only for hunks that failed. Bounded: the votes come from the applier's own line index (<see cref="LineTable.Candidates"/>,
/// built once per file, and already built by the failed search), so a failure costs no pass of its own over the file;
/// per line of the hunk at most <see cref="NearestPerLine"/> occurrences of that line nearest the expected place cast
/// a vote for a start, and only the <see cref="Finalists"/> best-voted starts are compared. Only when no line of the
/// hunk is in the file as written (a block re-indented, say) is a second, blank-insensitive index built (once per
/// file), so a place that differs only in white space is still found.</summary>
internal sealed class HunkDiagnoser
{
    /// <summary>The occurrences of one hunk line, nearest its expected place first, that vote for a start.</summary>
    internal const int NearestPerLine = 48;

    /// <summary>The best-voted starts compared line by line.</summary>
    internal const int Finalists = 8;

    /// <summary>The hunk lines that vote (a longer hunk votes with its first lines).</summary>
    internal const int VotingLines = 256;

    private readonly List<PatternLine> _side = [];
    private readonly Dictionary<int, int> _votes = [];
    private readonly List<int> _differing = [];
    private Dictionary<int, int>? _bucketByHash;
    private int[]? _bucketStart;
    private int[]? _positions;
    private int _lineCount;
    private int _frozen;

    /// <summary>Diagnoses one failed hunk.</summary>
    /// <param name="file">The file.</param>
    /// <param name="table">Its lines.</param>
    /// <param name="lines">The hunk's lines as the apply sees them (already reversed for a reverse apply).</param>
    /// <param name="guess">The 0-based line where the old side was expected.</param>
    /// <param name="frozen">The first line the hunk may start at (the end of the hunk applied before it).</param>
    /// <param name="ignoreWhitespace">The apply's white-space rule.</param>
    /// <param name="anyNewline">The apply's line-ending rule.</param>
    public HunkFailureDiagnosis Diagnose(ReadOnlySpan<byte> file, LineTable table, List<PatternLine> lines, int guess, int frozen, bool ignoreWhitespace, bool anyNewline)
    {
        _frozen = frozen;
        _lineCount = table.Count(file);
        int contextLines = 0;
        int removedLines = 0;
        bool changes = false;
        foreach (PatternLine line in lines)
        {
            if (line.Kind == HunkLineKind.Context)
            {
                contextLines++;
            }
            else
            {
                changes = true;
                if (line.Kind == HunkLineKind.Removed)
                {
                    removedLines++;
                }
            }
        }

        LoadSide(lines, HunkLineKind.Added);
        if (_side.Count == 0)
        {
            return new HunkFailureDiagnosis(HunkFailureKind.NotFound, guess + 1, 0, 0, 0, 0, 0, 0, []);
        }

        int start = BestStart(file, table, guess, ignoreWhitespace, anyNewline);
        _differing.Clear();
        int contextMatched = 0;
        int removedMatched = 0;
        int different = 0;
        bool blanksOnly = true;
        bool endingsOnly = true;
        for (int i = 0; i < _side.Count; i++)
        {
            PatternLine p = _side[i];
            int at = start + i;
            if (at < _lineCount)
            {
                ReadOnlySpan<byte> body = table.Body(file, at, out LineEnding ending);
                if (LineMatcher.Matches(body, ending, p, ignoreWhitespace, anyNewline))
                {
                    if (p.Kind == HunkLineKind.Context)
                    {
                        contextMatched++;
                    }
                    else
                    {
                        removedMatched++;
                    }

                    continue;
                }

                blanksOnly &= LineMatcher.EqualsIgnoringBlanks(body, p.Body.Span) && (ending == p.Ending || (ending != LineEnding.None && p.Ending != LineEnding.None));
                endingsOnly &= body.SequenceEqual(p.Body.Span);
                different++;
                if (_differing.Count < HunkFailureDiagnosis.MaxDifferences)
                {
                    _differing.Add(i);
                }
            }
            else
            {
                blanksOnly = false;
                endingsOnly = false;
                different++;
                if (_differing.Count < HunkFailureDiagnosis.MaxDifferences)
                {
                    _differing.Add(i);
                }
            }
        }

        // Already applied: the new side, whole, as near as the old side's best place (a hunk whose old side is also
        // still there, where it may not go, reads better as applied).
        if (changes)
        {
            LoadSide(lines, HunkLineKind.Removed);
            if (_side.Count > 0)
            {
                int newStart = BestStart(file, table, guess, ignoreWhitespace, anyNewline);
                if (Matched(file, table, newStart, ignoreWhitespace, anyNewline, lenient: false) == _side.Count
                    && (different > 0 || !Nearer(start, newStart, guess)))
                {
                    return new HunkFailureDiagnosis(HunkFailureKind.AlreadyApplied, newStart + 1, newStart - guess, contextLines, contextMatched, removedLines, removedMatched, different, []);
                }
            }
        }

        if (different == 0)
        {
            return new HunkFailureDiagnosis(HunkFailureKind.Misplaced, start + 1, start - guess, contextLines, contextMatched, removedLines, removedMatched, 0, []);
        }

        HunkFailureKind kind;
        if (endingsOnly && !anyNewline)
        {
            kind = HunkFailureKind.LineEndingsOnly;
        }
        else if (blanksOnly && !ignoreWhitespace)
        {
            kind = HunkFailureKind.WhitespaceOnly;
        }
        else if ((contextMatched + removedMatched) * 2 < contextLines + removedLines)
        {
            kind = HunkFailureKind.NotFound;
        }
        else
        {
            kind = removedMatched == removedLines ? HunkFailureKind.ContextChanged : HunkFailureKind.Changed;
        }

        // The lines that differ, as text, only now that they are reported (the old side again: the new side was
        // loaded to look for it).
        LoadSide(lines, HunkLineKind.Added);
        var differences = ImmutableArray.CreateBuilder<HunkLineDifference>(_differing.Count);
        foreach (int i in _differing)
        {
            PatternLine p = _side[i];
            int at = start + i;
            string? found = at < _lineCount ? Text(table.Body(file, at, out _)) : null;
            differences.Add(new HunkLineDifference(at + 1, p.Kind, Text(p.Body.Span), found));
        }

        return new HunkFailureDiagnosis(kind, start + 1, start - guess, contextLines, contextMatched, removedLines, removedMatched, different, differences.MoveToImmutable());
    }

    private static string Text(ReadOnlySpan<byte> body) => Encoding.UTF8.GetString(body);

    private void LoadSide(List<PatternLine> lines, HunkLineKind skip)
    {
        _side.Clear();
        foreach (PatternLine line in lines)
        {
            if (line.Kind != skip)
            {
                _side.Add(line);
            }
        }
    }

    /// <summary>The start (0-based) of the place that holds most of <see cref="_side"/>, nearest the guess on a tie
    /// (the later one when equally near), or the guess when no line of it is in the file.</summary>
    private int BestStart(ReadOnlySpan<byte> file, LineTable table, int guess, bool ignoreWhitespace, bool anyNewline)
    {
        // The applier's index first (as the apply compares lines); only when it finds no line of the hunk at all, the
        // blank-insensitive one.
        if (!Vote(file, table, guess, ignoreWhitespace, blankFree: false) && !ignoreWhitespace)
        {
            Vote(file, table, guess, ignoreWhitespace, blankFree: true);
        }

        return Choose(file, table, guess, ignoreWhitespace, anyNewline);
    }

    /// <summary>Counts the votes for each start; returns whether any line of the side was found.</summary>
    private bool Vote(ReadOnlySpan<byte> file, LineTable table, int guess, bool ignoreWhitespace, bool blankFree)
    {
        _votes.Clear();
        _votes[guess] = 0;
        bool found = false;
        int voting = Math.Min(_side.Count, VotingLines);
        for (int i = 0; i < voting; i++)
        {
            ReadOnlySpan<int> positions = blankFree ? Occurrences(file, table, _side[i].Body.Span) : table.Candidates(file, _side[i].Body.Span, ignoreWhitespace);
            if (positions.IsEmpty)
            {
                continue;
            }

            found = true;

            // The occurrences nearest the place this line is expected at, outward both ways.
            int target = guess + i;
            int hi = positions.BinarySearch(target);
            if (hi < 0)
            {
                hi = ~hi;
            }

            int lo = hi - 1;
            for (int taken = 0; taken < NearestPerLine && (lo >= 0 || hi < positions.Length); taken++)
            {
                int p;
                if (lo < 0 || (hi < positions.Length && positions[hi] - target <= target - positions[lo]))
                {
                    p = positions[hi++];
                }
                else
                {
                    p = positions[lo--];
                }

                int s = p - i;
                if (s >= 0)
                {
                    _votes[s] = _votes.GetValueOrDefault(s) + 1;
                }
            }
        }

        return found;
    }

    /// <summary>The best of the best-voted starts.</summary>
    private int Choose(ReadOnlySpan<byte> file, LineTable table, int guess, bool ignoreWhitespace, bool anyNewline)
    {

        // The best-voted starts, compared line by line: most lines matching once blanks are ignored, then most
        // matching under the apply's rules, then nearest, then later.
        Span<(int Start, int Votes)> finalists = stackalloc (int, int)[Finalists];
        int count = 0;
        foreach (KeyValuePair<int, int> v in _votes)
        {
            var candidate = (v.Key, v.Value);
            int at = count < Finalists ? count++ : Finalists;
            if (at == Finalists)
            {
                if (!Better(candidate, finalists[Finalists - 1], guess))
                {
                    continue;
                }

                at = Finalists - 1;
            }

            finalists[at] = candidate;
            while (at > 0 && Better(finalists[at], finalists[at - 1], guess))
            {
                (finalists[at], finalists[at - 1]) = (finalists[at - 1], finalists[at]);
                at--;
            }
        }

        // A place the hunk may go (not before the hunk applied before it) first; then most lines alike, a line equal
        // under the apply's rules counting twice and one equal once blanks are ignored once (so a copy of the block
        // elsewhere with other indentation does not beat the true place with one line changed); then nearest.
        int best = guess;
        bool bestAllowed = false;
        int bestScore = -1;
        for (int f = 0; f < count; f++)
        {
            int s = finalists[f].Start;
            bool allowed = s >= _frozen;
            int score = Matched(file, table, s, ignoreWhitespace, anyNewline, lenient: true) + Matched(file, table, s, ignoreWhitespace, anyNewline, lenient: false);
            if ((allowed && !bestAllowed) || (allowed == bestAllowed && (score > bestScore || (score == bestScore && Nearer(s, best, guess)))))
            {
                best = s;
                bestAllowed = allowed;
                bestScore = score;
            }
        }

        return best;
    }

    private static bool Better((int Start, int Votes) a, (int Start, int Votes) b, int guess) =>
        a.Votes > b.Votes || (a.Votes == b.Votes && Nearer(a.Start, b.Start, guess));

    private static bool Nearer(int a, int b, int guess)
    {
        long da = Math.Abs((long)a - guess);
        long db = Math.Abs((long)b - guess);
        return da < db || (da == db && a > b);
    }

    /// <summary>Counts the lines of <see cref="_side"/> the file holds from <paramref name="start"/>: under the apply's
    /// rules, or (lenient) ignoring blanks and line endings.</summary>
    private int Matched(ReadOnlySpan<byte> file, LineTable table, int start, bool ignoreWhitespace, bool anyNewline, bool lenient)
    {
        int n = 0;
        int end = Math.Min(_side.Count, _lineCount - start);
        for (int i = 0; i < end; i++)
        {
            ReadOnlySpan<byte> body = table.Body(file, start + i, out LineEnding ending);
            bool match = lenient
                ? LineMatcher.EqualsIgnoringBlanks(body, _side[i].Body.Span)
                : LineMatcher.Matches(body, ending, _side[i], ignoreWhitespace, anyNewline);
            if (match)
            {
                n++;
            }
        }

        return n;
    }

    private void EnsureBlankFreeIndex(ReadOnlySpan<byte> file, LineTable table)
    {
        if (_positions is not null)
        {
            return;
        }

        // Blank-insensitive hashes, so a place that differs only in white space gets its votes too; lines grouped by
        // hash with one dictionary look-up per line and three arrays (no list per distinct line).
        int n = table.Count(file);
        int[] hashes = new int[n];
        for (int i = 0; i < n; i++)
        {
            hashes[i] = BlankFreeHash(table.Body(file, i, out _));
        }

        (_bucketByHash, _bucketStart, _positions) = LineBuckets.Group(hashes, Math.Min(n, 1 << 16));
    }

    /// <summary>The sorted lines whose blank-free hash equals that of <paramref name="body"/>.</summary>
    private ReadOnlySpan<int> Occurrences(ReadOnlySpan<byte> file, LineTable table, ReadOnlySpan<byte> body)
    {
        EnsureBlankFreeIndex(file, table);
        return _bucketByHash!.TryGetValue(BlankFreeHash(body), out int k) ? _positions.AsSpan(_bucketStart![k], _bucketStart[k + 1] - _bucketStart[k]) : [];
    }

    /// <summary>FNV-1a over the bytes that are not blanks (as <see cref="LineMatcher.IsBlank"/>).</summary>
    private static int BlankFreeHash(ReadOnlySpan<byte> body)
    {
        uint h = 2166136261;
        foreach (byte b in body)
        {
            if (!LineMatcher.IsBlank(b))
            {
                h = (h ^ b) * 16777619;
            }
        }

        return (int)h;
    }
}
