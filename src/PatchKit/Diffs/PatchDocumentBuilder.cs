using System.Buffers.Text;
using PatchKit.Internal;

namespace PatchKit.Diffs;

/// <summary>Builds a <see cref="PatchDocument"/> from the tokens of a <see cref="UnifiedDiffReader"/>: allocations per file and hunk, never per line.</summary>
internal sealed class PatchDocumentBuilder
{
    private ReadOnlyMemory<byte> _source;

    // Streaming (a summary read, see BuildSummary): _source is the current block, _base its offset in the whole input.
    // What a document keeps (header lines, headings) is copied out of the block; hunk bodies and binary data are not kept,
    // only what git apply's checks need of them (HunkChecks), so memory follows files and hunks, not bytes.
    private bool _streaming;
    private long _base;
    private bool _hunkChanges;
    private bool _hunkBareCrLf;
    private bool _lastLineOpen;
    private bool _lastLineMarker;
    private byte[] _held = [];
    private int _heldLength;
    private readonly List<FilePatch> _files = [];
    private Action<FilePatch>? _onFile; // a summary read handing each file on as it ends instead of keeping it
    private int _fileCount;
    private readonly FileState _state = new();
    private FileState? _file;

    // The hunk being read.
    private bool _inHunk;
    private int _hunkOldStart;
    private int _hunkNewStart;
    private int _hunkOld;
    private int _hunkNew;
    private int _bodyStart;
    private int _bodyEnd;

    // Lenient reads: "#" comment lines passed over inside the current hunk (start, end in the source).
    private List<(int Start, int End)>? _hunkSkips;
    private ReadOnlyMemory<byte> _heading;
    private long _hunkLine;
    private int _headerOld;
    private int _headerNew;
    private bool _recount;
    private ContextHunkConverter? _context;

    // The binary block being read.
    private bool _inBlock;
    private GitBinaryBlockKind _blockKind;
    private long _blockSize;
    private int _blockStart;
    private int _blockEnd;
    private long _blockLine;
    private long _blockOffset;

    private PatchDocumentBuilder(ReadOnlyMemory<byte> source)
    {
        _source = source;
    }

    /// <summary>Reads a patch of any size from a stream through one reused buffer (256 KiB, grown only for a longer line)
    /// and builds a document without hunk bodies or binary data: enough for <see cref="GitApplyStat"/>, with memory that
    /// follows the number of files and hunks, not the size of the patch.</summary>
    /// <param name="stream">The patch.</param>
    /// <param name="options">How to read.</param>
    /// <param name="cancellationToken">Cancels the read between blocks.</param>
    /// <param name="onFile">When given, each file patch is handed to it as soon as it ends and the document keeps none
    /// (memory then follows what the caller keeps of them).</param>
    public static PatchDocument BuildSummary(Stream stream, PatchParseOptions? options, CancellationToken cancellationToken, Action<FilePatch>? onFile = null)
    {
        var builder = new PatchDocumentBuilder(default) { _recount = options?.Recount ?? false, _streaming = true, _onFile = onFile };
        var state = new UnifiedDiffReaderState(options);
        if (!stream.CanSeek || stream.Length - stream.Position > ReadAheadFrom)
        {
            return builder.ReadAheadSummary(stream, state, options, cancellationToken);
        }

        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(256 * 1024);
        int filled = 0;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (filled == buffer.Length)
                {
                    byte[] larger = System.Buffers.ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(larger);
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int n = stream.Read(buffer, filled, buffer.Length - filled);
                filled += n;
                bool isFinal = n == 0;
                builder._source = buffer.AsMemory(0, filled);
                var reader = new UnifiedDiffReader(builder._source.Span, isFinal, state);
                while (reader.Read())
                {
                    builder.OnToken(ref reader);
                }

                if (isFinal)
                {
                    break;
                }

                state = reader.CurrentState;
                int consumed = (int)reader.BytesConsumed;
                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
                builder._base += consumed;
            }

            builder.FinishFile();
            if (builder._fileCount == 0 && options is { RequirePatch: true })
            {
                ThrowHelper.ThrowPatchFormat(PatchError.NoPatch, default, 0, -1, state.LineNumber);
            }

            return new PatchDocument(default, builder._files);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Below this many bytes a file is read on the calling thread: a second thread would cost more than it saves.
    private const long ReadAheadFrom = 4L << 20;

    /// <summary>As <see cref="BuildSummary"/>, with the stream read ahead on its own thread (<see cref="ReadAhead"/>):
    /// each block is parsed where it was read, the previous block's incomplete tail copied in front of it.</summary>
    private PatchDocument ReadAheadSummary(Stream stream, UnifiedDiffReaderState state, PatchParseOptions? options, CancellationToken cancellationToken)
    {
        using var ahead = new ReadAhead(stream);
        byte[]? previous = null; // the last block's buffer: a chunk of ahead's, or a rented one for a tail longer than the headroom
        bool previousRented = false;
        int tailStart = 0, tailLength = 0;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                byte[] chunk = ahead.Take(out int n);
                bool isFinal = n == 0;
                byte[] block;
                int start;
                bool rented = false;
                if (tailLength <= ReadAhead.Headroom)
                {
                    start = ReadAhead.Headroom - tailLength;
                    if (tailLength > 0)
                    {
                        previous.AsSpan(tailStart, tailLength).CopyTo(chunk.AsSpan(start));
                    }

                    block = chunk;
                }
                else
                {
                    // A line longer than the headroom: tail and chunk together in a larger buffer.
                    block = System.Buffers.ArrayPool<byte>.Shared.Rent(tailLength + n);
                    previous.AsSpan(tailStart, tailLength).CopyTo(block);
                    chunk.AsSpan(ReadAhead.Headroom, n).CopyTo(block.AsSpan(tailLength));
                    ahead.Return(chunk);
                    start = 0;
                    rented = true;
                }

                GiveBack(ahead, previous, previousRented);
                previous = block;
                previousRented = rented;
                int length = tailLength + n;
                _source = block.AsMemory(start, length);
                var reader = new UnifiedDiffReader(_source.Span, isFinal, state);
                while (reader.Read())
                {
                    OnToken(ref reader);
                }

                if (isFinal)
                {
                    break;
                }

                state = reader.CurrentState;
                int consumed = (int)reader.BytesConsumed;
                tailStart = start + consumed;
                tailLength = length - consumed;
                _base += consumed;
            }

            FinishFile();
            if (_fileCount == 0 && options is { RequirePatch: true })
            {
                ThrowHelper.ThrowPatchFormat(PatchError.NoPatch, default, 0, -1, state.LineNumber);
            }

            return new PatchDocument(default, _files);
        }
        finally
        {
            GiveBack(ahead, previous, previousRented);
        }

        static void GiveBack(ReadAhead ahead, byte[]? buffer, bool rented)
        {
            if (buffer is null)
            {
                return;
            }

            if (rented)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
            else
            {
                ahead.Return(buffer);
            }
        }
    }

    public static PatchDocument Build(ReadOnlyMemory<byte> source, PatchParseOptions? options)
    {
        var builder = new PatchDocumentBuilder(source) { _recount = options?.Recount ?? false };
        var reader = new UnifiedDiffReader(source.Span, options);
        while (reader.Read())
        {
            builder.OnToken(ref reader);
        }

        builder.FinishFile();
        if (builder._files.Count == 0 && options?.ReadNormalDiffs != false)
        {
            // The formats that name no file: a normal diff is read whole (or not at all), an ed script needs its file.
            if (NormalDiffReader.LooksNormal(source.Span))
            {
                try
                {
                    return NormalDiffReader.Read(source);
                }
                catch (PatchFormatException)
                {
                    // Not a normal diff after all: text without a file patch.
                }
            }
            else if (EdScriptReader.LooksEd(source.Span))
            {
                throw new PatchFormatException(
                    "The input is an ed script (diff -e): it holds no old lines, so it is read with PatchDocument.ParseEd and the file it was made against",
                    "EdScript",
                    1,
                    0);
            }
        }

        if (builder._files.Count == 0 && options is { RequirePatch: true })
        {
            ThrowHelper.ThrowPatchFormat(PatchError.NoPatch, default, 0, -1, CountLines(source.Span));
        }

        int preambleEnd = builder._files.Count > 0 ? (int)builder._firstFileOffset : source.Length;
        return new PatchDocument(source, builder._files) { Preamble = source[..preambleEnd] };
    }

    private long _firstFileOffset = -1;

    // Lenient reads: the last "---" line without its "+++" line (or a "+++" line alone), and its offset.
    private ReadOnlyMemory<byte> _pendingOld;
    private bool _pendingIsNew;
    private bool _pendingIsIndex;
    private long _pendingOldAt;
    private long _pendingOldLine;

    // Mail headers (format-patch, mbox): the current Subject and whether the next folded line continues it.
    private string? _subject;
    private bool _inSubject;

    private void OnToken(ref UnifiedDiffReader reader)
    {
        int start = reader.TokenStartIndex;
        int end = (int)reader.BytesConsumed;
        DiffTokenType token = reader.TokenType;
        switch (token)
        {
            case DiffTokenType.ContextLine:
                _hunkOld++;
                _hunkNew++;
                _bodyEnd = end;
                if (_streaming)
                {
                    OnStreamedBodyLine(start, end, false);
                }

                return;
            case DiffTokenType.AddedLine:
                _hunkNew++;
                _file!.Added++;
                _bodyEnd = end;
                if (_streaming)
                {
                    _hunkChanges = true;
                    OnStreamedBodyLine(start, end, false);
                }

                return;
            case DiffTokenType.RemovedLine:
                _hunkOld++;
                _file!.Removed++;
                _bodyEnd = end;
                if (_streaming)
                {
                    _hunkChanges = true;
                    OnStreamedBodyLine(start, end, false);
                }

                return;
            case DiffTokenType.NoNewlineMarker:
                if (_inHunk)
                {
                    _bodyEnd = end;
                    if (_streaming)
                    {
                        OnStreamedBodyLine(start, end, true);
                    }
                }

                return;
            case DiffTokenType.Garbage when _inHunk && reader.Mode == ReaderMode.Hunk:
                // A "#" comment line inside a hunk (lenient reads): passed over, as GNU patch does; the body leaves it out.
                (_hunkSkips ??= []).Add((start, end));
                return;
            case DiffTokenType.Garbage or DiffTokenType.Preamble when _inHunk && reader.Mode is ReaderMode.ContextHunkStart or ReaderMode.ContextOld or ReaderMode.ContextNew:
                // The same in a context hunk, whose lines are taken one by one: nothing to leave out.
                return;
            case DiffTokenType.BinaryData:
                _blockEnd = end;
                if (_streaming)
                {
                    Hold(start, end);
                }

                return;
            case DiffTokenType.ContextOldLine:
                _context!.AddOld(_streaming ? Hold(start, end) : start, end - start);
                return;
            case DiffTokenType.ContextNewLine:
                _context!.AddNew(_streaming ? Hold(start, end) : start, end - start);
                return;
            case DiffTokenType.ContextNewRange:
                _hunkNewStart = reader.HunkNewStart;
                _context!.NewRangeSeen(reader.HunkNewCount);
                return;
        }

        FinishHunk();
        FinishBlock();
        ReadOnlyMemory<byte> line = _source[start..end];
        if (_streaming && token is not (DiffTokenType.Preamble or DiffTokenType.Garbage or DiffTokenType.HunkHeader or DiffTokenType.BinaryBlockHeader
            or DiffTokenType.BinaryPatchHeader or DiffTokenType.BinaryBlockEnd or DiffTokenType.ContextHunkSeparator or DiffTokenType.ContextOldRange))
        {
            line = line.ToArray(); // the document keeps slices of header lines; the block they are in is about to be reused
        }

        long at = _base + start;
        long lineNumber = reader.LineNumber;
        switch (token)
        {
            case DiffTokenType.GitDiffHeader:
                StartFile(PatchDialect.Git, lineNumber, at);
                if (!HeaderPaths.TrySplitGitNames(HeaderPaths.HeaderText(line, 11), out _file!.GitOld, out _file.GitNew, lineNumber, at))
                {
                    _file.GitNamesUnclear = true;
                }

                break;
            case DiffTokenType.GitExtendedHeader:
                OnGitHeader(line, lineNumber, at);
                break;
            case DiffTokenType.FileHeaderOld when reader.Mode == ReaderMode.FileOpen && _file is { HasPair: true, Hunks.Count: 0 } && _file.Dialect is PatchDialect.Unified or PatchDialect.Git:
                // A "---" line alone after a header pair with no hunk yet (lenient reads only): the file's old name anew.
                _file.OldHeader = HeaderPaths.HeaderText(line, 4);
                break;
            case DiffTokenType.FileHeaderOld:
                if (_file is null || _file.Dialect != PatchDialect.Git || _file.HasPair || _file.Hunks.Count > 0 || _file.HasGitBinaryPatch)
                {
                    StartFile(PatchDialect.Unified, lineNumber, at);
                }

                _file!.OldHeader = HeaderPaths.HeaderText(line, 4);

                // A git header's "---" line without its "+++" line (lenient reads only) names the old side alone.
                _file.HasPair = reader.Mode != ReaderMode.FileOpen;
                _file.OldOnly = !_file.HasPair;
                break;
            case DiffTokenType.FileHeaderNew when reader.OpensFile:
                bool pair = !_pendingIsNew && !_pendingIsIndex;
                StartPending(PatchDialect.Unified, byNewLine: true);
                _file!.NewHeader = HeaderPaths.HeaderText(line, 4);
                _file.HeaderCrLf = line.Span.EndsWith("\r\n"u8);
                _file.HasPair = pair;
                break;
            case DiffTokenType.FileHeaderNew:
                if (_file is null || _file.Hunks.Count > 0)
                {
                    // A "+++" line alone starting a file (lenient reads only): the new name is all it has.
                    StartFile(PatchDialect.Unified, lineNumber, at);
                    _file!.NewOnly = true;
                }

                _file!.NewHeader = HeaderPaths.HeaderText(line, 4);
                _file.HeaderCrLf = line.Span.EndsWith("\r\n"u8);
                break;
            case DiffTokenType.ContextFileHeaderOld:
                StartFile(PatchDialect.Context, lineNumber, at);
                _file!.OldHeader = HeaderPaths.HeaderText(line, 4);
                _file.HasPair = true;
                break;
            case DiffTokenType.ContextFileHeaderNew:
                _file!.NewHeader = HeaderPaths.HeaderText(line, 4);
                _file.HeaderCrLf = line.Span.EndsWith("\r\n"u8);
                break;
            case DiffTokenType.HunkHeader:
                if (reader.OpensNameless)
                {
                    StartFile(PatchDialect.Unified, lineNumber, at);
                }
                else if (reader.OpensFile)
                {
                    StartPending(PatchDialect.Unified);
                    _file!.OldOnly = !_pendingIsNew;
                }

                if (_file is not null)
                {
                    _file.HunkHeaders++;
                    _file.CrLfHunkHeaders += line.Span.EndsWith("\r\n"u8) ? 1 : 0;
                }

                _inHunk = true;
                _hunkOldStart = reader.HunkOldStart;
                _hunkNewStart = reader.HunkNewStart;
                _hunkOld = _hunkNew = 0;
                _headerOld = reader.HunkOldCount;
                _headerNew = reader.HunkNewCount;
                _bodyStart = _bodyEnd = end;
                _hunkSkips?.Clear();
                _hunkChanges = _hunkBareCrLf = _lastLineOpen = _lastLineMarker = false;
                int headingEnd = start + UnifiedDiffReader.TrimEol(line.Span).Length;
                int headingStart = Math.Min(start + reader.HunkHeadingStart, headingEnd);
                _heading = _streaming ? _source[headingStart..headingEnd].ToArray() : _source[headingStart..headingEnd];
                _hunkLine = lineNumber;
                break;
            case DiffTokenType.ContextOldRange:
                _inHunk = true;
                _hunkOldStart = reader.HunkOldStart;
                _hunkNewStart = 0;
                _hunkLine = lineNumber;
                _context ??= new ContextHunkConverter();
                _context.Reset(_source);
                _heldLength = 0;
                break;
            case DiffTokenType.BinaryFilesDiffer:
                OnBinaryFiles(line, lineNumber, at);
                break;
            case DiffTokenType.BinaryPatchHeader:
                _file!.IsBinary = true;
                _file.HasGitBinaryPatch = true;
                break;
            case DiffTokenType.BinaryBlockHeader:
                OnBlockHeader(line, lineNumber, start, at);
                break;
            case DiffTokenType.Preamble:
            case DiffTokenType.Garbage:
                if (reader.Mode == ReaderMode.PendingOld && (line.Span.StartsWith("--- "u8) || line.Span.StartsWith("+++ "u8)
                    || (line.Span.StartsWith("Index:"u8) && (_pendingOld.IsEmpty || _pendingIsIndex))))
                {
                    // (An "Index:" line names the file only while no "---" or "+++" line does.)
                    _pendingIsIndex = line.Span[0] == (byte)'I';
                    _pendingIsNew = line.Span[0] == (byte)'+';
                    // A "---" line alone (lenient reads): the file a later hunk header or "+++" line opens.
                    _pendingOld = _streaming ? line.ToArray() : line;
                    _pendingOldAt = at;
                    _pendingOldLine = lineNumber;
                }

                OnText(line.Span);
                break;
            case DiffTokenType.ContextHunkSeparator:
                if (reader.OpensNameless)
                {
                    StartFile(PatchDialect.Context, lineNumber, at);
                }
                else if (reader.OpensFile)
                {
                    StartPending(PatchDialect.Context);
                }

                _heading = ContextHeading(line.Span, start);
                break;
            case DiffTokenType.BinaryBlockEnd:
                break;
        }
    }

    /// <summary>The function name a context hunk's row of stars carries (<c>*************** NAME</c>, as <c>diff -c -p</c>
    /// writes it): what follows the space after the stars.</summary>
    private ReadOnlyMemory<byte> ContextHeading(ReadOnlySpan<byte> line, int start)
    {
        ReadOnlySpan<byte> text = UnifiedDiffReader.TrimEol(line);
        int stars = text.IndexOfAnyExcept((byte)'*');
        if (stars < 0 || text[stars] != (byte)' ')
        {
            return default;
        }

        ReadOnlyMemory<byte> heading = _source[(start + stars + 1)..(start + text.Length)];
        return _streaming ? heading.ToArray() : heading;
    }

    /// <summary>Follows mail headers between file patches: an mbox <c>From </c> line starts a new mail, <c>Subject:</c> names it.</summary>
    private void OnText(ReadOnlySpan<byte> line)
    {
        if (_inSubject && line.Length > 1 && line[0] is (byte)' ' or (byte)'\t')
        {
            _subject += " " + PathText.Decode(UnifiedDiffReader.TrimEol(line).Trim((byte)' ').Trim((byte)'\t'));
            return;
        }

        _inSubject = false;
        if (line.StartsWith("From "u8))
        {
            _subject = null;
        }
        else if (line.StartsWith("Subject: "u8))
        {
            _subject = PathText.Decode(UnifiedDiffReader.TrimEol(line)[9..]);
            _inSubject = true;
        }
    }

    /// <summary>Starts the file a lone <c>---</c> line (or an <c>Index:</c> line) named, now that a hunk header or
    /// <c>+++</c> line opens it.</summary>
    private void StartPending(PatchDialect dialect, bool byNewLine = false)
    {
        ReadOnlyMemory<byte> pending = _pendingOld;
        StartFile(dialect, _pendingOldLine, _pendingOldAt);
        if (dialect == PatchDialect.Context && !_pendingIsIndex)
        {
            // Before a context hunk a "---" line names the new side and a "+++" line the old one, as GNU patch reads
            // them (it swaps the two only for a unified hunk).
            _file!.NewOnly = !_pendingIsNew;
            _file.OldOnly = _pendingIsNew;
            if (_pendingIsNew)
            {
                _file.OldHeader = HeaderPaths.HeaderText(pending, 4);
            }
            else
            {
                _file.NewHeader = HeaderPaths.HeaderText(pending, 4);
            }

            return;
        }

        if (_pendingIsNew)
        {
            // A "+++" line alone, then garbage, then the hunk header: the new name is all the file has.
            _file!.NewHeader = HeaderPaths.HeaderText(pending, 4);
            _file.NewOnly = true;
            return;
        }

        if (_pendingIsIndex)
        {
            // An "Index:" line names the file only when no "---" or "+++" line does (GNU patch drops its name then).
            _file!.NewOnly = byNewLine;
            _file.OldOnly = !byNewLine;
            if (!byNewLine)
            {
                ReadOnlySpan<byte> text = pending.Span;
                int start = 6;
                while (start < text.Length && text[start] is (byte)' ' or (byte)'\t')
                {
                    start++;
                }

                _file!.OldHeader = HeaderPaths.HeaderText(pending, start);
            }

            return;
        }

        _file!.OldHeader = HeaderPaths.HeaderText(pending, 4);
    }

    private void StartFile(PatchDialect dialect, long lineNumber, long offset)
    {
        FinishFile();
        _pendingOld = default; // (a name pending is the started file's, or of no file)
        if (_firstFileOffset < 0)
        {
            _firstFileOffset = offset;
        }

        _state.Reset(dialect, lineNumber, _subject);
        _state.Streamed = _streaming;
        _file = _state;
    }

    private void FinishHunk()
    {
        if (!_inHunk)
        {
            return;
        }

        _inHunk = false;
        if (_context is not null && _file!.Dialect == PatchDialect.Context)
        {
            if (_streaming)
            {
                _context.Reset(_held.AsMemory(0, _heldLength), keepLines: true);
            }

            ReadOnlyMemory<byte> body = _context.Convert(out int oldCount, out int newCount, out int added, out int removed);
            _file.Added += added;
            _file.Removed += removed;
            if (_streaming)
            {
                _file.Checks.Add(HunkChecks.Of(body.Span), _hunkLine);
                body = default;
            }

            _file.Hunks.Add(new Hunk(_hunkOldStart, oldCount, _hunkNewStart, newCount, _heading, body, _hunkLine));
            return;
        }

        if (_file!.ShortHunk is null && (_hunkOld < _headerOld || _hunkNew < _headerNew))
        {
            // Only a lenient or recounting read gets here (a strict one throws): remembered so the tree applier can
            // refuse it, or, when recounted on purpose, the caller can warn.
            _file.ShortHunk = new ShortHunk(_file.Hunks.Count, _hunkLine, _headerOld, _headerNew, _hunkOld, _hunkNew, _recount);
        }

        if (_streaming)
        {
            // _lastLineOpen is only ever set by a body line (offsets cannot tell: they are relative to the block).
            _file.Checks.Add(new HunkChecks(_hunkChanges, _hunkBareCrLf || (_lastLineOpen && !_lastLineMarker)), _hunkLine);
            _file.Hunks.Add(new Hunk(_hunkOldStart, _hunkOld, _hunkNewStart, _hunkNew, _heading, default, _hunkLine));
            return;
        }

        _file!.Hunks.Add(new Hunk(_hunkOldStart, _hunkOld, _hunkNewStart, _hunkNew, _heading, HunkBody(), _hunkLine));
    }

    /// <summary>The hunk's body: a slice of the source, or, when comment lines were passed over in it, a copy without them.</summary>
    private ReadOnlyMemory<byte> HunkBody()
    {
        if (_hunkSkips is not { Count: > 0 } skips)
        {
            return _source[_bodyStart.._bodyEnd];
        }

        var body = new List<byte>(_bodyEnd - _bodyStart);
        int from = _bodyStart;
        foreach ((int start, int end) in skips)
        {
            if (start < _bodyEnd)
            {
                body.AddRange(_source.Span[from..start]);
                from = end;
            }
        }

        skips.Clear();
        body.AddRange(_source.Span[Math.Min(from, _bodyEnd).._bodyEnd]);
        return body.ToArray();
    }

    /// <summary>Streaming: notes what git apply checks of a hunk line (a bare CR LF line; whether the last line ends open).</summary>
    private void OnStreamedBodyLine(int start, int end, bool marker)
    {
        ReadOnlySpan<byte> s = _source.Span[start..end];
        _hunkBareCrLf |= s.SequenceEqual("\r\n"u8);
        _lastLineOpen = s[^1] != (byte)'\n';
        _lastLineMarker = marker;
    }

    /// <summary>Streaming: copies a line that is needed after its block is reused (binary data, a context hunk's lines) and
    /// returns where the copy starts.</summary>
    private int Hold(int start, int end)
    {
        int length = end - start;
        if (_heldLength + length > _held.Length)
        {
            Array.Resize(ref _held, Math.Max(_held.Length * 2, _heldLength + length + 4096));
        }

        _source.Span[start..end].CopyTo(_held.AsSpan(_heldLength));
        int at = _heldLength;
        _heldLength += length;
        return at;
    }

    private void OnGitHeader(ReadOnlyMemory<byte> line, long lineNumber, long offset)
    {
        FileState f = _file!;
        ReadOnlyMemory<byte> text = HeaderPaths.HeaderText(line, 0);
        ReadOnlySpan<byte> s = text.Span;
        if (s.StartsWith("old mode "u8))
        {
            f.OldMode = ParseMode(s[9..], line, lineNumber, offset);
        }
        else if (s.StartsWith("new mode "u8))
        {
            f.NewMode = ParseMode(s[9..], line, lineNumber, offset);
        }
        else if (s.StartsWith("new file mode "u8))
        {
            f.NewMode = ParseMode(s[14..], line, lineNumber, offset);
            f.IsNew = true;
        }
        else if (s.StartsWith("deleted file mode "u8))
        {
            f.OldMode = ParseMode(s[18..], line, lineNumber, offset);
            f.IsDelete = true;
        }
        else if (s.StartsWith("rename from "u8) || s.StartsWith("rename old "u8))
        {
            f.FromName = HeaderPaths.GitValue(text[(s[7] == (byte)'f' ? 12 : 11)..], lineNumber, offset);
            f.IsRename = true;
        }
        else if (s.StartsWith("rename to "u8) || s.StartsWith("rename new "u8))
        {
            f.ToName = HeaderPaths.GitValue(text[(s[7] == (byte)'t' ? 10 : 11)..], lineNumber, offset);
            f.IsRename = true;
        }
        else if (s.StartsWith("copy from "u8))
        {
            f.FromName = HeaderPaths.GitValue(text[10..], lineNumber, offset);
            f.IsCopy = true;
        }
        else if (s.StartsWith("copy to "u8))
        {
            f.ToName = HeaderPaths.GitValue(text[8..], lineNumber, offset);
            f.IsCopy = true;
        }
        else if (s.StartsWith("similarity index "u8))
        {
            f.Similarity = ParsePercent(s[17..]);
        }
        else if (s.StartsWith("dissimilarity index "u8))
        {
            f.Dissimilarity = ParsePercent(s[20..]);
        }
        else if (s.StartsWith("index "u8))
        {
            ReadOnlySpan<byte> v = s[6..];
            int dots = v.IndexOf(".."u8);
            if (dots > 0)
            {
                int space = v.IndexOf((byte)' ');
                int idEnd = space < 0 ? v.Length : space;
                if (idEnd > dots)
                {
                    f.OldObjectId = PathText.Decode(v[..dots]);
                    f.NewObjectId = PathText.Decode(v[(dots + 2)..idEnd]);
                    if (space > 0)
                    {
                        f.IndexMode = ParseMode(v[(space + 1)..], line, lineNumber, offset);
                    }
                }
            }
        }
    }

    private static int ParseMode(ReadOnlySpan<byte> s, ReadOnlyMemory<byte> line, long lineNumber, long offset)
    {
        s = s.Trim((byte)' ');
        if (s.IsEmpty || s.Length > 7)
        {
            ThrowHelper.ThrowPatchFormat(PatchError.MalformedGitHeader, line.Span, lineNumber, offset);
        }

        int mode = 0;
        foreach (byte b in s)
        {
            if (b is < (byte)'0' or > (byte)'7')
            {
                ThrowHelper.ThrowPatchFormat(PatchError.MalformedGitHeader, line.Span, lineNumber, offset);
            }

            mode = (mode << 3) | (b - '0');
        }

        return mode;
    }

    private static int? ParsePercent(ReadOnlySpan<byte> s) =>
        Utf8Parser.TryParse(s, out int value, out _) && value is >= 0 and <= 100 ? value : null;

    private void OnBinaryFiles(ReadOnlyMemory<byte> line, long lineNumber, long offset)
    {
        if (_file is not null && _file.Dialect == PatchDialect.Git && !_file.Closed && _file.Hunks.Count == 0 && !_file.IsBinary)
        {
            _file.IsBinary = true;
            _file.Closed = true;
            return;
        }

        // GNU diff: "Binary files OLD and NEW differ" is a file patch of its own.
        StartFile(PatchDialect.Unified, lineNumber, offset);
        ReadOnlyMemory<byte> text = HeaderPaths.HeaderText(line, 13);
        text = text[..^7];
        int and = text.Span.IndexOf(" and "u8);
        if (and >= 0)
        {
            _file!.OldHeader = text[..and];
            _file.NewHeader = text[(and + 5)..];
            _file.HasPair = true;
        }

        _file!.IsBinary = true;
        _file.Closed = true;
    }

    private void OnBlockHeader(ReadOnlyMemory<byte> line, long lineNumber, int start, long offset)
    {
        ReadOnlySpan<byte> s = UnifiedDiffReader.TrimEol(line.Span);
        bool literal = s.StartsWith("literal "u8);
        ReadOnlySpan<byte> number = s[(literal ? 8 : 6)..];
        if (!Utf8Parser.TryParse(number, out long size, out int used) || used != number.Length || size < 0)
        {
            ThrowHelper.ThrowPatchFormat(PatchError.MalformedBinaryPatch, line.Span, lineNumber, offset);
        }

        _inBlock = true;
        _blockKind = literal ? GitBinaryBlockKind.Literal : GitBinaryBlockKind.Delta;
        _blockSize = size;
        _blockStart = _blockEnd = start + line.Length;
        _blockOffset = offset + line.Length;
        _blockLine = lineNumber + 1;
        _heldLength = 0;
    }

    private void FinishBlock()
    {
        if (!_inBlock)
        {
            return;
        }

        _inBlock = false;
        if (_streaming)
        {
            // Checked as git apply checks it, then dropped: a summary keeps no binary data.
            _ = GitBinaryDecoder.Decode(_blockSize, _held.AsSpan(0, _heldLength), _blockLine, _blockOffset);
            return;
        }

        ReadOnlyMemory<byte> encoded = _source[_blockStart.._blockEnd];
        ReadOnlyMemory<byte> data = GitBinaryDecoder.Decode(_blockSize, encoded.Span, _blockLine, _blockStart);
        _file!.Blocks.Add(new GitBinaryBlock(_blockKind, data) { Encoded = encoded });
    }

    private void FinishFile()
    {
        FinishHunk();
        FinishBlock();
        FileState? f = _file;
        if (f is null)
        {
            return;
        }

        _file = null;
        _fileCount++;
        FilePatch patch = f.ToFilePatch();
        if (_onFile is null)
        {
            _files.Add(patch);
        }
        else
        {
            _onFile(patch);
        }
    }

    private static long CountLines(ReadOnlySpan<byte> source) =>
        source.Count((byte)'\n') + (source.IsEmpty || source[^1] == (byte)'\n' ? 0 : 1);
}
