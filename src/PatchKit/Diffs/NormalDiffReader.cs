using System.Buffers;
using System.Globalization;

namespace PatchKit.Diffs;

/// <summary>Reads a normal diff (what <c>diff</c> writes without <c>-u</c> or <c>-c</c>: <c>5c5</c>, <c>&lt; old</c>,
/// <c>---</c>, <c>&gt; new</c>) into the unified model: each command becomes a hunk without context, its removed
/// lines from the <c>&lt;</c> lines and its added lines from the <c>&gt;</c> lines.</summary>
internal static class NormalDiffReader
{
    /// <summary>Whether the first non-blank line is a normal diff command (<c>N[,N]{a,c,d}N[,N]</c>).</summary>
    public static bool LooksNormal(ReadOnlySpan<byte> patch) => TryCommand(FirstLine(patch), out _, out _, out _, out _, out _);

    /// <summary>The first non-blank line, without its line ending (normal diffs and ed scripts are told by it).</summary>
    internal static ReadOnlySpan<byte> FirstLine(ReadOnlySpan<byte> patch)
    {
        int start = 0;
        while (start < patch.Length && (patch[start] == (byte)'\n' || patch[start] == (byte)'\r'))
        {
            start++;
        }

        int end = patch[start..].IndexOf((byte)'\n');
        return UnifiedDiffReader.TrimEol(end < 0 ? patch[start..] : patch.Slice(start, end + 1));
    }

    public static PatchDocument Read(ReadOnlyMemory<byte> patch)
    {
        ReadOnlySpan<byte> text = patch.Span;
        var hunks = new List<Hunk>();
        var body = new ArrayBufferWriter<byte>();
        int added = 0;
        int removed = 0;
        int pos = 0;
        long lineNumber = 0;
        while (pos < text.Length)
        {
            ReadOnlySpan<byte> line = NextLine(text, ref pos);
            lineNumber++;
            ReadOnlySpan<byte> trimmed = UnifiedDiffReader.TrimEol(line);
            if (trimmed.IsEmpty)
            {
                continue;
            }

            if (!TryCommand(trimmed, out int a1, out int a2, out byte op, out int b1, out int b2))
            {
                throw new PatchFormatException(string.Create(CultureInfo.InvariantCulture, $"Line {lineNumber}: not a normal diff command (N[,N]a|c|dN[,N])"), "MalformedNormalCommand", lineNumber, pos - line.Length);
            }

            long commandLine = lineNumber;
            int old = op == (byte)'a' ? 0 : a2 - a1 + 1;
            int @new = op == (byte)'d' ? 0 : b2 - b1 + 1;
            body.Clear();
            int seenOld = 0;
            int seenNew = 0;
            bool separator = false;
            while (pos < text.Length)
            {
                int save = pos;
                ReadOnlySpan<byte> next = NextLine(text, ref pos);
                if (UnifiedDiffReader.TrimEol(next) is [(byte)'<' or (byte)'>'])
                {
                    // An empty line written without the space after the marker (diff --suppress-blank-empty).
                    next = next[0] == (byte)'<' ? "< \n"u8 : "> \n"u8;
                }

                if (next.StartsWith("< "u8) && seenOld < old && !separator)
                {
                    Append(body, (byte)'-', next[2..]);
                    seenOld++;
                }
                else if (next.StartsWith("> "u8) && seenNew < @new && (separator || old == 0))
                {
                    Append(body, (byte)'+', next[2..]);
                    seenNew++;
                }
                else if (UnifiedDiffReader.TrimEol(next).SequenceEqual("---"u8) && op == (byte)'c' && !separator && seenOld == old)
                {
                    separator = true;
                }
                else if (next.StartsWith("\\"u8))
                {
                    body.Write(next);
                    if (next[^1] != (byte)'\n')
                    {
                        body.Write("\n"u8);
                    }
                }
                else
                {
                    pos = save;
                    break;
                }

                lineNumber++;
            }

            if (seenOld != old || seenNew != @new)
            {
                throw new PatchFormatException(string.Create(CultureInfo.InvariantCulture, $"Line {commandLine}: the normal diff command promises {old} old and {@new} new lines; {seenOld} and {seenNew} follow"), "ShortNormalCommand", commandLine, 0);
            }

            // A normal diff numbers an empty side as unified diffs do: the line before (a 'NaM' inserts after line N).
            hunks.Add(new Hunk(a1, old, b1, @new, ReadOnlyMemory<byte>.Empty, body.WrittenSpan.ToArray(), commandLine));
            added += @new;
            removed += old;
        }

        var file = new FilePatch(ReadOnlyMemory<byte>.Empty, ReadOnlyMemory<byte>.Empty, FileOperation.Modify, hunks)
        {
            Dialect = PatchDialect.Normal,
            AddedLines = added,
            RemovedLines = removed,
            LineNumber = 1,
        };
        return new PatchDocument(patch, [file]);
    }

    private static void Append(ArrayBufferWriter<byte> body, byte marker, ReadOnlySpan<byte> content)
    {
        body.Write([marker]);
        body.Write(content);
        if (content.IsEmpty || content[^1] != (byte)'\n')
        {
            // Only the patch's own last line can lack its newline; a "\ No newline" line after it says what it means.
            body.Write("\n"u8);
        }
    }

    private static ReadOnlySpan<byte> NextLine(ReadOnlySpan<byte> text, ref int pos)
    {
        int eol = text[pos..].IndexOf((byte)'\n');
        int end = eol < 0 ? text.Length : pos + eol + 1;
        ReadOnlySpan<byte> line = text[pos..end];
        pos = end;
        return line;
    }

    private static bool TryCommand(ReadOnlySpan<byte> s, out int a1, out int a2, out byte op, out int b1, out int b2)
    {
        a2 = b2 = 0;
        op = 0;
        b1 = 0;
        int pos = 0;
        if (!Number(s, ref pos, out a1))
        {
            return false;
        }

        a2 = a1;
        if (pos < s.Length && s[pos] == (byte)',' && (++pos > 0) && !Number(s, ref pos, out a2))
        {
            return false;
        }

        if (pos >= s.Length || s[pos] is not ((byte)'a' or (byte)'c' or (byte)'d'))
        {
            return false;
        }

        op = s[pos++];
        if (!Number(s, ref pos, out b1))
        {
            return false;
        }

        b2 = b1;
        if (pos < s.Length && s[pos] == (byte)',' && (++pos > 0) && !Number(s, ref pos, out b2))
        {
            return false;
        }

        return pos == s.Length && a2 >= a1 && b2 >= b1 && (op != (byte)'a' || a1 == a2) && (op != (byte)'d' || b1 == b2);
    }

    /// <summary>Reads a decimal line number of at most 10 digits that fits an <see cref="int"/> (normal and ed diffs).</summary>
    internal static bool Number(ReadOnlySpan<byte> s, ref int pos, out int value)
    {
        value = 0;
        int start = pos;
        while (pos < s.Length && s[pos] >= (byte)'0' && s[pos] <= (byte)'9' && pos - start < 10)
        {
            long v = (value * 10L) + (s[pos] - '0');
            if (v > int.MaxValue)
            {
                return false;
            }

            value = (int)v;
            pos++;
        }

        return pos > start;
    }
}
