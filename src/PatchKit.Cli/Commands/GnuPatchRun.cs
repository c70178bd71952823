using System.Buffers;
using System.Globalization;
using System.Text;
using PatchKit.Diffs;
using PatchKit.Cli.Native;
using PatchKit.Cli.Rendering;

namespace PatchKit.Cli.Commands;

/// <summary>One run of the GNU patch drop-in: the file patches in order, each reported, applied, backed up and its
/// rejects written before the next one starts, as GNU patch does.</summary>
internal sealed partial class GnuPatchRun : IDisposable
{
    /// <summary>The mode of a file GNU patch creates for <c>-o</c>: its private temporary file's.</summary>
    private const UnixFileMode OutputMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly CliContext _context;
    private readonly GnuPatchSettings _s;
    private readonly TextWriter _say;
    private readonly HashSet<string> _outputs = new(StringComparer.Ordinal);

    /// <summary>The reject files this run wrote (full paths).</summary>
    private readonly HashSet<string> _rejectFilesWritten = new(StringComparer.Ordinal);

    /// <summary>An -o FILE that was there before the run (GNU empties it when it opens it, before the patch is read).</summary>
    private string? _outputThere;

    /// <summary>The files of the patch the run came to (read, or found missing).</summary>
    private readonly HashSet<string> _filesMet = new(StringComparer.Ordinal);

    /// <summary>The files this run has written (GNU's CREATED file ids): GNU backs up only the original of a file, not
    /// what it wrote itself earlier in the run. A file queued for removal is taken out (GNU marks it DELETE_LATER).</summary>
    private readonly HashSet<string> _created = new(StringComparer.Ordinal);
    private string _root = string.Empty;
    private ReadOnlyMemory<byte> _patchBytes;

    /// <summary>The patch with <paramref name="count"/> blank lines (<paramref name="line"/>) after its end.</summary>
    private static byte[] WithBlankLines(ReadOnlyMemory<byte> bytes, ReadOnlySpan<byte> line, int count)
    {
        var padded = new byte[bytes.Length + (line.Length * count)];
        bytes.Span.CopyTo(padded);
        for (int i = 0; i < count; i++)
        {
            line.CopyTo(padded.AsSpan(bytes.Length + (i * line.Length)));
        }

        return padded;
    }

    /// <summary>Makes <paramref name="bytes"/> the patch as read from now on (read again: a line cut off or put back,
    /// lines left blank, headers or spaces added) and drops what was made from the patch before: its text, its lines
    /// and whether it has "\ No newline" lines.</summary>
    private void UsePatch(ReadOnlyMemory<byte> bytes)
    {
        _patchBytes = bytes;
        (_sourceText, _sourceLines, _markers) = (null, null, null);
    }

    /// <summary>The patch's lines before a damaged git binary patch's data was replaced (same count), to show as given.</summary>
    private string[]? _linesAsGiven;
    private MappedInput? _patchMap;
    private MappedInput? _originalMap;
    private string? _sourceText;
    private string[]? _sourceLines;
    private bool _failed;
    private FileStream? _tty;
    private bool _ttyOpened;
    private readonly Rendering.NameQuoting _quoting;
    private AtomicWrite.TempFiles? _temps;
    private ArrayBufferWriter<byte> _applied = new();

    public GnuPatchRun(CliContext context, GnuPatchSettings settings)
    {
        _context = context;
        _s = settings;
        _quoting = Rendering.NameQuoting.From(settings.QuotingStyle);
        _posixly = settings.Posix || Environment.GetEnvironmentVariable("POSIXLY_CORRECT") is not null;

        // With -o -, the patched text is the standard output and every message goes to standard error.
        _say = settings.Output == "-" ? context.Error : context.Output;
    }

    public void Flush() => _context.Output.Flush();

    /// <summary>Removes a temporary file left unused and unmaps the files read.</summary>
    public void Dispose()
    {
        _temps?.Dispose();
        ((IDisposable?)_originalMap)?.Dispose();
        ((IDisposable?)_patchMap)?.Dispose();
    }

    /// <summary>Before a file is written in place (not through a rename): a mapped file read by the run that is that
    /// file becomes a private copy first, so cutting it short cannot fault its readers.</summary>
    private void BeforeWriteInPlace(string path)
    {
        _patchMap?.BeforeWrite(path);
        _originalMap?.BeforeWrite(path);
    }

    private static UnixFileMode GetMode(string path) =>
        OperatingSystem.IsWindows() ? UnixFileMode.UserRead | UnixFileMode.UserWrite : File.GetUnixFileMode(path);

    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    public int Execute(List<string> operands)
    {
        try
        {
            int exit = ExecuteCore(operands);
            OutputWriteErrorAtEnd();
            RemoveAtEnd();
            return exit;
        }
        finally
        {
            EmptyUnwrittenOutput(operands);
        }
    }

    /// <summary>GNU's delete_files: at the end of a run that was not stopped, each file a patch removed that no later
    /// patch wrote is backed up (when asked) and removed, its emptied folders too; <c>--verbose</c> says so.</summary>
    private void RemoveAtEnd()
    {
        foreach (var (full, name, backup, link, owner, again) in _removeAtEnd)
        {
            if (!File.Exists(full) && new FileInfo(full).LinkTarget is null)
            {
                if (again && _s.Verbose)
                {
                    _say.WriteLine($"Removing {(link ? "symbolic link" : "file")} {Quote(name)}");
                }

                if (again && backup)
                {
                    // A git diff's second removal of the file: GNU's move_file finds it gone, its backup is empty.
                    Backup(name, exists: false);
                }

                continue;
            }

            if (_s.Verbose)
            {
                _say.WriteLine($"Removing {(link ? "symbolic link" : "file")} {Quote(name)}");
            }

            if (backup)
            {
                AtomicWrite.SetOwner(Backup(name, exists: true), owner);
            }

            File.Delete(full);
            RemoveEmptyParents(Path.GetDirectoryName(full));
        }

        _removeAtEnd.Clear();
    }

    private bool RemovedAtEnd(string full) => _removeAtEnd.Exists(r => r.Full == full);

    /// <summary>GNU empties an -o FILE that was there when it opens it, before it reads the patch; the drop-in reads
    /// first (so that -o naming the file patched loses nothing) and empties FILE after the run when nothing was written
    /// to it and it is neither a file the run read nor the patch itself.</summary>
    private void EmptyUnwrittenOutput(List<string> operands)
    {
        string? patchFile = operands.Count == 2 ? operands[1] : _s.Input;
        if (_outputThere is { } full && !_filesMet.Contains(full) && !_outputs.Contains(full)
            && (patchFile is null or "-" || Full(patchFile) != full) && File.Exists(full))
        {
            try
            {
                using var emptied = new FileStream(full, FileMode.Truncate, FileAccess.Write);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Left as it is: the run's own answer stands.
            }
        }
    }

    private int ExecuteCore(List<string> operands)
    {
        _root = _s.Directory is null ? _context.WorkingDirectory : _context.Resolve(_s.Directory);
        if (!Directory.Exists(_root) || _s.Directory is "")
        {
            throw new GnuPatchFatalException($"Can't change to directory {Quote(_s.Directory!)} : No such file or directory");
        }

        string? patchFile = operands.Count == 2 ? operands[1] : _s.Input;
        if (_s.Output is { } output && output != "-")
        {
            // GNU opens -o FILE before it reads the patch: a folder that is missing stops it before anything, and a
            // FILE that was not there is left (empty, mode 0600) whatever happens after, --dry-run too.
            string full = Full(output);
            StopOnTheWay(full, output, $"Can't create file {Quote(output)}");
            if (!Directory.Exists(Path.GetDirectoryName(full)))
            {
                throw new GnuPatchFatalException($"Can't create file {Quote(output)} : No such file or directory");
            }

            StopAtFolder(full, $"Can't create file {Quote(output)} : Is a directory", throughLink: true);

            if (!OutputThere(full))
            {
                try
                {
                    WriteOutput(full, []);
                }
                catch (PathTooLongException)
                {
                    throw new GnuPatchFatalException($"Can't create file {Quote(output)} : File name too long");
                }
            }
            else
            {
                _outputThere = full;
            }
        }

        ReadOnlyMemory<byte> bytes;
        _temps = new AtomicWrite.TempFiles(_root);
        if (patchFile is not null && patchFile != "-")
        {
            string path = Path.IsPathRooted(patchFile) ? patchFile : Path.Combine(_root, patchFile);
            if (Directory.Exists(path))
            {
                // (GNU opens a folder, and its read of it fails.)
                throw new GnuPatchFatalException("read error : Is a directory");
            }

            if (FileOnTheWay(path))
            {
                throw new GnuPatchFatalException($"Can't open patch file {patchFile} : Not a directory");
            }

            try
            {
                (bytes, _patchMap) = MappedInput.Read(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new GnuPatchFatalException($"Can't open patch file {patchFile} : {Errno(ex)}");
            }
        }
        else
        {
            using Stream input = _context.OpenInput();
            using var ms = new MemoryStream();
            input.CopyTo(ms);
            bytes = ms.ToArray();
        }

        UsePatch(bytes);
        string? origFile = operands.Count >= 1 ? operands[0] : null;
        _headerless = origFile is not null || _posixly;
        if (ForcedKind(bytes, origFile) is { } forced)
        {
            return forced;
        }

        if (_edScriptsEnd > 0)
        {
            // Ed scripts ran: the rest is read as GNU reads it after them, whatever kind was given, with the scripts'
            // lines left blank (line numbers kept) and never shown as leading text.
            bytes = (byte[])[.. Enumerable.Repeat((byte)'\n', _edScriptsEnd), .. bytes.Span[LineStart(bytes.Span, _edScriptsEnd + 1)..]];
            UsePatch(bytes);
            _s.Format = PatchInputFormat.Guess;
        }

        if (_s.Format is PatchInputFormat.Ed)
        {
            return ApplyWhole(origFile, bytes);
        }

        if (((_s.Format is PatchInputFormat.Normal && NormalAfterText(SourceLines()) is int lead)
                || (_headerless && _s.Format is PatchInputFormat.Guess && NormalFirst(bytes.Span) is int guessed && (lead = guessed) >= 0))
            && lead > 0 && !PatchDocument.LooksLikeNormalDiff(bytes.Span))
        {
            // -n and text before the normal diff: GNU reads on to its first command (the text is what leads up to
            // it). Read with that text's lines left blank (line numbers kept).
            _normalLead = SourceLines()[..lead];
            bytes = (byte[])[.. Enumerable.Repeat((byte)'\n', lead), .. bytes.Span[LineStart(bytes.Span, lead + 1)..]];
            UsePatch(bytes);
        }

        // A normal diff given with ORIGFILE: its hunks (no context) go the way of any other, found at an offset,
        // reversed, rejected, as GNU patch does.
        bool normal = (PatchDocument.LooksLikeNormalDiff(bytes.Span) || GnuNormalStart(SourceLines())) && (_s.Format is PatchInputFormat.Normal || (_headerless && _s.Format is PatchInputFormat.Guess));
        bool partialLine = !normal && bytes.Length > 0 && bytes.Span[^1] != (byte)'\n';
        ReadOnlyMemory<byte> whole = bytes;
        if (partialLine)
        {
            // GNU reads no last line without its newline: it says so when it comes to it, and reads on as if the
            // patch ended before it.
            bytes = bytes[..(bytes.Span.LastIndexOf((byte)'\n') + 1)];
            // (Lines made before, with that line among them, are dropped: a hunk it would fill is cut off, as GNU reads it.)
            UsePatch(bytes);
        }

        PatchDocument document;
        LateFatal? late;
        bool padded;
    readAgain:
        (late, padded) = (null, false);
        try
        {
            late = normal ? BadNormalHunk(SourceLines()) : null;
            document = late is not null ? NormalPrefix(bytes, late.Value)
                : normal ? PatchDocument.ParseNormal(bytes) : PatchDocument.Parse(bytes, GnuRead);
            late ??= normal ? null : CutOffContext(document) ?? GarbageInContextHunk(document);
            if (late is null && _contextPads > 0)
            {
                // GNU fills a context hunk's new section that the patch's end cuts short with blank unchanged lines, and
                // its left-out old section from them too: read again with them there.
                padded = true;
                bytes = WithBlankLines(bytes, "  \n"u8, _contextPads);
                UsePatch(bytes);
                document = PatchDocument.Parse(bytes, GnuRead);
            }

            if (late is null && !normal && MayReadOtherwise(document, bytes.Span))
            {
                if (WithGnuHunkHeaders(bytes.Span) is { } gnuHeaders)
                {
                    // Headers GNU reads that the library would pass over: read again in the library's form.
                    bytes = gnuHeaders;
                    UsePatch(bytes);
                    document = PatchDocument.Parse(bytes, GnuRead);
                }

                var tabLines = new List<int>();
                (late, int pads) = ScanUnified(document, tabLines);
                if (tabLines.Count > 0)
                {
                    // GNU reads a hunk line starting with a tab as context, tab and all (a space eaten on the way);
                    // the library ends the hunk there. Read again with the space put back.
                    bytes = WithSpaceBefore(bytes.Span, tabLines);
                    UsePatch(bytes);
                    document = PatchDocument.Parse(bytes, GnuRead);
                }

                if (pads > 0)
                {
                    padded = true;
                    // GNU takes up to two lines missing at the end of the patch as blank context lines cut off.
                    bytes = WithBlankLines(bytes, " \n"u8, pads);
                    UsePatch(bytes);
                    document = PatchDocument.Parse(bytes, GnuRead);
                }
            }
        }
        catch (PatchFormatException ex) when (!normal && WithBrokenBinaryReplaced(bytes.Span, ex) is { } replaced)
        {
            // GNU does not read a git binary patch's data: one the library cannot decode (cut short, damaged) is
            // read again with an empty one in its place, line for line, so it is "not supported" as any other.
            // (--verbose shows the lines as they were.)
            _linesAsGiven ??= Encoding.UTF8.GetString(bytes.Span).Split('\n');
            bytes = replaced;
            UsePatch(bytes);
            goto readAgain;
        }
        catch (PatchFormatException ex)
        {
            string message = ContextRangeMessage(ex) ?? "malformed patch: " + ex.Message;
            late = normal ? null : TooLargeLineNumber(ex) ?? InContextHunk(ex.LineNumber, message);
            if (late is null)
            {
                throw new GnuPatchFatalException(message);
            }

            document = new PatchDocument(bytes, []);
        }

        if (late is null && !normal && (document.Files.Count == 0 || HunkLineBefore(bytes.Span, document.Files[0].LineNumber)))
        {
            // (No file read, or a "@@ -" line in the text before the first: off the common path.)
            late = LoneHeaderHunk(document.Files.Count == 0 ? long.MaxValue : document.Files[0].LineNumber - 1);
        }

        if (partialLine && late is null && !padded && MarkerEndsLastHunk(document, bytes.Span, whole.Span[bytes.Length..]))
        {
            // "\ No newline at end of file" without its own newline, right after the last hunk: GNU reads it as
            // the marker it is (its incomplete_line reads up to a newline or the end), and says nothing of it.
            bytes = (byte[])[.. whole.Span, (byte)'\n'];
            UsePatch(bytes);
            document = PatchDocument.Parse(bytes, GnuRead);
            partialLine = false;
        }

        bool forcedKind = _s.Format is PatchInputFormat.Context or PatchInputFormat.Unified or PatchInputFormat.Normal && !normal;
        if (forcedKind)
        {
            document = FirstOfForcedKind(document, bytes, out long firstRead);
            if (late is { } early && early.HunkLine < firstRead)
            {
                // GNU reads no hunk there (text before the first diff of the kind, a git diff's hunks it passes over).
                late = null;
            }
        }

        // (A first hunk cut off by the end of the patch is read before its file is reported: a last line without its
        // newline is read then, and said of before the stop.)
        _partialLineAtStop = partialLine && late is { Before: true, Message: "unexpected end of file in patch" };
        _partialLineInHunk = partialLine && (late is not null || document.Files is [.., { ShortHunk: { } cut } last] && cut.Index == last.Hunks.Count - 1 || padded
            || ContextEndsShort(document));

        bool failingFileKept = false;
        if (late is not null && normal)
        {
            failingFileKept = true; // (read up to there already)
        }
        else if (late is { } bad)
        {
            // GNU patches the files before the hunk it cannot read (and tries that file's earlier hunks) before it stops.
            document = Prefix(bytes, bad, out failingFileKept);
            if (forcedKind)
            {
                document = FirstOfForcedKind(document, document.Source, out _);
            }
        }

        document = WithoutHeaderOnly(document, failingFileKept);
        if (late is not null && document.Files.Count == 0)
        {
            StopBefore(late.Value);
        }

        if (!partialLine && late is null && !normal && WithPatchesBetween(document, bytes, origFile) is { } withBetween)
        {
            document = withBetween;
        }

        if (document.Files.Count == 0)
        {
            if (whole.IsEmpty)
            {
                // (An empty patch is no patch and no garbage; a blank line is garbage. GNU still looks for one.)
                if (_s.Verbose)
                {
                    _say.WriteLine("Hmm...  I can't seem to find a patch in there anywhere.");
                }

                return ExitCodes.Success;
            }

            if (_s.Verbose)
            {
                _say.Write("Hmm...");
            }

            if (partialLine)
            {
                // Read as GNU looks for a patch.
                PartialLineNote();
            }

            if (_s.Verbose)
            {
                _say.WriteLine("  I can't seem to find a patch in there anywhere.");
            }

            throw new GnuPatchFatalException("Only garbage was found in the patch input.");
        }

        long previousEnd = _edScriptsEnd;
        // GNU reads the line after the last hunk as it looks for another hunk (and says so of a partial line there),
        // then again as it looks for another patch.
        // (A line read within the last hunk leaves nothing after it.)
        bool trailing = TrailingText(document.Files[^1], bytes.Span, out bool partialRightAfter);

        trailing |= partialLine && !_partialLineInHunk;
        (_document, _fileIndex) = (document, null);
        foreach (FilePatch f in document.Files)
        {
            _context.CancellationToken.ThrowIfCancellationRequested();
            if (_edBetween.TryGetValue(f, out var script))
            {
                // (An ed script GNU found between the patches: run as those before the others are.)
                SayVerbose($"Hmm...  {(previousEnd == 0 ? "L" : "The next patch l")}ooks like an ed script to me...\n");
                RunEdScript(bytes, SourceLines(), (script.Lead, script.Start, script.End, 0), f.OldPath, readToEnd: false, appendOutput: true);
                previousEnd = EndLine(f);
                continue;
            }

            _link = IsLinkPatch(f);
            if (_endFatal is not null && f.Dialect != PatchDialect.Git)
            {
                // GNU writes the git diffs' files it deferred before a patch of another kind: it stops there, and says
                // so again as it cleans up. (After another git diff it goes on, writing nothing more, and stops at
                // the end.)
                _say.Flush();
                _context.Error.WriteLine("patch: **** " + _endFatal);
                throw new GnuPatchFatalException(_endFatal);
            }

            _partialLineDue = partialLine && !_partialLineAtStop && ReferenceEquals(f, document.Files[^1]) && (_partialLineInHunk || partialRightAfter || (f.Hunks.Count == 0 && GitBinaryLine(f) is null));
            if (failingFileKept && ReferenceEquals(f, document.Files[^1]))
            {
                (_lateFatal, _lateHunkLine) = (late!.Value.Message, late.Value.HunkLine);
            }
            else if (_lateBetween is { } between && ReferenceEquals(f, between.File))
            {
                (_lateFatal, _lateHunkLine) = (between.Late.Message, between.Late.HunkLine);
            }

            if (_s.Verbose)
            {
                _say.Write("Hmm...");
            }

            if (_partialLineDue && ((!_partialLineInHunk && f.Hunks.Count == 0) || (_partialLineInHunk && f.Dialect == PatchDialect.Context && f.Hunks.Count == 1 && late is null)))
            {
                // The line stands where the file's first hunk would: GNU reads it as it looks at the file's header
                // (and again as it looks for the hunk); or it ends a context diff's first hunk, which GNU reads once
                // as it looks the header over (and again as it applies it).
                PartialLineNote();
                _partialLineDue = true;
            }

            if (_s.Get != 0 && origFile is null && !_posixly)
            {
                // GNU gets a missing version-controlled file while it reads the patch header.
                GetMissing(f);
            }

            if (_s.Verbose && CannotMove(f, origFile) is null)
            {
                bool oldStyle = f.Dialect == PatchDialect.Context && IsOldStyleContext(f);
                if (oldStyle && HasSeveralChanges(f.Hunks[0]))
                {
                    // GNU reads the first hunk here already and says so of it, as again when it applies it.
                    _say.WriteLine(Fascinating);
                }

                string looks = $"  {(previousEnd == 0 ? "L" : "The next patch l")}ooks like a {f.Dialect switch { PatchDialect.Git when f.BinaryPatch is not null && f.Hunks.Count == 0 => "git binary", PatchDialect.Context => oldStyle ? "context" : "new-style context", PatchDialect.Normal => "normal", _ => "unified" }} diff to me...";
                // (When the file is not found, GNU shows the text after its "can't find file" lines.)
                _leadingTextDeferred = (f.Dialect != PatchDialect.Normal || _readBetween.ContainsKey(f)) && WillNotFind(f, origFile, previousEnd);
                long leadingFrom = previousEnd;
                // GNU asks whether a patch that creates, deletes or empties a file is reversed as it reads the
                // header, before it says what the patch looks like (and says nothing of it when skipped).
                _announce = () =>
                {
                    _say.WriteLine(looks);
                    StrippingCrsNote(f);
                    if ((f.Dialect != PatchDialect.Normal || _readBetween.ContainsKey(f)) && !_leadingTextDeferred)
                    {
                        LeadingText(f, leadingFrom);
                    }
                    else if (f.Dialect == PatchDialect.Normal && leadingFrom == 0 && origFile is not null)
                    {
                        // (Without ORIGFILE a normal diff names no file: the text follows "can't find file to patch".)
                        NormalLeadText();
                    }
                };
            }

            HeldGitOutputs(f);
            ApplyOne(f, origFile, previousEnd);
            _afterGitDiff = f.Dialect == PatchDialect.Git;
            Announce();
            _temps.End(); // a turn that wrote nothing leaves no temporary file
            LateFatalNow();
            previousEnd = EndLine(f);
        }

        if (late is { } stop)
        {
            StopBefore(stop);
        }

        TrailingGarbage(trailing, partialLine && !_partialLineInHunk);
        if (_s.Verbose)
        {
            _say.WriteLine("done"); // (then the files removed at the end: RemoveAtEnd)
        }

        if (_endFatal is not null)
        {
            throw new GnuPatchFatalException(_endFatal);
        }

        return _failed ? ExitCodes.Partial : ExitCodes.Success;
    }

    private long EndLine(FilePatch f)
    {
        if (_readBetween.TryGetValue(f, out int lastLine))
        {
            return lastLine;
        }

        if (f.Hunks.Count == 0)
        {
            return GitHeaderEnd(f) - 1 ?? GitBinaryLine(f) - 1 ?? f.LineNumber;
        }

        Hunk last = f.Hunks[^1];
        if (f.Dialect != PatchDialect.Context)
        {
            long bodyEnd = last.LineNumber + last.Body.Span.Count((byte)'\n');
            if (!last.Body.Span.Overlaps(_patchBytes.Span))
            {
                // A body copied without the "#" lines GNU passes over inside the hunk: they end it later.
                string[] source = SourceLines();
                for (long i = last.LineNumber; i < bodyEnd && i < source.Length; i++)
                {
                    if (source[i].StartsWith('#'))
                    {
                        bodyEnd++;
                    }
                }
            }

            return bodyEnd;
        }

        // A context hunk has other lines than its unified body (two ranges, sections that may be left out): walk
        // the patch from its first range to the first line that is none of the hunk's.
        string[] lines = SourceLines();
        long end = last.LineNumber;
        while (end < lines.Length)
        {
            // "#" lines within the hunk too (GNU's pget_line passes them over); after its last line they are text.
            long next = end;
            while (next < lines.Length && lines[next].StartsWith('#'))
            {
                next++;
            }

            if (next >= lines.Length || !IsContextHunkLine(lines[next]) || (next > end && lines[next].Length == 0 && next == lines.Length - 1))
            {
                break;
            }

            end = next + 1;
        }

        return end;
    }

    private static bool IsContextHunkLine(string line) =>
        (line.Length >= 2 && line[1] == ' ' && line[0] is ' ' or '-' or '+' or '!')
        || line.StartsWith('\\') || line.Length == 0 || line == "\r"
        || (line.StartsWith("--- ", StringComparison.Ordinal) && line.Length > 4 && char.IsAsciiDigit(line[4]));

    /// <summary>The patch's lines, decoded only when a message quotes the patch (a missing file, --verbose) or a
    /// context diff's end is looked for.</summary>
    private string[] SourceLines()
    {
        _sourceText ??= Encoding.UTF8.GetString(_patchBytes.Span);
        return _sourceLines ??= _sourceText.Split('\n');
    }

    private string Full(string relative) => Path.IsPathRooted(relative) ? relative : Path.Combine(_root, relative);

    private static string Errno(Exception ex) => ex switch
    {
        FileNotFoundException or DirectoryNotFoundException => "No such file or directory",
        UnauthorizedAccessException => "Permission denied",
        _ => ex.Message,
    };

    /// <summary>GNU's name for a side after <c>-p</c>: the base name without <c>-p</c>; <see langword="null"/> when
    /// the name has too few components or is <c>/dev/null</c>.</summary>
    private string? Stripped(string? name)
    {
        if (name is null)
        {
            return null;
        }

        if (_s.Strip is not { } strip)
        {
            int slash = name.LastIndexOf('/');
            return slash < 0 ? name : name[(slash + 1)..] is { Length: > 0 } b ? b : null;
        }

        string rest = name;
        for (int i = 0; i < strip; i++)
        {
            int slash = rest.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                return null;
            }

            rest = rest[(slash + 1)..].TrimStart('/');
        }

        return rest.Length == 0 ? null : rest;
    }

    /// <summary>GNU patch 2.7's guard: an absolute name, or one with a <c>..</c> component, is never used.</summary>
    private string? Safe(string? name)
    {
        if (name is null)
        {
            return null;
        }

        if (name.StartsWith('/'))
        {
            _say.WriteLine("Ignoring potentially dangerous file name " + Quote(name));
            return null;
        }

        foreach (string part in name.Split('/'))
        {
            if (part == "..")
            {
                return null;
            }
        }

        return name;
    }

    private string Quote(string name) => _quoting.Quote(name);

    private string Unquoted(string name) => new Rendering.NameQuoting(Rendering.QuotingStyle.Literal, _quoting.Utf8Locale).Quote(name);

    /// <summary>A name GNU prints without quotearg: as it is, but for control characters (<c>?</c>, as the literal
    /// style writes them: the drop-in's one deviation there).</summary>

    /// <summary>What GNU reads the file patch as doing: a git rename or copy without both its lines patches the file in
    /// place, and a unified diff's creation (deletion) is read from its first hunk header's "-0" ("+0") alone (an
    /// epoch date or /dev/null with a hunk elsewhere names a file to patch).</summary>
    private FileOperation GnuOperation(FilePatch f)
    {
        FileOperation op = HalfMove(f) ? FileOperation.Modify : f.Operation;
        return f.Dialect == PatchDialect.Unified && f.Hunks.Count > 0 && (op == FileOperation.Add ? f.Hunks[0].OldStart != 0 : op == FileOperation.Delete && f.Hunks[0].NewStart != 0)
            ? FileOperation.Modify
            : op;
    }

    private void ApplyOne(FilePatch f, string? origFile, long previousEnd)
    {
        _current = f;
        _headerFrom = previousEnd;
        bool reverse = _s.Reverse;
        FileOperation op = GnuOperation(f);

        bool creates = reverse ? op == FileOperation.Delete : op == FileOperation.Add;
        bool deletes = reverse ? op == FileOperation.Add : op == FileOperation.Delete;
        int hunks = f.Hunks.Count;
        // A git patch of a symbolic link (mode 120000): the link's target is its text, read and written as a link.
        bool link = _link; // (set for the patch by the loop)
        if (!System.Text.Unicode.Utf8.IsValid(f.OldPathBytes.Span) || !System.Text.Unicode.Utf8.IsValid(f.NewPathBytes.Span))
        {
            // Its file system calls take decoded names, which would turn each invalid byte into U+FFFD and patch
            // another file (caf\xe9.txt and caf\xe8.txt would both be caf\uFFFD.txt): refuse, and point to apply,
            // which addresses files by their bytes.
            Announce();
            string shown = Quote(FileNames.Decode((f.NewPathBytes.IsEmpty ? f.OldPathBytes : f.NewPathBytes).Span));
            _say.WriteLine($"File {shown} is not named in UTF-8; the drop-in cannot patch it yet (patchkit apply can)");
            _say.WriteLine($"{hunks} out of {hunks} hunk{(hunks == 1 ? string.Empty : "s")} ignored");
            _failed = true;
            return;
        }

        (string? oldPath, string? newPath) = ReadNames(f, op);
        string? oldName = Safe(oldPath);
        string? newName = Safe(newPath);
        // GNU reads a git "index 0000000..X" line as saying the old file is not there, "new file mode" or not: a
        // creation (of nothing, without hunks: no file is written), questioned where the file is there; and
        // "index X..0000000" as a deletion, questioned where the file is not there and not done where the file is
        // left with lines. (With -R the other way round.)
        bool indexCreates = op == FileOperation.Modify && origFile is null && !_posixly && IndexSaysNoFile(f, oldSide: !reverse)
            && (hunks == 0 || (oldName is not null && Present(Full(oldName))) || (newName is not null && Present(Full(newName))));
        creates |= indexCreates;
        deletes |= op == FileOperation.Modify && origFile is null && !_posixly && !indexCreates && IndexSaysNoFile(f, oldSide: reverse);

        if (CannotMove(f, origFile) is { } move)
        {
            // GNU says so as it reads the header, and passes the patch over (no "patching file", no reject file).
            _say.WriteLine($"Cannot {move} file without two valid file names");
            _ = Skipped(hunks);
            return;
        }

        string? name;
        bool forcedCreate = false;
        bool forcedDelete = false;
        if (origFile is not null)
        {
            name = origFile;
        }
        else if (f.Dialect == PatchDialect.Git && op == FileOperation.Rename)
        {
            // GNU reads the first of the two names that is there (CannotMove made sure one is), forward or with -R.
            name = oldName is not null && Present(Full(oldName)) ? oldName : newName;
        }
        else if (_posixly)
        {
            // POSIX's way (GNU's --posix, POSIXLY_CORRECT): the first name that is there, or none; no file is
            // created where none is, nor is a creation or deletion questioned.
            name = oldName is not null && Present(Full(oldName)) ? oldName
                : newName is not null && Present(Full(newName)) ? newName
                : PosixIndexName(f, previousEnd) is { } index && IsSafe(index) && Present(Full(index)) ? index
                : null;
            forcedCreate = creates && name is not null && File.Exists(Full(name)) && new FileInfo(Full(name)).Length > 0;
        }
        else if (creates)
        {
            name = reverse ? oldName : newName;
        }
        else
        {
            bool oldThere = oldName is not null && Present(Full(oldName));
            bool newThere = newName is not null && Present(Full(newName));
            name = oldThere && newThere ? BestName(oldName!, newName!) : oldThere ? oldName : newThere ? newName : null;
            if (name is null && hunks > 0 && (reverse ? f.Hunks[0] is { NewStart: 0, NewCount: 0 } : f.Hunks[0] is { OldStart: 0, OldCount: 0 }))
            {
                name = newName ?? oldName;
                creates = true;
            }
        }

        bool reversedByQuestion = false; // GNU does not ask again of the hunks whether they are reversed
        bool readAgain = false;
        if (name is null && deletes && !_posixly && (oldName ?? newName) is { } gone)
        {
            Answer a = AskSkip($"The next patch{(reverse ? ", when reversed," : string.Empty)} would delete the file {Quote(gone)},\nwhich does not exist!", hunks, reverse);
            if (a == Answer.Skip)
            {
                return;
            }

            name = gone;
            // A file a git diff just before removed (at the end of the run) is not there to the question; but GNU
            // looks at it again as the patches turn from git diffs to others, and reads it as it is.
            readAgain = _afterGitDiff && f.Dialect != PatchDialect.Git && RemovedAtEnd(Full(gone)) && File.Exists(Full(gone));
            if (a == Answer.Reverse)
            {
                reverse = !reverse;
                reversedByQuestion = true;
                (creates, deletes) = (true, false);
                forcedCreate = readAgain; // (its hunks then fail on the file's lines)
            }
            else
            {
                // Applied anyway: GNU reads the missing file as empty, so its hunks fail and go to the reject file.
                forcedDelete = !readAgain;
            }
        }

        if (name is null && op == FileOperation.Modify && origFile is null && !_posixly && hunks > 0 && IndexSaysNoFile(f, oldSide: !reverse)
            && (newName ?? oldName) is { } absent)
        {
            // GNU reads "index 0000000.." as a creation whatever the hunks say: hunks not at line 0 all fail on the
            // missing file (with a backup on mismatch, GNU then stops: "Can't reopen file").
            Announce(f);
            MissingOrigFile(f, absent, reverse);
            return;
        }

        if (name is null && !creates && !deletes && !_posixly && hunks > 0 && SaysEmptied(f, reverse) && (newName ?? oldName) is { } vanished)
        {
            // GNU reads a first hunk whose new side starts at line 0 ("+0,0": it leaves no lines, as diff -U0 writes
            // the removal of a file's first lines) as the deletion of the file, so a missing file is not asked for
            // but questioned as a deletion; applied anyway, every hunk fails on the missing file.
            Answer a = AskSkip($"The next patch{(reverse ? ", when reversed," : string.Empty)} would delete the file {Quote(vanished)},\nwhich does not exist!", hunks, reverse);
            if (a == Answer.Skip)
            {
                return;
            }

            name = vanished;
            if (a == Answer.Apply && _s.Force && _s.Merge is null)
            {
                MissingOrigFile(f, name, reverse);
                return;
            }

            if (a == Answer.Apply)
            {
                // Answered on a terminal (or merging: GNU merges into the file read as empty, and writes it): the
                // hunks are tried on the file read as empty, reversed ones asked about.
                forcedDelete = true;
            }
            else
            {
                reverse = !reverse;
                creates = true;
            }
        }

        if (name is null && (name = CantFind(f, previousEnd)) is null)
        {
            return;
        }

        string path = Full(name);
        bool exists = readAgain || Present(path);
        bool ofKind = exists && OfPatchedKind(path, link);
        if (link && exists && new FileInfo(path).LinkTarget is null)
        {
            // A git symlink change where the name is something else (GNU asks nothing first).
            Announce(f);
            _say.WriteLine($"File {Quote(name)} is not a symbolic link -- refusing to patch");
            Ignored(f, name, hunks, reverse);
            return;
        }

        if (creates && ofKind && !forcedCreate && (link || new FileInfo(path).Length > 0))
        {
            Answer a = AskSkip($"The next patch{(reverse ? ", when reversed," : string.Empty)} would create the file {Quote(name)},\nwhich already exists!", hunks, reverse);
            if (a == Answer.Skip)
            {
                return;
            }

            if (a == Answer.Reverse)
            {
                reverse = !reverse;
                reversedByQuestion = true;
                (creates, deletes) = (false, true);
            }
            else
            {
                forcedCreate = true;
            }
        }

        // (A deletion says so too, unless its old side says the file is empty: GNU's maybe_reverse.)
        bool emptyThere = ofKind && new FileInfo(path).Length == 0;
        if (((!creates && hunks > 0 && !_posixly && (SaysEmptied(f, reverse) || (deletes && !SaysEmptied(f, !reverse)))) || indexCreates
            || (!creates && !_posixly && LateFirstHunkEmpties(f, reverse)))
            && emptyThere)
        {
            // The same reading when the file is there but empty: GNU asks whether the patch, which would empty it,
            // is reversed.
            Answer a = AskSkip($"The next patch{(reverse ? ", when reversed," : string.Empty)} would empty out the file {Quote(name)},\nwhich is already empty!", hunks, reverse);
            if (a == Answer.Skip)
            {
                return;
            }

            if (a == Answer.Reverse)
            {
                reverse = !reverse;
                reversedByQuestion = true;
                deletes = indexCreates; // (the "index 0000000.." side is then the new one: a deletion)
                creates = false;
            }
        }

        Announce(f);

        // (Only hunks that all have old lines, the first also new ones: GNU would apply an empty old side to the empty
        // file, or take the first hunk as reversed; those cases still go the CantFind way.)
        if (!creates && !exists && origFile is not null && hunks > 0
            && f.Hunks.All(h => (reverse ? h.NewCount : h.OldCount) > 0) && (reverse ? f.Hunks[0].OldCount : f.Hunks[0].NewCount) > 0)
        {
            MissingOrigFile(f, name, reverse);
            return;
        }

        if (!creates && !exists && !forcedDelete)
        {
            if ((name = CantFind(f, previousEnd)) is null)
            {
                return;
            }

            path = Full(name);
            exists = true;
        }

        if (exists && !link && !OfPatchedKind(path, link))
        {
            // GNU patches a symbolic link only as a git symlink change, or through it with --follow-symlinks; and
            // never a folder, a FIFO or a device.
            _say.WriteLine($"File {Quote(name)} is not a regular file -- refusing to patch");
            Ignored(f, name, hunks, reverse);
            return;
        }

        if (exists && !link && !_s.DryRun && _s.Output is null && (GetMode(path) & UnixFileMode.UserWrite) == 0 && !Writable(path))
        {
            if (_s.ReadOnly == "fail")
            {
                _say.WriteLine($"File {Quote(name)} is read-only; refusing to patch");
                Ignored(f, name, hunks, reverse);
                return;
            }

            if (_s.ReadOnly == "warn")
            {
                _say.WriteLine($"File {Quote(name)} is read-only; trying to patch anyway");
            }
        }

        string outName = _s.Output ?? (f.Dialect == PatchDialect.Git && op is FileOperation.Rename or FileOperation.Copy ? (reverse ? oldName : newName) ?? name : name);
        if (f.IsBinary && f.BinaryPatch is not null)
        {
            // GNU patch 2.7.6 does not apply git binary patches; as a drop-in, neither does this (patchkit apply does).
            _failed = true;
            if (!_s.DryRun && _s.Output is null)
            {
                // GNU has made its temporary output file beside the file by then: a missing folder is left made.
                Directory.CreateDirectory(Path.GetDirectoryName(Full(name))!);
            }

            _say.WriteLine($"File {Quote(outName)}: git binary diffs are not supported.");
            return;
        }

        if (!_s.DryRun && _s.Output is null && ThroughUnsafeLink(Full(outName)))
        {
            // GNU cannot make its temporary output file there (it follows no symbolic link that leaves the tree or
            // is absolute): nothing is written, no reject file.
            _say.WriteLine($"Invalid file name {Quote(outName)} -- skipping patch");
            _failed = true;
            IgnoredHunks(f, reverse, rejects: false);
            return;
        }

        BeginTemporaryOutput(outName);

        if (!_s.Silent)
        {
            string verb = _s.DryRun ? "checking" : "patching";
            // (GNU names the file read as it is, in every quoting style; a control character is "?", as the literal
            // style's deviation.)
            // GNU names the file read when it is not the one written, a git copy or rename as such (-o too); a
            // rename onto the name read is "already renamed" from the patch's other name.
            bool moves = f.Dialect == PatchDialect.Git && op is FileOperation.Rename or FileOperation.Copy;
            string how = !moves ? "read" : op == FileOperation.Copy ? "copied" : "renamed";
            string extra = outName != name ? $" ({how} from {Unquoted(name)})"
                : moves && op == FileOperation.Rename ? $" (already renamed from {Unquoted((name == oldName ? newName : oldName) ?? name)})"
                : string.Empty;
            _say.WriteLine($"{verb} {(link ? "symbolic link" : "file")} {Quote(outName)}{extra}");
        }

        if (_s.Verbose)
        {
            _say.WriteLine("Using Plan A...");
        }

        ((IDisposable?)_originalMap)?.Dispose();
        _originalMap = null;
        ReadOnlyMemory<byte> original = ReadOnlyMemory<byte>.Empty;
        _filesMet.Add(path);
        if (exists && link && NativeStat.ReadLink(path) is { } linkTarget)
        {
            original = linkTarget;
        }
        else if (exists)
        {
            (original, _originalMap) = MappedInput.Read(path);
        }

        DateTime? originalTime = exists && (_s.SetUtc || _s.SetTime) ? File.GetLastWriteTimeUtc(path) : null; // for -Z/-T only
        var options = new ApplyOptions
        {
            // GNU applies without fuzz in merge mode: what does not apply exactly is merged instead.
            Fuzz = _s.Merge is not null ? 0 : _s.Fuzz,
            Reverse = reverse,
            IgnoreWhitespace = _s.IgnoreWhitespace,
            DetectReversed = !_s.Force && !reversedByQuestion,
            SkipAlreadyApplied = _s.Forward,
            StripComponents = 0,
        };
        FilePatch target = (creates && exists) || deletes || (op == FileOperation.Modify && f.Operation is FileOperation.Add or FileOperation.Delete) ? AsModify(f) : f;
        if (f.SavedWithCrLf)
        {
            // GNU strips every CR of a patch saved with CR LF ends (then only LF files match); --binary keeps them
            // (then only CR LF files match). Either way the library's own CR handling is not used.
            target = WithLineEnds(target, strip: !_s.Binary);
        }

        // GNU counts lines by the patch's hunks, also when -D rewrites them.
        FilePatch counted = target;
        if (_s.IfDef is not null)
        {
            target = GnuIfDef.Transform(target, _s.IfDef, reverse);
        }

        string[]? mergeReports = null;
        byte[]? mergedSoFar = null;
        int[] failedAt = new int[target.Hunks.Count];
        int[] shifts = new int[target.Hunks.Count];
        ReadOnlyMemory<byte> result;
        FileApplyResult r;
        bool mismatch = false;
        if (_s.Merge is not null && !forcedCreate)
        {
            // GNU neither fuzzes nor asks about reversed patches in merge mode: each hunk is applied where its old
            // lines are found exactly, else merged (GnuMergeFile).
            var merge = new GnuMergeFile(GnuMergeFile.Lines(original.ToArray()), _s.Merge == "diff3", _s.IgnoreWhitespace, _s.Verbose, _s.Silent);
            mergeReports = new string[target.Hunks.Count];
            var merged = System.Collections.Immutable.ImmutableArray.CreateBuilder<HunkResult>(target.Hunks.Count);
            for (int i = 0; i < target.Hunks.Count; i++)
            {
                var (report, hunkFailed, at, outOffset) = merge.Merge(i + 1, GnuMergeHunk.From(target.Hunks[i], reverse));
                mergeReports[i] = report;
                failedAt[i] = at;
                shifts[i] = outOffset;
                merged.Add(new HunkResult(i, hunkFailed ? HunkStatus.Failed : HunkStatus.Applied, at, 0, 0, hunkFailed ? "misordered hunks" : null));
            }

            if (_lateFatal is not null)
            {
                // GNU merges each hunk into its output as it goes, context included: that is what -o keeps.
                mergedSoFar = Encoding.Latin1.GetBytes(merge.Output);
            }

            merge.Finish();
            result = Encoding.Latin1.GetBytes(merge.Output);
            r = FileApplyResult.Create(name, target, merged.MoveToImmutable(), reverse);
            mismatch = merge.Mismatch;
            if (merge.Conflicts)
            {
                _failed = true;
            }
        }
        else
        {
            result = ApplyInOrder(target, counted, original, out r, options);
            if (_s.IfDef is not null && options.DetectReversed && !r.ReversedDetected
                && (r.Hunks.Any(h => h.Status != HunkStatus.Applied) || (r.Hunks.Length > 0 && r.Hunks[0].Fuzz > 0)))
            {
                // GNU looks for a reversed patch in the patch's own hunks, not in the #ifdef text -D writes, and it
                // does so at each fuzz factor before trying the next (a first hunk placed with fuzz may be reversed).
                _ = Apply(counted, original, out FileApplyResult plain, options);
                if (plain.ReversedDetected)
                {
                    r = plain; // (the text is made again once the question is answered)
                }
                else
                {
                    // The check wrote over the run's one output buffer: the #ifdef text is made again.
                    result = ApplyInOrder(target, counted, original, out r, options);
                }
            }
        }

        if (forcedCreate)
        {
            // GNU patch applies a creation's hunks to the file that is there; they expect it empty, so all fail.
            result = original;
            r = FailAll(name, f, reverse);
        }

        if (r.ReversedDetected)
        {
            if (hunks == 1 && _partialLineDue && _partialLineInHunk && _lateFatal is null)
            {
                // GNU asks once it has read the first hunk, here the last.
                PartialLineNote();
            }

            mismatch = true;
            string detected = reverse ? "Unreversed patch detected!" : "Reversed (or previously applied) patch detected!";
            if (_s.Forward)
            {
                _say.WriteLine(detected + "  Skipping patch.");
                Ignored(f, outName, hunks, reverse);
                return;
            }

            bool assume;
            bool anyway = false;
            if (_s.Batch)
            {
                _say.WriteLine(detected + (reverse ? "  Ignoring -R." : "  Assuming -R."));
                assume = true;
            }
            else
            {
                assume = Ask(detected + (reverse ? "  Ignore -R? [n] " : "  Assume -R? [n] ")) is ['y', ..];
                if (!assume)
                {
                    anyway = Ask("Apply anyway? [n] ") is ['y', ..];
                    if (!anyway)
                    {
                        if (!_s.Silent)
                        {
                            _say.WriteLine("Skipping patch.");
                        }

                        Ignored(f, outName, hunks, reverse);
                        return;
                    }
                }
            }

            options.Reverse = assume ? !reverse : reverse;
            options.DetectReversed = false;
            options.SkipAlreadyApplied = false;
            reverse = options.Reverse;
            if (_s.IfDef is not null)
            {
                target = GnuIfDef.Transform(counted, _s.IfDef, reverse);
            }

            result = ApplyInOrder(target, counted, original, out r, options);
            if (assume)
            {
                (creates, deletes) = (deletes, creates);
                if (creates && original.Length > 0)
                {
                    // Reversed into a creation of a file that is there and not empty: as GNU, every hunk fails.
                    result = original;
                    r = FailAll(name, f, reverse);
                }
            }
        }

        if (r.Error is not null)
        {
            _failed = true;
            _context.Error.WriteLine(TerminalText.Message(r.Error));
            return;
        }

        if (mergeReports is null)
        {
            // GNU names a failed hunk's line, and numbers its reject, by where the hunk says it starts moved by the lines
            // the hunks applied before it added or removed.
            int outOffset = 0;
            foreach (HunkResult h in r.Hunks)
            {
                Hunk hunk = counted.Hunks[h.Index];
                if (h.Status == HunkStatus.Applied)
                {
                    outOffset += reverse ? hunk.OldCount - hunk.NewCount : hunk.NewCount - hunk.OldCount;
                }
                else
                {
                    failedAt[h.Index] = (h.Reason == Misordered ? h.Line : GnuFirst(hunk, reverse)) + outOffset;
                    shifts[h.Index] = outOffset;
                }
            }
        }

        int failed = 0;
        int ifDefLines = 0;
        int fascinatingHunk = _s.Verbose && f.Dialect == PatchDialect.Context && IsOldStyleContext(f) ? FirstWithSeveralChanges(f) : -1;
        foreach (HunkResult h in r.Hunks)
        {
            int number = h.Index + 1;
            int reported = h.Line - ifDefLines;
            if (h.Status == HunkStatus.Applied && !ReferenceEquals(target, counted))
            {
                // -D: GNU numbers lines as if the #ifdef lines were not there.
                Hunk written = target.Hunks[h.Index];
                Hunk read = counted.Hunks[h.Index];
                ifDefLines += (reverse ? written.OldCount - written.NewCount : written.NewCount - written.OldCount)
                    - (reverse ? read.OldCount - read.NewCount : read.NewCount - read.OldCount);
            }

            if (_partialLineDue && _partialLineInHunk && _lateFatal is null && h.Index == r.Hunks.Length - 1)
            {
                PartialLineNote();
            }

            if (h.Index == fascinatingHunk)
            {
                _say.WriteLine(Fascinating);
            }

            if (mergeReports is null && _lateFatal is null && f.Dialect is PatchDialect.Unified or PatchDialect.Git
                && WritesEmptyLine(counted.Hunks[h.Index].Body.Span, h.Status == HunkStatus.Applied, reverse))
            {
                // GNU stops as it writes the hunk (before it reports it), leaving the file as it was.
                _lateFatal = WriteErrorMessage(f);
                break;
            }

            if (mergeReports is null && _lateFatal is null && h.Status == HunkStatus.Applied
                && OutOfSyncWhenApplied(counted.Hunks[h.Index], reverse) is { } outOfSync)
            {
                // The same as it applies a context hunk whose sections are out of step.
                _lateFatal = outOfSync;
                break;
            }

            if (mergeReports is not null)
            {
                _say.Write(mergeReports[h.Index]);
            }

            if (h.Status == HunkStatus.Applied && mergeReports is not null)
            {
                continue;
            }

            if (h.Status == HunkStatus.Applied)
            {
                if (h.Offset != 0 || h.Fuzz != 0)
                {
                    mismatch = true;
                }

                if (_s.Merge is null && (_s.Verbose || (!_s.Silent && (h.Offset != 0 || h.Fuzz != 0))))
                {
                    string fuzz = h.Fuzz != 0 ? $" with fuzz {h.Fuzz}" : string.Empty;
                    string offset = h.Offset != 0 ? $" (offset {h.Offset} line{(h.Offset == 1 ? string.Empty : "s")})" : string.Empty;
                    _say.WriteLine($"Hunk #{number} succeeded at {reported}{fuzz}{offset}.");
                }
            }
            else
            {
                failed++;
                mismatch = true;
                if (h.Reason == Misordered)
                {
                    _say.WriteLine(Misordered); // (said even under -s)
                }

                if (!_s.Silent)
                {
                    int at = failedAt[h.Index];
                    _say.WriteLine($"Hunk #{number} FAILED at {at}{(DifferentLineEndings(target.Hunks[h.Index], reverse, original.Span, at, target.Dialect) ? " (different line endings)" : string.Empty)}.");
                    if (_s.ExplainFailures && h.Diagnosis is { } d)
                    {
                        foreach (string line in d.GetReportLines())
                        {
                            _say.WriteLine("  " + TerminalText.Message(line));
                        }
                    }
                }
            }
        }

        // A later hunk GNU cannot read: it stops here, before the file is written (-o FILE keeps what was written).
        if (mergeReports is null)
        {
            PartialOutput(target, r, result.Span, reverse);
        }
        else if (mergedSoFar is not null)
        {
            PartialOutput(mergedSoFar);
        }

        LateFatalNow();

        // As GNU: whether hunks failed or not, a deletion that leaves the file empty removes it, and one that does
        // not says so (and -E removes any file left empty).
        // (POSIX's way keeps an emptied file unless -E.)
        bool deleteFile = deletes && result.Length == 0 && !_posixly;
        if (deletes && result.Length != 0 && _s.Output is null && (_s.RemoveEmpty || !_posixly))
        {
            _failed = true;
            _say.WriteLine($"Not deleting file {Quote(name)} as content differs from patch");
        }
        bool removeEmpty = (_s.RemoveEmpty || link) && result.Length == 0;
        if (_s.DryRun && _s.Output == "-")
        {
            WriteStandardOutput(result.Span);
        }
        else if (_s.DryRun && _s.Output is { } dryOutput)
        {
            // GNU's --dry-run still writes the patched text into -o FILE (one file after the other), or to -o -.
            string outPath = Full(dryOutput);
            IntoOutput(outPath, result.Span, append: !_outputs.Add(outPath));
        }

        if (!_s.DryRun)
        {
            bool backup = _s.Backup || (mismatch && _s.BackupIfMismatch);
            if (_s.Output == "-")
            {
                WriteStandardOutput(result.Span);
            }
            else
            {
                string outPath = Full(outName);
                int? oldGitMode = reverse ? f.NewMode : f.OldMode;
                int? newGitMode = reverse ? f.OldMode : f.NewMode;
                bool changesMode = newGitMode is not null && newGitMode != oldGitMode;
                // (GNU queues a git diff's file to write it later: behind a file it stops at, it is never written.)
                bool stoppedBefore = _endFatal is not null && f.Dialect == PatchDialect.Git && !creates;
                // (An output left empty that GNU removes goes its deletion's way, whatever failed: the backup is
                // then the original renamed, time and all.)
                bool untouched = stoppedBefore || (!(deleteFile || removeEmpty) && ((exists && failed == hunks) || hunks == 0) && _s.Output is null && !changesMode
                    && !(f.Dialect == PatchDialect.Git && op is FileOperation.Rename or FileOperation.Copy));
                (uint Uid, uint Gid)? owner = exists && !link && _s.Output is null ? AtomicWrite.OwnerOf(path) : null;
                // (A git rename emptied: GNU removes the new name only, and stops when it is not there.)
                bool renamedEmpty = !stoppedBefore && (deleteFile || removeEmpty) && _s.Output is null && outName != name;
                if (renamedEmpty && !File.Exists(outPath))
                {
                    throw new GnuPatchFatalException($"Can't get file attributes of file {outName} : No such file or directory");
                }

                bool removedAtEnd = !stoppedBefore && (deleteFile || removeEmpty) && _s.Output is null && ((outName == name && exists) || renamedEmpty);
                // A second removal of a file an earlier patch of the run removes (GNU queues it again: a plain diff's
                // entry is then skipped, a git diff's finds the file gone at the end and makes an empty backup).
                bool removedAgain = !stoppedBefore && (deleteFile || removeEmpty) && _s.Output is null && outName == name && !exists && RemovedAtEnd(outPath);
                // A git rename's source: removed (and backed up) at the end of the run too.
                bool sourceRemovedAtEnd = !stoppedBefore && !untouched && !(deleteFile || removeEmpty) && outName != name && exists
                    && _s.Output is null && op != FileOperation.Copy;
                if (stoppedBefore)
                {
                    // Nothing written, nothing backed up.
                }
                else if (removedAgain)
                {
                    if (f.Dialect == PatchDialect.Git)
                    {
                        _removeAtEnd.Add((outPath, outName, backup, link, owner, true));
                    }
                }
                else if (untouched && backup && link && exists)
                {
                    // GNU copies a file left as it is for its backup, refusing to follow a symbolic link as it opens
                    // it: the backup is left empty, and it stops (as it writes git diffs' files: before the next
                    // patch, or after the last).
                    ReplaceWithEmpty(Full(BackupName(name)));
                    _endFatal ??= $"Can't reopen file {Quote(name)} : Too many levels of symbolic links";
                }
                else if (untouched)
                {
                    // GNU leaves a file none of whose hunks applied (or that has none: a git diff read without hunks
                    // under -c or -n too) as it is, time and all; its backup is then a copy with the file's mode (the
                    // process's owner, the time of the copy).
                    if (backup && exists)
                    {
                        string copy = BackupName(name);
                        StopAtFolder(Full(copy), $"Can't create file {Quote(copy)} : Is a directory");
                        BackupCopy(path, Full(copy));
                    }
                }
                else if (backup && _s.Output is null && !removedAtEnd)
                {
                    // (Of a file that was not there, an empty backup, as GNU's.)
                    // The original as it was (GNU renames it): content, mode, time, owner and group. A git copy's
                    // file copied from is not changed, so only the name written gets a backup; a git rename backs up
                    // both names. (A file an earlier patch of the run removes is still there: its backup is a copy.)
                    if ((outName == name || (op != FileOperation.Copy && !sourceRemovedAtEnd)) && !(exists && _created.Contains(path)))
                    {
                        AtomicWrite.SetOwner(Backup(name, exists || RemovedAtEnd(path)), owner);
                    }

                    if (outName != name && !(File.Exists(outPath) && _created.Contains(outPath)))
                    {
                        Backup(outName, File.Exists(outPath));
                    }
                }

                if (removedAtEnd)
                {
                    // GNU removes the file (and makes its backup) at the end of the run, and only when the run gets
                    // there: until then it is there, and not there for the patches that follow.
                    _removeAtEnd.Add((outPath, outName, backup, link, owner, false));
                    _created.Remove(outPath);
                    _temps!.End();
                }
                else if (removedAgain)
                {
                    // Removed at the end by the earlier patch's entry.
                }
                else if (!stoppedBefore && (deleteFile || removeEmpty) && _s.Output is null)
                {
                    if (File.Exists(outPath))
                    {
                        File.Delete(outPath);
                    }

                    _created.Remove(outPath);
                    _temps!.End(); // not left in a folder that is now empty
                    RemoveEmptyParents(Path.GetDirectoryName(outPath));
                }
                else if (untouched)
                {
                    // Nothing to write.
                }
                else
                {
                    UnixFileMode? mode = exists && !link ? GetMode(path) : null;
                    int? gitMode = reverse ? f.OldMode : f.NewMode;
                    // A git rename moves the file; a git copy keeps its source, either way round.
                    if (sourceRemovedAtEnd)
                    {
                        _removeAtEnd.Add((path, name, backup, link, owner, false));
                        _created.Remove(path);
                    }

                    // The file read is the file written (the common case): its folder and itself are there.
                    bool same = exists && outPath == path;
                    if (!same)
                    {
                        Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
                    }

                    bool outExisted = same || File.Exists(outPath);
                    // GNU's -o FILE keeps its mode (0600 when it made it), git modes or not; a git mode is set only
                    // when the patch changes it (an "index 1..2 100644" line alone names the same mode twice).
                    UnixFileMode? newMode = _s.Output is not null ? (outExisted ? GetMode(outPath) : OutputMode)
                        : gitMode is { } gm && changesMode ? (UnixFileMode)(gm & 0x1FF)
                        : mode;

                    if (link && _s.Output is null)
                    {
                        // (GNU writes the link's new target as a new link in its place.)
                        ReplaceLink(outPath, result.Span);
                    }
                    else if (_s.Output is not null)
                    {
                        // (-o FILE for a second file of the patch: GNU writes it after the first one's output.)
                        IntoOutput(outPath, result.Span, append: !_outputs.Add(outPath));
                    }
                    else
                    {
                        // A temporary file beside it renamed over the name, as GNU patch: a kill leaves old or new bytes.
                        try
                        {
                            AtomicWrite.Replace(outPath, result.Span, newMode, owner, _temps);
                        }
                        catch (IOException ex) when (WriteFailure(ex) is { } failure)
                        {
                            // (GNU's write into its temporary output file failed: its words, and it stops.)
                            throw new GnuPatchFatalException(failure);
                        }
                    }

                    // (A file an earlier patch removes, written again: GNU no longer removes it.)
                    _removeAtEnd.RemoveAll(r => r.Full == outPath);
                    if (_s.Output is null)
                    {
                        _created.Add(outPath);
                        if (f.Dialect == PatchDialect.Git && !creates)
                        {
                            (outExisted ? _gitQueued : _gitHeld).Add(outPath);
                        }
                    }
                    if ((_s.SetUtc || _s.SetTime) && _s.Output is null)
                    {
                        // GNU sets no time on an -o file; a failed hunk or one placed at an offset or with fuzz is a
                        // "contents mismatch".
                        SetTime(f, outPath, outName, reverse, originalTime, mismatch || failed > 0);
                    }
                }
            }
        }

        if (failed > 0)
        {
            _failed = true;
            string rej = _s.RejectFile ?? (_s.Output is null or "-" ? outName : _s.Output) + ".rej";
            _say.Write($"{failed} out of {hunks} hunk{(hunks == 1 ? string.Empty : "s")} FAILED");
            _say.WriteLine(_s.DryRun || _s.RejectFile == "-" ? string.Empty : $" -- saving rejects to file {Quote(rej)}");
            if (!_s.DryRun && _s.RejectFile != "-")
            {
                WriteRejects(f, r, rej, shifts, reverse);
            }
        }
    }

    /// <summary>Applies <paramref name="target"/> to <paramref name="original"/> into the run's one output buffer (grown
    /// to the largest file, never copied out): the text is good until the next call.</summary>
    private ReadOnlyMemory<byte> Apply(FilePatch target, ReadOnlyMemory<byte> original, out FileApplyResult r, ApplyOptions options)
    {
        int want = Math.Max(256, original.Length + (original.Length >> 3));
        if (_applied.Capacity < want)
        {
            _applied = new ArrayBufferWriter<byte>(want);
        }

        _applied.ResetWrittenCount();
        r = PatchApplier.ApplyFile(target, original.Span, _applied, options);
        return _applied.WrittenMemory;
    }

    /// <summary>The patch with its hunks' CRs stripped (or kept) and no CR LF mark, so the library matches the lines
    /// as they are.</summary>
    private static FilePatch WithLineEnds(FilePatch f, bool strip)
    {
        var hunks = new List<Hunk>(f.Hunks.Count);
        foreach (Hunk h in f.Hunks)
        {
            ReadOnlyMemory<byte> body = h.Body;
            if (strip)
            {
                var bytes = new List<byte>(body.Length);
                ReadOnlySpan<byte> span = body.Span;
                for (int i = 0; i < span.Length; i++)
                {
                    if (span[i] == (byte)'\r' && i + 1 < span.Length && span[i + 1] == (byte)'\n')
                    {
                        continue;
                    }

                    bytes.Add(span[i]);
                }

                body = bytes.ToArray();
            }

            hunks.Add(new Hunk(h.OldStart, h.OldCount, h.NewStart, h.NewCount, h.SectionHeading, body, h.LineNumber));
        }

        return WithHunks(f, hunks);
    }

    /// <summary>The patch as GNU keeps it for reject files: its CRs stripped unless <c>--binary</c>.
    /// (A git diff with a "/dev/null" side whose "diff --git" line GNU could not read is written as a plain unified
    /// diff's: that side is "/dev/null" in the header.)</summary>
    private FilePatch Rejectable(FilePatch f)
    {
        f = f.SavedWithCrLf && !_s.Binary ? WithLineEnds(f, strip: true) : f;
        string? oldName = Stripped(HeaderPath(f, old: true));
        string? newName = Stripped(HeaderPath(f, old: false));
        if (f is { Dialect: PatchDialect.Git, Operation: FileOperation.Rename or FileOperation.Copy } && GitNamesKept(f, oldName, newName) is [string gitOld, string gitNew])
        {
            // GNU writes the names it read: a side whose "---"/"+++" name -p cannot strip has the "diff --git" line's
            // other name (the two swapped at the hunk), with no time (see MoveNames).
            f = Copy(f, f.Hunks, f.Dialect, oldName is null ? (Encoding.UTF8.GetBytes(gitNew), default) : (f.OldPathBytes, f.OldHeader),
                newName is null ? (Encoding.UTF8.GetBytes(gitOld), default) : (f.NewPathBytes, f.NewHeader));
        }

        return f is { Dialect: PatchDialect.Git } && (f.OldPath is null || f.NewPath is null) && !GitLineNamesRead(f)
            ? WithHunks(f, f.Hunks, PatchDialect.Unified) : f;
    }

    /// <summary>GNU's check_line_endings: the hunk's first old line and the file's line where the hunk failed differ in
    /// ending with CR LF. A hunk without old lines has GNU's new-section line there, which GNU writes itself for a
    /// unified or normal diff's hunk (no CR); a context diff's is the patch's own line (not looked at here).</summary>
    private static bool DifferentLineEndings(Hunk hunk, bool reverse, ReadOnlySpan<byte> file, int line, PatchDialect dialect)
    {
        ReadOnlySpan<byte> body = hunk.Body.Span;
        bool? patchCrLf = null;
        int start = 0;
        while (start < body.Length && patchCrLf is null)
        {
            int nl = body[start..].IndexOf((byte)'\n');
            int end = nl < 0 ? body.Length : start + nl + 1;
            ReadOnlySpan<byte> l = body[start..end];
            if (l.Length > 0 && (l[0] == (byte)' ' || l[0] == (byte)(reverse ? '+' : '-')))
            {
                patchCrLf = l.EndsWith("\r\n"u8);
            }

            start = end;
        }

        patchCrLf ??= dialect == PatchDialect.Context ? null : false;
        if (patchCrLf is null || file.Length == 0)
        {
            return false;
        }

        int count = file.Count((byte)'\n') + (file[^1] == (byte)'\n' ? 0 : 1);
        int want = Math.Min(Math.Max(line, 1), count);
        int at = 0;
        for (int k = 1; k < want; k++)
        {
            at += file[at..].IndexOf((byte)'\n') + 1;
        }

        int next = file[at..].IndexOf((byte)'\n');
        ReadOnlySpan<byte> input = next < 0 ? file[at..] : file.Slice(at, next + 1);
        return input.Length > 0 && input.EndsWith("\r\n"u8) != patchCrLf.Value;
    }

    private static FilePatch AsModify(FilePatch f) => new(f.OldPathBytes.IsEmpty ? f.NewPathBytes : f.OldPathBytes, f.NewPathBytes, FileOperation.Modify, f.Hunks)
    {
        Dialect = f.Dialect,
        LineNumber = f.LineNumber,
        OldHeader = f.OldHeader,
        NewHeader = f.NewHeader,
    };

    private void SetTime(FilePatch f, string outPath, string name, bool reverse, DateTime? originalTime, bool contentsMismatch)
    {
        DateTime? before = HeaderStamp(f, old: !reverse);
        DateTime? after = HeaderStamp(f, old: reverse);
        if (after is null)
        {
            return;
        }

        if (before is { } b && originalTime is { } o && b != o && !_s.Force)
        {
            _say.WriteLine($"Not setting time of file {Quote(name)} (time mismatch)");
            return;
        }

        if (contentsMismatch && !_s.Force)
        {
            _say.WriteLine($"Not setting time of file {Quote(name)} (contents mismatch)");
            return;
        }

        File.SetLastWriteTimeUtc(outPath, after.Value);
    }

    /// <summary>The time stamp of one side's header as GNU reads it: blanks alone after the name (<c>--- f\t</c>, as
    /// git writes a name with blanks in it, or <c>--- f </c>) are a time GNU's date parser takes for the start of
    /// today (midnight, in the zone <see cref="ParseStamp"/> reads a stamp in).</summary>
    private DateTime? HeaderStamp(FilePatch f, bool old)
    {
        if (BlankStamp((old ? f.OldHeader : f.NewHeader).Span.TrimStart(" \t"u8)))
        {
            DateTimeOffset now = DateTimeOffset.UtcNow;
            DateTime today = _s.SetUtc ? now.UtcDateTime.Date : now.ToLocalTime().Date;
            return _s.SetUtc ? today : new DateTimeOffset(today, TimeZoneInfo.Local.GetUtcOffset(today)).UtcDateTime;
        }

        return ParseStamp(old ? f.OldTimestamp : f.NewTimestamp);
    }

    /// <summary>Whether GNU's fetchname finds blanks alone after the name on a header line (its end of line gone):
    /// the name takes its inner spaces up to a tab, or is quoted; without a tab a space ends it.</summary>
    private static bool BlankStamp(ReadOnlySpan<byte> header)
    {
        ReadOnlySpan<byte> name = header.TrimEnd(" \t\v\f\r"u8);
        return name.Length > 0 && name.Length < header.Length && name.IndexOf((byte)'\t') < 0
            && (header.IndexOf((byte)'\t') >= 0 || name[0] == (byte)'"' || name.IndexOfAny(" \v\f\r"u8) < 0);
    }

    /// <summary>A header's time stamp; one without a zone is UTC under <c>-Z</c> (with or without <c>-T</c>: GNU sets
    /// <c>TZ=UTC</c> for it) and local time (<c>TZ</c>) under <c>-T</c> alone, as GNU reads it.</summary>
    private DateTime? ParseStamp(ReadOnlyMemory<byte> raw)
    {
        string stamp = Encoding.UTF8.GetString(raw.Span).Trim();
        if (stamp.Length == 0)
        {
            return null;
        }

        string[] forms = ["yyyy-MM-dd HH:mm:ss.FFFFFFF zzz", "yyyy-MM-dd HH:mm:ss zzz", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss", "ddd MMM d HH:mm:ss yyyy", "ddd MMM dd HH:mm:ss yyyy"];
        int dot = stamp.IndexOf('.', StringComparison.Ordinal);
        int space = dot < 0 ? -1 : stamp.IndexOf(' ', dot);
        if (dot >= 0 && space > dot + 8)
        {
            stamp = string.Concat(stamp.AsSpan(0, dot + 8), stamp.AsSpan(space));
        }

        DateTimeStyles zone = _s.SetUtc ? DateTimeStyles.AssumeUniversal : DateTimeStyles.AssumeLocal;
        return DateTimeOffset.TryParseExact(stamp, forms, CultureInfo.InvariantCulture, zone | DateTimeStyles.AllowInnerWhite, out var when) ? when.UtcDateTime : null;
    }

    private void RemoveEmptyParents(string? dir)
    {
        while (dir is not null && dir.Length > _root.Length && dir.StartsWith(_root, StringComparison.Ordinal)
            && Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any())
        {
            Directory.Delete(dir);
            dir = Path.GetDirectoryName(dir);
        }
    }

    /// <summary>Writes the backup of <paramref name="name"/> (an empty file when it did not exist).</summary>
    /// <returns>The backup's full path.</returns>
    private string Backup(string name, bool exists)
    {
        string backup = BackupName(name);
        string full = Full(backup);
        StopAtFolder(full, exists ? $"Can't rename file {Quote(name)} to {Quote(backup)} : Is a directory" : $"Can't create file {Quote(backup)} : File exists");
        StopOnTheWay(full, backup, exists ? $"Can't rename file {Quote(name)} to {Quote(backup)}" : $"Can't create file {Quote(backup)}");
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        // (A link to a folder too: GNU renames over the name, replacing the link, never writing through it.)
        RemoveName(full);

        if (exists && new FileInfo(Full(name)).LinkTarget is { } target)
        {
            // A symbolic link's backup is the link (GNU renames it).
            File.CreateSymbolicLink(full, target);
            _plainFolders.Clear();
        }
        else if (exists)
        {
            File.Copy(Full(name), full);
            SetMode(full, GetMode(Full(name)));
            File.SetLastWriteTimeUtc(full, File.GetLastWriteTimeUtc(Full(name)));
        }
        else
        {
            File.WriteAllBytes(full, []);
        }

        return full;
    }

    private string BackupName(string name)
    {
        string dir = Path.GetDirectoryName(name) is { Length: > 0 } d ? d + "/" : string.Empty;
        string file = Path.GetFileName(name);
        if (_s.Prefix is not null || _s.BasenamePrefix is not null || _s.SuffixGiven)
        {
            // GNU: any of -B, -Y, -z names the backup PREFIX + DIR + BASENAME-PREFIX + NAME + SUFFIX (the suffix only
            // when -z was given), whatever -V says.
            return (_s.Prefix ?? string.Empty) + dir + (_s.BasenamePrefix ?? string.Empty) + file + (_s.SuffixGiven ? _s.Suffix : string.Empty);
        }

        BackupStyle style = _s.VersionControl;
        int highest = 0;
        if (style is BackupStyle.Numbered or BackupStyle.Existing)
        {
            string folder = Full(dir.Length == 0 ? "." : dir);
            foreach (string entry in Directory.EnumerateFiles(folder, file + ".~*~"))
            {
                string n = Path.GetFileName(entry)[(file.Length + 2)..^1];
                if (int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out int k) && k > highest)
                {
                    highest = k;
                }
            }
        }

        return style == BackupStyle.Numbered || (style == BackupStyle.Existing && highest > 0)
            ? string.Create(CultureInfo.InvariantCulture, $"{name}.~{highest + 1}~")
            : name + _s.Suffix;
    }

    /// <summary>GNU's first line of a hunk: where its old side starts (its new side when reversed), the line after for an
    /// empty side.</summary>
    private static int GnuFirst(Hunk hunk, bool reverse) => reverse
        ? (hunk.NewCount == 0 ? hunk.NewStart + 1 : hunk.NewStart)
        : (hunk.OldCount == 0 ? hunk.OldStart + 1 : hunk.OldStart);

    /// <summary>The name (as patch uses it) of a file that an <c>Index:</c> line alone named, or under POSIX the header's
    /// <c>Index:</c> name (GNU's reject file starts with that line then); <see langword="null"/> for any other. (Looked at only when rejects are written.)</summary>
    private string? IndexName(FilePatch f) =>
        IndexLineAlone(f) is { } line
            ? Stripped(IndexLineName(line))
            : _posixly && f.Dialect is PatchDialect.Unified or PatchDialect.Context ? PosixIndexName(f, _headerFrom) : null;

    /// <summary>The <c>Index:</c> line that alone names a unified or context diff's file (no <c>---</c> or <c>+++</c>
    /// line does), or <see langword="null"/>.</summary>
    private string? IndexLineAlone(FilePatch f) =>
        f is { Dialect: PatchDialect.Unified or PatchDialect.Context, NewHeader.IsEmpty: true, OldHeader.IsEmpty: false, LineNumber: > 0 }
        && f.LineNumber <= SourceLines().Length && SourceLines()[f.LineNumber - 1] is var line && line.StartsWith("Index:", StringComparison.Ordinal)
            ? line : null;

    /// <summary>The line (1-based) the patch before the current file ended at: its header is read from there on.</summary>
    private long _headerFrom;

    /// <summary>GNU writes rejects in the patch's own format unless told: unified for unified diffs, context for the
    /// others (normal diffs included).</summary>
    private bool ContextRejects(FilePatch f) =>
        _s.RejectFormat == PatchInputFormat.Context || (_s.RejectFormat == PatchInputFormat.Guess && f.Dialect is PatchDialect.Context or PatchDialect.Normal);

    private void WriteRejects(FilePatch f, FileApplyResult r, string rej, int[] shifts, bool reverse)
    {
        bool context = ContextRejects(f);
        var buffer = new ArrayBufferWriter<byte>();
        GnuRejects.Write(Rejectable(f), r, buffer, context, _s.ExplainFailures, Stripped, shifts, reverse, OldStyleUntil(f), IndexName(f), _gnuSections);
        SaveRejects(rej, buffer.WrittenSpan);
    }

    /// <summary>Writes a file's rejects to its reject file at once, as GNU does (so they are there when the patch goes
    /// bad later); one this run wrote already (the <c>-r</c> file, the same file patched twice, several files into one
    /// <c>-o</c> output) gets them appended, as GNU appends to a reject file it created.</summary>
    private void SaveRejects(string rej, ReadOnlySpan<byte> rejects)
    {
        try
        {
            SaveRejectsCore(rej, rejects);
        }
        catch (PathTooLongException) when (_s.RejectFile is not null)
        {
            throw new GnuPatchFatalException($"Can't create file {Quote(rej)} : File name too long");
        }
        catch (IOException ex) when (WriteFailure(ex) is { } failure)
        {
            // (GNU copies the reject file into place unbuffered: a failed write stops it at once.)
            throw new GnuPatchFatalException(failure);
        }
    }

    private void SaveRejectsCore(string rej, ReadOnlySpan<byte> rejects)
    {
        string full = Full(rej);
        BeforeWriteInPlace(full);
        if (_rejectFilesWritten.Contains(full) && File.Exists(full))
        {
            using var appended = new FileStream(full, FileMode.Append, FileAccess.Write);
            appended.Write(rejects);
            return;
        }

        if (_s.RejectFile is not null)
        {
            StopOnTheWay(full, rej, $"Can't create file {Quote(rej)}");
        }

        // (Its folder may be gone: -E removed the file emptied and the folders it left empty, as GNU, which makes
        // the folder again for the reject file.)
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        if (new FileInfo(full).LinkTarget is not null)
        {
            // A reject file's name that is a symbolic link is never written through (a tree can hold "f.rej ->
            // /somewhere/else"): GNU renames its temporary reject file over a name it made up, so the link is
            // replaced, and opens a -r FILE with O_NOFOLLOW, which fails.
            if (_s.RejectFile is not null)
            {
                throw new GnuPatchFatalException($"Can't create file {Quote(rej)} : Too many levels of symbolic links");
            }

            File.Delete(full);
        }
        else if (_s.RejectFile is not null)
        {
            StopAtFolder(full, $"Can't create file {Quote(rej)} : Is a directory");
        }
        else
        {
            // GNU writes the rejects to a temporary file beside the patched one and renames it over the reject
            // file's name, which fails on a folder; its words name that temporary file (random, as GNU's).
            StopAtFolder(full, $"Can't rename file {RejectTemporaryName(rej)} to {Quote(rej)} : Is a directory");
        }

        File.WriteAllBytes(full, rejects.ToArray());
        _rejectFilesWritten.Add(full);
    }

    /// <summary>A name like the temporary file GNU writes a reject file's lines to: the patched file's folder and name
    /// (the reject file's name without <c>.rej</c>) then <c>.r</c> and six random letters or digits.</summary>
    private static string RejectTemporaryName(string rej) =>
        TemporaryName(rej.EndsWith(".rej", StringComparison.Ordinal) ? rej[..^4] : rej, 'r');

    /// <summary>A name like a temporary file GNU makes for <paramref name="name"/> (its <c>make_tempfile</c>): the
    /// name's folder (<c>.</c> for none) and file name, then a dot, <paramref name="letter"/> and six random letters
    /// or digits.</summary>
    private static string TemporaryName(string name, char letter)
    {
        string folder = Path.GetDirectoryName(name) is { Length: > 0 } dir ? dir : ".";
        const string Letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        return $"{folder}/{Path.GetFileName(name)}.{letter}{System.Security.Cryptography.RandomNumberGenerator.GetString(Letters, 6)}";
    }

    /// <summary>Makes the temporary output file GNU makes as it starts on a file, before it says "patching file": beside
    /// the file (in a folder made for it, which stays even when the file is not written after all), or beside
    /// <c>-o FILE</c>, where the drop-in writes the file itself and drops it at once. A name too long for it stops
    /// the run in GNU's words (a file name that is not, plus the 8 characters GNU adds).</summary>
    private void BeginTemporaryOutput(string outName)
    {
        if (_s.DryRun || _s.Output == "-")
        {
            return; // (GNU's is in the system's temporary folder then)
        }

        string full = Full(outName);
        if (_s.Output is null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        }

        int failure = _temps!.Begin(full);
        if (_s.Output is not null)
        {
            _temps.End();
        }

        if (failure == AtomicWrite.ENameTooLong)
        {
            throw new GnuPatchFatalException($"Can't create temporary file {TemporaryName(outName, 'o')} : File name too long");
        }
    }

    /// <summary>GNU stops where a file it writes whole (<c>-o FILE</c>, <c>-r FILE</c>, a backup) is named by a folder:
    /// its open or rename fails (EISDIR; EEXIST for the empty backup of a file that was not there, which it creates
    /// as a new file).</summary>
    /// <param name="full">The file's full path.</param>
    /// <param name="failure">GNU's words for what failed, with the C library's text of the error.</param>
    /// <param name="throughLink">Whether a symbolic link to a folder stops it too (GNU opens <c>-o FILE</c> through
    /// links; it replaces a link named by a backup, and refuses one named by <c>-r</c> on its own).</param>
    private static void StopAtFolder(string full, string failure, bool throughLink = false)
    {
        if (Directory.Exists(full) && (throughLink || new DirectoryInfo(full).LinkTarget is null))
        {
            throw new GnuPatchFatalException(failure);
        }
    }

    /// <summary>GNU stops where a folder on the way to a file it writes whole (<c>-o FILE</c>, <c>-r FILE</c>, a
    /// backup under <c>-B</c>) is a file: its open through the folders of a relative name says ELOOP, the C library's
    /// open of an absolute one ENOTDIR.</summary>
    /// <param name="full">The file's full path.</param>
    /// <param name="name">The file's name as given.</param>
    /// <param name="doing">GNU's words for what failed, the error's text left off.</param>
    private static void StopOnTheWay(string full, string name, string doing)
    {
        if (FileOnTheWay(full))
        {
            throw new GnuPatchFatalException($"{doing} : {(Path.IsPathRooted(name) ? "Not a directory" : "Too many levels of symbolic links")}");
        }
    }

    /// <summary>Whether the nearest of a path's folders that is there is a file (or a link to one), not a folder.</summary>
    private static bool FileOnTheWay(string full)
    {
        for (string? dir = Path.GetDirectoryName(full); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (Directory.Exists(dir))
            {
                return false;
            }

            if (File.Exists(dir))
            {
                return true;
            }
        }

        return false;
    }

    private void Ignored(FilePatch f, string name, int hunks, bool reverse)
    {
        // GNU reads (and under --verbose names) each hunk it can before one it cannot read stops it.
        IgnoredHunks(f, reverse);
        LateFatalNow();
        _failed = true;
        if (hunks == 0)
        {
            return;
        }

        string rej = _s.RejectFile ?? name + ".rej";
        bool saves = !_s.DryRun && hunks > 0 && _s.RejectFile != "-";
        _say.WriteLine($"{hunks} out of {hunks} hunk{(hunks == 1 ? string.Empty : "s")} ignored" + (saves ? $" -- saving rejects to file {Quote(rej)}" : string.Empty));
        if (saves)
        {
            var buffer = new ArrayBufferWriter<byte>();
            GnuRejects.WriteAll(Rejectable(f), buffer, ContextRejects(f), Stripped, reverse, OldStyleUntil(f), IndexName(f), _gnuSections);
            SaveRejects(rej, buffer.WrittenSpan);
        }
    }

    /// <summary><c>-g</c>: when none of the patch's names exists and it does not create the file, the first name kept
    /// under RCS is checked out (co run directly, never through a shell).</summary>
    private void GetMissing(FilePatch f)
    {
        bool creates = _s.Reverse ? f.Operation == FileOperation.Delete : f.Operation == FileOperation.Add;
        if (creates)
        {
            return;
        }

        string?[] names = [Stripped(HeaderPath(f, old: true)), Stripped(HeaderPath(f, old: false))];
        if (names.Any(n => n is not null && IsSafe(n) && Present(Full(n))))
        {
            return;
        }

        foreach (string? candidate in names.Distinct(StringComparer.Ordinal))
        {
            if (candidate is not null && IsSafe(candidate) && UnderRcs(candidate) && GetFromRcs(candidate))
            {
                return;
            }
        }
    }

    /// <summary>GNU's best_name of two names both there: the one with fewer folders, then the shorter last part, then
    /// the shorter name; the old one when they tie.</summary>
    private static string BestName(string oldName, string newName)
    {
        static int Folders(string name) => name.Split('/', StringSplitOptions.RemoveEmptyEntries).Length - 1;
        static int Bytes(string name) => FileNames.Encode(name).Length;
        static int Last(string name) => Bytes(Path.GetFileName(name.TrimEnd('/')));
        int c = Folders(newName).CompareTo(Folders(oldName));
        c = c != 0 ? c : Last(newName).CompareTo(Last(oldName));
        c = c != 0 ? c : Bytes(newName).CompareTo(Bytes(oldName));
        return c < 0 ? newName : oldName;
    }

    private static bool IsSafe(string name) => !name.StartsWith('/') && !name.Split('/').Contains("..");

    /// <summary>Whether GNU's version_controller finds an RCS file for <paramref name="name"/>: <c>RCS/NAME,v</c>,
    /// <c>RCS/NAME</c> or <c>NAME,v</c> beside it.</summary>
    private bool UnderRcs(string name)
    {
        string dir = Path.GetDirectoryName(name) ?? string.Empty;
        string file = Path.GetFileName(name);
        return File.Exists(Full(Path.Combine(dir, "RCS", file + ",v"))) || File.Exists(Full(Path.Combine(dir, "RCS", file))) || File.Exists(Full(Path.Combine(dir, file + ",v")));
    }

    /// <summary>GNU's version_get for RCS: asks with <c>-g</c> negative, then runs <c>co -l NAME</c> (<c>co NAME</c>
    /// when the output goes elsewhere) in the tree; a failing checkout is fatal, as in GNU patch.</summary>
    private bool GetFromRcs(string name)
    {
        bool readOnly = _s.Output is not null && _s.Output != name;
        string lockText = readOnly ? string.Empty : " with lock";
        if (_s.Get < 0 && Ask($"Get file {Quote(name)} from RCS{lockText}? [y] ") is ['n', ..])
        {
            return false;
        }

        string argument = name.StartsWith('-') ? "./" + name : name;
        if (_s.DryRun)
        {
            string shown = argument.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '+' or ',' or '%' or ':' or '@') ? argument : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
            throw new GnuPatchFatalException($"can't do dry run on nonexistent version-controlled file {Quote(name)}; invoke '{(readOnly ? "co " : "co -l ")}{shown}' and try again");
        }

        if (_s.Verbose)
        {
            _say.WriteLine($"Getting file {Quote(name)} from RCS{lockText}...");
        }

        _say.Flush();
        _context.Error.Flush();
        var psi = new System.Diagnostics.ProcessStartInfo("co") { WorkingDirectory = _root, UseShellExecute = false };
        if (!readOnly)
        {
            psi.ArgumentList.Add("-l");
        }

        psi.ArgumentList.Add(argument);
        int exit;
        try
        {
            using var co = System.Diagnostics.Process.Start(psi)!;
            co.WaitForExit();
            exit = co.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            exit = 127;
        }

        if (exit != 0 || !File.Exists(Full(name)))
        {
            throw new GnuPatchFatalException($"Can't get file {Quote(name)} from RCS");
        }

        return true;
    }

    /// <summary>How a create-over-existing or delete-missing question was answered.</summary>
    private enum Answer
    {
        Skip,
        Apply,
        Reverse,
    }

    /// <summary>The create-over-existing and delete-missing questions: <c>-t</c> assumes -R, <c>-f</c> applies anyway,
    /// otherwise the terminal is asked (no terminal: the default, skip).</summary>
    /// <summary>Whether a file's first hunk leaves no lines on the side it patches to ("+0,0", or "-0,0" with -R): GNU
    /// then takes the patch for one that removes the file.</summary>
    private static bool EmptiesFile(Hunk first, bool reverse) => reverse ? first is { OldStart: 0, OldCount: 0 } : first is { NewStart: 0, NewCount: 0 };

    /// <summary>Whether a git patch is of a symbolic link: GNU's file type from the old mode, else the new one.</summary>
    private static bool IsLinkPatch(FilePatch f) =>
        f.Dialect == PatchDialect.Git && ((f.OldMode ?? f.NewMode) ?? 0) >> 12 == 0xA && (f.NewMode ?? f.OldMode ?? 0) >> 12 == 0xA;

    /// <summary>Whether the patch says the side it patches to is empty: its first hunk leaves no lines
    /// (<see cref="EmptiesFile"/>), or a git header's object id for that side is the empty blob's (GNU's
    /// sha1_says_nonexistent: an abbreviated id counts when it is a prefix of it).</summary>
    private static bool SaysEmptied(FilePatch f, bool reverse) =>
        (f.Hunks.Count > 0 && EmptiesFile(f.Hunks[0], reverse))
        || (f.Dialect == PatchDialect.Git && (reverse ? f.OldObjectId : f.NewObjectId) is { Length: > 0 } id
            && "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391".StartsWith(id, StringComparison.OrdinalIgnoreCase));

    /// <summary>--verbose: what the patch looks like (and the text leading up to it), said once GNU's questions
    /// about a reversed creation, deletion or emptying are answered.</summary>
    private Action? _announce;

    /// <summary>The files GNU removes at the end of the run (delete_files), in order: full path, name, whether to back
    /// it up then, whether it is a symbolic link, and the owner its backup keeps.</summary>
    private readonly List<(string Full, string Name, bool Backup, bool Link, (uint Uid, uint Gid)? Owner, bool Again)> _removeAtEnd = [];

    private void Announce()
    {
        Action? announce = _announce;
        _announce = null;
        announce?.Invoke();
    }

    /// <summary>The file patch GNU's "Stripping trailing CRs" note was said for (once per file).</summary>
    private FilePatch? _crsSaidFor;

    /// <summary><see cref="Announce()"/>, then <see cref="StrippingCrsNote"/> (when --verbose did not say it).</summary>
    private void Announce(FilePatch f)
    {
        Announce();
        StrippingCrsNote(f);
    }

    /// <summary>GNU's note that it strips the patch's carriage returns, once per file, where GNU's
    /// there_is_another_patch says it: once the questions about the file's existence are answered and after
    /// --verbose's "Looks like", before the file is looked for ("can't find file to patch"), before the text leading
    /// up to the patch, and before the file is looked at (read-only, not a regular file, a git binary diff).</summary>
    private void StrippingCrsNote(FilePatch f)
    {
        if (f.SavedWithCrLf && !_s.Silent && !_s.Binary && !ReferenceEquals(_crsSaidFor, f))
        {
            _crsSaidFor = f;
            _say.WriteLine("(Stripping trailing CRs from patch; use --binary to disable.)");
        }
    }

    private Answer AskSkip(string question, int hunks, bool reverse)
    {
        // GNU's ok_to_reverse: -N skips, -f applies (saying nothing under -s), -t takes the patch as reversed.
        if (_s.Forward)
        {
            _say.WriteLine(question + "  Skipping patch.");
            return Skipped(hunks);
        }

        if (_s.Force && _s.Silent)
        {
            return Answer.Apply;
        }

        if (_s.Batch || _s.Force)
        {
            _say.WriteLine(question + (_s.Force ? "  Applying it anyway." : reverse ? "  Ignoring -R." : "  Assuming -R."));
            return _s.Force ? Answer.Apply : Answer.Reverse;
        }

        if (Ask(question + (reverse ? "  Ignore -R? [n] " : "  Assume -R? [n] ")) is ['y', ..])
        {
            return Answer.Reverse;
        }

        if (Ask("Apply anyway? [n] ") is ['y', ..])
        {
            return Answer.Apply;
        }

        if (!_s.Silent)
        {
            _say.WriteLine("Skipping patch.");
        }

        return Skipped(hunks);
    }

    private Answer Skipped(int hunks)
    {
        _announce = null; // (GNU says nothing of what a skipped patch looks like)
        if (_current is { } f)
        {
            IgnoredHunks(f, _s.Reverse);
        }

        LateFatalNow();

        _failed = true;
        if (hunks == 0)
        {
            return Answer.Skip;
        }

        _say.WriteLine($"{hunks} out of {hunks} hunk{(hunks == 1 ? string.Empty : "s")} ignored");
        return Answer.Skip;
    }

    /// <summary>Every hunk of a creation forced onto a file that is not empty fails (GNU: "Hunk #1 FAILED at 1.").</summary>
    /// <summary>An ORIGFILE that does not exist, for a patch that does not create it: GNU reads it as empty, so every
    /// hunk fails; then, when it backs the file up (the default on a mismatch, or <c>-b</c>), it leaves an empty
    /// backup and stops on the missing file, else it writes the rejects.</summary>
    private void MissingOrigFile(FilePatch f, string name, bool reverse)
    {
        _failed = true;
        if (!_s.Silent)
        {
            _say.WriteLine($"{(_s.DryRun ? "checking" : "patching")} file {Quote(name)}");
            if (_s.Verbose)
            {
                _say.WriteLine("Using Plan A...");
            }

            for (int i = 0; i < f.Hunks.Count; i++)
            {
                _say.WriteLine($"Hunk #{i + 1} FAILED at {GnuFirst(f.Hunks[i], reverse)}.");
            }
        }

        LateFatalNow();

        if (!_s.DryRun && (_s.Backup || _s.BackupIfMismatch))
        {
            _ = Backup(name, exists: false);
            throw new GnuPatchFatalException($"Can't reopen file {Quote(name)} : No such file or directory");
        }

        int hunks = f.Hunks.Count;
        string rej = _s.RejectFile ?? name + ".rej";
        _say.Write($"{hunks} out of {hunks} hunk{(hunks == 1 ? string.Empty : "s")} FAILED");
        _say.WriteLine(_s.DryRun || _s.RejectFile == "-" ? string.Empty : $" -- saving rejects to file {Quote(rej)}");
        if (!_s.DryRun && _s.RejectFile != "-")
        {
            WriteRejects(f, FailAll(name, f, reverse), rej, new int[hunks], reverse);
        }
    }

    private static FileApplyResult FailAll(string name, FilePatch f, bool reverse)
    {
        var hunks = System.Collections.Immutable.ImmutableArray.CreateBuilder<HunkResult>(f.Hunks.Count);
        for (int i = 0; i < f.Hunks.Count; i++)
        {
            hunks.Add(new HunkResult(i, HunkStatus.Failed, 1, 0, 0, "the file to create already exists"));
        }

        return FileApplyResult.Create(name, f, hunks.MoveToImmutable(), reverse);
    }

    private static bool Writable(string path)
    {
        try
        {
            using var _ = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>Whether a context diff's first hunk range lacks the trailing stars (<c>*** 3,7</c>), as in the context
    /// diffs of old diff versions, which GNU's --verbose calls a "context diff" rather than a "new-style" one.</summary>
    private const string Fascinating = "(Fascinating -- this is really a new-style context diff but without\nthe telltale extra asterisks on the *** line that usually indicate\nthe new style...)";

    /// <summary>Whether a hunk changes lines in more than one place (context between its changes), which an old-style
    /// context diff cannot express: GNU's --verbose then says it is really a new-style one.</summary>
    private static bool HasSeveralChanges(Hunk h)
    {
        int groups = 0;
        bool inChange = false;
        foreach (Range r in h.Body.Span.Split((byte)'\n'))
        {
            ReadOnlySpan<byte> line = h.Body.Span[r];
            if (line.IsEmpty || line[0] == (byte)'\\')
            {
                continue;
            }

            bool change = line[0] is (byte)'-' or (byte)'+';
            if (change && !inChange)
            {
                groups++;
            }

            inChange = change;
        }

        return groups > 1;
    }

    /// <summary>How many of an old-style context diff's hunks GNU still takes for old-style ones when it writes them to
    /// a reject file: those before the first that changes lines in more than one place (GNU reads the rest as
    /// new-style).</summary>
    private int OldStyleUntil(FilePatch f)
    {
        if (f.Dialect != PatchDialect.Context || !IsOldStyleContext(f))
        {
            return 0;
        }

        int several = FirstWithSeveralChanges(f);
        return several < 0 ? f.Hunks.Count : several;
    }

    private static int FirstWithSeveralChanges(FilePatch f)
    {
        for (int i = 0; i < f.Hunks.Count; i++)
        {
            if (HasSeveralChanges(f.Hunks[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private bool IsOldStyleContext(FilePatch f)
    {
        if (f.Hunks.Count == 0)
        {
            return false;
        }

        string[] lines = SourceLines();
        long at = f.Hunks[0].LineNumber;
        for (long i = at - 1; i >= 0 && i < lines.Length && i <= at; i++)
        {
            // (GNU's intuit_diff_type looks at the character before the newline: a carriage return makes it old-style.)
            string line = lines[i];
            if (line.StartsWith("*** ", StringComparison.Ordinal))
            {
                return !line.EndsWith("****", StringComparison.Ordinal);
            }
        }

        return false;
    }

    /// <summary>GNU's words for a context diff range that is not one: "missing line number" for the old side's,
    /// "malformed patch" for the new side's, with the line (GNU keeps its newline, so an empty line follows).</summary>
    private string? ContextRangeMessage(PatchFormatException ex)
    {
        string[] lines = SourceLines();
        if (!ex.Reason.StartsWith("Malformed context diff range", StringComparison.Ordinal) || ex.LineNumber < 1 || ex.LineNumber > lines.Length)
        {
            return null;
        }

        string line = lines[ex.LineNumber - 1].TrimEnd('\r');
        return string.Create(CultureInfo.InvariantCulture, $"{(line.StartsWith('*') ? "missing line number" : "malformed patch")} at line {ex.LineNumber}: {line}\n");
    }

    /// <summary>A unified hunk header with a number the library cannot hold (above 2^31 - 1): stopped in GNU's words for
    /// a number above its own limit (2^63 - 1), after the files and hunks before it, as GNU stops there.</summary>
    private LateFatal? TooLargeLineNumber(PatchFormatException ex)
    {
        string[] lines = SourceLines();
        if (!ex.Reason.StartsWith("Line number or count too large", StringComparison.Ordinal) || ex.LineNumber < 1 || ex.LineNumber > lines.Length
            || !lines[ex.LineNumber - 1].StartsWith("@@ -", StringComparison.Ordinal))
        {
            return null;
        }

        string line = lines[ex.LineNumber - 1];
        for (int i = 4; i < line.Length; i++)
        {
            int end = i;
            while (end < line.Length && char.IsAsciiDigit(line[end]))
            {
                end++;
            }

            if (end > i && !int.TryParse(line.AsSpan(i, end - i), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                return new LateFatal(ex.LineNumber, string.Create(CultureInfo.InvariantCulture, $"line number {line[i..end]} is too large at line {ex.LineNumber}: {line}\n"), Before: false);
            }

            i = end;
        }

        return null;
    }

    /// <summary>Under POSIX the <c>Index:</c> name is the third GNU looks at (after the old and new names): the name of
    /// the last <c>Index:</c> line of the file's header that gives one (after <c>-p</c>), or <see langword="null"/>.</summary>
    private string? PosixIndexName(FilePatch f, long previousEnd)
    {
        string[] lines = SourceLines();
        for (long i = Math.Min(FirstHunkLine(f) - 1, lines.Length) - 1; i >= previousEnd && i >= 0; i--)
        {
            if (lines[i].StartsWith("Index:", StringComparison.Ordinal) && Stripped(IndexLineName(lines[i])) is { } name)
            {
                // (A line GNU reads no name from, or one -p cannot strip, leaves the one before.)
                return Safe(name);
            }
        }

        return null;
    }

    /// <summary>The line where GNU takes a file's first hunk to start: its range line, or a context diff's row of stars
    /// before it.</summary>
    private long FirstHunkLine(FilePatch f)
    {
        long at = f.Hunks.Count > 0 ? f.Hunks[0].LineNumber : _lateFatal is not null && _lateHunkLine > f.LineNumber ? _lateHunkLine : GitHeaderEnd(f) ?? GitBinaryLine(f) ?? f.LineNumber;
        if (f.Dialect == PatchDialect.Context && at >= 2)
        {
            string[] lines = SourceLines();
            if (at - 2 < lines.Length && lines[at - 2].StartsWith("***************", StringComparison.Ordinal))
            {
                at--;
            }
        }

        return at;
    }

    private void LeadingText(FilePatch f, long previousEnd)
    {
        long at = FirstHunkLine(f);
        string[] lines = SourceLines();
        if (Math.Min(at - 1, lines.Length) <= previousEnd)
        {
            // (A hunk without a file header right at the start or after the patch before: no text leads up to it.)
            return;
        }

        _say.WriteLine("The text leading up to this was:");
        _say.WriteLine("--------------------------");

        // GNU reads past "#" comment lines as part of the line after them: those right before the hunk are not shown.
        long end = Math.Min(at - 1, lines.Length);
        while (end > previousEnd && lines[end - 1].StartsWith('#'))
        {
            end--;
        }

        for (long i = previousEnd; i < end; i++)
        {
            _say.WriteLine("|" + (_linesAsGiven is { } given && given.Length == lines.Length ? given[i] : lines[i]));
        }

        _say.WriteLine("--------------------------");
    }

    /// <summary>GNU's "can't find file to patch": with <c>-t</c> or <c>-f</c> the patch is skipped; otherwise the
    /// terminal is asked for a file name until one exists or the answer to "Skip this patch?" is not <c>n</c>.</summary>
    /// <returns>The file named on the terminal, or <see langword="null"/> when the patch is skipped.</returns>
    private string? CantFind(FilePatch f, long previousEnd)
    {
        // (At the end of the patch GNU's line count stays at the last line read.)
        long at = Math.Min(FirstHunkLine(f), GitHeaderEnd(f) is null ? long.MaxValue : LineCount());
        Announce(f);
        if (!_s.Silent)
        {
            // GNU's -s drops these two lines only: the leading text, the questions and "Skipping patch." stay.
            _say.WriteLine($"can't find file to patch at input line {at - MarkersBefore(at)}");
            if (f.Dialect != PatchDialect.Normal)
            {
                _say.WriteLine(_s.Strip is null ? "Perhaps you should have used the -p or --strip option?" : "Perhaps you used the wrong -p or --strip option?");
            }
        }

        if ((f.Dialect != PatchDialect.Normal || _readBetween.ContainsKey(f)) && (!_s.Verbose || _leadingTextDeferred))
        {
            // A normal diff starts with its first command: no text leads up to it. (--verbose showed it already.)
            LeadingText(f, previousEnd);
        }
        else if (f.Dialect == PatchDialect.Normal && previousEnd == 0)
        {
            NormalLeadText();
        }

        if (FileToPatch() is { } named)
        {
            return named;
        }

        _ = Skipped(f.Hunks.Count);
        return null;
    }

    /// <summary>After "can't find file to patch": with <c>-t</c> or <c>-f</c> the patch is skipped; otherwise the
    /// terminal is asked for a file name until one exists or the answer to "Skip this patch?" is not <c>n</c>.</summary>
    /// <returns>The file named on the terminal, or <see langword="null"/> when the patch is skipped.</returns>
    private string? FileToPatch()
    {
        if (_s.Batch || _s.Force)
        {
            _say.WriteLine("No file to patch.  Skipping patch.");
            return null;
        }

        while (true)
        {
            string answer = Ask("File to patch: ");
            if (answer.Length > 1 && answer[^1] == '\n')
            {
                string named = answer[..^1];
                if (File.Exists(Full(named)))
                {
                    return named;
                }

                _say.Flush();
                _context.Error.WriteLine($"{named}: No such file or directory");
            }

            if (Ask("Skip this patch? [y] ") is not ['n', ..])
            {
                if (!_s.Silent)
                {
                    _say.WriteLine("Skipping patch.");
                }

                return null;
            }
        }
    }

    /// <summary>Asks on the terminal as GNU patch does: the question goes to the messages, the answer is read from
    /// <c>/dev/tty</c> (opened once) when standard output is a terminal or POSIX behaviour is asked for; without one the
    /// question is printed with a newline and the default (an empty answer) taken. The answer is the raw line read,
    /// newline included; an end of file prints <c>EOF</c> and answers nothing.</summary>
    private string Ask(string prompt)
    {
        _askedFor = _current; // (GNU's isatty leaves errno set: WriteErrorMessage)
        _say.Write(prompt);
        _say.Flush();
        if (!_ttyOpened)
        {
            _ttyOpened = true;
            if (_posixly || !Console.IsOutputRedirected)
            {
                try
                {
                    _tty = new FileStream("/dev/tty", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    _tty = null;
                }
            }
        }

        if (_tty is null)
        {
            _say.WriteLine();
            return "\n";
        }

        var buffer = new byte[8192];
        int n;
        try
        {
            n = _tty.Read(buffer);
        }
        catch (IOException ex)
        {
            _context.Error.WriteLine("patch: tty read failed: " + ex.Message);
            _tty.Dispose();
            _tty = null;
            return string.Empty;
        }

        if (n == 0)
        {
            _say.WriteLine("EOF");
            return string.Empty;
        }

        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    /// <summary>The patched text for <c>-o -</c>: its bytes, after what was said before it.</summary>
    private void WriteStandardOutput(ReadOnlySpan<byte> result)
    {
        _context.Output.Flush();
        if (_context.Output is StreamWriter { BaseStream: { } stream })
        {
            stream.Write(result);
            stream.Flush();
        }
        else
        {
            _context.Output.Write(Encoding.UTF8.GetString(result));
        }
    }

    /// <summary>Ed scripts (<c>-e</c>): run here as GNU ed runs them for GNU patch (each command at its line number in
    /// the text as the commands before it left it), never through ed or a shell. What ed would answer is said in its
    /// words: <c>Newline appended</c> for a file whose last line lacks one, <c>?</c> for a command it refuses (then
    /// GNU patch's "ed FAILED", exit 2, nothing written; an <c>-o</c> file is left empty). A file that is not there is
    /// an empty text, created when the script gives it lines. <c>--dry-run</c> runs nothing, as GNU patch does not
    /// run ed then.</summary>
    private int ApplyWhole(string? origFile, ReadOnlyMemory<byte> bytes)
    {
        if (origFile is null)
        {
            throw new GnuPatchFatalException("can't find file to patch: an ed script names no file; give it as an operand");
        }

        string[] lines = EdLines(out bool partial); // (of the patch as read: the bytes given)
        var scripts = EdScripts(lines);
        int count = lines.Length - 1;
        if ((count > 0 || partial) && (partial || scripts is not [(0, 0, var whole, _, _)] || whole < count))
        {
            // Several scripts, or text around one: GNU runs ed once per script, each on the text the one before left,
            // and passes over the lines between them.
            RefuseLinesEdWouldRun(lines, [.. scripts.Select(x => (x.Lead, x.Start, x.End))]);
            if (scripts.Count == 0)
            {
                SayVerbose("Hmm...");
                PartialLineNoteIf(partial);
                SayVerbose("  I can't seem to find a patch in there anywhere.\n");
                throw new GnuPatchFatalException("Only garbage was found in the patch input.");
            }

            int at = 0;
            foreach (var (lead, start, end, foundAtEnd, _) in scripts)
            {
                SayVerbose("Hmm...");
                PartialLineNoteIf(partial && foundAtEnd);
                if (_s.Verbose)
                {
                    _say.WriteLine($"  {(at == 0 ? "L" : "The next patch l")}ooks like an ed script to me...");
                    LeadingLines(lines, lead, start);
                }

                PartialLineNoteIf(partial && end == count);
                ApplyEdScript(origFile, EdScriptBytes(bytes, lines, start, end), appendOutput: at++ > 0);
            }

            // (A script whose text ran to a last line without its newline leaves GNU at the end: it looks no further.)
            if (scripts[^1].End < count || (partial && !scripts[^1].InText))
            {
                SayVerbose("Hmm...");
                PartialLineNoteIf(partial);
                SayVerbose("  Ignoring the trailing garbage.\n");
            }

            return Done();
        }

        if (_s.Verbose)
        {
            _say.WriteLine("Hmm...  Looks like an ed script to me...");
        }

        ApplyEdScript(origFile, EdScriptBytes(bytes, lines, 0, count), appendOutput: false);
        return Done();

        int Done()
        {
            if (_s.Verbose)
            {
                _say.WriteLine("done");
            }

            return ExitCodes.Success;
        }
    }

    /// <summary>Applies one ed script to ORIGFILE as GNU's ed run does (with <paramref name="appendOutput"/>, a later
    /// script of the input adds its result to the <c>-o</c> file).</summary>
    private void ApplyEdScript(string origFile, ReadOnlyMemory<byte> bytes, bool appendOutput)
    {
        string path = Full(origFile);
        bool exists = File.Exists(path);
        _filesMet.Add(path);
        byte[] original = exists ? File.ReadAllBytes(path) : [];
        if (!_s.DryRun && original.Length > 0 && original[^1] != (byte)'\n')
        {
            _say.WriteLine("Newline appended");
        }

        // The core's reader: the script is data, never handed to ed or a shell.
        FilePatch patch;
        try
        {
            patch = PatchDocument.ParseEd(bytes, original).Files[0];
        }
        catch (PatchFormatException ex) when (ex.Reason == "EdCommandFailed")
        {
            if (_s.DryRun)
            {
                return;
            }

            _say.WriteLine("?");
            if (_s.Output is { } output && output != "-")
            {
                WriteOutput(Full(output), []);
            }

            throw new GnuPatchFatalException("ed FAILED");
        }
        catch (PatchFormatException ex)
        {
            throw new GnuPatchFatalException(ex.Message);
        }

        // Exactly where the commands say (no offset search, no fuzz): the hunks were made from this very text.
        var options = new ApplyOptions { Fuzz = 0, Reverse = false, DetectReversed = false, DiagnoseFailures = false };
        byte[] result = PatchApplier.ApplyFile(patch, original, out FileApplyResult applied, options);
        if (applied.Error is not null || applied.Hunks.Any(h => h.Status != HunkStatus.Applied || h.Offset != 0))
        {
            throw new GnuPatchFatalException(applied.Error ?? "the ed script's changes could not be made");
        }

        if (_s.DryRun)
        {
            return;
        }

        if (_s.Output == "-")
        {
            WriteStandardOutput(result);
        }
        else if (_s.Output is { } output)
        {
            if (appendOutput)
            {
                using var more = new FileStream(Full(output), FileMode.Append, FileAccess.Write);
                more.Write(result);
            }
            else
            {
                WriteOutput(Full(output), result);
                _outputs.Add(Full(output));
            }
        }
        else if (exists)
        {
            UnixFileMode mode = GetMode(path);
            if (_s.Backup && !_created.Contains(path))
            {
                AtomicWrite.SetOwner(Backup(origFile, true), AtomicWrite.OwnerOf(path));
            }

            AtomicWrite.Replace(path, result, mode, keepOwner: true);
            _created.Add(path);
        }
        else
        {
            // ed writes a file it did not find as a new one (0666 less the umask).
            File.WriteAllBytes(path, result);
        }

    }
}
