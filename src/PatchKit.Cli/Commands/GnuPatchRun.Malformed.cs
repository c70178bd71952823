using System.Globalization;
using PatchKit.Diffs;

namespace PatchKit.Cli.Commands;

/// <summary>A patch that goes bad part of the way through, as GNU patch meets it: GNU reads a patch one file and one
/// hunk at a time, so the files before a malformed hunk (or a hunk cut off by the end of the patch) are patched, the
/// file the hunk belongs to is reported and its earlier hunks tried, and only then does patch stop (exit 2), leaving
/// that file as it was.</summary>
internal sealed partial class GnuPatchRun
{
    /// <summary>GNU's words when the patch goes bad, for the last file of the document read up to there.</summary>
    private string? _lateFatal;

    /// <summary>The line of the hunk header where the patch goes bad.</summary>
    private long _lateHunkLine;

    /// <summary>Where a patch goes bad: the line of the hunk header it goes bad in (the patch is read up to there),
    /// GNU's words, and whether GNU stops before it reports the file at all (a first hunk it cannot read).</summary>
    private readonly record struct LateFatal(long HunkLine, string Message, bool Before);

    /// <summary>The document read from the start of the patch up to the hunk where it goes bad.</summary>
    private PatchDocument Prefix(ReadOnlyMemory<byte> bytes, LateFatal late, out bool failingFileKept)
    {
        int end = LineStart(bytes.Span, late.HunkLine);
        byte[] prefix = bytes.Span[..end].ToArray();
        if (!late.Before && !bytes.Span[end..].StartsWith("***************"u8))
        {
            // A header whose hunks all follow would be read as no file at all: an empty hunk stands for them, so the
            // file is found and reported (it changes nothing and says nothing). (A context hunk that is not a first
            // one has hunks before it.)
            prefix = [.. prefix, .. "@@ -1,0 +1,0 @@\n"u8];
        }

        PatchDocument doc = PatchDocument.Parse(prefix, GnuRead);
        if (late.Before && doc.Files is [.., { Hunks.Count: 0 } headerOnly] && headerOnly.LineNumber >= late.HunkLine - 3)
        {
            // The failing file's header alone (GNU says nothing of that file).
            doc = new PatchDocument(prefix, [.. doc.Files.Take(doc.Files.Count - 1)]) { Preamble = doc.Preamble };
        }

        failingFileKept = !late.Before && doc.Files.Count > 0;
        if (failingFileKept)
        {
            FilePatch last = doc.Files[^1];
            if (last.Hunks is [.., { OldStart: 1, OldCount: 0, NewStart: 1, NewCount: 0 } empty] && empty.LineNumber > CountLines(bytes.Span, end))
            {
                // Only the stand-in hunk: drop it again, keeping the header.
                var files = doc.Files.ToList();
                files[^1] = WithHunks(last, [.. last.Hunks.Take(last.Hunks.Count - 1)]);
                return new PatchDocument(prefix, files) { Preamble = doc.Preamble };
            }
        }

        return doc;
    }

    /// <summary>Whether the patch's last line, without its newline, is still to be reported (in the last file).</summary>
    private bool _partialLineDue;

    /// <summary>Whether that line falls in the last file's last hunk (reported before that hunk's result).</summary>
    private bool _partialLineInHunk;

    /// <summary>The file patch being applied (for the --verbose lines of a skipped patch).</summary>
    private FilePatch? _current;

    /// <summary>Whether the patch before this one in the run was a git diff (GNU's have_git_diff: as the patches turn
    /// to another kind, it looks at the file named again).</summary>
    private bool _afterGitDiff;

    /// <summary>--verbose: GNU names each hunk of a skipped patch, at the line it says it starts (after it wrote the
    /// hunk into the reject file, unless <paramref name="rejects"/> is off: a write of nothing stops it there).</summary>
    private void IgnoredHunks(FilePatch f, bool reverse, bool rejects = true)
    {
        for (int i = 0; i < f.Hunks.Count; i++)
        {
            if (rejects && _lateFatal is null && f.Dialect is PatchDialect.Unified or PatchDialect.Git
                && WritesEmptyLine(f.Hunks[i].Body.Span, applied: false, reverse))
            {
                _lateFatal = WriteErrorMessage(f);
                return;
            }

            if (!_s.Verbose)
            {
                continue;
            }

            if (i == f.Hunks.Count - 1 && _partialLineDue && _partialLineInHunk && _lateFatal is null)
            {
                PartialLineNote(); // read with the last hunk
            }

            _say.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Hunk #{i + 1} ignored at {GnuFirst(f.Hunks[i], reverse)}."));
        }
    }

    /// <summary>--verbose: the leading text waits for the "can't find file" lines.</summary>
    private bool _leadingTextDeferred;

    /// <summary>Whether the file patch names no file that is there and neither creates nor deletes one (GNU will say
    /// "can't find file to patch").</summary>
    private bool WillNotFind(FilePatch f, string? origFile, long previousEnd)
    {
        // (-g has got what it could by now: GetMissing runs first.)
        FileOperation op = GnuOperation(f);
        if (origFile is not null || (f.Hunks.Count == 0 && _lateFatal is null && GitHeaderEnd(f) is null && GitBinaryLine(f) is null)
            || (!_posixly && op == FileOperation.Modify && (IndexSaysNoFile(f, oldSide: true) || IndexSaysNoFile(f, oldSide: false)))
            || (!_posixly && (op is FileOperation.Add or FileOperation.Delete
                || f.Hunks is [{ OldStart: 0, OldCount: 0 } or { NewStart: 0, NewCount: 0 }, ..])))
        {
            return false;
        }

        // (Without Safe's words: they are said when the file is looked for.)
        (string? oldName, string? newName) = ReadNames(f, op);
        return !Exists(oldName) && !Exists(newName) && !(_posixly && Exists(PosixIndexName(f, previousEnd)));

        bool Exists(string? name) => name is not null && IsSafe(name) && Present(Full(name));
    }

    private void PartialLineNote()
    {
        _say.WriteLine("patch unexpectedly ends in middle of line");
        _partialLineDue = false;
    }

    /// <summary>Stops the run with GNU's words once the failing file's readable hunks are tried.</summary>
    private void LateFatalNow()
    {
        if (_partialLineDue)
        {
            PartialLineNote();
        }

        if (_lateFatal is { } message)
        {

            throw new GnuPatchFatalException(message);
        }
    }

    /// <summary>Whether the patch's last line, without its newline, ends the first hunk GNU stops before.</summary>
    private bool _partialLineAtStop;

    /// <summary>Stops on a file GNU cannot read the first hunk of (under --verbose, once it has started to look).</summary>
    private void StopBefore(LateFatal late)
    {
        if (_s.Verbose && late.Before)
        {
            _say.Write("Hmm...");
        }

        if (_partialLineAtStop && late.Before)
        {
            PartialLineNote();
        }

        throw new GnuPatchFatalException(late.Message);
    }

    private static FilePatch WithHunks(FilePatch f, IReadOnlyList<Hunk> hunks, PatchDialect? dialect = null) =>
        Copy(f, hunks, dialect ?? f.Dialect, (f.OldPathBytes, f.OldHeader), (f.NewPathBytes, f.NewHeader));

    /// <summary>The file patch with other hunks, dialect and names (each side's path and header line).</summary>
    private static FilePatch Copy(FilePatch f, IReadOnlyList<Hunk> hunks, PatchDialect dialect, (ReadOnlyMemory<byte> Path, ReadOnlyMemory<byte> Header) old, (ReadOnlyMemory<byte> Path, ReadOnlyMemory<byte> Header) @new) =>
        new(old.Path, @new.Path, f.Operation, hunks)
    {
        Dialect = dialect,
        LineNumber = f.LineNumber,
        OldHeader = old.Header,
        NewHeader = @new.Header,
        OldMode = f.OldMode,
        NewMode = f.NewMode,
        OldObjectId = f.OldObjectId,
        NewObjectId = f.NewObjectId,
        Similarity = f.Similarity,
        Dissimilarity = f.Dissimilarity,
        Subject = f.Subject,
    };

    private static int LineStart(ReadOnlySpan<byte> bytes, long line)
    {
        int at = 0;
        for (long i = 1; i < line && at < bytes.Length; i++)
        {
            int nl = bytes[at..].IndexOf((byte)'\n');
            at = nl < 0 ? bytes.Length : at + nl + 1;
        }

        return at;
    }

    private static long CountLines(ReadOnlySpan<byte> bytes, int end) => bytes[..end].Count((byte)'\n');

    /// <summary>A context diff's range or cut-off hunk the library's reader stops on: the hunk it is in (the row of
    /// stars before it).</summary>
    private LateFatal? InContextHunk(long line, string message)
    {
        string[] lines = SourceLines();
        if (line < 1)
        {
            return null;
        }

        long at = Math.Min(line, lines.Length) - 1;
        while (at >= 1 && !lines[at - 1].StartsWith("***************", StringComparison.Ordinal))
        {
            at--;
        }

        if (at < 1)
        {
            return null;
        }

        long stars = at; // 1-based line of the row of stars
        // A first hunk (its row of stars right after the file's "*** NAME"/"--- NAME" lines): GNU reads it before it
        // reports the file.
        bool first = stars >= 3 && lines[stars - 2].StartsWith("--- ", StringComparison.Ordinal) && lines[stars - 3].StartsWith("*** ", StringComparison.Ordinal);
        // (A hunk without a file header is a first hunk too, unless it follows a context hunk's lines.)
        first |= _headerless && (stars < 2 || !(IsContextHunkLine(lines[stars - 2]) || lines[stars - 2].StartsWith("*** ", StringComparison.Ordinal)));
        return new LateFatal(stars, message, first);
    }

    /// <summary>A context diff whose last hunk has its old range but the patch ends before its new range: GNU's
    /// "unexpected end of file in patch" (the library's lenient reader keeps what it read).</summary>
    private LateFatal? CutOffContext(PatchDocument doc)
    {
        if (doc.Files is not [.., { Dialect: PatchDialect.Context }])
        {
            return null;
        }

        string[] lines = SourceLines();
        int i = lines.Length - 1;
        while (i >= 0 && !lines[i].StartsWith("***************", StringComparison.Ordinal))
        {
            i--;
        }

        if (i < 0 || i + 1 >= lines.Length || !IsRange(lines[i + 1], '*'))
        {
            return null;
        }

        for (int j = i + 2; j < lines.Length; j++)
        {
            if (IsRange(lines[j], '-'))
            {
                return null;
            }
        }

        return InContextHunk(lines.Length, "unexpected end of file in patch");

        static bool IsRange(string line, char c) => line.Length > 4 && line[0] == c && line[1] == c && line[2] == c && line[3] == ' ' && char.IsAsciiDigit(line[4]);
    }

    /// <summary>Whether a context diff's last hunk still wants lines when the patch ends (its new part shorter than its
    /// range says, or not there): GNU's another_hunk reads a last line without its newline as part of that hunk (and,
    /// for a file's first hunk, once before as intuit_diff_type looks the hunk over), not after it.</summary>
    private bool ContextEndsShort(PatchDocument doc)
    {
        if (doc.Files is not [.., { Dialect: PatchDialect.Context }])
        {
            return false;
        }

        string[] lines = SourceLines();
        int count = lines.Length - (lines[^1].Length == 0 ? 1 : 0);
        int i = count - 1;
        while (i >= 0 && !lines[i].StartsWith("--- ", StringComparison.Ordinal))
        {
            if (lines[i].StartsWith("***************", StringComparison.Ordinal))
            {
                return false; // (no new part: CutOffContext's)
            }

            i--;
        }

        if (i < 0 || !lines[i].EndsWith(" ----", StringComparison.Ordinal))
        {
            return false;
        }

        string[] range = lines[i][4..^5].Split(',');
        int last = 0;
        if (!int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out int first)
            || (range.Length == 2 && !int.TryParse(range[1], NumberStyles.None, CultureInfo.InvariantCulture, out last)) || range.Length > 2)
        {
            return false;
        }

        int wanted = range.Length == 2 ? Math.Max(last - first + 1, 0) : first == 0 ? 0 : 1;
        int read = count - 1 - i;
        return read == 0 || read < wanted;
    }

    /// <summary>Whether any unified hunk may read otherwise with GNU's rules than the library read it: a short hunk, or
    /// more "@@ -" lines than hunks (a header the library passed over as text). Cheap, so the common path stays fast.</summary>
    private bool MayReadOtherwise(PatchDocument doc, ReadOnlySpan<byte> bytes)
    {
        bool markers = HasMarkers(); // (bytes is the patch as read)
        int hunks = 0;
        foreach (FilePatch f in doc.Files)
        {
            if (f.ShortHunk is not null)
            {
                return true;
            }

            hunks += f.Hunks.Count;
            foreach (Hunk h in f.Hunks)
            {
                // A hunk of context lines only, which GNU calls malformed.
                ReadOnlySpan<byte> body = h.Body.Span;
                if (h.OldCount == h.NewCount && f.Dialect is PatchDialect.Unified or PatchDialect.Git
                    && !body.StartsWith("-"u8) && !body.StartsWith("+"u8) && body.IndexOf("\n-"u8) < 0 && body.IndexOf("\n+"u8) < 0)
                {
                    return true;
                }

                if (markers && f.Dialect is PatchDialect.Unified or PatchDialect.Git && MarkerInsideASide(body))
                {
                    return true;
                }
            }
        }

        int headers = bytes.StartsWith("@@ -"u8) ? 1 : 0;
        ReadOnlySpan<byte> rest = bytes;
        int i;
        while ((i = rest.IndexOf("\n@@ -"u8)) >= 0)
        {
            headers++;
            rest = rest[(i + 5)..];
        }

        return headers > hunks;
    }

    /// <summary>Whether the patch as read (<see cref="UsePatch"/>) has a '\' line ("\ No newline at end of file") at
    /// all: one scan of it, dropped when the patch is read again.</summary>
    private bool HasMarkers() => _markers ??= _patchBytes.Span.IndexOf("\n\\"u8) >= 0;

    private bool? _markers;

    /// <summary>Whether a unified hunk's body has a '\' line ("\ No newline at end of file") that may not follow the
    /// last line of a side: GNU reads such a line as a hunk line it cannot place ("malformed patch"). A marker is in
    /// its place when what follows it is the other side's lines alone ('+' lines, or '-' lines), with perhaps that
    /// side's own marker at the end; anything else is left to <see cref="GnuUnifiedScan"/>, which counts.</summary>
    private static bool MarkerInsideASide(ReadOnlySpan<byte> body)
    {
        if (body.StartsWith("\\"u8))
        {
            return true; // before any line
        }

        int at = body.IndexOf("\n\\"u8);
        while (at >= 0)
        {
            ReadOnlySpan<byte> rest = body[(at + 1)..];
            int nl = rest.IndexOf((byte)'\n');
            if (nl < 0 || nl + 1 == rest.Length)
            {
                return false; // the body's last line
            }

            rest = rest[(nl + 1)..];
            byte side = rest[0];
            if (side is not ((byte)'+' or (byte)'-'))
            {
                return true;
            }

            int next = rest.IndexOf("\n\\"u8);
            ReadOnlySpan<byte> lines = next < 0 ? rest : rest[..(next + 1)];
            if (lines.IndexOf(side == '+' ? "\n-"u8 : "\n+"u8) >= 0 || lines.IndexOf("\n "u8) >= 0)
            {
                return true;
            }

            if (next < 0)
            {
                return false;
            }

            // Only that side's marker may follow, as the body's last line.
            ReadOnlySpan<byte> last = rest[(next + 1)..];
            int end = last.IndexOf((byte)'\n');
            return end >= 0 && end + 1 < last.Length;
        }

        return false;
    }

    /// <summary>A message naming a patch line ("at line N") with GNU's count of it (<see cref="MarkersBefore"/>).</summary>
    private string GnuLineNumbers(string message)
    {
        const string At = " at line ";
        int at = message.IndexOf(At, StringComparison.Ordinal);
        int digits = at < 0 ? 0 : message.AsSpan(at + At.Length).IndexOfAnyExceptInRange('0', '9');
        if (digits <= 0 || !long.TryParse(message.AsSpan(at + At.Length, digits), NumberStyles.None, CultureInfo.InvariantCulture, out long line))
        {
            return message;
        }

        return string.Concat(message.AsSpan(0, at + At.Length), (line - MarkersBefore(line)).ToString(CultureInfo.InvariantCulture), message.AsSpan(at + At.Length + digits));
    }

    /// <summary>The patch with a space put before each of the given lines (0-based, in ascending order).</summary>
    private static byte[] WithSpaceBefore(ReadOnlySpan<byte> bytes, List<int> lines)
    {
        var result = new byte[bytes.Length + lines.Count];
        int from = 0;
        int to = 0;
        int line = 0;
        int start = 0;
        foreach (int wanted in lines)
        {
            while (line < wanted)
            {
                start += bytes[start..].IndexOf((byte)'\n') + 1;
                line++;
            }

            bytes[from..start].CopyTo(result.AsSpan(to));
            to += start - from;
            result[to++] = (byte)' ';
            from = start;
        }

        bytes[from..].CopyTo(result.AsSpan(to));
        return result;
    }

    /// <summary>Reads each unified file's hunks as GNU's another_hunk does; the first that GNU cannot read, or the
    /// number of blank lines GNU takes as cut off the end of the patch; the lines starting with a tab it reads as context
    /// go to <paramref name="tabLines"/>.</summary>
    private (LateFatal? Late, int Pads) ScanUnified(PatchDocument doc, List<int> tabLines)
    {
        string[] lines = SourceLines();
        for (int n = 0; n < doc.Files.Count; n++)
        {
            FilePatch f = doc.Files[n];
            if (f.Dialect is not (PatchDialect.Unified or PatchDialect.Git))
            {
                continue;
            }

            long limit = n + 1 < doc.Files.Count ? doc.Files[n + 1].LineNumber - 1 : lines.Length;
            // GNU reads the first "@@ -" line after the file's header as its first hunk header, whatever came
            // between (a lone "---" line before it, text the library passed over).
            int i = (int)Math.Max(f.LineNumber - 1, 0);
            while (i < limit && !lines[i].StartsWith("@@ -", StringComparison.Ordinal))
            {
                i++;
            }

            if (i >= limit)
            {
                continue;
            }

            var scan = new GnuUnifiedScan(lines, i);
            LateFatal? found = scan.Run();
            tabLines.AddRange(scan.TabLines);
            if (found is { } late)
            {
                return (late with { Message = GnuLineNumbers(late.Message) }, 0);
            }

            if (scan.Pads > 0)
            {
                return (null, scan.Pads);
            }

            if (HunkAfterHeaderLine(lines, scan.Next, limit) is { } later)
            {
                return (later with { Message = GnuLineNumbers(later.Message) }, 0);
            }
        }

        return (null, 0);
    }

    /// <summary>Text the library finds no file in (the whole patch, or the lines before its first file up to
    /// <paramref name="limit"/>, 0-based), where GNU takes a "@@ -" line after a lone "---" or "+++" line (a header
    /// without its other half) as a unified hunk it cannot read: the file is reported, then GNU's words ("missing line
    /// number", "malformed patch").</summary>
    private LateFatal? LoneHeaderHunk(long limit) =>
        HunkAfterHeaderLine(SourceLines(), 0, limit) is { } late ? late with { Message = GnuLineNumbers(late.Message) } : null;

    /// <summary>Whether a line before line <paramref name="line"/> (1-based) starts with "@@ -": read only up to there.</summary>
    private static bool HunkLineBefore(ReadOnlySpan<byte> bytes, long line)
    {
        ReadOnlySpan<byte> lead = bytes[..LineStart(bytes, line)];
        return lead.StartsWith("@@ -"u8) || lead.IndexOf("\n@@ -"u8) >= 0;
    }

    /// <summary>Text after a file's hunks that the library passed over: GNU looks for the next patch there, and after
    /// a header line ("--- ", "+++ ", "Index:", "diff --git ") takes the first "@@ -" line as a unified hunk header,
    /// which it may not be able to read ("missing line number").</summary>
    private static LateFatal? HunkAfterHeaderLine(string[] lines, int from, long limit)
    {
        bool header = false;
        for (int j = from; j < limit && j < lines.Length - 1; j++)
        {
            string line = lines[j];
            if (header && line.StartsWith("@@ -", StringComparison.Ordinal))
            {
                return new GnuUnifiedScan(lines, j).Run();
            }

            header |= line.StartsWith("--- ", StringComparison.Ordinal) || line.StartsWith("+++ ", StringComparison.Ordinal)
                || line.StartsWith("Index:", StringComparison.Ordinal) || line.StartsWith("diff --git ", StringComparison.Ordinal);
        }

        return null;
    }

    /// <summary>GNU patch's reading of unified hunks (pch.c's another_hunk): lines starting with '#' are comments, an
    /// empty line or one starting with a tab is context, a '\' line ends a side's last line, anything else inside the
    /// counts is "malformed patch"; at the end of the patch up to two missing lines are taken as blank context lines
    /// that were cut off, more are "unexpected end of file in patch".</summary>
    private sealed class GnuUnifiedScan(string[] lines, int start)
    {
        private int _i = start;

        public int Pads { get; private set; }

        /// <summary>The line (0-based) after the hunks read.</summary>
        public int Next => _i;

        /// <summary>The lines (0-based) starting with a tab that GNU reads as context lines, tab and all.</summary>
        public List<int> TabLines { get; } = [];

        /// <summary>The lines of the patch (its last element is what follows the last newline).</summary>
        private int End => lines.Length - 1;

        public LateFatal? Run()
        {
            int hunks = 0;
            while (_i < End && lines[_i].StartsWith("@@ -", StringComparison.Ordinal))
            {
                int header = _i;
                // (GNU reports the file before it reads a unified file's first hunk.)
                string? headerError = Header(lines[header], header + 1, out int ptrn, out int repl);
                if (headerError is not null)
                {
                    return new LateFatal(header + 1, headerError, Before: false);
                }

                _i++;
                string? bodyError = Body(ptrn, repl);
                if (bodyError is not null)
                {
                    return new LateFatal(header + 1, bodyError, Before: false);
                }

                hunks++;
            }

            return null;
        }

        private static string? Header(string line, int number, out int ptrn, out int repl)
        {
            int s = 4;
            string missing = string.Create(CultureInfo.InvariantCulture, $"missing line number at line {number}: {line}\n");
            string malformed = string.Create(CultureInfo.InvariantCulture, $"malformed patch at line {number}: {line}\n");
            repl = 1;
            if (!Range(ref s, out ptrn))
            {
                return missing;
            }

            if (s >= line.Length || line[s] != '+')
            {
                return malformed;
            }

            s++;
            if (!Range(ref s, out repl))
            {
                return missing;
            }

            return s < line.Length && line[s] == '@' ? null : malformed;

            // One side's range: a start, an optional ",count" (1 without it), an optional space after it.
            bool Range(ref int s, out int count)
            {
                count = 1;
                if (!Number(line, ref s, out _))
                {
                    return false;
                }

                if (s < line.Length && line[s] == ',')
                {
                    s++;
                    if (!Number(line, ref s, out count))
                    {
                        return false;
                    }
                }

                if (s < line.Length && line[s] == ' ')
                {
                    s++;
                }

                return true;
            }
        }

        private static bool Number(string line, ref int s, out int value)
        {
            int begin = s;
            long v = 0;
            while (s < line.Length && char.IsAsciiDigit(line[s]))
            {
                v = Math.Min(v * 10 + (line[s] - '0'), int.MaxValue);
                s++;
            }

            value = (int)v;
            return s > begin;
        }

        private string? Body(int ptrn, int repl)
        {
            int fillsrc = 1;
            int filldst = ptrn + 2;
            int end = ptrn + repl + 1;
            bool changes = false;
            string line = string.Empty;
            int number = _i;
            while (fillsrc <= ptrn || filldst <= end)
            {
                if (_i >= End)
                {
                    if (lines[End].Length > 0)
                    {
                        return null; // a last line without its newline: not read the GNU way here
                    }

                    if (end - filldst >= 3)
                    {
                        return "unexpected end of file in patch";
                    }

                    line = " ";
                    Pads++;
                }
                else
                {
                    line = lines[_i++];
                    number = _i;
                    if (line.StartsWith('#'))
                    {
                        continue;
                    }
                }

                if (line.StartsWith('\t'))
                {
                    TabLines.Add(number - 1);
                }

                char ch = line.Length == 0 || line[0] == '\t' ? ' ' : line[0];
                switch (ch)
                {
                    case '-':
                        if (fillsrc > ptrn)
                        {
                            return Malformed(number, line);
                        }

                        EndOfSide(fillsrc == ptrn);
                        fillsrc++;
                        break;
                    case '=' or ' ':
                        if (fillsrc > ptrn || filldst > end)
                        {
                            return Malformed(number, line);
                        }

                        EndOfSide(fillsrc == ptrn);
                        EndOfSide(filldst == end);
                        fillsrc++;
                        filldst++;
                        break;
                    case '+':
                        if (filldst > end)
                        {
                            return Malformed(number, line);
                        }

                        EndOfSide(filldst == end);
                        filldst++;
                        break;
                    default:
                        return Malformed(number, line);
                }

                changes |= ch is '-' or '+';
            }

            return changes ? null : Malformed(number, line);
        }

        /// <summary>A '\' line ("\ No newline at end of file") after the last line of a side goes with it.</summary>
        private void EndOfSide(bool last)
        {
            if (last && _i < End && lines[_i].StartsWith('\\'))
            {
                _i++;
            }
        }

        private static string Malformed(int number, string line) =>
            string.Create(CultureInfo.InvariantCulture, $"malformed patch at line {number}: {line}\n");
    }
}
