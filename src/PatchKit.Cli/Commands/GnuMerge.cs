using System.Text;
using PatchKit.Diffs;

namespace PatchKit.Cli.Commands;

/// <summary>One hunk as <c>patch --merge</c> sees it: its old lines (context or removed), its new lines (context or
/// added), where it says it starts, and how many context lines lead and trail it. Lines keep their newline (the last
/// line of a file may lack it).</summary>
internal sealed class GnuMergeHunk
{
    /// <summary>Gets the 1-based line of the old side the hunk names (for an empty old side: the line after the one
    /// it follows, as GNU patch counts).</summary>
    public required int First { get; init; }

    /// <summary>Gets the old side's lines.</summary>
    public required string[] Old { get; init; }

    /// <summary>Gets, per old line, whether it is removed (else context).</summary>
    public required bool[] Removed { get; init; }

    /// <summary>Gets the new side's lines.</summary>
    public required string[] New { get; init; }

    /// <summary>Gets, per new line, whether it is added (else context).</summary>
    public required bool[] Added { get; init; }

    /// <summary>Gets the number of context lines before the first change.</summary>
    public required int Prefix { get; init; }

    /// <summary>Gets the number of context lines after the last change.</summary>
    public required int Suffix { get; init; }

    /// <summary>Reads a hunk of a parsed patch (unified form), swapped when the patch is applied in reverse.</summary>
    public static GnuMergeHunk From(Hunk hunk, bool reverse)
    {
        string body = Encoding.Latin1.GetString(hunk.Body.Span);
        var old = new List<string>();
        var removed = new List<bool>();
        var @new = new List<string>();
        var added = new List<bool>();
        int prefix = -1;
        int context = 0;
        char lastKind = ' ';
        int start = 0;
        while (start < body.Length)
        {
            int nl = body.IndexOf('\n', start);
            int end = nl < 0 ? body.Length : nl + 1;
            string line = body[start..end];
            start = end;
            if (line.Length == 0)
            {
                continue;
            }

            char kind = line[0];
            if (kind == '\\')
            {
                // "\ No newline at end of file": the line before has no newline, on its side(s).
                if (lastKind != '+' && old.Count > 0)
                {
                    old[^1] = TrimNewline(old[^1]);
                }

                if (lastKind != '-' && @new.Count > 0)
                {
                    @new[^1] = TrimNewline(@new[^1]);
                }

                continue;
            }

            string text = line[1..];
            if (kind is '\n' or '\t')
            {
                // GNU takes a line starting with a newline or a tab as context whose space was lost.
                kind = ' ';
                text = line;
            }

            if (reverse && kind != ' ')
            {
                kind = kind == '-' ? '+' : '-';
            }

            lastKind = kind;
            if (kind == ' ')
            {
                context++;
                old.Add(text);
                removed.Add(false);
                @new.Add(text);
                added.Add(false);
                continue;
            }

            if (prefix == -1)
            {
                prefix = context;
            }

            context = 0;
            if (kind == '-')
            {
                old.Add(text);
                removed.Add(true);
            }
            else
            {
                @new.Add(text);
                added.Add(true);
            }
        }

        int oldStart = reverse ? hunk.NewStart : hunk.OldStart;
        return new GnuMergeHunk
        {
            First = old.Count == 0 ? oldStart + 1 : oldStart,
            Old = [.. old],
            Removed = [.. removed],
            New = [.. @new],
            Added = [.. added],
            Prefix = prefix == -1 ? context : prefix,
            Suffix = context,
        };
    }

    private static string TrimNewline(string line) => line.EndsWith('\n') ? line[..^1] : line;
}

/// <summary><c>patch --merge</c> on one file, hunk after hunk, as GNU patch 2.7.6 does it: a hunk whose old lines are
/// found exactly (nearest to where it says, no fuzz) is applied; otherwise the place where the most of its old lines
/// match with at most as many changes as it has context lines is taken, the hunk's old lines are compared with the
/// file's lines there, and each change is merged where the file did not change those lines, reported "already
/// applied" where the file already has the new lines, and put between conflict markers (<c>&lt;&lt;&lt;&lt;&lt;&lt;&lt;</c>,
/// <c>=======</c>, <c>&gt;&gt;&gt;&gt;&gt;&gt;&gt;</c>, and <c>|||||||</c> with the old lines in diff3 style)
/// where both changed them. What each hunk did is reported in GNU's words ("Hunk #1 merged at 4-5, NOT MERGED at
/// 9-14.").</summary>
internal sealed class GnuMergeFile
{
    private readonly string[] _input;
    private readonly bool _diff3;
    private readonly bool _ignoreWhitespace;
    private readonly bool _verbose;
    private readonly bool _silent;
    private readonly StringBuilder _out = new();
    private bool _afterNewline = true;
    private int _lastFrozen;
    private int _inOffset;
    private int _outOffset;
    private string? _lastWhat;

    /// <summary>Initializes a new instance of the <see cref="GnuMergeFile"/> class.</summary>
    /// <param name="input">The file's lines, each with its newline (the last may lack it).</param>
    /// <param name="diff3">Whether conflicts show the hunk's old lines too (<c>--merge=diff3</c>).</param>
    /// <param name="ignoreWhitespace">Whether lines are compared with white space runs as equal (<c>-l</c>).</param>
    /// <param name="verbose">Whether clean merges are reported too (<c>--verbose</c>).</param>
    /// <param name="silent">Whether merges are left unreported (<c>-s</c>; conflicts and already applied changes are
    /// reported all the same, as GNU does).</param>
    public GnuMergeFile(string[] input, bool diff3, bool ignoreWhitespace, bool verbose, bool silent)
    {
        _input = input;
        _diff3 = diff3;
        _ignoreWhitespace = ignoreWhitespace;
        _verbose = verbose;
        _silent = silent;
    }

    /// <summary>Gets a value indicating whether a hunk was not found exactly where it says (GNU then keeps a
    /// backup).</summary>
    public bool Mismatch { get; private set; }

    /// <summary>Gets a value indicating whether a change was left between conflict markers.</summary>
    public bool Conflicts { get; private set; }

    /// <summary>Gets the merged text so far (complete after <see cref="Finish"/>).</summary>
    public string Output => _out.ToString();

    /// <summary>Splits bytes into lines (Latin-1, so every byte is kept), each with its newline.</summary>
    public static string[] Lines(byte[] content)
    {
        string text = Encoding.Latin1.GetString(content);
        var lines = new List<string>();
        int start = 0;
        while (start < text.Length)
        {
            int nl = text.IndexOf('\n', start);
            int end = nl < 0 ? text.Length : nl + 1;
            lines.Add(text[start..end]);
            start = end;
        }

        return [.. lines];
    }

    /// <summary>Merges one hunk into the output.</summary>
    /// <param name="number">The hunk's 1-based number, for the report.</param>
    /// <param name="hunk">The hunk.</param>
    /// <returns>What GNU prints for it (with its newline, possibly empty); whether it failed (GNU's "misordered
    /// hunks", the hunk then goes to the reject file, and what was merged of it stays); the line GNU's "Hunk #N FAILED
    /// at LINE" names; and by how many lines the output has grown so far (GNU moves a rejected hunk's line numbers by
    /// it).</returns>
    public (string Report, bool Failed, int FailedAt, int OutOffset) Merge(int number, GnuMergeHunk hunk)
    {
        int where = Locate(hunk);
        if (where == 0 || _inOffset != 0)
        {
            Mismatch = true;
        }

        int failedAt = (where != 0 ? where : hunk.First) + _outOffset;
        var report = new StringBuilder();
        bool ok = MergeAt(report, number, hunk, where);
        return (report.ToString(), !ok, failedAt, _outOffset);
    }

    /// <summary>Copies the rest of the file.</summary>
    public void Finish() => CopyTill(_input.Length);

    /// <summary>The exact place of a hunk (GNU's locate_hunk without fuzz), 0 when its old lines are nowhere.</summary>
    private int Locate(GnuMergeHunk h)
    {
        int firstGuess = h.First + _inOffset;
        int where = Locate(_input, h, 0, firstGuess, _lastFrozen, _ignoreWhitespace);
        if (where != 0)
        {
            _inOffset += where - firstGuess;
        }

        return where;
    }

    /// <summary>Where GNU patch's locate_hunk finds a hunk at a fuzz factor (1-based), 0 when nowhere: from
    /// <paramref name="firstGuess"/> outward both ways, later first, never before the lines written already
    /// (<paramref name="lastFrozen"/>)—unless the guess itself lies before them: then GNU looks from as far before
    /// them as the guess is, upward through the whole file, and a place it finds there is "misordered".</summary>
    internal static int Locate(string[] input, GnuMergeHunk h, int fuzz, int firstGuess, int lastFrozen, bool ignoreWhitespace)
    {
        int pat = h.Old.Length;
        int context = Math.Max(h.Prefix, h.Suffix);
        int prefixFuzz = fuzz + h.Prefix - context;
        int suffixFuzz = fuzz + h.Suffix - context;
        int maxWhere = input.Length - (pat - suffixFuzz) + 1;
        int minWhere = lastFrozen + 1;
        int maxPos = maxWhere - firstGuess;
        int maxNeg = firstGuess - minWhere;
        int maxOffset = Math.Max(maxPos, maxNeg);
        if (pat == 0)
        {
            return firstGuess;
        }

        if (firstGuess <= maxNeg)
        {
            maxNeg = firstGuess - 1;
        }

        int offset;
        if (prefixFuzz < 0 && h.First <= 1)
        {
            // Fewer leading than trailing context lines at the start: only the start of the file will do.
            offset = 1 - firstGuess;
            return lastFrozen <= h.Prefix && offset <= maxPos && Matches(input, h, firstGuess + offset, 0, suffixFuzz, ignoreWhitespace) ? 1 : 0;
        }

        prefixFuzz = Math.Max(prefixFuzz, 0);
        if (suffixFuzz < 0)
        {
            // Fewer trailing than leading context lines: only the end of the file will do.
            offset = firstGuess - (input.Length - pat + 1);
            return offset <= maxNeg && Matches(input, h, firstGuess - offset, prefixFuzz, 0, ignoreWhitespace) ? firstGuess - offset : 0;
        }

        int minOffset = maxPos < 0 ? firstGuess - maxWhere : maxNeg < 0 ? firstGuess - minWhere : 0;
        for (offset = minOffset; offset <= maxOffset; offset++)
        {
            if (offset <= maxPos && Matches(input, h, firstGuess + offset, prefixFuzz, suffixFuzz, ignoreWhitespace))
            {
                return firstGuess + offset;
            }

            if (offset <= maxNeg && Matches(input, h, firstGuess - offset, prefixFuzz, suffixFuzz, ignoreWhitespace))
            {
                return firstGuess - offset;
            }
        }

        return 0;
    }

    /// <summary>Whether the hunk's old lines (but the skipped ones at either end) are the file's from line
    /// <paramref name="at"/>.</summary>
    private static bool Matches(string[] input, GnuMergeHunk h, int at, int skipStart, int skipEnd, bool ignoreWhitespace)
    {
        int line = at + skipStart;
        for (int p = skipStart; p < h.Old.Length - skipEnd; p++, line++)
        {
            string file = FileLine(input, line);
            if (ignoreWhitespace ? !Similar(file, h.Old[p]) : file != h.Old[p])
            {
                return false;
            }
        }

        return true;
    }

    private static string FileLine(string[] input, int line) => line >= 1 && line <= input.Length ? input[line - 1] : string.Empty;

    private string FileLine(int line) => FileLine(_input, line);

    /// <summary>Whether a hunk line equals a file line (never past the end of the file).</summary>
    private bool Same(string hunkLine, int line)
    {
        string file = FileLine(line);
        return file.Length != 0 && (_ignoreWhitespace ? Similar(hunkLine, file) : file == hunkLine);
    }

    /// <summary>GNU's comparison under <c>-l</c>: runs of blanks match runs of blanks (a run in the second line needs one
    /// in the first, except at its ends), a trailing newline is ignored.</summary>
    internal static bool Similar(string a, string b)
    {
        int al = a.Length - (a.EndsWith('\n') ? 1 : 0);
        int bl = b.Length - (b.EndsWith('\n') ? 1 : 0);
        int i = 0;
        int j = 0;
        while (true)
        {
            if (j == bl || b[j] is ' ' or '\t')
            {
                while (j < bl && b[j] is ' ' or '\t')
                {
                    j++;
                }

                if (i < al)
                {
                    if (a[i] is not (' ' or '\t'))
                    {
                        return false;
                    }

                    do
                    {
                        i++;
                    }
                    while (i < al && a[i] is ' ' or '\t');
                }

                if (i == al || j == bl)
                {
                    return al - i == bl - j;
                }
            }
            else if (i == al || a[i++] != b[j++])
            {
                return false;
            }
        }
    }

    /// <summary>Copies the file's lines up to <paramref name="last"/> (1-based, inclusive); false (and GNU's message
    /// in the report) when lines past it were written already.</summary>
    private bool CopyTill(int last, StringBuilder? report = null)
    {
        if (_lastFrozen > last)
        {
            report?.Append("misordered hunks! output would be garbled\n");
            return false;
        }

        while (_lastFrozen < last)
        {
            string s = FileLine(++_lastFrozen);
            if (s.Length == 0)
            {
                continue;
            }

            if (!_afterNewline)
            {
                _out.Append('\n');
            }

            _out.Append(s);
            _afterNewline = s[^1] == '\n';
        }

        return true;
    }

    private void Write(string line)
    {
        _out.Append(line);
        _afterNewline = line.EndsWith('\n');
    }

    private void Marker(string marker)
    {
        if (!_afterNewline)
        {
            _out.Append('\n');
        }

        _out.Append(marker).Append('\n');
        _afterNewline = true;
    }

    /// <summary>The place with the most matching old lines for a hunk that is not found exactly (GNU's
    /// locate_merge).</summary>
    private int LocateMerge(GnuMergeHunk h, out int matched)
    {
        int firstGuess = h.First + _inOffset;
        int pat = h.Old.Length;
        int contextLines = 0;
        foreach (bool r in h.Removed)
        {
            contextLines += r ? 0 : 1;
        }

        int maxWhere = _input.Length - pat + contextLines + 1;
        int minWhere = _lastFrozen + 1;
        int maxPos = maxWhere - firstGuess;
        int maxNeg = firstGuess - minWhere;
        int maxOffset = Math.Max(maxPos, maxNeg);
        int where = firstGuess;
        int best = 0;
        if (contextLines != 0)
        {
            // At most as many changes as there are context lines; the rest must match.
            int max = 2 * contextLines;
            int min = pat - contextLines;
            int lean = h.Suffix - h.Prefix;
            if (lean > 0 && h.First <= 1)
            {
                maxPos = 0;
            }

            bool untilEof = lean < 0;
            if (firstGuess <= maxNeg)
            {
                maxNeg = firstGuess - 1;
            }

            for (int offset = 0; offset <= maxOffset; offset++)
            {
                if (offset <= maxPos && Try(firstGuess + offset, ref min, ref max))
                {
                    break;
                }

                if (offset > 0 && offset <= maxNeg && Try(firstGuess - offset, ref min, ref max))
                {
                    break;
                }
            }

            bool Try(int guess, ref int min, ref int max)
            {
                int changes = BestMatch(h, guess, untilEof ? _input.Length - guess + 1 : min, max, out int last);
                if (changes <= max && best < last - guess)
                {
                    best = last - guess;
                    where = guess;
                    if (changes == 0)
                    {
                        return true;
                    }

                    min = last - guess;
                    max = changes - 1;
                }

                return false;
            }
        }

        matched = best;
        return Math.Max(where, minWhere);
    }

    /// <summary>The fewest insertions and deletions that turn the hunk's old lines into a stretch of the file starting
    /// at line <paramref name="yoff"/> (greedy forward O(ND) search, Myers 1986, figure 2), provided at least
    /// <paramref name="min"/> lines match; <paramref name="max"/> + 1 when there is no such stretch within
    /// <paramref name="max"/> changes. <paramref name="last"/> is the line after the longest such stretch found at
    /// the lowest cost.</summary>
    private int BestMatch(GnuMergeHunk h, int yoff, int min, int max, out int last)
    {
        int xoff = 1;
        int xlim = h.Old.Length + 1;
        int ylim = _input.Length + 1;
        int dmin = xoff - ylim;
        int dmax = xlim - yoff;
        int fmid = xoff - yoff;
        int fmin = fmid;
        int fmax = fmid;
        int ymax = -1;
        int fmidPlus2Min;
        last = -1;
        if (min != 0)
        {
            fmidPlus2Min = fmid + (2 * min);
            min += yoff;
            if (min > ylim)
            {
                return max + 1;
            }
        }
        else
        {
            fmidPlus2Min = 0;
        }

        bool Eq(int x, int y) => Same(h.Old[x - 1], y);

        while (xoff < xlim && yoff < ylim && Eq(xoff, yoff))
        {
            xoff++;
            yoff++;
        }

        if (xoff == xlim && yoff >= min && xoff + yoff >= fmidPlus2Min)
        {
            last = yoff;
            return 0;
        }

        // Diagonal d (x - y) of the furthest x reached; indices fmid - c - 1 .. fmid + c + 1.
        var fd = new int[(2 * max) + 3];
        int bias = max + 1 - fmid;
        fd[fmid + bias] = xoff;
        int c;
        for (c = 1; c <= max; c++)
        {
            if (fmin > dmin)
            {
                fd[--fmin - 1 + bias] = -1;
            }
            else
            {
                ++fmin;
            }

            if (fmax < dmax)
            {
                fd[++fmax + 1 + bias] = -1;
            }
            else
            {
                --fmax;
            }

            for (int d = fmax; d >= fmin; d -= 2)
            {
                int x = fd[d - 1 + bias] < fd[d + 1 + bias] ? fd[d + 1 + bias] : fd[d - 1 + bias] + 1;
                int y = x - d;
                while (x < xlim && y < ylim && Eq(x, y))
                {
                    x++;
                    y++;
                }

                fd[d + bias] = x;
                if (x == xlim && y >= min && x + y - c >= fmidPlus2Min)
                {
                    ymax = Math.Max(ymax, y);
                    if (y == ylim)
                    {
                        last = ymax;
                        return c;
                    }
                }
            }

            if (ymax != -1)
            {
                last = ymax;
                return c;
            }
        }

        last = ymax;
        return c;
    }

    /// <summary>GNU's merge_hunk: <paramref name="where"/> is the exact place, or 0 to look for the best one.</summary>
    private bool MergeAt(StringBuilder report, int number, GnuMergeHunk h, int where)
    {
        bool first = true;
        bool cleanly = where != 0;
        int pat = h.Old.Length;
        int matched;
        if (cleanly)
        {
            matched = pat;
        }
        else
        {
            where = LocateMerge(h, out matched);
        }

        // Which old lines the file lacks at that place ('-'), which file lines the hunk lacks ('+').
        var oldMark = new char[pat + 1];
        var inMark = new char[matched + 1];
        Array.Fill(oldMark, ' ');
        Array.Fill(inMark, ' ');
        oldMark[pat] = '=';
        inMark[matched] = '^';
        new SequenceCompare(this, h, where, oldMark, inMark).Run(pat, matched);

        if (_lastFrozen < where - 1)
        {
            CopyTill(where - 1);
        }

        char OldKind(int o) => o >= pat ? '=' : h.Removed[o] ? '-' : ' ';
        char NewKind(int n) => n >= h.New.Length ? '^' : h.Added[n] ? '+' : ' ';

        int old = 0;
        int @new = 0;
        int @in = 0;
        while (true)
        {
            int firstOld = old;
            int firstNew = @new;
            int firstIn = @in;
            bool conflict = false;
            if (OldKind(old) == '-' || NewKind(@new) == '+')
            {
                while (OldKind(old) == '-')
                {
                    if (oldMark[old] == '-' || inMark[@in] == '+')
                    {
                        conflict = true;
                        break;
                    }

                    if (oldMark[old] == ' ')
                    {
                        @in++;
                    }

                    old++;
                }

                if (!conflict && (oldMark[old] == '-' || inMark[@in] == '+'))
                {
                    conflict = true;
                }

                if (!conflict)
                {
                    while (NewKind(@new) == '+')
                    {
                        @new++;
                    }

                    int lines = @new - firstNew;
                    if (_verbose || (!_silent && !cleanly))
                    {
                        Result(report, ref first, number, "merged", where, where + lines - 1);
                    }

                    _lastFrozen += old - firstOld;
                    where += old - firstOld;
                    _outOffset += @new - firstNew;
                    for (int k = firstNew; k < @new; k++)
                    {
                        Write(h.New[k]);
                    }
                }
            }
            else if (OldKind(old) == ' ')
            {
                if (oldMark[old] == '-')
                {
                    while (OldKind(old) == ' ')
                    {
                        if (oldMark[old] != '-')
                        {
                            break;
                        }

                        if (NewKind(@new) == '+')
                        {
                            conflict = true;
                            break;
                        }

                        old++;
                        @new++;
                    }

                    if (!conflict && (OldKind(old) == '-' || NewKind(@new) == '+'))
                    {
                        conflict = true;
                    }
                }
                else if (inMark[@in] == '+')
                {
                    while (inMark[@in] == '+')
                    {
                        @in++;
                    }

                    where += @in - firstIn;
                    if (!CopyTill(where - 1, report))
                    {
                        return false;
                    }
                }
                else if (oldMark[old] == ' ')
                {
                    while (OldKind(old) == ' ' && oldMark[old] == ' ' && NewKind(@new) == ' ' && inMark[@in] == ' ')
                    {
                        old++;
                        @new++;
                        @in++;
                    }

                    where += @in - firstIn;
                    if (!CopyTill(where - 1, report))
                    {
                        return false;
                    }
                }
            }
            else
            {
                break;
            }

            if (conflict)
            {
                where = Conflict(report, ref first, number, h, where, firstOld, firstNew, firstIn, ref old, ref @new, ref @in, oldMark, inMark);
                if (where < 0)
                {
                    return false;
                }
            }
        }

        if (!first)
        {
            report.Append(".\n");
            _lastWhat = null;
        }

        return true;
    }

    /// <summary>A change both sides made: finds its end, leaves out what the file already has, and writes the rest
    /// between conflict markers. Returns where the file continues, or -1 when GNU gives up ("misordered
    /// hunks").</summary>
    private int Conflict(StringBuilder report, ref bool first, int number, GnuMergeHunk h, int where, int firstOld, int firstNew, int firstIn, ref int old, ref int @new, ref int @in, char[] oldMark, char[] inMark)
    {
        int pat = h.Old.Length;
        char OldKind(int o) => o >= pat ? '=' : h.Removed[o] ? '-' : ' ';
        char NewKind(int n) => n >= h.New.Length ? '^' : h.Added[n] ? '+' : ' ';

        while (true)
        {
            if (OldKind(old) == '-')
            {
                while (inMark[@in] == '+')
                {
                    @in++;
                }

                if (oldMark[old] == ' ')
                {
                    @in++;
                }

                old++;
            }
            else if (oldMark[old] == '-')
            {
                while (NewKind(@new) == '+')
                {
                    @new++;
                }

                if (OldKind(old) == ' ')
                {
                    @new++;
                }

                old++;
            }
            else if (NewKind(@new) == '+')
            {
                while (NewKind(@new) == '+')
                {
                    @new++;
                }
            }
            else if (inMark[@in] == '+')
            {
                while (inMark[@in] == '+')
                {
                    @in++;
                }
            }
            else
            {
                break;
            }
        }

        // Lines at the start of both the file's and the hunk's version are written once, before the markers.
        int lastWhere = where;
        while (firstIn < @in && firstNew < @new && Same(h.New[firstNew], lastWhere))
        {
            firstIn++;
            firstNew++;
            lastWhere++;
        }

        bool alreadyApplied = firstIn == @in && firstNew == @new;
        if (alreadyApplied)
        {
            Result(report, ref first, number, "already applied", where, lastWhere - 1);
        }

        if (_diff3)
        {
            int common = lastWhere - where;
            firstIn -= common;
            firstNew -= common;
            lastWhere -= common;
        }

        if (where != lastWhere)
        {
            where = lastWhere;
            if (!CopyTill(where - 1, report))
            {
                return -1;
            }
        }

        if (!alreadyApplied)
        {
            int commonSuffix = 0;
            if (!_diff3)
            {
                // Likewise lines at the end of both, written once after the markers.
                for (lastWhere = where + (@in - firstIn); firstIn < @in && firstNew < @new && Same(h.New[@new - 1], lastWhere - 1); @in--, @new--, lastWhere--, commonSuffix++)
                {
                }
            }

            int lines = 3 + (@in - firstIn) + (@new - firstNew);
            if (_diff3)
            {
                lines += 1 + (old - firstOld);
            }

            Result(report, ref first, number, "NOT MERGED", where, where + lines - 1);
            _outOffset += lines - (@in - firstIn);
            Marker("<<<<<<<");
            if (firstIn < @in)
            {
                where += @in - firstIn;
                if (!CopyTill(where - 1, report))
                {
                    return -1;
                }
            }

            if (_diff3)
            {
                Marker("|||||||");
                for (int k = firstOld; k < old; k++)
                {
                    Write(h.Old[k]);
                }
            }

            Marker("=======");
            for (int k = firstNew; k < @new; k++)
            {
                Write(h.New[k]);
            }

            Marker(">>>>>>>");
            if (commonSuffix != 0)
            {
                where += commonSuffix;
                if (!CopyTill(where - 1, report))
                {
                    return -1;
                }

                @in += commonSuffix;
                @new += commonSuffix;
            }

            Conflicts = true;
        }

        return where;
    }

    /// <summary>Appends one part of a hunk's report: "Hunk #N WHAT at RANGE", ", WHAT at RANGE" or ",RANGE".</summary>
    private void Result(StringBuilder report, ref bool first, int number, string what, int from, int to)
    {
        if (first)
        {
            report.Append("Hunk #").Append(number).Append(' ').Append(what).Append(" at ");
            _lastWhat = what;
        }
        else if (ReferenceEquals(_lastWhat, what))
        {
            report.Append(',');
        }
        else
        {
            // GNU remembers only the first kind of a hunk's report: ",RANGE" repeats that one alone.
            report.Append(", ").Append(what).Append(" at ");
        }

        from += _outOffset;
        to += _outOffset;
        report.Append(from);
        if (to > from)
        {
            report.Append('-').Append(to);
        }

        first = false;
    }

    /// <summary>The comparison of a hunk's old lines with the file's lines at a place: the linear-space O(ND)
    /// difference (Myers 1986, section 4b; the variant GNU diff and GNU patch share), marking the old lines the file
    /// lacks and the file lines the hunk lacks. GNU patch leaves the cost bound of that search unset; it runs to the
    /// end here, which gave GNU's result on every generated case compared.</summary>
    private sealed class SequenceCompare
    {
        private readonly GnuMergeFile _file;
        private readonly GnuMergeHunk _hunk;
        private readonly int _where;
        private readonly char[] _oldMark;
        private readonly char[] _inMark;
        private int[] _fd = [];
        private int[] _bd = [];
        private int _bias;

        public SequenceCompare(GnuMergeFile file, GnuMergeHunk hunk, int where, char[] oldMark, char[] inMark)
        {
            _file = file;
            _hunk = hunk;
            _where = where;
            _oldMark = oldMark;
            _inMark = inMark;
        }

        public void Run(int pat, int matched)
        {
            // x: old lines 1..pat; y: file lines where..where+matched-1.
            int xlim = pat + 1;
            int ymin = _where;
            int ylim = _where + matched;
            int lowest = 1 - ylim - 1;
            int highest = xlim - ymin + 1;
            _bias = -lowest;
            _fd = new int[highest - lowest + 1];
            _bd = new int[highest - lowest + 1];
            Compare(1, xlim, ymin, ylim);
        }

        private bool Eq(int x, int y) => _file.Same(_hunk.Old[x - 1], y);

        private void Compare(int xoff, int xlim, int yoff, int ylim)
        {
            while (true)
            {
                while (xoff < xlim && yoff < ylim && Eq(xoff, yoff))
                {
                    xoff++;
                    yoff++;
                }

                while (xoff < xlim && yoff < ylim && Eq(xlim - 1, ylim - 1))
                {
                    xlim--;
                    ylim--;
                }

                if (xoff == xlim)
                {
                    for (; yoff < ylim; yoff++)
                    {
                        _inMark[yoff - _where] = '+';
                    }

                    return;
                }

                if (yoff == ylim)
                {
                    for (; xoff < xlim; xoff++)
                    {
                        _oldMark[xoff - 1] = '-';
                    }

                    return;
                }

                (int xmid, int ymid) = Split(xoff, xlim, yoff, ylim);
                Compare(xoff, xmid, yoff, ymid);
                xoff = xmid;
                yoff = ymid;
            }
        }

        /// <summary>The middle of a shortest edit script, searching from both ends at once.</summary>
        private (int X, int Y) Split(int xoff, int xlim, int yoff, int ylim)
        {
            int[] fd = _fd;
            int[] bd = _bd;
            int b = _bias;
            int dmin = xoff - ylim;
            int dmax = xlim - yoff;
            int fmid = xoff - yoff;
            int bmid = xlim - ylim;
            int fmin = fmid;
            int fmax = fmid;
            int bmin = bmid;
            int bmax = bmid;
            bool odd = ((fmid - bmid) & 1) != 0;
            fd[fmid + b] = xoff;
            bd[bmid + b] = xlim;
            for (int c = 1; ; c++)
            {
                if (fmin > dmin)
                {
                    fd[--fmin - 1 + b] = -1;
                }
                else
                {
                    ++fmin;
                }

                if (fmax < dmax)
                {
                    fd[++fmax + 1 + b] = -1;
                }
                else
                {
                    --fmax;
                }

                for (int d = fmax; d >= fmin; d -= 2)
                {
                    int tlo = fd[d - 1 + b];
                    int thi = fd[d + 1 + b];
                    int x = tlo < thi ? thi : tlo + 1;
                    int y = x - d;
                    while (x < xlim && y < ylim && Eq(x, y))
                    {
                        x++;
                        y++;
                    }

                    fd[d + b] = x;
                    if (odd && bmin <= d && d <= bmax && bd[d + b] <= x)
                    {
                        return (x, y);
                    }
                }

                if (bmin > dmin)
                {
                    bd[--bmin - 1 + b] = int.MaxValue;
                }
                else
                {
                    ++bmin;
                }

                if (bmax < dmax)
                {
                    bd[++bmax + 1 + b] = int.MaxValue;
                }
                else
                {
                    --bmax;
                }

                for (int d = bmax; d >= bmin; d -= 2)
                {
                    int tlo = bd[d - 1 + b];
                    int thi = bd[d + 1 + b];
                    int x = tlo < thi ? tlo : thi - 1;
                    int y = x - d;
                    while (xoff < x && yoff < y && Eq(x - 1, y - 1))
                    {
                        x--;
                        y--;
                    }

                    bd[d + b] = x;
                    if (!odd && fmin <= d && d <= fmax && x <= fd[d + b])
                    {
                        return (x, y);
                    }
                }
            }
        }
    }
}
