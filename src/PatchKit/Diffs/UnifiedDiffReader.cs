using PatchKit.Internal;

namespace PatchKit.Diffs;

/// <summary>A forward-only, allocation-free reader of unified, git and context diffs over bytes: one token per line.</summary>
/// <remarks>
/// <para>The reader never decodes content: <see cref="ValueSpan"/> is the whole line as it is in the input, line ending included
/// (<c>\n</c>, <c>\r\n</c>; a lone <c>\r</c> inside a line is data). A hunk ends when its counts are satisfied, as in GNU patch
/// and git apply, so a mail signature or any text after the last line is not part of the hunk.</para>
/// <para>It resumes across buffers like <c>Utf8JsonReader</c>: when <see cref="Read"/> returns <see langword="false"/> before the
/// final block, give the next reader the unconsumed rest (from <see cref="BytesConsumed"/>) plus more bytes and
/// <see cref="CurrentState"/>.</para>
/// </remarks>
/// <example>
/// <code>
/// var reader = new UnifiedDiffReader(bytes, isFinalBlock: true, state: default);
/// while (reader.Read())
///     if (reader.TokenType == DiffTokenType.HunkHeader) hunkCount++;
/// </code>
/// </example>
public ref partial struct UnifiedDiffReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private readonly bool _isFinalBlock;
    private readonly UnifiedDiffReaderState _options;
    private readonly long _bufferOffset;
    private int _consumed;
    private int _tokenStart;
    private int _tokenLength;
    private long _lineNumber;
    private ReaderMode _mode;
    private int _oldRemaining;
    private int _newRemaining;
    private int _hunkIndex;
    private long _hunkLine;
    private bool _seenFile;
    private bool _inBinaryBlock;
    private bool _opensFile;
    private bool _opensNameless;
    private DiffTokenType _tokenType;

    /// <summary>Initializes a new instance of the <see cref="UnifiedDiffReader"/> struct.</summary>
    /// <param name="data">The bytes to read (for a resumed read: the unconsumed rest of the previous buffer, then more).</param>
    /// <param name="isFinalBlock">Whether <paramref name="data"/> holds the end of the patch.</param>
    /// <param name="state">The state from the previous reader's <see cref="CurrentState"/>, or <see langword="default"/> to start (strict).</param>
    public UnifiedDiffReader(ReadOnlySpan<byte> data, bool isFinalBlock, UnifiedDiffReaderState state)
    {
        _buffer = data;
        _isFinalBlock = isFinalBlock;
        _options = state;
        _bufferOffset = state.Offset;
        _lineNumber = state.LineNumber;
        _mode = state.Mode;
        _oldRemaining = state.OldRemaining;
        _newRemaining = state.NewRemaining;
        _hunkIndex = state.HunkIndex;
        _hunkLine = state.HunkLine;
        _seenFile = state.SeenFile;
        _inBinaryBlock = state.InBinaryBlock;
        _consumed = 0;
        _tokenStart = 0;
        _tokenLength = 0;
        _tokenType = DiffTokenType.None;
        _opensFile = false;
        _opensNameless = false;
        HunkOldStart = HunkOldCount = HunkNewStart = HunkNewCount = 0;
        HunkHeadingStart = 0;
    }

    /// <summary>Initializes a new instance of the <see cref="UnifiedDiffReader"/> struct over a whole patch.</summary>
    /// <param name="data">The whole patch.</param>
    /// <param name="options">How to read; <see langword="null"/> for the defaults.</param>
    public UnifiedDiffReader(ReadOnlySpan<byte> data, PatchParseOptions? options = null)
        : this(data, isFinalBlock: true, new UnifiedDiffReaderState(options))
    {
    }

    /// <summary>Gets the kind of the current line.</summary>
    public readonly DiffTokenType TokenType => _tokenType;

    /// <summary>Gets the current line, line ending included, as a slice of the input.</summary>
    public readonly ReadOnlySpan<byte> ValueSpan => _buffer.Slice(_tokenStart, _tokenLength);

    /// <summary>Gets the 1-based line number of the current token in the whole patch.</summary>
    public readonly long LineNumber => _lineNumber;

    /// <summary>Gets the number of bytes of this reader's buffer consumed so far.</summary>
    public readonly long BytesConsumed => _consumed;

    /// <summary>Gets the offset of the current token in this reader's buffer.</summary>
    public readonly int TokenStartIndex => _tokenStart;

    /// <summary>Gets the 0-based offset of the current token in the whole patch (across resumed buffers).</summary>
    public readonly long TokenOffset => _bufferOffset + _tokenStart;

    /// <summary>Gets the 1-based index of the current hunk within its file patch (valid from a <see cref="DiffTokenType.HunkHeader"/> on).</summary>
    public readonly int HunkIndex => _hunkIndex;

    /// <summary>Gets the old start of the hunk header just read (valid when <see cref="TokenType"/> is <see cref="DiffTokenType.HunkHeader"/> or a context range).</summary>
    public int HunkOldStart { readonly get; private set; }

    /// <summary>Gets the old count of the hunk header just read (1 when the header omits it).</summary>
    public int HunkOldCount { readonly get; private set; }

    /// <summary>Gets the new start of the hunk header just read.</summary>
    public int HunkNewStart { readonly get; private set; }

    /// <summary>Gets the new count of the hunk header just read (1 when the header omits it).</summary>
    public int HunkNewCount { readonly get; private set; }

    /// <summary>Gets the offset in <see cref="ValueSpan"/> where the hunk header's section heading starts (its end is the line ending).</summary>
    public int HunkHeadingStart { readonly get; private set; }

    /// <summary>Gets a value indicating whether the current token (a hunk header or a <c>+++</c> line, lenient reads only)
    /// opens a file named by an earlier <c>---</c> line that had no <c>+++</c> line after it.</summary>
    internal readonly bool OpensFile => _opensFile;

    /// <summary>Gets a value indicating whether the current token (a hunk header or a context hunk's row of stars) opens a
    /// file patch that no header names (<see cref="PatchParseOptions.HunksWithoutHeaders"/>).</summary>
    internal readonly bool OpensNameless => _opensNameless;

    /// <summary>Gets the reading mode after the current token.</summary>
    internal readonly ReaderMode Mode => _mode;

    /// <summary>Gets the state to resume from on the next buffer.</summary>
    public readonly UnifiedDiffReaderState CurrentState =>
        new(_options, _lineNumber, _bufferOffset + _consumed, _mode, _oldRemaining, _newRemaining, _hunkIndex, _hunkLine, _seenFile, _inBinaryBlock);

    /// <summary>Reads the next line.</summary>
    /// <returns><see langword="true"/> when a token was read; <see langword="false"/> at the end of the data (or, before the
    /// final block, when the next line is not complete yet).</returns>
    /// <exception cref="PatchFormatException">The input is malformed (see <see cref="PatchParseOptions.Lenient"/>).</exception>
    public bool Read()
    {
        ReadOnlySpan<byte> rest = _buffer.Slice(_consumed);
        if (rest.IsEmpty)
        {
            if (_isFinalBlock)
            {
                OnEndOfInput();
            }

            return false;
        }

        int newline = rest.IndexOf((byte)'\n');
        int length;
        if (newline < 0)
        {
            if (!_isFinalBlock)
            {
                return false;
            }

            length = rest.Length;
        }
        else
        {
            length = newline + 1;
        }

        ReadOnlySpan<byte> line = rest.Slice(0, length);
        ReadOnlySpan<byte> next = rest.Slice(length);
        if (!_isFinalBlock && next.Length < 4 && NeedsLookahead(line))
        {
            return false;
        }

        _tokenStart = _consumed;
        _tokenLength = length;
        _lineNumber++;
        _opensFile = false;
        _opensNameless = false;
        _tokenType = Classify(line, next);
        _consumed += length;
        return true;
    }

    private readonly bool NeedsLookahead(ReadOnlySpan<byte> line) =>
        line.StartsWith("--- "u8) || line.StartsWith("*** "u8)
        || (_options.Lenient && (line.StartsWith("+++ "u8) || (_mode == ReaderMode.ContextOld && TrimEol(line).IsEmpty)));

    private void OnEndOfInput()
    {
        if (_mode is ReaderMode.ContextHunkStart or ReaderMode.ContextOld && !_options.Lenient)
        {
            ThrowHelper.ThrowPatchFormat(PatchError.ContextHunkTruncated, default, _lineNumber + 1, _bufferOffset + _consumed, _mode == ReaderMode.ContextHunkStart ? _hunkIndex + 1 : _hunkIndex);
        }

        if (_mode == ReaderMode.Hunk && !_options.Recount && !_options.Lenient)
        {
            ThrowHelper.ThrowPatchFormat(PatchError.HunkTruncated, default, _lineNumber + 1, _bufferOffset + _consumed, _hunkIndex, _hunkLine, ((long)_oldRemaining << 32) | (uint)_newRemaining);
        }

        _mode = ReaderMode.Outside;
    }

    private DiffTokenType Classify(ReadOnlySpan<byte> line, ReadOnlySpan<byte> next)
    {
        switch (_mode)
        {
            case ReaderMode.Hunk:
                if (TryHunkLine(line, out DiffTokenType hunkToken))
                {
                    return hunkToken;
                }

                break;
            case ReaderMode.AfterHunk:
                if (line[0] == (byte)'\\')
                {
                    return DiffTokenType.NoNewlineMarker;
                }

                if (line[0] == (byte)'#' && _options.Lenient)
                {
                    // A comment line after a hunk: GNU patch passes over it, so a hunk header after it goes on the file.
                    return GarbageToken;
                }

                break;
            case ReaderMode.GitHeader:
                if (IsGitExtendedHeader(line))
                {
                    return DiffTokenType.GitExtendedHeader;
                }

                if (line.StartsWith("GIT binary patch"u8))
                {
                    _mode = ReaderMode.Binary;
                    _inBinaryBlock = false;
                    return DiffTokenType.BinaryPatchHeader;
                }

                break;
            case ReaderMode.HeaderPair:
                if (line.StartsWith("+++ "u8))
                {
                    _mode = ReaderMode.FileOpen;
                    return DiffTokenType.FileHeaderNew;
                }

                break;
            case ReaderMode.FileOpen:
                if (_options.Lenient && _hunkIndex == 0 && line.StartsWith("+++ "u8))
                {
                    // A "+++" line doubled before the first hunk: read leniently, the last one names the file, as
                    // GNU patch takes it.
                    return DiffTokenType.FileHeaderNew;
                }

                break;
            case ReaderMode.PendingOld:
                if (line.StartsWith("+++ "u8))
                {
                    // The "+++" line after a lone "---" line and garbage: both name the file (lenient reads only).
                    StartFile(ReaderMode.FileOpen);
                    _opensFile = true;
                    return DiffTokenType.FileHeaderNew;
                }

                break;
            case ReaderMode.Binary:
                if (TryBinaryLine(line, out DiffTokenType binaryToken))
                {
                    return binaryToken;
                }

                break;
            case ReaderMode.ContextHeaderPair:
            case ReaderMode.ContextFileOpen:
            case ReaderMode.ContextHunkStart:
            case ReaderMode.ContextOld:
            case ReaderMode.ContextNew:
                if (TryContextLine(line, next, out DiffTokenType contextToken))
                {
                    return contextToken;
                }

                break;
        }

        return ClassifyCommon(line, next);
    }

    private DiffTokenType ClassifyCommon(ReadOnlySpan<byte> line, ReadOnlySpan<byte> next)
    {
        switch (line[0])
        {
            case (byte)'d':
                if (line.StartsWith("diff --git "u8))
                {
                    StartFile(ReaderMode.GitHeader);
                    return DiffTokenType.GitDiffHeader;
                }

                if (line.StartsWith("diff --cc "u8) || line.StartsWith("diff --combined "u8))
                {
                    ThrowHelper.ThrowPatchFormat(PatchError.CombinedDiff, line, _lineNumber, TokenOffset);
                }

                break;
            case (byte)'-':
                if (line.StartsWith("--- "u8) && next.StartsWith("+++ "u8))
                {
                    if (_mode != ReaderMode.GitHeader)
                    {
                        StartFile(ReaderMode.HeaderPair);
                    }

                    _mode = ReaderMode.HeaderPair;
                    return DiffTokenType.FileHeaderOld;
                }

                if (_options.Lenient && line.StartsWith("--- "u8))
                {
                    // A "---" line without its "+++" line (lenient reads only): GNU patch takes its name for the file
                    // a hunk header opens, even after garbage. In a git header it names the git file's old side; else
                    // the line is text until a hunk header (or a "+++" line) opens the file it names.
                    // After a header pair with no hunk yet it names that file's old side anew, as GNU's scan for
                    // the hunk header goes on taking names.
                    if (_mode == ReaderMode.GitHeader || (_mode == ReaderMode.FileOpen && _hunkIndex == 0))
                    {
                        _mode = ReaderMode.FileOpen;
                        return DiffTokenType.FileHeaderOld;
                    }

                    _mode = ReaderMode.PendingOld;
                    return GarbageToken;
                }

                break;
            case (byte)'+':
                if (_options.Lenient && line.StartsWith("+++ "u8) && next.StartsWith("@@ "u8))
                {
                    // A "+++" line alone right before a hunk (its "---" line taken as the end of the hunk before, or
                    // missing): read leniently, it starts a file named by it alone, as GNU patch takes it.
                    StartFile(ReaderMode.FileOpen);
                    return DiffTokenType.FileHeaderNew;
                }

                if (_options.Lenient && line.StartsWith("+++ "u8) && _mode is not (ReaderMode.Hunk or ReaderMode.FileOpen or ReaderMode.GitHeader))
                {
                    // A "+++" line alone before garbage: GNU patch takes its name for the file a later hunk header
                    // opens, as a lone "---" line's.
                    _mode = ReaderMode.PendingOld;
                    return GarbageToken;
                }

                break;
            case (byte)'*':
                if (line.StartsWith("*** "u8) && next.StartsWith("--- "u8))
                {
                    StartFile(ReaderMode.ContextHeaderPair);
                    return DiffTokenType.ContextFileHeaderOld;
                }

                if (_options.Lenient && _mode == ReaderMode.PendingOld && line.StartsWith("***************"u8) && next.StartsWith("*** "u8))
                {
                    // A context hunk after a lone "---" or "Index:" line (lenient reads): it opens the file that line named.
                    StartFile(ReaderMode.ContextHunkStart);
                    _opensFile = true;
                    return DiffTokenType.ContextHunkSeparator;
                }

                if (_options.HunksWithoutHeaders && line.StartsWith("***************"u8) && next.StartsWith("*** "u8))
                {
                    // A context hunk that no header names (HunksWithoutHeaders): it opens a file patch without paths.
                    StartFile(ReaderMode.ContextHunkStart);
                    _opensNameless = true;
                    return DiffTokenType.ContextHunkSeparator;
                }

                break;
            case (byte)'@':
                if (line.StartsWith("@@ "u8) || line.StartsWith("@@@"u8))
                {
                    if (TryHunkHeader(line))
                    {
                        return DiffTokenType.HunkHeader;
                    }

                    _mode = ReaderMode.Outside;
                    return GarbageToken;
                }

                break;
            case (byte)'B':
                if (line.StartsWith("Binary files "u8) && TrimEol(line).EndsWith(" differ"u8))
                {
                    _seenFile = true;
                    _mode = ReaderMode.Outside;
                    return DiffTokenType.BinaryFilesDiffer;
                }

                break;
        }

        if (_options.Lenient && line.StartsWith("Index:"u8) && !(_mode is ReaderMode.PendingOld or ReaderMode.GitHeader || (_mode is ReaderMode.FileOpen or ReaderMode.ContextFileOpen && _hunkIndex == 0)))
        {
            // An "Index:" line where no header names a file yet (lenient reads): GNU patch takes its name for the file
            // a hunk header opens when no "---" or "+++" line names one, as a lone "---" line's.
            _mode = ReaderMode.PendingOld;
            return GarbageToken;
        }

        if (!_options.Lenient || !(_mode is ReaderMode.PendingOld or ReaderMode.GitHeader || (_mode == ReaderMode.FileOpen && _hunkIndex == 0)))
        {
            _mode = ReaderMode.Outside;
        }

        // Else (lenient reads): garbage between a file's headers and its first hunk header is passed over, as GNU patch
        // reads on through it to the hunk header.
        return GarbageToken;
    }

    private readonly DiffTokenType GarbageToken => _seenFile ? DiffTokenType.Garbage : DiffTokenType.Preamble;

    private void StartFile(ReaderMode mode)
    {
        _mode = mode;
        _seenFile = true;
        _hunkIndex = 0;
    }

    internal static ReadOnlySpan<byte> TrimEol(ReadOnlySpan<byte> line)
    {
        if (!line.IsEmpty && line[^1] == (byte)'\n')
        {
            line = line[..^1];
            if (!line.IsEmpty && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }
        }

        return line;
    }
}
