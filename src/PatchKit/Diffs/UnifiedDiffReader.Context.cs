using PatchKit.Internal;

namespace PatchKit.Diffs;

/// <summary>Context diffs (<c>diff -c</c>): <c>***</c>/<c>---</c> headers, <c>***************</c> hunks with old and new sections.</summary>
public ref partial struct UnifiedDiffReader
{
    private bool TryContextLine(ReadOnlySpan<byte> line, ReadOnlySpan<byte> next, out DiffTokenType token)
    {
        token = DiffTokenType.None;
        if (_options.Lenient && line[0] == (byte)'#' && _mode is ReaderMode.ContextHunkStart or ReaderMode.ContextOld or ReaderMode.ContextNew)
        {
            // A "#" comment line in a hunk (lenient reads): GNU patch passes over it; the hunk goes on after it.
            token = GarbageToken;
            return true;
        }

        switch (_mode)
        {
            case ReaderMode.ContextHeaderPair:
                if (line.StartsWith("--- "u8))
                {
                    _mode = ReaderMode.ContextFileOpen;
                    token = DiffTokenType.ContextFileHeaderNew;
                    return true;
                }

                return false;
            case ReaderMode.ContextFileOpen:
                if (line.StartsWith("***************"u8))
                {
                    _mode = ReaderMode.ContextHunkStart;
                    token = DiffTokenType.ContextHunkSeparator;
                    return true;
                }

                return false;
            case ReaderMode.ContextHunkStart:
                if (line.StartsWith("*** "u8))
                {
                    if (!TryContextRange(line, "****"u8, isOld: true))
                    {
                        // A range that is not one is an error also when reading leniently, as GNU patch stops there.
                        ThrowHelper.ThrowPatchFormat(PatchError.MalformedContextRange, line, _lineNumber, TokenOffset);
                    }

                    _mode = ReaderMode.ContextOld;
                    _oldRemaining = HunkOldCount; // (the old section's lines still to come, as the range says)
                    _hunkIndex++;
                    _hunkLine = _lineNumber;
                    token = DiffTokenType.ContextOldRange;
                    return true;
                }

                return FailContext(line, PatchError.MalformedContextRange);
            case ReaderMode.ContextOld:
                if (line.StartsWith("--- "u8))
                {
                    // The new section's range: "--- c,d ----", or "--- c,d" in an old-style context diff. No line of
                    // the old section starts so (its mark is followed by a space).
                    if (!TryContextRange(line, "----"u8, isOld: false))
                    {
                        ThrowHelper.ThrowPatchFormat(PatchError.MalformedContextRange, line, _lineNumber, TokenOffset);
                    }

                    _mode = ReaderMode.ContextNew;
                    token = DiffTokenType.ContextNewRange;
                    return true;
                }

                if (_options.Lenient && _oldRemaining == 0 && TrimEol(line).IsEmpty && next.StartsWith("--- "u8))
                {
                    // An empty line right after the old section's last line, before the new section's range (lenient
                    // reads): GNU patch passes over it.
                    token = GarbageToken;
                    return true;
                }

                if (IsContextBodyLine(line))
                {
                    _oldRemaining -= line[0] == (byte)'\\' ? 0 : 1;
                    token = DiffTokenType.ContextOldLine;
                    return true;
                }

                return FailContext(line, PatchError.UnexpectedContextLine);
            case ReaderMode.ContextNew:
                if (line[0] == (byte)'\\')
                {
                    token = DiffTokenType.ContextNewLine;
                    return true;
                }

                if (_newRemaining > 0 && IsContextBodyLine(line))
                {
                    _newRemaining--;
                    token = DiffTokenType.ContextNewLine;
                    return true;
                }

                _mode = ReaderMode.ContextFileOpen;
                return TryContextLine(line, next, out token);
        }

        return false;
    }

    private static bool IsContextBodyLine(ReadOnlySpan<byte> line)
    {
        if (line[0] == (byte)'\\' || line[0] == (byte)'\n' || (line.Length == 2 && line[0] == (byte)'\r' && line[1] == (byte)'\n'))
        {
            return true;
        }

        return line.Length >= 2 && line[1] == (byte)' ' && line[0] is (byte)' ' or (byte)'-' or (byte)'+' or (byte)'!';
    }

    private bool FailContext(ReadOnlySpan<byte> line, PatchError error)
    {
        if (!_options.Lenient)
        {
            ThrowHelper.ThrowPatchFormat(error, line, _lineNumber, TokenOffset);
        }

        _mode = ReaderMode.Outside;
        return false;
    }

    /// <summary>Parses <c>*** a[,b] ****</c> / <c>--- c[,d] ----</c> into start and count (a single number N: one line, or
    /// none when N is 0). The trailing stars or dashes may be missing, as in the context diffs of old diff versions
    /// (GNU patch reads both).</summary>
    private bool TryContextRange(ReadOnlySpan<byte> line, ReadOnlySpan<byte> tail, bool isOld)
    {
        ReadOnlySpan<byte> s = TrimEol(line)[4..];
        if (s.EndsWith(tail))
        {
            s = s[..^tail.Length];
        }

        s = s.Trim((byte)' ');
        int pos = 0;
        int status = 0;
        if (!ParseNumber(s, ref pos, out int start, ref status))
        {
            if (status != 0)
            {
                ThrowHelper.ThrowPatchFormat(PatchError.LineNumberTooLarge, line, _lineNumber, TokenOffset);
            }

            return false;
        }

        int count;
        if (pos < s.Length && s[pos] == (byte)',')
        {
            pos++;
            if (!ParseNumber(s, ref pos, out int end, ref status))
            {
                if (status != 0)
                {
                    ThrowHelper.ThrowPatchFormat(PatchError.LineNumberTooLarge, line, _lineNumber, TokenOffset);
                }

                return false;
            }

            count = end >= start ? end - start + 1 : 0;
        }
        else
        {
            count = start == 0 ? 0 : 1;
        }

        if (pos != s.Length)
        {
            return false;
        }

        if (isOld)
        {
            HunkOldStart = start;
            HunkOldCount = count;
        }
        else
        {
            HunkNewStart = start;
            HunkNewCount = count;
            _newRemaining = count;
        }

        return true;
    }
}
