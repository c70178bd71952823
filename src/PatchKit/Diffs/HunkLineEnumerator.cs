namespace PatchKit.Diffs;

/// <summary>Walks the lines of a hunk body without allocating.</summary>
/// <remarks>
/// A <c>\ No newline at end of file</c> marker is not yielded: it removes the final <c>\n</c> from the line before
/// it. A completely empty line (as left by mailers that strip trailing spaces) is a context line holding only its
/// line ending, as GNU patch reads it.
/// </remarks>
public struct HunkLineEnumerator
{
    private readonly ReadOnlyMemory<byte> _body;
    private int _position;
    private HunkLine _current;

    internal HunkLineEnumerator(ReadOnlyMemory<byte> body)
    {
        _body = body;
        _position = 0;
        _current = default;
    }

    /// <summary>Gets the current line.</summary>
    public readonly HunkLine Current => _current;

    /// <summary>Returns this enumerator (for <c>foreach</c>).</summary>
    /// <returns>This enumerator.</returns>
    public readonly HunkLineEnumerator GetEnumerator() => this;

    /// <summary>Advances to the next line.</summary>
    /// <returns><see langword="true"/> when there is a line; <see langword="false"/> at the end of the hunk.</returns>
    public bool MoveNext()
    {
        ReadOnlySpan<byte> span = _body.Span;
        while (_position < span.Length)
        {
            int start = _position;
            int eol = span[start..].IndexOf((byte)'\n');
            int end = eol < 0 ? span.Length : start + eol + 1;
            _position = end;
            byte marker = span[start];
            if (marker == (byte)'\\')
            {
                continue; // handled by look-ahead below
            }

            HunkLineKind kind;
            int contentStart;
            if (marker == (byte)'+')
            {
                kind = HunkLineKind.Added;
                contentStart = start + 1;
            }
            else if (marker == (byte)'-')
            {
                kind = HunkLineKind.Removed;
                contentStart = start + 1;
            }
            else if (marker == (byte)' ')
            {
                kind = HunkLineKind.Context;
                contentStart = start + 1;
            }
            else
            {
                // An empty line ("\n" or "\r\n"): context whose content is the line ending.
                kind = HunkLineKind.Context;
                contentStart = start;
            }

            int contentEnd = end;
            if (end < span.Length && span[end] == (byte)'\\' && contentEnd > contentStart && span[contentEnd - 1] == (byte)'\n')
            {
                contentEnd--;
            }

            _current = new HunkLine(kind, _body[contentStart..contentEnd]);
            return true;
        }

        return false;
    }
}
