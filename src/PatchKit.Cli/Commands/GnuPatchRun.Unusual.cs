using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using PatchKit.Diffs;

namespace PatchKit.Cli.Commands;

/// <summary>Unusual patch input read as GNU patch 2.7.6 reads it.</summary>
internal sealed partial class GnuPatchRun
{
    /// <summary>A unified hunk header as GNU reads it: the space before "+" and after the new range may be left out,
    /// and one "@" ends it (a function name only after "@@ ").</summary>
    [GeneratedRegex(@"^@@ -(\d+)(,\d+)? ?\+(\d+)(,\d+)? ?@(@?)([^\r\n]*)", RegexOptions.CultureInvariant)]
    private static partial Regex GnuHunkHeader();

    /// <summary>The form the library reads.</summary>
    [GeneratedRegex(@"^@@ -\d+(,\d+)? \+\d+(,\d+)? @@", RegexOptions.CultureInvariant)]
    private static partial Regex LibraryHunkHeader();

    /// <summary><c>-c</c>/<c>-u</c>/<c>-n</c>: GNU looks for a diff of that kind only for the first patch (its diff type is
    /// reset after each patch, so the patches after it are read whatever their kind); the text before it is passed over.
    /// A git diff with extended header lines (index, modes, rename, copy) counts as a patch of any kind, without the
    /// hunks <c>-c</c> or <c>-n</c> cannot read.</summary>
    /// <param name="document">The patch as the library reads it.</param>
    /// <param name="bytes">The patch's bytes.</param>
    /// <param name="firstRead">The line (1-based) from which GNU reads hunks: the first diff of the kind, or the file
    /// after a git diff taken without its hunks; past the end when there is none.</param>
    private PatchDocument FirstOfForcedKind(PatchDocument document, ReadOnlyMemory<byte> bytes, out long firstRead)
    {
        for (int i = 0; i < document.Files.Count; i++)
        {
            FilePatch f = document.Files[i];
            // (Under -n the input was not read as normal diffs: none is of the kind.)
            bool ofKind = _s.Format switch
            {
                PatchInputFormat.Context => f.Dialect == PatchDialect.Context,
                PatchInputFormat.Normal => false,
                _ => f.Dialect is PatchDialect.Unified or PatchDialect.Git,
            };
            // (A git diff's extended header makes a patch only when the next "diff --git" line or the end comes
            // before a diff of the kind looked for.)
            bool gitAlone = GitExtended(f) && (i + 1 == document.Files.Count || document.Files[i + 1].Dialect == PatchDialect.Git);
            if (!ofKind && !gitAlone)
            {
                continue;
            }

            var files = document.Files.Skip(i).ToList();
            firstRead = f.LineNumber;
            if (!ofKind)
            {
                files[0] = WithHunks(f, []);
                firstRead = i + 1 < document.Files.Count ? document.Files[i + 1].LineNumber : long.MaxValue;
            }

            return new PatchDocument(bytes, files) { Preamble = document.Preamble };
        }

        firstRead = long.MaxValue;
        return new PatchDocument(bytes, []) { Preamble = document.Preamble };
    }

    /// <summary>Whether a git diff has extended header lines (index, modes, rename, copy): GNU takes it as a patch
    /// without hunks whatever its kind.</summary>
    private static bool GitExtended(FilePatch f) => f.Dialect == PatchDialect.Git
        && (f.OldMode is not null || f.NewMode is not null || f.OldObjectId is not null
            || f.Operation is FileOperation.Add or FileOperation.Delete or FileOperation.Rename or FileOperation.Copy);

    /// <summary>File headers with no hunk after them (<c>--- g</c>, <c>+++ g</c> and then the next file or the end) are
    /// text to GNU, not a patch: it reads on to the next hunk header. Only a git diff's extended header lines, a binary
    /// patch, or the file a hunk GNU cannot read belongs to make a patch without hunks.</summary>
    private static PatchDocument WithoutHeaderOnly(PatchDocument document, bool failingFileKept)
    {
        if (!document.Files.Any(f => IsHeaderOnly(f)))
        {
            return document;
        }

        var files = document.Files.Where((f, i) => !IsHeaderOnly(f) || (failingFileKept && i == document.Files.Count - 1)).ToList();
        return new PatchDocument(document.Source, files) { Preamble = document.Preamble };

        static bool IsHeaderOnly(FilePatch f) => f.Hunks.Count == 0 && !f.IsBinary && !GitExtended(f);
    }

    /// <summary>Whether text follows the last file's last hunk (GNU's "Ignoring the trailing garbage"), and whether
    /// it is only the patch's last line without its newline.</summary>
    private bool TrailingText(FilePatch last, ReadOnlySpan<byte> bytes, out bool partialRightAfter)
    {
        int after = _readBetween.TryGetValue(last, out int lastLine) ? LineStart(bytes, lastLine + 1)
            : (last.Hunks.Count == 0 && GitBinaryLine(last) is null) || last.Dialect == PatchDialect.Normal ? bytes.Length : LineStart(bytes, EndLine(last) + 1);
        partialRightAfter = after >= bytes.Length;
        return after < bytes.Length;
    }

    /// <summary>After the last patch GNU looks for another one: under --verbose it says so ("Hmm...") and that the
    /// rest is garbage; a last line without its newline is read (and reported) once more there.</summary>
    private void TrailingGarbage(bool trailing, bool partialLine)
    {
        if (_s.Verbose && trailing)
        {
            _say.Write("Hmm...");
        }

        if (partialLine)
        {
            PartialLineNote();
        }

        if (_s.Verbose && trailing)
        {
            _say.WriteLine("  Ignoring the trailing garbage.");
        }
    }

    /// <summary>Hunk headers GNU takes but the library passes over as text (<c>@@ -5 +5 @</c>, <c>@@ -5 +5@@</c>)
    /// written in the library's form, line for line; <see langword="null"/> when there are none.</summary>
    private static byte[]? WithGnuHunkHeaders(ReadOnlySpan<byte> bytes)
    {
        List<byte>? output = null;
        int copied = 0; // bytes of the patch already in output
        for (int at = 0; at < bytes.Length;)
        {
            int nl = bytes[at..].IndexOf((byte)'\n');
            int end = nl < 0 ? bytes.Length : at + nl;
            if (bytes[at..end].StartsWith("@@ -"u8))
            {
                string text = Encoding.Latin1.GetString(bytes[at..end]);
                if (!LibraryHunkHeader().IsMatch(text) && GnuHunkHeader().Match(text) is { Success: true } m)
                {
                    string name = m.Groups[5].Value == "@" && m.Groups[6].Value.StartsWith(' ') ? m.Groups[6].Value : string.Empty;
                    string cr = text.EndsWith('\r') ? "\r" : string.Empty;
                    output ??= [];
                    output.AddRange(bytes[copied..at]);
                    output.AddRange(Encoding.Latin1.GetBytes($"@@ -{m.Groups[1].Value}{m.Groups[2].Value} +{m.Groups[3].Value}{m.Groups[4].Value} @@{name}{cr}"));
                    copied = end;
                }
            }

            at = end + 1;
        }

        if (output is null)
        {
            return null;
        }

        output.AddRange(bytes[copied..]);
        return [.. output];
    }

    /// <summary>Context hunks GNU reads but stops on as it applies them (pch.c's another_hunk builds their sections,
    /// patch.c's apply_hunk finds them out of step): by the line of the hunk's old range, GNU's words when the hunk is
    /// applied as it is and when reversed (<see langword="null"/>: it applies).</summary>
    private Dictionary<long, (string? Forward, string? Reverse)> _outOfSync = [];

    /// <summary>Context hunks GNU reads into other sections than the library (see <see cref="GnuContextSections"/>):
    /// GNU's sections, by the line of the hunk's old range, for the reject file.</summary>
    private Dictionary<long, GnuContextSections> _gnuSections = [];

    /// <summary>The blank lines GNU adds to a context hunk at the patch's end whose old section is left out and whose
    /// new section is cut short (0: none).</summary>
    private int _contextPads;

    /// <summary>A context diff's hunk that GNU's reader (pch.c's another_hunk) stops on: a line it cannot read
    /// (malformed, an early row of stars, a second "***" line) — in the old section any line that starts with none of
    /// a hunk line's marks, in the new section such a line unless GNU may still take that section as left out (as many
    /// lines as the old one's context, no changed line yet: the hunk ends there); a new section's range line before or
    /// after the old section's count of lines ("Premature"/"Overdue '---'"); an old section left out that the new one's
    /// unchanged lines cannot fill ("replacement text or line numbers mangled"); unlike counts of unchanged lines
    /// ("context mangled"). The library's context reader ends the hunk or the file there instead, or fills the
    /// sections otherwise. Hunks GNU stops on only as it applies them are kept in <see cref="_outOfSync"/>, GNU's
    /// sections of hunks it fills otherwise in <see cref="_gnuSections"/>.</summary>
    private LateFatal? GarbageInContextHunk(PatchDocument doc)
    {
        _outOfSync = [];
        _gnuSections = [];
        _contextPads = 0;
        if (!doc.Files.Any(f => f.Dialect == PatchDialect.Context))
        {
            return null;
        }

        string[] lines = SourceLines();
        for (int n = 0; n < doc.Files.Count; n++)
        {
            if (doc.Files[n].Dialect != PatchDialect.Context)
            {
                continue;
            }

            // (GNU strips each line's carriage return when the patch's first header line has one, unless --binary.)
            bool crs = doc.Files[n].SavedWithCrLf && !_s.Binary;
            int i = (int)Math.Max(doc.Files[n].LineNumber - 1, 0);
            int limit = lines.Length - 1; // the last element follows the last newline
            while (i < limit && !lines[i].StartsWith("********", StringComparison.Ordinal))
            {
                i++;
            }

            while (i + 1 < limit && lines[i].StartsWith("********", StringComparison.Ordinal) && lines[i + 1].StartsWith("*** ", StringComparison.Ordinal))
            {
                i += 2;
                int rangeLine = i; // 1-based line of the "*** a,b ****" line (GNU's p_hunk_beg)
                int oldCount = RangeCount(OldRange().Match(lines[rangeLine - 1]));
                // GNU's mark of each old line read ('\n': an empty line right after the range's count of lines, which
                // GNU passes over when the new section's range follows it).
                var oldMarks = new StringBuilder();
                var oldLines = new List<string>(); // (as the patch has them, for GNU's reject)
                while (i < limit && !lines[i].StartsWith("--- ", StringComparison.Ordinal))
                {
                    string line = Text(lines[i], crs);
                    // (A comment line: GNU's pget_line passes it over; a "\ No newline" line goes with the old section's
                    // last line, and is malformed anywhere else.)
                    if (!line.StartsWith('#') && !(line.StartsWith('\\') && oldMarks.Length == oldCount))
                    {
                        if (!IsHunkLine(line) || line.StartsWith('\\'))
                        {
                            return InContextHunk(i + 1, Bad(i + 1, line));
                        }

                        oldMarks.Append(line.Length == 0 && oldMarks.Length == oldCount ? '\n' : Mark(line));
                    }

                    if (!line.StartsWith('#') && oldMarks is not [.., '\n'])
                    {
                        oldLines.Add(line);
                    }

                    i++;
                }

                if (i >= limit)
                {
                    break;
                }

                bool blank = oldMarks is [.., '\n'];
                bool oldLeftOut = oldMarks.Length == 0 && oldCount > 0;
                if (!oldLeftOut && oldMarks.Length != oldCount + (blank ? 1 : 0))
                {
                    string kind = oldMarks.Length < oldCount ? "Premature" : "Overdue";
                    return InContextHunk(i + 1, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{kind} '---' at line {i + 1}; check line numbers at line {rangeLine}"));
                }

                string old = blank ? oldMarks.ToString(0, oldCount) : oldMarks.ToString();
                int copiable = old.Count(c => c == ' ');
                int count = RangeCount(NewRange().Match(lines[i]));
                // GNU takes the new section as possibly left out only when it has as many lines as the old one's context
                // and no added or changed line came before it (the old section's count too).
                bool changed = count != copiable || old.Any(c => c is '+' or '!'), leftOut = false;
                var newMarks = new StringBuilder();
                var newLines = new List<string>();
                for (i++; count > 0 && i < limit; i++)
                {
                    string line = Text(lines[i], crs);
                    if (line.StartsWith('#'))
                    {
                        continue;
                    }

                    // (A "\ No newline" line goes with the section's last line only: before it GNU reads it as a line
                    // that is none of the hunk's.)
                    if (!IsHunkLine(line) || line.StartsWith('\\') || line.StartsWith("********", StringComparison.Ordinal))
                    {
                        if (changed)
                        {
                            return InContextHunk(i + 1, Bad(i + 1, line));
                        }

                        leftOut = true;
                        break;
                    }

                    changed |= line.Length > 0 && line[0] is '+' or '!';
                    newMarks.Append(Mark(line));
                    newLines.Add(line);
                    count--;
                }

                if (i < limit && lines[i].StartsWith('\\'))
                {
                    newLines.Add(lines[i]); // (the new section's last line has no newline)
                }

                // The patch's end before the new section's count of lines: one that may be left out is (GNU fills it
                // from the old section), any other is filled up with blank lines below.
                leftOut |= count > 0 && !changed;

                if (leftOut || count >= 4)
                {
                    continue; // (a new section left out is filled from the old one; the end of the patch stops GNU)
                }

                // A new section the patch's end cuts short by fewer than four lines is filled up with empty unchanged
                // lines (GNU: "assume blank lines got chopped").
                string @new = newMarks.Append(' ', count).ToString();
                newLines.AddRange(Enumerable.Repeat("  ", count));
                if (oldLeftOut)
                {
                    // GNU fills the old section from the new one's unchanged lines: there must be a changed line and
                    // as many unchanged lines as the old range counts.
                    if (!@new.Any(c => c is '+' or '!' or '-') || @new.Count(c => c == ' ') != oldCount)
                    {
                        return InContextHunk(rangeLine, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"replacement text or line numbers mangled in hunk at line {rangeLine}"));
                    }

                    old = new string(' ', oldCount);
                    _contextPads = count;
                    oldLines = [.. newLines.Where(line => !line.StartsWith('\\') && Mark(line) == ' ')];
                }
                else if (changed && @new.Count(c => c == ' ') != copiable)
                {
                    // Both sections there: GNU wants as many unchanged lines in the new one as in the old one.
                    return InContextHunk(rangeLine, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"context mangled in hunk at line {rangeLine}"));
                }

                if (blank || oldLeftOut || count > 0)
                {
                    _gnuSections[rangeLine] = new GnuContextSections(oldLines, newLines, blank);
                }

                if (!blank)
                {
                    // (Reversed, GNU's pch_swap makes the new section's added lines removed ones and the old section's
                    // removed lines added ones; the other marks stay.)
                    string? forward = OutOfStep(rangeLine, old, @new), reverse = OutOfStep(rangeLine, @new.Replace('+', '-'), old.Replace('-', '+'));
                    if (forward is not null || reverse is not null)
                    {
                        _outOfSync[rangeLine] = (forward, reverse);
                    }
                }
            }
        }

        return null;

        // A line as GNU reads it.
        static string Text(string line, bool crs) => crs && line.EndsWith('\r') ? line[..^1] : line;

        static bool IsHunkLine(string line) => line.Length == 0 || line[0] is ' ' or '\t' or '+' or '-' or '!' or '\\' or '\r';

        // GNU's mark of a hunk line: an unchanged line is a space, or a tab or empty line read as one whose spaces were eaten.
        static char Mark(string line) => line.Length == 0 || line[0] is '\t' or '\r' ? ' ' : line[0];

        // GNU's words for a line that is none of the hunk's: a row of stars ends the hunk too early, another '*' line
        // would start a second old section.
        static string Bad(int number, string line)
        {
            string at = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return line.StartsWith("********", StringComparison.Ordinal) ? $"unexpected end of hunk at line {at}"
                : line.StartsWith('*') ? $"unexpected '***' at line {at}: {line}\n"
                : $"malformed patch at line {at}: {line}\n";
        }

        // "*** a,b ****" / "--- c,d ----": b - a + 1 lines; a single number: one line (none for 0).
        static int RangeCount(Match m)
        {
            if (!m.Success)
            {
                return 0;
            }

            int first = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            return m.Groups[2].Success ? int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) - first + 1 : first == 0 ? 0 : 1;
        }
    }

    /// <summary>GNU's apply_hunk walk over a hunk's marks (old section, new section): where an unchanged line of one
    /// meets a changed line of the other ("Out-of-sync patch, lines X,Y", numbered from the hunk's old range line as GNU
    /// numbers its hunk lines), or <see langword="null"/> when they keep in step.</summary>
    private static string? OutOfStep(int rangeLine, string old, string @new)
    {
        int o = 0, n = 0;
        while (o < old.Length)
        {
            if (old[o] == '-')
            {
                o++;
            }
            else if (n >= @new.Length)
            {
                break;
            }
            else if (@new[n] == '+')
            {
                n++;
            }
            else if (@new[n] != old[o])
            {
                return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Out-of-sync patch, lines {rangeLine + o + 1},{rangeLine + old.Length + 2 + n} -- mangled text or line numbers, maybe?");
            }
            else if (@new[n] == '!')
            {
                while (o < old.Length && old[o] == '!')
                {
                    o++;
                }

                while (n < @new.Length && @new[n] == '!')
                {
                    n++;
                }
            }
            else
            {
                (o, n) = (o + 1, n + 1);
            }
        }

        return null;
    }

    /// <summary>GNU's words when it applies a context hunk whose sections are out of step (see
    /// <see cref="OutOfStep"/>), or <see langword="null"/>.</summary>
    private string? OutOfSyncWhenApplied(Hunk hunk, bool reverse) =>
        _outOfSync.TryGetValue(hunk.LineNumber, out var words) ? (reverse ? words.Reverse : words.Forward) : null;

    [GeneratedRegex(@"^\*\*\* (\d{1,9})(?:,(\d{1,9}))?", RegexOptions.CultureInvariant)]
    private static partial Regex OldRange();

    [GeneratedRegex(@"^--- (\d{1,9})(?:,(\d{1,9}))?", RegexOptions.CultureInvariant)]
    private static partial Regex NewRange();

    /// <summary><c>-o FILE</c> and a later hunk GNU cannot read: GNU writes each hunk into FILE as it applies it, so
    /// FILE keeps what was written of this file when patch stops (its lines up to the last change of the last hunk
    /// applied; the context after it is copied only with the next hunk). (Under <c>--merge</c> GNU copies each hunk's
    /// context as it merges it: the merged text so far is written instead.)</summary>
    private void PartialOutput(FilePatch target, FileApplyResult r, ReadOnlySpan<byte> result, bool reverse)
    {
        if (_lateFatal is null || _s.Output is null)
        {
            return;
        }

        int lines = 0;
        foreach (HunkResult h in r.Hunks)
        {
            if (h.Status == HunkStatus.Applied)
            {
                Hunk hunk = target.Hunks[h.Index];
                if (OutOfSyncWhenApplied(hunk, reverse) is not null)
                {
                    break; // (GNU stopped as it applied this one)
                }

                lines = Math.Max(lines, h.Line - 1 + (reverse ? hunk.OldCount : hunk.NewCount) - TrailingContext(hunk.Body.Span));
            }
        }

        PartialOutput(lines <= 0 ? default : result[..LineStart(result, lines + 1)]);

        static int TrailingContext(ReadOnlySpan<byte> body)
        {
            int count = 0;
            for (ReadOnlySpan<byte> rest = body.TrimEnd((byte)'\n'); !rest.IsEmpty; count++)
            {
                int nl = rest.LastIndexOf((byte)'\n');
                ReadOnlySpan<byte> line = rest[(nl + 1)..];
                if (line.IsEmpty || line[0] is not ((byte)' ' or (byte)'\t'))
                {
                    break;
                }

                rest = nl < 0 ? default : rest[..nl];
            }

            return count;
        }
    }

    /// <summary>Writes what GNU had written of this file into <c>-o FILE</c> (or standard output) when a later hunk
    /// stops it.</summary>
    private void PartialOutput(ReadOnlySpan<byte> written)
    {
        if (_lateFatal is null || _s.Output is null)
        {
            return;
        }

        if (_s.Output == "-")
        {
            // (What GNU had written to standard output is flushed as it exits.)
            WriteStandardOutput(written);
            return;
        }

        // (GNU opened FILE when it started, so it is there even when nothing was written into it.)
        string outPath = Full(_s.Output);
        IntoOutput(outPath, written, append: !_outputs.Add(outPath));
    }

    /// <summary>The ed scripts of one input as GNU patch finds them (one <c>ed</c> run each): a script starts at the
    /// first ed command line of the text left (GNU's intuit_diff_type takes it once a line "." or the end follows),
    /// and ends at the first line that is not a command outside a command's text (do_ed_script); the lines between
    /// scripts are text leading up to the next. Each as (first line of its leading text, first line, end line),
    /// 0-based line indexes, whether the look for it ran to the end (no "." line after its first command) and whether
    /// its reading ended within a command's text.</summary>
    private static List<(int Lead, int Start, int End, bool FoundAtEnd, bool InText)> EdScripts(string[] lines)
    {
        var scripts = new List<(int, int, int, bool, bool)>();
        int count = lines.Length - (lines[^1].Length == 0 ? 1 : 0);
        int pos = 0;
        while (pos < count)
        {
            int first = -1;
            bool toEnd = true;
            for (int i = pos; i < count && toEnd; i++)
            {
                if (first < 0 && EdLetter(lines[i]) != 0)
                {
                    first = i;
                }
                else if (first >= 0 && lines[i] == ".")
                {
                    toEnd = false;
                }
            }

            if (first < 0)
            {
                break;
            }

            // (Comment lines right before the first command are read with it: the script starts at them.)
            while (first > pos && lines[first - 1].StartsWith('#'))
            {
                first--;
            }

            (int end, bool inText) = EdScriptRead(lines, first, 0, count);
            scripts.Add((pos, first, end, toEnd, inText));
            pos = end;
        }

        return scripts;
    }

    /// <summary>The bytes of the ed script of lines <paramref name="start"/> to <paramref name="end"/> (0-based) as ed
    /// gets them: without the comment lines GNU passes over between commands.</summary>
    private static ReadOnlyMemory<byte> EdScriptBytes(ReadOnlyMemory<byte> bytes, string[] lines, int start, int end)
    {
        var kept = new List<int>();
        _ = EdScriptEnd(lines, start, 0, end, kept);
        int from = LineStart(bytes.Span, start + 1);
        if (kept.Count == end - start)
        {
            return bytes[from..LineStart(bytes.Span, end + 1)];
        }

        var script = new ArrayBufferWriter<byte>();
        for (int line = start, at = from, k = 0; line < end && k < kept.Count; line++)
        {
            int nl = bytes.Span[at..].IndexOf((byte)'\n');
            int next = nl < 0 ? bytes.Length : at + nl + 1;
            if (kept[k] == line)
            {
                script.Write(bytes.Span[at..next]);
                k++;
            }

            at = next;
        }

        return script.WrittenMemory;
    }

    /// <summary>GNU's get_ed_command_letter: <c>N</c>/<c>N,M</c> then <c>a</c>, <c>i</c> (no pair), <c>c</c>, <c>d</c> or
    /// <c>s/.//</c>, blanks, the end of the line; 0 for any other line.</summary>
    private static char EdLetter(string line)
    {
        int p = 0;
        bool pair = false;
        if (p < line.Length && char.IsAsciiDigit(line[p]))
        {
            while (++p < line.Length && char.IsAsciiDigit(line[p]))
            {
            }

            if (p < line.Length && line[p] == ',')
            {
                if (++p >= line.Length || !char.IsAsciiDigit(line[p]))
                {
                    return '\0';
                }

                while (++p < line.Length && char.IsAsciiDigit(line[p]))
                {
                }

                pair = true;
            }
        }

        char letter = p < line.Length ? line[p++] : '\0';
        switch (letter)
        {
            case 'a' or 'i' when !pair:
            case 'c' or 'd':
                break;
            case 's' when line.AsSpan(p).StartsWith("/.//"):
                p += 4;
                break;
            default:
                return '\0';
        }

        while (p < line.Length && line[p] is ' ' or '\t')
        {
            p++;
        }

        return p == line.Length ? letter : '\0';
    }

    /// <summary>A line between ed scripts that <c>ed</c> would run as a command of its own (a shell command, writing or
    /// reading a file, a global command): refused as before (docs/gnu-compat.md, deviations), never passed over.</summary>
    private static bool RunsInEd(string line)
    {
        string rest = line.TrimStart("0123456789,.$;+-'".ToCharArray());
        if (rest.Length == 0)
        {
            return false;
        }

        char next = rest.Length > 1 ? rest[1] : '\0';
        return rest[0] == '!'
            || (rest[0] is 'e' or 'E' or 'f' or 'r' or 'R' or 'w' or 'W' && next is '\0' or ' ' or 'q' or '!')
            || (rest[0] is 'g' or 'G' or 'v' or 'V' && next is not '\0' and not ' ' && !char.IsAsciiLetterOrDigit(next));
    }

    /// <summary>Refuses, before anything is written, an input whose lines outside its ed scripts hold one that ed would
    /// run (GNU with the CVE-2018-1000156 fix passes it over; PatchKit refuses it, as any such line in a script).</summary>
    private static void RefuseLinesEdWouldRun(string[] lines, List<(int Lead, int Start, int End)> scripts)
    {
        int next = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            while (next < scripts.Count && i >= scripts[next].End)
            {
                next++;
            }

            bool inScript = next < scripts.Count && i >= scripts[next].Start;
            if (!inScript && RunsInEd(lines[i]))
            {
                throw new GnuPatchFatalException($"ed script line {(i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)}: '{lines[i]}' is not an a, c, d, i or s/.// command; ed scripts are read as data and no other command is accepted");
            }
        }
    }

    /// <summary>--verbose: GNU's "The text leading up to this was" block, when there is any (lines from, to).</summary>
    private void LeadingLines(string[] lines, int from, int to)
    {
        if (to <= from)
        {
            return;
        }

        _say.WriteLine("The text leading up to this was:");
        _say.WriteLine("--------------------------");
        for (int i = from; i < to; i++)
        {
            _say.WriteLine("|" + lines[i]);
        }

        _say.WriteLine("--------------------------");
    }

    /// <summary>A normal diff's hunk GNU's reader (pch.c's another_hunk) cannot read: the line of its command and GNU's
    /// words ("'---' expected", "'&lt;' followed by space or tab expected", an end of file inside it). GNU reports the
    /// file and tries the hunks before it first.</summary>
    /// <param name="lines">The patch's lines.</param>
    /// <param name="from">The line (0-based) the normal diff starts at: its first command, or text before it.</param>
    private static LateFatal? BadNormalHunk(string[] lines, int from = 0)
    {
        int count = lines.Length - (lines[^1].Length == 0 ? 1 : 0);
        int i = from;
        while (i < count && lines[i].Length == 0)
        {
            i++; // (blank lines before the first command: text -n passed over)
        }

        bool firstCommand = true;
        while (i < count && (firstCommand ? IsGnuCommandLine(lines[i]) : lines[i].Length > 0 && char.IsAsciiDigit(lines[i][0])))
        {
            // (GNU takes the first command as intuit_diff_type finds it, then reads any line starting with a digit as
            // the next one, up to what its reading of the numbers cannot take.)
            firstCommand = false;
            Match m = NormalCommand().Match(lines[i]);
            if (!m.Success || (m.Groups[5].Success && Number(m.Groups[5].Value) < Number(m.Groups[4].Value)))
            {
                return UnreadableCommand(lines[i], i + 1) is { } unreadable ? new LateFatal(i + 1, unreadable, Before: false) : null;
            }

            int command = i + 1;
            int first = Number(m.Groups[1].Value);
            char type = m.Groups[3].Value[0];
            int min = Number(m.Groups[4].Value);
            int max = m.Groups[5].Success ? Number(m.Groups[5].Value) : min;
            int old = type == 'a' ? 0 : m.Groups[2].Success ? Number(m.Groups[2].Value) - first + 1 : 1;
            int repl = type == 'd' ? max - min : max - min + 1;
            i++;
            if (Side(old, '<') is { } oldError)
            {
                return new LateFatal(command, oldError, Before: false);
            }

            if (type == 'c')
            {
                if (i >= count)
                {
                    return new LateFatal(command, $"unexpected end of file in patch at line {At(i)}", Before: false);
                }

                if (!lines[i].StartsWith('-'))
                {
                    return new LateFatal(command, $"'---' expected at line {At(i + 1)} of patch", Before: false);
                }

                i++;
            }

            if (Side(repl, '>') is { } newError)
            {
                return new LateFatal(command, newError, Before: false);
            }
        }

        return null;

        string? Side(int n, char mark)
        {
            for (int k = 1; k <= n; k++, i++)
            {
                if (i >= count)
                {
                    return $"unexpected end of file in patch at line {At(i)}";
                }

                if (lines[i].Length < 2 || lines[i][0] != mark || lines[i][1] is not (' ' or '\t'))
                {
                    return $"'{mark}' followed by space or tab expected at line {At(i + 1)} of patch";
                }

                if (k == n && i + 1 < count && lines[i + 1].StartsWith('\\'))
                {
                    i++; // "\ No newline at end of file" goes with the side's last line
                }
            }

            return null;
        }

        static int Number(string digits) => int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) ? n : int.MaxValue;

        static string At(int line) => line.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Whether GNU reads the patch as a normal diff from its first line on: a line its intuit_diff_type takes
    /// for a command (numbers maybe left out: it reads them later), then a <c>&lt; </c> or <c>&gt; </c> line.</summary>
    private static bool GnuNormalStart(string[] lines)
    {
        int i = 0;
        while (i < lines.Length && lines[i].Trim('\r').Length == 0)
        {
            i++;
        }

        return i + 1 < lines.Length && IsGnuCommandLine(lines[i])
            && (lines[i + 1].StartsWith("< ", StringComparison.Ordinal) || lines[i + 1].StartsWith("> ", StringComparison.Ordinal));
    }

    /// <summary>GNU's reading of a normal diff's command line that is not a well-formed one (pch.c's another_hunk and
    /// scan_linenum): "missing line number" where a number should be and none is, "malformed patch" for a new range
    /// that ends before it starts; <see langword="null"/> for other shapes (left to the other paths).</summary>
    /// <param name="line">The command line.</param>
    /// <param name="number">Its line number (1-based).</param>
    private static string? UnreadableCommand(string line, int number)
    {
        string missing = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"missing line number at line {number}: {line}\n");
        int s = 0;
        if (!Digits(ref s, out _) || (At(s) == ',' && !Digits(ref s, out _, skip: 1)))
        {
            return missing;
        }

        s++; // (the command's letter, whatever it is)
        if (!Digits(ref s, out long min))
        {
            return missing;
        }

        long max = min;
        if (At(s) == ',' && !Digits(ref s, out max, skip: 1))
        {
            return missing;
        }

        return min > max ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"malformed patch at line {number}: {line}\n") : null;

        char At(int k) => k < line.Length ? line[k] : '\0';

        // The digits from k (after skipping that many characters), and whether there were any.
        bool Digits(ref int k, out long value, int skip = 0)
        {
            k += skip;
            int from = k;
            value = 0;
            while (k < line.Length && char.IsAsciiDigit(line[k]))
            {
                value = Math.Min(value * 10 + (line[k] - '0'), long.MaxValue / 20);
                k++;
            }

            return k > from;
        }
    }

    /// <summary>A normal diff's command line: <c>N[,M]</c>, <c>a</c>/<c>c</c>/<c>d</c>, <c>N[,M]</c>.</summary>
    [GeneratedRegex(@"^(\d+)(?:,(\d+))?([acd])(\d+)(?:,(\d+))?[ \t]*\r?$", RegexOptions.CultureInvariant)]
    private static partial Regex NormalCommand();

    /// <summary>The normal diff read up to the hunk GNU cannot read; the file stays (without hunks when that is the
    /// first), so it is reported before patch stops.</summary>
    private static PatchDocument NormalPrefix(ReadOnlyMemory<byte> bytes, LateFatal late)
    {
        ReadOnlyMemory<byte> prefix = bytes[..LineStart(bytes.Span, late.HunkLine)];
        PatchDocument doc = PatchDocument.ParseNormal(prefix);
        return doc.Files.Count > 0 ? doc : new PatchDocument(prefix, [new FilePatch(default, default, FileOperation.Modify, []) { Dialect = PatchDialect.Normal, LineNumber = 1 }]);
    }

    /// <summary>Whether GNU writes a line of no bytes for the hunk, which it takes for a failed write ("write error",
    /// exit 2): a unified hunk's "+", "-" or " " line (or blank line) with nothing after its mark, followed by "\ No
    /// newline at end of file" (another_hunk takes the newline off, pch_write_line then fwrites nothing). An applied
    /// hunk writes its added lines (under <c>-D</c> its removed ones too); a failed one writes every line into the
    /// reject file.</summary>
    private bool WritesEmptyLine(ReadOnlySpan<byte> body, bool applied, bool reverse)
    {
        if (!HasMarkers() || body.IndexOf("\n\\"u8) < 0)
        {
            return false; // (no marker: the common case)
        }

        byte added = reverse ? (byte)'-' : (byte)'+';
        ReadOnlySpan<byte> previous = "\\"u8; // (no line before the first)
        foreach (Range range in body.Split((byte)'\n'))
        {
            ReadOnlySpan<byte> line = body[range];
            if (line.StartsWith("\\"u8) && previous.Length <= 1 && (previous.IsEmpty || previous[0] is (byte)'+' or (byte)'-' or (byte)' '))
            {
                byte kind = previous.IsEmpty ? (byte)' ' : previous[0];
                if (!applied || kind == added || (_s.IfDef is not null && kind != (byte)' '))
                {
                    return true;
                }
            }

            previous = line;
        }

        return false;
    }

    /// <summary>The file patch being applied when a question was last asked (none yet: null).</summary>
    private FilePatch? _askedFor;

    /// <summary>GNU's words for a failed write: "write error" and the text of whatever errno an earlier call left (an
    /// fwrite of nothing sets none): "Inappropriate ioctl for device" after a question asked without a terminal
    /// (isatty) for this file, "No such file or directory" after GNU looked for a name of it that is not there, the
    /// first again after a question for an earlier file, "Success" otherwise.</summary>
    private string WriteErrorMessage(FilePatch f)
    {
        const string NoTerminal = "Inappropriate ioctl for device";
        string error = ReferenceEquals(_askedFor, f) ? NoTerminal
            : Missing(f.OldPath) || Missing(f.NewPath) ? "No such file or directory"
            : _askedFor is not null ? NoTerminal : "Success";
        return "write error : " + error;

        bool Missing(string? name) => name is not null && Stripped(name) is { } s && IsSafe(s) && !Present(Full(s));
    }
}
