using System.Globalization;
using PatchKit.Diffs;

namespace PatchKit.Cli.Commands;

/// <summary>Smaller points of GNU patch 2.7.6's reading and writing the randomized comparison found: a cut-off
/// "\ No newline" marker, the text leading up to a git diff without hunks, renames without a file to read.</summary>
internal sealed partial class GnuPatchRun
{
    /// <summary>Whether GNU's POSIX behaviour is asked for (<c>--posix</c> or <c>POSIXLY_CORRECT</c>): the file to
    /// patch is the first name that is there, and a missing one is not created (pch.c's intuit_diff_type). Read once,
    /// as the run starts.</summary>
    private readonly bool _posixly;

    /// <summary>The document being applied (to find where a file without hunks ends).</summary>
    private PatchDocument? _document;

    /// <summary>Each of <see cref="_document"/>'s files' place in it, made when first asked.</summary>
    private Dictionary<FilePatch, int>? _fileIndex;

    /// <summary>Whether the patch's last line, without its newline (<paramref name="partial"/>), is a
    /// <c>\</c> line right after the last hunk's last line, which GNU's incomplete_line reads as the "no newline"
    /// marker (up to a newline or the end of the patch) without a word.</summary>
    private bool MarkerEndsLastHunk(PatchDocument document, ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> partial)
    {
        if (partial.IsEmpty || partial[0] != (byte)'\\' || bytes.IsEmpty || document.Files is not [.., { Hunks.Count: > 0 } last]
            || last.ShortHunk is { } cut && cut.Index == last.Hunks.Count - 1 || TrailingText(last, bytes, out _))
        {
            return false;
        }

        // GNU looks for a marker after the last old line and after the last new line: a last context line, both,
        // may have two; any other marker is a line of its own.
        string[] lines = SourceLines();
        int count = LineCount();
        return lines[count - 1] is not ['\\', ..] || (count >= 2 && lines[count - 1] is ['\\', ..] && lines[count - 2] is [' ', ..]);
    }

    /// <summary>For a git diff without hunks (modes, a rename): the line where GNU's look for its hunk ends, the
    /// next file's first line (or the end of the patch): the text leading up to it is all of its lines.</summary>
    private long? GitHeaderEnd(FilePatch f)
    {
        if (f.Hunks.Count > 0 || f.Dialect != PatchDialect.Git || f.IsBinary || _lateFatal is not null || _document is null)
        {
            return null;
        }

        // (Files are told apart by reference: two patches of one file may be equal.)
        _fileIndex ??= _document.Files.Select((file, k) => (file, k)).ToDictionary<(FilePatch File, int K), FilePatch, int>(e => e.File, e => e.K, ReferenceEqualityComparer.Instance);
        if (!_fileIndex.TryGetValue(f, out int i))
        {
            return null;
        }

        if (i + 1 < _document.Files.Count)
        {
            FilePatch next = _document.Files[i + 1];
            // (GNU would read the headers of a diff of another kind as this one's.)
            return next.Dialect == PatchDialect.Git ? next.LineNumber : null;
        }

        return LineCount() + 1;
    }

    /// <summary>For a git binary patch: the line of its "GIT binary patch" (1-based), where GNU's look for the
    /// file's patch stops (pch.c: a git binary diff starts there). The text leading up to the file is the header
    /// before it; the data lines after it are not read, so they lead up to the next patch (or are trailing garbage).
    /// <see langword="null"/> for other files.</summary>
    private long? GitBinaryLine(FilePatch f)
    {
        if (f.Dialect != PatchDialect.Git || f.BinaryPatch is null || f.Hunks.Count > 0)
        {
            return null;
        }

        string[] lines = SourceLines();
        for (long i = Math.Max(f.LineNumber - 1, 0); i < lines.Length; i++)
        {
            if (lines[i].StartsWith("GIT binary patch", StringComparison.Ordinal))
            {
                return i + 1;
            }

            if (i > f.LineNumber - 1 && lines[i].StartsWith("diff --git ", StringComparison.Ordinal))
            {
                break;
            }
        }

        return null;
    }

    /// <summary>The patch with the data of the git binary patch that <paramref name="ex"/> found broken replaced by an
    /// empty literal ("literal 0", its data line, then blank lines up to the next file), keeping the line count; or
    /// <see langword="null"/> when <paramref name="ex"/> is about something else (or the data is already replaced).</summary>
    private static byte[]? WithBrokenBinaryReplaced(ReadOnlySpan<byte> bytes, PatchFormatException ex)
    {
        if (!ex.Reason.StartsWith("Malformed GIT binary patch", StringComparison.Ordinal) || ex.LineNumber < 1)
        {
            return null;
        }

        var lines = new List<(int Start, int End)>();
        for (int at = 0; at < bytes.Length;)
        {
            int nl = bytes[at..].IndexOf((byte)'\n');
            int end = nl < 0 ? bytes.Length : at + nl + 1;
            lines.Add((at, end));
            at = end;
        }

        int header = (int)Math.Min(ex.LineNumber, lines.Count) - 1;
        while (header >= 0 && !bytes[lines[header].Start..lines[header].End].StartsWith("GIT binary patch"u8))
        {
            header--;
        }

        int last = header + 1;
        while (last < lines.Count && !bytes[lines[last].Start..lines[last].End].StartsWith("diff --git "u8))
        {
            last++;
        }

        ReadOnlySpan<byte> empty = "literal 0\nHcmV?d00001\n"u8;
        // (Already replaced: the empty literal, then blank lines only. A broken reverse part after a good forward one,
        // "literal 0" or not, is replaced too.)
        bool blankRest = true;
        for (int i = header + 3; i < last && blankRest; i++)
        {
            blankRest = bytes[lines[i].Start..lines[i].End].SequenceEqual("\n"u8);
        }

        if (header < 0 || last - header < 3 || (blankRest && bytes[lines[header + 1].Start..lines[header + 2].End].SequenceEqual(empty)))
        {
            return null;
        }

        var replaced = new List<byte>(bytes.Length);
        replaced.AddRange(bytes[..lines[header + 1].Start]);
        replaced.AddRange(empty);
        replaced.AddRange(Enumerable.Repeat((byte)'\n', last - header - 3));
        replaced.AddRange(bytes[(last < lines.Count ? lines[last].Start : bytes.Length)..]);
        return [.. replaced];
    }

    /// <summary>Whether a git diff's "index" line names a side (the old one, or the new one) by the all-zero object id
    /// (GNU's sha1_says_nonexistent) and no first hunk header "-0,0" ("+0,0") says it is empty instead (that one GNU
    /// reads last).</summary>
    private static bool IndexSaysNoFile(FilePatch f, bool oldSide) =>
        f.Dialect == PatchDialect.Git && (oldSide ? f.OldObjectId : f.NewObjectId) is { Length: > 0 } id && id.AsSpan().IndexOfAnyExcept('0') < 0
        && (oldSide ? f.Hunks is not [{ OldStart: 0 }, ..] : f.Hunks is not [{ NewStart: 0 }, ..]);

    /// <summary>The "\ No newline at end of file" lines right after a hunk line before the given line (1-based): GNU
    /// reads each of them past its line count (pch.c's incomplete_line), so the line numbers it names after them are
    /// that many lower. In a unified hunk only a marker after the line that ends a side is read so (two after a
    /// context line that ends both); a file header line ("--- ", "+++ ") outside a hunk is no hunk line, and a marker
    /// after it is an ordinary line to GNU.</summary>
    private int MarkersBefore(long line)
    {
        string[] lines = SourceLines();
        int markers = 0;
        int oldLeft = 0, newLeft = 0;
        int sidesEnded = 0; // sides the line before ended: GNU reads a marker after each (two after a context line)
        for (int i = 0; i < line - 1 && i < lines.Length; i++)
        {
            string l = lines[i];
            int ended = sidesEnded;
            sidesEnded = 0;
            if (l.StartsWith('\\'))
            {
                bool marker = ended > 0 || (oldLeft == 0 && newLeft == 0 && i > 0
                    && lines[i - 1] is [' ' or '-' or '+' or '\t', ..] or [] && !IsFileHeader(lines[i - 1]));
                markers += marker ? 1 : 0;
                sidesEnded = marker ? Math.Max(0, ended - 1) : 0;
            }
            else if (oldLeft > 0 || newLeft > 0)
            {
                // Inside a unified hunk: count its sides down as GNU's another_hunk fills them.
                bool oldSide = l is ['-' or ' ' or '=' or '\t', ..] or [];
                bool newSide = l is ['+' or ' ' or '=' or '\t', ..] or [];
                if (!oldSide && !newSide)
                {
                    oldLeft = newLeft = 0;
                    continue;
                }

                sidesEnded = (oldSide && oldLeft > 0 && --oldLeft == 0 ? 1 : 0) + (newSide && newLeft > 0 && --newLeft == 0 ? 1 : 0);
            }
            else if (UnifiedSides(l) is var (o, n))
            {
                (oldLeft, newLeft) = (o, n);
            }
        }

        return markers;

        static bool IsFileHeader(string l) => l.StartsWith("--- ", StringComparison.Ordinal) || l.StartsWith("+++ ", StringComparison.Ordinal);
    }

    /// <summary>The old and new line counts of a unified hunk header ("@@ -A[,B] +C[,D] @@"), or null.</summary>
    private static (int Old, int New)? UnifiedSides(string l) => UnifiedRanges(l) is var (_, o, _, n) ? (o, n) : null;

    /// <summary>The old and new starts and line counts of a unified hunk header ("@@ -A[,B] +C[,D] @@"), or null.</summary>
    private static (int OldStart, int Old, int NewStart, int New)? UnifiedRanges(string l)
    {
        if (!l.StartsWith("@@ -", StringComparison.Ordinal))
        {
            return null;
        }

        int plus = l.IndexOf(" +", 4, StringComparison.Ordinal);
        int end = plus < 0 ? -1 : l.IndexOf(' ', plus + 2);
        return plus < 0 || end < 0 || Range(l.AsSpan(4, plus - 4)) is not var (a, b) || Range(l.AsSpan(plus + 2, end - plus - 2)) is not var (c, d)
            ? null : (a, b, c, d);

        static (int Start, int Count)? Range(ReadOnlySpan<char> range)
        {
            int comma = range.IndexOf(',');
            ReadOnlySpan<char> start = comma < 0 ? range : range[..comma];
            return !int.TryParse(start, NumberStyles.None, CultureInfo.InvariantCulture, out int a) ? null
                : comma < 0 ? (a, 1)
                : int.TryParse(range[(comma + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int c) ? (a, c) : null;
        }
    }

    /// <summary>Whether the file's first hunk is the one GNU cannot read and its header ("+0,0", "-0,0" under
    /// <c>-R</c>) says the patch empties the file: GNU reads that header before it asks about an empty file.</summary>
    private bool LateFirstHunkEmpties(FilePatch f, bool reverse) =>
        f.Hunks.Count == 0 && _lateFatal is not null && _lateHunkLine > f.LineNumber && _lateHunkLine <= SourceLines().Length
        && UnifiedRanges(SourceLines()[_lateHunkLine - 1]) is var (oldStart, oldCount, newStart, newCount)
        && (reverse ? (oldStart, oldCount) : (newStart, newCount)) == (0, 0);

    /// <summary>The patch's complete lines.</summary>
    private int LineCount()
    {
        string[] lines = SourceLines();
        return lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
    }

    /// <summary>GNU's intuit_diff_type on a git rename or copy: when neither name is a file that is there, or the
    /// name to write is not a valid one, it says "Cannot rename file without two valid file names" (or copy) and
    /// passes the patch over. Returns the verb, or <see langword="null"/> when the patch goes on.</summary>
    private string? CannotMove(FilePatch f, string? origFile)
    {
        if (origFile is not null || f.Dialect != PatchDialect.Git || f.Operation is not (FileOperation.Rename or FileOperation.Copy) || HalfMove(f))
        {
            return null;
        }

        (string? oldName, string? newName) = MoveNames(f);
        string? written = _s.Reverse ? oldName : newName;
        return (Exists(oldName) || Exists(newName)) && written is not null && IsSafe(written) ? null
            : f.Operation == FileOperation.Rename ? "rename" : "copy";

        bool Exists(string? name) => name is not null && IsSafe(name) && Present(Full(name));
    }

    /// <summary>One side's name (before <c>-p</c>) as GNU 2.7.6's fetchname reads its header: a name is read with
    /// the blanks in it only when a tab follows it on the line (before a timestamp); otherwise up to its first blank
    /// (<c>--- my file</c> names <c>my</c>, a headerless context hunk's <c>--- 1,2 ----</c> names <c>1,2</c>). A git
    /// diff's side without a <c>---</c>/<c>+++</c> line has the "diff --git" line's name, and none when GNU reads none
    /// there (names with blanks). A file an <c>Index:</c> line alone names has that line's name (<see cref="IndexLineName"/>).</summary>
    private string? HeaderPath(FilePatch f, bool old)
    {
        if (old && IndexLineAlone(f) is { } indexLine)
        {
            return IndexLineName(indexLine);
        }

        string? path = old ? f.OldPath : f.NewPath;
        ReadOnlySpan<byte> header = (old ? f.OldHeader : f.NewHeader).Span.TrimStart(" \t"u8);
        if (header.IsEmpty && f.Dialect == PatchDialect.Git && path is not null && path.Contains(' ', StringComparison.Ordinal) && GitLineNamesUnread(f))
        {
            return null;
        }

        if (path is null || !path.Contains(' ', StringComparison.Ordinal) || header.IsEmpty || header[0] == (byte)'"' || header.IndexOf((byte)'\t') >= 0)
        {
            return path;
        }

        int blank = header.IndexOfAny(" \r\n\v\f"u8);
        return System.Text.Encoding.UTF8.GetString(blank < 0 ? header : header[..blank]);
    }

    /// <summary>The name an <c>Index:</c> line gives (before <c>-p</c>), as GNU 2.7.6's fetchname reads it there, with
    /// no time stamp to follow: blanks skipped, then a name in double quotes (C escapes undone) or the rest of the
    /// line, blanks inside it kept. Anything after the name (a tab and more, blanks or a carriage return at the end of
    /// the line) and GNU takes no name from the line at all; nor from "/dev/null". <see langword="null"/> then.</summary>
    /// <param name="line">The <c>Index:</c> line, without its newline.</param>
    private static string? IndexLineName(string line)
    {
        // (C's isspace: blank, tab, newline, vertical tab, form feed, carriage return.)
        ReadOnlySpan<char> spaces = " \t\n\v\f\r";
        string rest = line.AsSpan("Index:".Length).TrimStart(spaces).ToString();
        if (rest.Length == 0)
        {
            return null;
        }

        string? name;
        if (rest[0] == '"')
        {
            int close = 1;
            while (close < rest.Length && rest[close] != '"')
            {
                close += rest[close] == '\\' ? 2 : 1;
            }

            name = close == rest.Length - 1 ? GnuNames.FromBytes(GnuNames.Unquoted(System.Text.Encoding.Latin1.GetString(System.Text.Encoding.UTF8.GetBytes(rest)))) : null;
        }
        else
        {
            name = rest.Contains('\t', StringComparison.Ordinal) || spaces.Contains(rest[^1]) ? null : rest;
        }

        return name == "/dev/null" ? null : name;
    }

    /// <summary>The two names (stripped) GNU reads for the file patch, which it does <paramref name="op"/>.</summary>
    private (string? Old, string? New) ReadNames(FilePatch f, FileOperation op) =>
        op is FileOperation.Rename or FileOperation.Copy ? MoveNames(f) : (Stripped(HeaderPath(f, old: true)), Stripped(HeaderPath(f, old: false)));

    /// <summary>The two names (stripped) GNU reads for a git rename or copy: the "rename from"/"rename to" ones, but with
    /// one "---" or "+++" line, GNU reads that line over one of the "diff --git" line's names and swaps the two at the
    /// hunk: a lone "--- a/h" is the old name and the "diff --git" line's old name the new one (so "--- a/f" patches f
    /// in place, "already renamed"); a lone "+++ b/h" is the new name and the "diff --git" line's new name the old
    /// one.</summary>
    private (string? Old, string? New) MoveNames(FilePatch f)
    {
        string? oldName = Stripped(HeaderPath(f, old: true));
        string? newName = Stripped(HeaderPath(f, old: false));
        if (f.OldHeader.IsEmpty && f.NewHeader.IsEmpty && GitLineNamesUnread(f))
        {
            return (null, null);
        }

        if (GitNamesKept(f, oldName, newName) is [string gitOld, string gitNew])
        {
            // A "---" or "+++" name that -p cannot strip is not read: the "diff --git" line's name stays, and GNU swaps
            // the two at the hunk (so the new name becomes the old one, and the other way round).
            return (oldName ?? Stripped(gitNew), newName ?? Stripped(gitOld));
        }

        if (f.OldHeader.IsEmpty == f.NewHeader.IsEmpty)
        {
            return (oldName, newName);
        }

        ReadOnlySpan<byte> header = (f.NewHeader.IsEmpty ? f.OldHeader : f.NewHeader).Span;
        int tab = header.IndexOf((byte)'\t');
        string text = System.Text.Encoding.Latin1.GetString(tab >= 0 ? header[..tab] : header).TrimEnd();
        string? lone = Stripped(GnuNames.FromBytes(GnuNames.Unquoted(text)));
        return f.NewHeader.IsEmpty ? (lone, oldName) : (newName, lone);
    }

    /// <summary>The "diff --git" line's two names (as written) where GNU keeps them over a "---" and a "+++" line: when
    /// <c>-p</c> cannot strip one of those (<paramref name="oldName"/>, <paramref name="newName"/>: stripped, or
    /// <see langword="null"/>); <see langword="null"/> otherwise.</summary>
    private string[]? GitNamesKept(FilePatch f, string? oldName, string? newName) =>
        !f.OldHeader.IsEmpty && !f.NewHeader.IsEmpty && (oldName is null || newName is null) && GitLineNames(f) is [string, string] names ? names : null;

    /// <summary>Whether GNU 2.7.6 reads no names from the file's "diff --git" line: unquoted, it reads a name up to a
    /// blank, so names with blanks in them (more than two words) leave both names unset.</summary>
    private bool GitLineNamesUnread(FilePatch f) => GitLineNames(f) is { Length: > 2 };

    /// <summary>The blank-separated words of the file's "diff --git" line after that prefix, when it has no quoted
    /// name; <see langword="null"/> otherwise.</summary>
    private string[]? GitLineNames(FilePatch f)
    {
        string[] lines = SourceLines();
        if (f.LineNumber < 1 || f.LineNumber > lines.Length || !lines[f.LineNumber - 1].StartsWith("diff --git ", StringComparison.Ordinal))
        {
            return null;
        }

        string names = lines[f.LineNumber - 1]["diff --git ".Length..];
        return names.Contains('"', StringComparison.Ordinal) ? null : names.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>A git rename or copy whose header lacks "rename from" or "rename to" ("copy from", "copy to"): GNU
    /// reads a rename only from both lines (and never from the older "rename old"/"rename new"), so it patches the
    /// file named on the "diff --git" line in place.</summary>
    private bool HalfMove(FilePatch f)
    {
        if (f.Dialect != PatchDialect.Git || f.Operation is not (FileOperation.Rename or FileOperation.Copy))
        {
            return false;
        }

        string verb = f.Operation == FileOperation.Rename ? "rename " : "copy ";
        string[] lines = SourceLines();
        bool from = false;
        bool to = false;
        for (long i = f.LineNumber; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.StartsWith("diff --git ", StringComparison.Ordinal) || line.StartsWith("--- ", StringComparison.Ordinal)
                || line.StartsWith("@@ ", StringComparison.Ordinal) || line.StartsWith("GIT binary patch", StringComparison.Ordinal))
            {
                break;
            }

            from |= line.StartsWith(verb + "from ", StringComparison.Ordinal);
            to |= line.StartsWith(verb + "to ", StringComparison.Ordinal);
        }

        return !(from && to);
    }

    /// <summary>Writes the backup of a file none of whose hunks applied: a copy with the file's mode. (GNU makes it after
    /// the whole git diff and skips a file it takes for one already written, which it knows by inode: when a new file
    /// written next gets the freed inode of the untouched file's temporary file, GNU makes no copy. That depends on the
    /// file system handing that inode out again; PatchKit always makes the copy, docs/gnu-compat.md.)</summary>
    private void BackupCopy(string path, string copy)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        // Written anew, not File.Copy (which keeps the time; GNU's copy does not).
        BeforeWriteInPlace(copy);
        using (FileStream from = File.OpenRead(path))
        using (FileStream to = new(copy, FileMode.Create, FileAccess.Write))
        {
            from.CopyTo(to);
        }

        SetMode(copy, GetMode(path));
    }

    /// <summary>Whether GNU read both names of a git diff's "diff --git" line (pch.c's intuit_diff_type: two names,
    /// each quoted or without blanks, each with enough slashes for <c>-p</c>). When it did not, a "/dev/null" header
    /// leaves that side without a name, and the reject file's header says "/dev/null" there.</summary>
    private bool GitLineNamesRead(FilePatch f)
    {
        ReadOnlySpan<byte> bytes = _patchBytes.Span;
        int start = LineStart(bytes, f.LineNumber);
        ReadOnlySpan<byte> line = bytes[start..];
        int nl = line.IndexOf((byte)'\n');
        line = nl < 0 ? line : line[..nl];
        if (!line.StartsWith("diff --git "u8))
        {
            return true;
        }

        line = line["diff --git ".Length..];
        for (int side = 0; side < 2; side++)
        {
            line = line.TrimStart(" \t\r\f\v"u8);
            int end = line.StartsWith("\""u8) ? QuotedEnd(line) : line.IndexOfAny(" \t\r\f\v"u8);
            end = end < 0 ? line.Length : end;
            if (end == 0 || (side == 0 && (end == line.Length || line[end] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\f' or (byte)'\v')))
                || Stripped(System.Text.Encoding.UTF8.GetString(line[..end].Trim("\""u8))) is null)
            {
                return false;
            }

            line = line[end..];
        }

        return line.TrimStart(" \t\r\f\v"u8).IsEmpty;

        // The end of a C string (after its closing quote), or -1.
        static int QuotedEnd(ReadOnlySpan<byte> s)
        {
            for (int i = 1; i < s.Length; i++)
            {
                if (s[i] == (byte)'\\')
                {
                    i++;
                }
                else if (s[i] == (byte)'"')
                {
                    return i + 1;
                }
            }

            return -1;
        }
    }
}
