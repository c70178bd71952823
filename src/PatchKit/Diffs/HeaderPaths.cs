using PatchKit.Internal;

namespace PatchKit.Diffs;

/// <summary>Reads the paths of file headers: C-quoted git names, traditional names ended by a tab, <c>diff --git</c> name pairs.</summary>
internal static class HeaderPaths
{
    /// <summary>The text of a header line after its 4-byte prefix (<c>"--- "</c>), without the line ending.</summary>
    public static ReadOnlyMemory<byte> HeaderText(ReadOnlyMemory<byte> line, int prefix)
    {
        int length = UnifiedDiffReader.TrimEol(line.Span).Length;
        return line[prefix..length];
    }

    /// <summary>Splits a traditional header text into the name and the timestamp (after the first tab).</summary>
    public static ReadOnlyMemory<byte> TraditionalName(ReadOnlyMemory<byte> text, out ReadOnlyMemory<byte> timestamp, long lineNumber, long offset)
    {
        ReadOnlySpan<byte> span = text.Span;
        if (!span.IsEmpty && span[0] == (byte)'"')
        {
            int end = FindClosingQuote(span);
            if (end > 0)
            {
                timestamp = text[(end + 1)..].TrimStart((byte)'\t');
                return Unquote(span[..(end + 1)], lineNumber, offset);
            }
        }

        // A timestamp at the end of the line, found from the right as git apply does: the name is everything before
        // it, tabs and spaces included ("post\timage.txt\t2010-08-18 ...", or "name   2010-08-18 ..." after a mailer
        // turned the tab into spaces).
        int stamp = TimestampLength(span);
        if (stamp > 0)
        {
            int nameEnd = span.Length - stamp;
            timestamp = text[nameEnd..].TrimStart(" \t"u8);
            return text[..nameEnd];
        }

        int tab = span.IndexOf((byte)'\t');
        if (tab >= 0)
        {
            timestamp = text[(tab + 1)..];
            return text[..tab];
        }

        timestamp = default;
        return text.TrimEnd((byte)' ');
    }

    /// <summary>The length of the whitespace and <c>YYYY-MM-DD HH:MM:SS[.frac][ ±HHMM| ±HH:MM]</c> timestamp that end
    /// <paramref name="line"/>, or 0 when it does not end with one (git's <c>diff_timestamp_len</c>). The timestamp
    /// must follow a tab, or spaces (whitespace damage).</summary>
    internal static int TimestampLength(ReadOnlySpan<byte> line)
    {
        int end = line.Length;
        if (end == 0 || !IsDigit(line[end - 1]))
        {
            return 0;
        }

        // " +0500" or " -05:00"
        if (end >= 6 && line[end - 6] == (byte)' ' && line[end - 5] is (byte)'+' or (byte)'-' && AllDigits(line[(end - 4)..end]))
        {
            end -= 6;
        }
        else if (end >= 7 && line[end - 7] == (byte)' ' && line[end - 6] is (byte)'+' or (byte)'-' && AllDigits(line.Slice(end - 5, 2)) && line[end - 3] == (byte)':' && AllDigits(line[(end - 2)..end]))
        {
            end -= 7;
        }

        // " HH:MM:SS" with an optional ".fraction"
        int fraction = end;
        while (fraction > 0 && IsDigit(line[fraction - 1]))
        {
            fraction--;
        }

        if (fraction < end && fraction > 0 && line[fraction - 1] == (byte)'.')
        {
            end = fraction - 1;
        }

        if (end < 9 || line[end - 9] != (byte)' ' || !AllDigits(line.Slice(end - 8, 2)) || line[end - 6] != (byte)':' || !AllDigits(line.Slice(end - 5, 2)) || line[end - 3] != (byte)':' || !AllDigits(line.Slice(end - 2, 2)))
        {
            return 0;
        }

        end -= 9;

        // "YYYY-MM-DD"
        if (end < 10 || !AllDigits(line.Slice(end - 10, 4)) || line[end - 6] != (byte)'-' || !AllDigits(line.Slice(end - 5, 2)) || line[end - 3] != (byte)'-' || !AllDigits(line.Slice(end - 2, 2)))
        {
            return 0;
        }

        end -= 10;
        if (end == 0)
        {
            return 0; // no name before the date
        }

        if (line[end - 1] == (byte)'\t')
        {
            return line.Length - (end - 1);
        }

        if (line[end - 1] != (byte)' ')
        {
            return 0;
        }

        while (end > 0 && line[end - 1] == (byte)' ')
        {
            end--;
        }

        return end == 0 ? 0 : line.Length - end;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static bool AllDigits(ReadOnlySpan<byte> s) => s.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;

    /// <summary>Whether a traditional name is <c>/dev/null</c>.</summary>
    public static bool IsDevNull(ReadOnlySpan<byte> name) => name.SequenceEqual("/dev/null"u8);

    /// <summary>Whether a timestamp is the Unix epoch (how <c>diff -N</c> marks a missing file), in any time zone (git's has_epoch_timestamp).</summary>
    public static bool IsEpoch(ReadOnlySpan<byte> timestamp)
    {
        bool y1970 = timestamp.StartsWith("1970-01-01 "u8);
        if (!y1970 && !timestamp.StartsWith("1969-12-31 "u8))
        {
            return timestamp.StartsWith("Thu Jan  1 00:00:00 1970"u8);
        }

        if (timestamp.Length < 19 || timestamp[13] != (byte)':' || timestamp[16] != (byte)':' || timestamp[17] != (byte)'0' || timestamp[18] != (byte)'0')
        {
            return false;
        }

        int minutes = (y1970 ? 0 : -1440) + (Two(timestamp, 11) * 60) + Two(timestamp, 14);
        int space = timestamp.LastIndexOf((byte)' ');
        ReadOnlySpan<byte> zone = timestamp[(space + 1)..];
        if (space <= 11 || zone.Length != 5 || zone[0] is not ((byte)'+' or (byte)'-'))
        {
            return minutes == 0;
        }

        int offset = (Two(zone, 1) * 60) + Two(zone, 3);
        return minutes == (zone[0] == (byte)'+' ? offset : -offset);
    }

    private static int Two(ReadOnlySpan<byte> s, int at) => ((s[at] - '0') * 10) + (s[at + 1] - '0');

    /// <summary>Reads the value of a git header like <c>rename from NAME</c> (quoted or not).</summary>
    public static ReadOnlyMemory<byte> GitValue(ReadOnlyMemory<byte> value, long lineNumber, long offset)
    {
        ReadOnlySpan<byte> span = value.Span;
        if (!span.IsEmpty && span[0] == (byte)'"')
        {
            int end = FindClosingQuote(span);
            if (end > 0)
            {
                return Unquote(span[..(end + 1)], lineNumber, offset);
            }
        }

        return value;
    }

    /// <summary>Splits the names of a <c>diff --git A B</c> line as git does: quoted names, or two equal names after their first slash.</summary>
    public static bool TrySplitGitNames(ReadOnlyMemory<byte> text, out ReadOnlyMemory<byte> oldName, out ReadOnlyMemory<byte> newName, long lineNumber, long offset)
    {
        ReadOnlySpan<byte> span = text.Span;
        oldName = newName = default;
        if (span.IsEmpty)
        {
            return false;
        }

        if (span[0] == (byte)'"')
        {
            int end = FindClosingQuote(span);
            if (end < 0 || end + 2 > span.Length || span[end + 1] != (byte)' ')
            {
                return false;
            }

            oldName = Unquote(span[..(end + 1)], lineNumber, offset);
            ReadOnlyMemory<byte> rest = text[(end + 2)..];
            newName = rest.Span.Length > 0 && rest.Span[0] == (byte)'"' ? GitValue(rest, lineNumber, offset) : rest;
            return !newName.IsEmpty;
        }

        int lastQuote = span.Length - 1;
        if (span[lastQuote] == (byte)'"')
        {
            int open = span[..lastQuote].LastIndexOf(" \""u8);
            if (open > 0)
            {
                oldName = text[..open];
                newName = GitValue(text[(open + 1)..], lineNumber, offset);
                return true;
            }
        }

        // Unquoted: find the space where both halves name the same file after their prefix (git's git_header_name).
        int from = 0;
        while (true)
        {
            int sp = span[from..].IndexOf((byte)' ');
            if (sp < 0)
            {
                break;
            }

            sp += from;
            ReadOnlySpan<byte> first = span[..sp];
            ReadOnlySpan<byte> second = span[(sp + 1)..];
            if (StripFirst(first).SequenceEqual(StripFirst(second)))
            {
                oldName = text[..sp];
                newName = text[(sp + 1)..];
                return true;
            }

            from = sp + 1;
        }

        return false;
    }

    /// <summary>The name after its first <c>/</c> (the whole name when there is none).</summary>
    public static ReadOnlySpan<byte> StripFirst(ReadOnlySpan<byte> name)
    {
        int slash = name.IndexOf((byte)'/');
        return slash < 0 ? name : name[(slash + 1)..];
    }

    private static int FindClosingQuote(ReadOnlySpan<byte> span)
    {
        int i = 1;
        while (i < span.Length)
        {
            int k = span[i..].IndexOfAny((byte)'"', (byte)'\\');
            if (k < 0)
            {
                return -1;
            }

            i += k;
            if (span[i] == (byte)'"')
            {
                return i;
            }

            i += 2;
        }

        return -1;
    }

    /// <summary>Unquotes a C-quoted name (with its quotes): <c>\a \b \f \n \r \t \v \\ \"</c> and octal <c>\ooo</c>.</summary>
    public static ReadOnlyMemory<byte> Unquote(ReadOnlySpan<byte> quoted, long lineNumber, long offset)
    {
        ReadOnlySpan<byte> body = quoted[1..^1];
        byte[] result = new byte[body.Length];
        int n = 0;
        int i = 0;
        while (i < body.Length)
        {
            int k = body[i..].IndexOf((byte)'\\');
            if (k < 0)
            {
                body[i..].CopyTo(result.AsSpan(n));
                n += body.Length - i;
                break;
            }

            body.Slice(i, k).CopyTo(result.AsSpan(n));
            n += k;
            i += k + 1;
            if (i >= body.Length)
            {
                ThrowHelper.ThrowPatchFormat(PatchError.MalformedQuotedPath, quoted, lineNumber, offset);
            }

            byte c = body[i++];
            switch (c)
            {
                case (byte)'a': result[n++] = 7; break;
                case (byte)'b': result[n++] = 8; break;
                case (byte)'f': result[n++] = 12; break;
                case (byte)'n': result[n++] = 10; break;
                case (byte)'r': result[n++] = 13; break;
                case (byte)'t': result[n++] = 9; break;
                case (byte)'v': result[n++] = 11; break;
                case (byte)'\\': result[n++] = (byte)'\\'; break;
                case (byte)'"': result[n++] = (byte)'"'; break;
                case >= (byte)'0' and <= (byte)'3':
                    if (i + 1 >= body.Length || body[i] is < (byte)'0' or > (byte)'7' || body[i + 1] is < (byte)'0' or > (byte)'7')
                    {
                        ThrowHelper.ThrowPatchFormat(PatchError.MalformedQuotedPath, quoted, lineNumber, offset);
                    }

                    result[n++] = (byte)(((c - '0') << 6) | ((body[i] - '0') << 3) | (body[i + 1] - '0'));
                    i += 2;
                    break;
                default:
                    ThrowHelper.ThrowPatchFormat(PatchError.MalformedQuotedPath, quoted, lineNumber, offset);
                    break;
            }
        }

        return result.AsMemory(0, n);
    }
}
