using PatchKit.Diffs;

namespace PatchKit.Cli.Commands;

/// <summary>GNU patch's reading of the first patch when <c>-e</c>, <c>-n</c> or <c>-c</c> says what kind of diff it is
/// (pch.c's intuit_diff_type with a forced diff type): the kind it looks for may never come, and a line that reads as
/// an <c>ed</c> command once its indentation is taken off (a unified diff's context line <c> a</c>) makes the input an
/// ed script at the end.</summary>
internal sealed partial class GnuPatchRun
{
    /// <summary>What GNU finds first under a forced kind: an ed script (its first line and indentation), the kind
    /// asked for or a git header (left to the other paths), or nothing.</summary>
    private enum ForcedFind
    {
        Nothing,
        Other,
        EdScript,
    }

    /// <summary>The line (0-based) where the ed scripts run first end and the other paths read on; 0 when none ran.</summary>
    private int _edScriptsEnd;

    /// <summary>Handles the input when GNU, told its kind, finds an ed script where there is none of that kind, or
    /// nothing at all ("Only garbage" under <c>-n</c>); <see langword="null"/> leaves it to the other paths.</summary>
    private int? ForcedKind(ReadOnlyMemory<byte> bytes, string? origFile)
    {
        // (With ORIGFILE or under POSIX and no kind given, GNU also takes an ed script it finds first.)
        if ((_s.Format is not (PatchInputFormat.Ed or PatchInputFormat.Normal or PatchInputFormat.Context or PatchInputFormat.Unified)
                && (_s.Format != PatchInputFormat.Guess || (origFile is null && !_posixly)))
            || bytes.Span.IndexOfAnyExcept((byte)'\n', (byte)' ', (byte)'\t') < 0
            || (_s.Format == PatchInputFormat.Guess && !EdCommandFirst(bytes.Span)))
        {
            return null;
        }

        string[] lines = EdLines(out bool partial);
        int count = lines.Length - 1;
        bool needHeader = _s.Format is PatchInputFormat.Context or PatchInputFormat.Unified && origFile is null && !_s.Posix;
        (ForcedFind found, int first, int indent, string? name, bool toEnd) = IntuitForced(lines, 0, _s.Format, needHeader);
        if (found == ForcedFind.Nothing && _s.Format is PatchInputFormat.Normal or PatchInputFormat.Ed)
        {
            if (_s.Format == PatchInputFormat.Normal
                && PatchDocument.Parse(bytes, GnuRead).Files.Any(GitExtended))
            {
                // A git diff's extended header lines make a patch without hunks whatever the kind given (GNU reads
                // on to the next "diff --git" line or the end): the other paths read it.
                return null;
            }

            SayVerbose("Hmm...");
            PartialLineNoteIf(partial);
            SayVerbose("  I can't seem to find a patch in there anywhere.\n");
            throw new GnuPatchFatalException("Only garbage was found in the patch input.");
        }

        // The ed scripts GNU runs one after the other (after the first, whatever kind comes next is looked for): taken
        // here only when nothing but ed scripts and text follow; otherwise nothing is run and the other paths read it.
        var scripts = new List<(int Lead, int Start, int End, int Indent, bool FoundAtEnd, bool ReadToEnd)>();
        string? file = origFile ?? name;
        int pos = 0;
        bool inText = false;
        while (found == ForcedFind.EdScript)
        {
            (int end, inText) = EdScriptRead(lines, first, indent, count);
            if (end == first)
            {
                // (A normal diff's command line before a "." line: not an ed script this reads.)
                return null;
            }

            scripts.Add((pos, first, end, indent, partial && toEnd, partial && end == count));
            pos = end;
            (found, first, indent, name, toEnd) = IntuitForced(lines, pos, PatchInputFormat.Guess, origFile is null && !_s.Posix);
            file ??= name;
        }

        // A diff of another kind after the scripts: GNU reads it next (any kind), so the scripts run here and the
        // other paths read the rest.
        bool more = found == ForcedFind.Other;
        // (With no file named, under POSIX or told the kind needs no header, GNU still reads the scripts: each is a
        // patch it cannot find the file of.)
        bool nowhere = file is null && (_posixly || _s.Format is PatchInputFormat.Ed or PatchInputFormat.Normal);
        if (scripts.Count == 0 || (file is null && !nowhere) || (!more && _s.Format == PatchInputFormat.Ed && file is not null && scripts.All(x => x.Indent == 0)))
        {
            return null;
        }

        RefuseLinesEdWouldRun(lines[..pos], [.. scripts.Select(x => (x.Lead, x.Start, x.End))]);
        for (int n = 0; n < scripts.Count; n++)
        {
            var (lead, start, end, columns, foundAtEnd, readToEnd) = scripts[n];
            SayVerbose("Hmm...");
            PartialLineNoteIf(foundAtEnd);
            if (_s.Verbose)
            {
                _say.WriteLine($"  {(n == 0 ? "L" : "The next patch l")}ooks like an ed script to me...");
            }

            if (!_s.Silent && columns > 0)
            {
                _say.WriteLine($"(Patch is indented {columns} space{(columns == 1 ? string.Empty : "s")}.)");
            }

            RunEdScript(bytes, lines, (lead, start, end, columns), file, readToEnd, appendOutput: n > 0);
        }

        if (more)
        {
            _edScriptsEnd = pos;
            return null;
        }

        // (A script whose text ran to a last line without its newline leaves GNU at the end: it looks no further.)
        if (scripts[^1].End < count || (partial && !inText))
        {
            SayVerbose("Hmm...");
            PartialLineNoteIf(partial && toEnd);
            SayVerbose("  Ignoring the trailing garbage.\ndone\n");
        }
        else if (_s.Verbose)
        {
            _say.WriteLine("done");
        }

        return _failed ? ExitCodes.Partial : ExitCodes.Success;
    }

    /// <summary>Runs one ed script GNU found (lines <c>Start</c> to <c>End</c>, 0-based, its text from <c>Lead</c>,
    /// indented <c>Indent</c> columns) on <paramref name="target"/>; without one, GNU's "can't find file to patch" and
    /// its question first.</summary>
    private void RunEdScript(ReadOnlyMemory<byte> bytes, string[] lines, (int Lead, int Start, int End, int Indent) script, string? target, bool readToEnd, bool appendOutput)
    {
        (int lead, int start, int end, int columns) = script;
        if (target is null)
        {
            // GNU's words for a patch without a file ("Perhaps …" is not said of an ed script); then the script is
            // skipped, or applied to the file named on the terminal.
            if (!_s.Silent)
            {
                _say.WriteLine($"can't find file to patch at input line {start + 1}");
            }

            LeadingLines(lines, lead, start);
            target = FileToPatch();
            if (target is null)
            {
                _failed = true;
                return;
            }
        }
        else if (_s.Verbose)
        {
            LeadingLines(lines, lead, start);
        }

        PartialLineNoteIf(readToEnd);
        if (columns == 0)
        {
            ApplyEdScript(target, EdScriptBytes(bytes, lines, start, end), appendOutput);
            return;
        }

        var kept = new List<int>();
        _ = EdScriptEnd(lines, start, columns, end, kept);
        string text = string.Concat(kept.Select(i => Unindent(lines[i], columns) + "\n"));
        ApplyEdScript(target, System.Text.Encoding.UTF8.GetBytes(text), appendOutput);
    }

    /// <summary>Whether a line that reads as an ed command comes before the first line of a unified, context or normal
    /// hunk or a git binary patch: read line by line from the start, so an ordinary patch costs a few lines.</summary>
    private static bool EdCommandFirst(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            int nl = bytes.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = nl < 0 ? bytes : bytes[..nl];
            bytes = nl < 0 ? default : bytes[(nl + 1)..];
            line = line.TrimStart(" \tX"u8);
            if (line.StartsWith("@@ -"u8) || line.StartsWith("*** "u8) || line.StartsWith("< "u8) || line.StartsWith("> "u8)
                || line.StartsWith("GIT binary patch"u8))
            {
                return false;
            }

            if (line.Length < 64 && EdLetter(System.Text.Encoding.Latin1.GetString(line)) != '\0')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The patch's lines as GNU's line reading gets them for an ed script, ending in an empty entry: a last
    /// line without its newline (<paramref name="partial"/>) is taken for the end of the input, where GNU says "patch
    /// unexpectedly ends in middle of line" each time it gets there (each look for a patch and each script read that
    /// far).</summary>
    private string[] EdLines(out bool partial)
    {
        string[] lines = SourceLines();
        partial = lines[^1].Length > 0;
        return partial ? [.. lines[..^1], string.Empty] : lines;
    }

    /// <summary>Writes <paramref name="text"/> under <c>--verbose</c>.</summary>
    private void SayVerbose(string text)
    {
        if (_s.Verbose)
        {
            _say.Write(text);
        }
    }

    /// <summary>GNU's note for a last line without its newline, when its reading got there.</summary>
    private void PartialLineNoteIf(bool due)
    {
        if (due)
        {
            PartialLineNote();
        }
    }

    /// <summary>Where an ed script that starts at line <paramref name="first"/> ends, as GNU's do_ed_script reads it
    /// (each line's indentation taken off): at the first line that is not a command outside a command's text. Lines
    /// starting with <c>#</c> between commands are comments GNU's pget_line passes over (within a command's text they
    /// are text); comments with no command after them end the script before them. With <paramref name="kept"/>, the
    /// script's lines that are not such comments are added to it.</summary>
    private static int EdScriptEnd(string[] lines, int first, int indent, int count, List<int>? kept = null) =>
        EdScriptRead(lines, first, indent, count, kept).End;

    /// <summary>As <see cref="EdScriptEnd"/>, also telling whether the reading ended within a command's text (the input
    /// ran out before its "." line).</summary>
    private static (int End, bool InText) EdScriptRead(string[] lines, int first, int indent, int count, List<int>? kept = null)
    {
        int i = first;
        bool inText = false;
        while (i < count)
        {
            int next = i;
            while (next < count && Unindent(lines[next], indent).StartsWith('#'))
            {
                next++;
            }

            char letter = next < count ? EdLetter(Unindent(lines[next], indent)) : '\0';
            if (letter == '\0')
            {
                break;
            }

            kept?.Add(next);
            i = next + 1;
            if (letter is not ('d' or 's'))
            {
                inText = true;
                while (i < count && inText)
                {
                    kept?.Add(i);
                    inText = Unindent(lines[i++], indent) != ".";
                }
            }
        }

        return (i, inText);
    }

    /// <summary>GNU's intuit_diff_type over the first patch with the diff type forced to <paramref name="kind"/>: the
    /// first ed command line (after the header when one is needed) and its indentation, taken when the end of the
    /// input (or, for an ed script, a "." line) comes before a diff of the kind asked for. The name is the first header
    /// name (after <c>-p</c>) of a file that is there.</summary>
    private (ForcedFind Found, int First, int Indent, string? Name, bool ToEnd) IntuitForced(string[] lines, int from, PatchInputFormat kind, bool needHeader)
    {
        int count = lines.Length - (lines[^1].Length == 0 ? 1 : 0);
        int first = -1;
        int firstIndent = 0;
        char firstLetter = '\0';
        bool command = false;
        bool stars = false;
        int indent = 0;
        string? name = null;
        string? index = null;
        for (int n = from; n < count; n++)
        {
            bool lastWasCommand = command;
            bool starsLast = stars;
            int indentLast = indent;
            string line = lines[n];
            if (line.StartsWith('#'))
            {
                // (pget_line passes comment lines over.)
                (command, stars, indent) = (lastWasCommand, starsLast, indentLast);
                continue;
            }

            indent = 0;
            int p = 0;
            for (; p < line.Length && line[p] is ' ' or '\t' or 'X'; p++)
            {
                indent = line[p] == '\t' ? (indent + 8) & ~7 : indent + 1;
            }

            string s = line[p..];
            command = IsGnuCommandLine(s);
            char letter = EdLetter(s);
            if (!needHeader && first < 0 && (letter != '\0' || command))
            {
                // (GNU's line starts at the comment lines its reading passed over right before it.)
                (first, firstIndent, firstLetter) = (n, indent, letter);
                while (first > from && lines[first - 1].StartsWith('#'))
                {
                    first--;
                }
            }

            string t = s;
            while (t.StartsWith("- ", StringComparison.Ordinal))
            {
                t = t[2..];
            }

            if ((!starsLast && s.StartsWith("*** ", StringComparison.Ordinal)) || s.StartsWith("+++ ", StringComparison.Ordinal)
                || t.StartsWith("--- ", StringComparison.Ordinal))
            {
                name ??= Existing(t.StartsWith("--- ", StringComparison.Ordinal) ? t[4..] : s[4..]);
                needHeader = false;
            }
            else if (s.StartsWith("Index:", StringComparison.Ordinal))
            {
                // (GNU takes the Index: name after the header's names: here where none of those is there.)
                index = IndexLineName(s) is { } written ? Existing(written) : index;
                needHeader = false;
            }
            else if (s.StartsWith("diff --git ", StringComparison.Ordinal))
            {
                needHeader = false;
            }

            if (needHeader)
            {
                continue;
            }

            if (kind is PatchInputFormat.Ed or PatchInputFormat.Guess && first >= 0 && s == ".")
            {
                return (ForcedFind.EdScript, first, firstIndent, name ?? index, false);
            }

            stars = s.StartsWith("********", StringComparison.Ordinal);
            if ((kind is PatchInputFormat.Guess or PatchInputFormat.Unified && s.StartsWith("@@ -", StringComparison.Ordinal))
                || (kind is PatchInputFormat.Context or PatchInputFormat.Guess && starsLast && indentLast == indent && s.StartsWith("*** ", StringComparison.Ordinal))
                || (kind is PatchInputFormat.Normal or PatchInputFormat.Guess && lastWasCommand && (s.StartsWith("< ", StringComparison.Ordinal) || s.StartsWith("> ", StringComparison.Ordinal)))
                || s.StartsWith("GIT binary patch", StringComparison.Ordinal))
            {
                return (ForcedFind.Other, -1, 0, name, false);
            }
        }

        return firstLetter != '\0' ? (ForcedFind.EdScript, first, firstIndent, name ?? index, true) : (ForcedFind.Nothing, -1, 0, name ?? index, true);

        string? Existing(string header)
        {
            int tab = header.IndexOf('\t', StringComparison.Ordinal);
            string? stripped = Safe(Stripped((tab < 0 ? header : header[..tab]).TrimEnd()));
            return stripped is not null && Present(Full(stripped)) ? stripped : null;
        }
    }

    /// <summary>The text before a normal diff under <c>-n</c> (its lines, shown as the text leading up to it), or null.</summary>
    private string[]? _normalLead;

    /// <summary>Where GNU's intuit_diff_type, told the patch is a normal diff, finds one after other text: the first
    /// command line (0-based) followed by a <c>&lt;</c> or <c>&gt;</c> line; <see langword="null"/> when none.</summary>
    private static int? NormalAfterText(string[] lines)
    {
        for (int n = 0; n + 1 < lines.Length; n++)
        {
            if (IsNormalCommand(lines[n].TrimEnd('\r')) && (lines[n + 1].StartsWith("< ", StringComparison.Ordinal) || lines[n + 1].StartsWith("> ", StringComparison.Ordinal)))
            {
                return n;
            }
        }

        return null;
    }

    /// <summary><see cref="IsNormalCommand"/> on a line as read, one carriage return before its end taken off (GNU
    /// allows one).</summary>
    private static bool IsGnuCommandLine(string line) => IsNormalCommand(line.EndsWith('\r') ? line[..^1] : line);

    /// <summary>A normal diff's command line as GNU's intuit_diff_type sees it: digits and commas, <c>a</c>, <c>c</c>
    /// or <c>d</c>, digits and commas, blanks, the end.</summary>
    private static bool IsNormalCommand(string s)
    {
        int t = 0;
        if (t >= s.Length || !char.IsAsciiDigit(s[t]))
        {
            return false;
        }

        while (++t < s.Length && (char.IsAsciiDigit(s[t]) || s[t] == ','))
        {
        }

        if (t >= s.Length || s[t] is not ('a' or 'c' or 'd'))
        {
            return false;
        }

        while (++t < s.Length && (char.IsAsciiDigit(s[t]) || s[t] == ','))
        {
        }

        while (t < s.Length && s[t] is ' ' or '\t')
        {
            t++;
        }

        return t == s.Length;
    }

    /// <summary>GNU's pget_line: up to <paramref name="indent"/> columns of blanks (and <c>X</c>) taken off the line.</summary>
    private static string Unindent(string line, int indent)
    {
        int columns = 0;
        int p = 0;
        while (p < line.Length && columns < indent && line[p] is ' ' or 'X' or '\t')
        {
            columns = line[p] == '\t' ? (columns + 8) & ~7 : columns + 1;
            p++;
        }

        return line[p..];
    }
}
