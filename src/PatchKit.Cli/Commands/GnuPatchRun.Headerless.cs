using PatchKit.Diffs;

namespace PatchKit.Cli.Commands;

/// <summary>Hunks that no file header names. GNU patch 2.7.6 needs a header before a hunk only when it is not told the
/// file to patch (ORIGFILE) and not under POSIX (patch.c: <c>there_is_another_patch (! (inname || posixly_correct))</c>):
/// then a bare <c>@@</c> hunk or context hunk, at the start or after text that ended the patch before, starts a patch
/// of its own, applied to ORIGFILE, or, without one, a file it cannot find ("can't find file to patch").</summary>
internal sealed partial class GnuPatchRun
{
    /// <summary>Whether hunks without a file header are read (ORIGFILE given, or POSIX asked for).</summary>
    private bool _headerless;

    /// <summary>How the drop-in reads a patch: leniently, no normal diffs guessed, hunks without a header read when GNU
    /// reads them.</summary>
    private PatchParseOptions GnuRead => new() { Lenient = true, ReadNormalDiffs = false, HunksWithoutHeaders = _headerless };

    /// <summary>Where a normal diff starts after text when GNU reads without needing a header (ORIGFILE, POSIX): its
    /// first command line followed by a <c>&lt; </c> or <c>&gt; </c> line, when no line that could start another kind of
    /// diff comes before it; <see langword="null"/> otherwise. Read from the bytes (a unified or context patch, the
    /// common case, answers at its first line, without the whole input made into lines).</summary>
    private static int? NormalFirst(ReadOnlySpan<byte> text)
    {
        for (int n = 0; ; n++)
        {
            int end = text.IndexOf((byte)'\n');
            if (end < 0)
            {
                return null;
            }

            ReadOnlySpan<byte> line = text[..end];
            text = text[(end + 1)..];
            if (line.StartsWith("@@ -"u8) || line.StartsWith("*** "u8) || line.StartsWith("--- "u8) || line.StartsWith("+++ "u8)
                || line.StartsWith("********"u8) || line.StartsWith("diff --git "u8) || line.StartsWith("Index:"u8) || line.SequenceEqual("."u8))
            {
                return null;
            }

            if ((text.StartsWith("< "u8) || text.StartsWith("> "u8)) && IsNormalCommand(System.Text.Encoding.UTF8.GetString(line).TrimEnd('\r')))
            {
                return n;
            }
        }
    }

    /// <summary>The normal diffs and ed scripts read between or after the other patches (<see cref="WithPatchesBetween"/>),
    /// each with its last line (1-based).</summary>
    private readonly Dictionary<FilePatch, int> _readBetween = new(ReferenceEqualityComparer.Instance);

    /// <summary>The ed scripts among <see cref="_readBetween"/> (stand-ins without hunks): their first and end lines
    /// (0-based) and the line their leading text starts at.</summary>
    private readonly Dictionary<FilePatch, (int Lead, int Start, int End)> _edBetween = new(ReferenceEqualityComparer.Instance);

    /// <summary>The normal diff among <see cref="_readBetween"/> with a command GNU cannot read, the last one read, and
    /// where and how GNU stops in it.</summary>
    private (FilePatch File, LateFatal Late)? _lateBetween;

    /// <summary>GNU looks for any kind of patch again after each one. Where it needs no header (ORIGFILE, POSIX), or
    /// after an <c>Index:</c> line, a normal diff or an ed script before the next header (or after the last patch) is
    /// a patch of its own: of ORIGFILE, else of the <c>Index:</c> name, else of a file it cannot find. The document
    /// with those put in their places, or <see langword="null"/> when there are none. (Looked for only when a line
    /// starting with <c>&lt; </c>, <c>&gt; </c> or a "." line is in the patch: the common input is not read again.)</summary>
    private PatchDocument? WithPatchesBetween(PatchDocument document, ReadOnlyMemory<byte> bytes, string? origFile)
    {
        ReadOnlySpan<byte> span = bytes.Span;
        if (_s.Format is not PatchInputFormat.Guess
            || (span.IndexOf("\n< "u8) < 0 && span.IndexOf("\n> "u8) < 0 && span.IndexOf("\n.\n"u8) < 0))
        {
            return null;
        }

        string[] lines = SourceLines();
        int count = lines.Length - (lines[^1].Length == 0 ? 1 : 0);
        var files = new List<FilePatch>();
        int from = _edScriptsEnd;
        for (int i = 0; i <= document.Files.Count; i++)
        {
            int nextStart = i < document.Files.Count ? LineStart(span, document.Files[i].LineNumber) : span.Length;
            while (from >= 0 && PatchBetween(lines, from, count) is { } found)
            {
                int end = found.Ed ? EdScriptEnd(lines, found.Start, 0, count) : 0;
                LateFatal? bad = found.Ed ? null : BadNormalHunk(lines, found.Start);
                FilePatch? read = found.Ed ? EdStandIn(found, origFile) : NormalBetween(bytes, found, origFile, bad, out end);
                // (Before the first file, one without an Index: line before it is read on the other paths.)
                if (read is null || LineStart(span, end + 1) > nextStart || (files.Count == 0 && !found.Indexed))
                {
                    break;
                }

                if (found.Ed)
                {
                    _edBetween[read] = (from, found.Start, end);
                }

                _readBetween[read] = end;
                files.Add(read);
                if (bad is { } stop)
                {
                    // GNU stops at the command it cannot read: nothing after it is read.
                    _lateBetween = (read, stop);
                    return new PatchDocument(document.Source, files) { Preamble = document.Preamble };
                }

                from = end;
            }

            if (i < document.Files.Count)
            {
                files.Add(document.Files[i]);
                from = document.Files[i].Hunks.Count == 0 && GitBinaryLine(document.Files[i]) is null ? -1 : (int)EndLine(document.Files[i]);
            }
        }

        return files.Count == document.Files.Count ? null : new PatchDocument(document.Source, files) { Preamble = document.Preamble };
    }

    /// <summary>GNU's intuit_diff_type from line <paramref name="from"/> (0-based) looking for a normal diff or an ed
    /// script only: its first line, whether an <c>Index:</c> line came before it and the name GNU reads there; <see langword="null"/> at a line that may
    /// start another kind of patch first, or at the end. (A header is needed unless ORIGFILE or POSIX says otherwise or
    /// an <c>Index:</c> line came; indented and other unusual shapes are left to the other paths.)</summary>
    private (int Start, bool Ed, bool Indexed, string? Index)? PatchBetween(string[] lines, int from, int count)
    {
        bool needHeader = !_headerless;
        string? index = null;
        bool indexed = false;
        int firstCommand = -1;
        bool lastWasCommand = false;
        for (int n = from; n < count; n++)
        {
            string s = lines[n];
            if (s.StartsWith('#'))
            {
                continue;
            }

            if (s.StartsWith("Index:", StringComparison.Ordinal))
            {
                index = IndexLineName(s) ?? index; // (a line GNU reads no name from keeps the one before)
                (needHeader, lastWasCommand, indexed) = (false, false, true);
                continue;
            }

            if (s.StartsWith("--- ", StringComparison.Ordinal) || s.StartsWith("+++ ", StringComparison.Ordinal) || s.StartsWith("*** ", StringComparison.Ordinal)
                || s.StartsWith("@@ -", StringComparison.Ordinal) || s.StartsWith("diff --git ", StringComparison.Ordinal) || s.StartsWith("********", StringComparison.Ordinal)
                || s.StartsWith("Prereq:", StringComparison.Ordinal) || (s.Length > 0 && s[0] is ' ' or '\t' or 'X'))
            {
                return null;
            }

            if (needHeader)
            {
                continue;
            }

            if (lastWasCommand && (s.StartsWith("< ", StringComparison.Ordinal) || s.StartsWith("> ", StringComparison.Ordinal)))
            {
                return (n - 1, false, indexed, index);
            }

            lastWasCommand = IsNormalCommand(s.TrimEnd('\r'));
            if (firstCommand < 0 && (lastWasCommand || EdLetter(s) != '\0'))
            {
                firstCommand = n;
            }

            if (firstCommand >= 0 && s == ".")
            {
                return (firstCommand, true, indexed, index);
            }
        }

        return null;
    }

    /// <summary>The <c>Index:</c> name (as written) an ed script or normal diff found between patches is of (without
    /// ORIGFILE), when that file is there after <c>-p</c>; <see langword="null"/> for none.</summary>
    private string? IndexNameThere(string? index) =>
        index is not null && Safe(Stripped(index)) is { } name && Present(Full(name)) ? index : null;

    /// <summary>A stand-in (no hunks) for an ed script found between patches: it names the file the script is run on
    /// (after <c>-p</c>).</summary>
    private FilePatch EdStandIn((int Start, bool Ed, bool Indexed, string? Index) found, string? origFile)
    {
        string? target = origFile ?? (IndexNameThere(found.Index) is { } index ? Safe(Stripped(index)) : null);
        ReadOnlyMemory<byte> name = target is null ? ReadOnlyMemory<byte>.Empty : System.Text.Encoding.UTF8.GetBytes(target);
        return new FilePatch(name, name, FileOperation.Modify, []) { Dialect = PatchDialect.Ed, LineNumber = found.Start + 1 };
    }

    /// <summary>The normal diff that starts at line <c>Start</c> (0-based) read up to the first line that is none of
    /// its, and the line (0-based) after it; <see langword="null"/> when its hunks cannot be read. With a command GNU
    /// cannot read (<paramref name="bad"/>), the hunks before it (maybe none), up to that command.</summary>
    private FilePatch? NormalBetween(ReadOnlyMemory<byte> bytes, (int Start, bool Ed, bool Indexed, string? Index) found, string? origFile, LateFatal? bad, out int endLine)
    {
        // (Read with the lines before it left blank: line numbers kept.)
        int start = LineStart(bytes.Span, found.Start + 1);
        byte[] blanked = [.. Enumerable.Repeat((byte)'\n', found.Start), .. bytes.Span[start..]];
        int end = bad is { } stop ? LineStart(blanked, stop.HunkLine) : blanked.Length;
        FilePatch? read = bad?.HunkLine == found.Start + 1
            ? new FilePatch(default, default, FileOperation.Modify, []) { Dialect = PatchDialect.Normal, LineNumber = found.Start + 1 }
            : NormalRead(blanked, found.Start, ref end);
        endLine = (int)CountLines(blanked, end);
        if (read is null || (read.Hunks.Count == 0 && bad is null))
        {
            return null;
        }

        if (origFile is not null || IndexNameThere(found.Index) is not { } named)
        {
            return read;
        }

        ReadOnlyMemory<byte> name = System.Text.Encoding.UTF8.GetBytes(named);
        return new FilePatch(name, name, FileOperation.Modify, read.Hunks) { Dialect = PatchDialect.Normal, LineNumber = read.LineNumber };
    }

    /// <summary>The normal diff in <paramref name="blanked"/> up to <paramref name="end"/>, which moves back to the
    /// line its reader stops at when text follows; <see langword="null"/> when its hunks cannot be read.</summary>
    private static FilePatch? NormalRead(byte[] blanked, int startLine, ref int end)
    {
        try
        {
            return PatchDocument.ParseNormal(blanked.AsMemory(0, end)).Files is [var read] ? read : null;
        }
        catch (PatchFormatException ex) when (ex.LineNumber > startLine + 1)
        {
            // Text after it: the normal diff ends before the line its reader stops at.
            end = LineStart(blanked, ex.LineNumber);
            try
            {
                return PatchDocument.ParseNormal(blanked.AsMemory(0, end)).Files is [var read] ? read : null;
            }
            catch (PatchFormatException)
            {
                return null; // (a hunk cut short there)
            }
        }
        catch (PatchFormatException)
        {
            return null;
        }
    }

    /// <summary>The text before a normal diff read after text (<c>-n</c>, or without needing a header), as GNU shows it.</summary>
    private void NormalLeadText()
    {
        if (_normalLead is not { } leadLines)
        {
            return;
        }

        _say.WriteLine("The text leading up to this was:");
        _say.WriteLine("--------------------------");
        foreach (string line in leadLines)
        {
            _say.WriteLine("|" + line);
        }

        _say.WriteLine("--------------------------");
    }
}
