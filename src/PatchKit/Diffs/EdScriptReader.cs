using System.Buffers;
using System.Globalization;

namespace PatchKit.Diffs;

/// <summary>Reads an ed script as <c>diff -e</c> writes it (<c>a</c>, <c>c</c>, <c>d</c>, <c>i</c> commands, last line
/// first, and <c>s/.//</c> after a text line that is a lone dot) into the unified model, as data: nothing is ever run,
/// and any other command is refused. An ed script holds no old lines, so the file it was made against supplies them:
/// each command becomes a hunk without context whose removed lines are that file's lines.</summary>
internal static class EdScriptReader
{
    /// <summary>Whether the first non-blank line is an ed command as diff -e writes them (<c>N[,N]{a,c,d,i}</c>).</summary>
    public static bool LooksEd(ReadOnlySpan<byte> script) => TryCommand(NormalDiffReader.FirstLine(script), out _, out _, out _);

    public static PatchDocument Read(ReadOnlyMemory<byte> script, ReadOnlySpan<byte> original)
    {
        List<(int Start, int End)> lines = Lines(original);
        ReadOnlySpan<byte> text = script.Span;
        var commands = new List<(int A1, int A2, byte Op, List<byte[]> Text, long LineNumber)>();
        int pos = 0;
        long lineNumber = 0;
        int previous = int.MaxValue;
        bool afterDotFix = false;
        while (pos < text.Length)
        {
            ReadOnlySpan<byte> line = UnifiedDiffReader.TrimEol(NextLine(text, ref pos));
            lineNumber++;
            if (line.IsEmpty || line.SequenceEqual("w"u8) || line.SequenceEqual("q"u8) || line.SequenceEqual("wq"u8))
            {
                continue;
            }

            if (line.SequenceEqual("s/.//"u8) || line.SequenceEqual("s/^\\.\\././"u8))
            {
                // The text line before was a lone "." written as "..": make it "." again.
                if (commands.Count > 0 && commands[^1].Text is { Count: > 0 } t && t[^1].AsSpan().StartsWith(".."u8))
                {
                    t[^1] = t[^1][1..];
                    afterDotFix = true;
                    continue;
                }

                throw Error(lineNumber, "'s/.//' does not follow a text line that starts with '..'");
            }

            if (line.SequenceEqual("a"u8) && afterDotFix)
            {
                // diff -e goes on after a lone-dot line with a bare "a": more text for the same command.
                afterDotFix = false;
                commands[^1].Text.AddRange(ReadText(text, ref pos, ref lineNumber));
                continue;
            }

            afterDotFix = false;
            if (!TryCommand(line, out int a1, out int a2, out byte op))
            {
                throw Error(lineNumber, $"'{Printable(line)}' is not an a, c, d or i command; ed scripts are read as data and no other command is accepted");
            }

            if (a1 > previous || a2 > lines.Count || (op != (byte)'a' && a1 < 1) || (op == (byte)'a' && a1 > lines.Count))
            {
                throw Error(lineNumber, a2 > lines.Count || a1 > lines.Count
                    ? $"line {a2} is past the end of the file ({lines.Count} lines)"
                    : "the commands are not in the order diff -e writes them (last line first)");
            }

            previous = a1;
            long commandLine = lineNumber;
            List<byte[]> added = op == (byte)'d' ? [] : ReadText(text, ref pos, ref lineNumber);
            commands.Add((a1, a2, op, added, commandLine));
        }

        // Last line first in the script; first line first in the document.
        commands.Reverse();
        var hunks = new List<Hunk>(commands.Count);
        var body2 = new ArrayBufferWriter<byte>();
        int delta = 0;
        int addedLines = 0;
        int removedLines = 0;
        foreach (var (a1, a2, op, added, at) in commands)
        {
            int oldStart = op switch { (byte)'a' => a1, (byte)'i' => a1 - 1, _ => a1 };
            int oldCount = op is (byte)'a' or (byte)'i' ? 0 : a2 - a1 + 1;
            body2.Clear();
            for (int i = 0; i < oldCount; i++)
            {
                var (start, end) = lines[oldStart - 1 + i];
                body2.Write("-"u8);
                body2.Write(original[start..end]);
                if (end == start || original[end - 1] != (byte)'\n')
                {
                    body2.Write("\n\\ No newline at end of file\n"u8);
                }
            }

            foreach (byte[] line in added)
            {
                body2.Write("+"u8);
                body2.Write(line);
            }

            int newCount = added.Count;
            int newStart = oldCount == 0 ? oldStart + delta + 1 : newCount == 0 ? oldStart + delta - 1 : oldStart + delta;
            hunks.Add(new Hunk(oldStart, oldCount, newStart, newCount, ReadOnlyMemory<byte>.Empty, body2.WrittenSpan.ToArray(), at));
            delta += newCount - oldCount;
            addedLines += newCount;
            removedLines += oldCount;
        }

        var file = new FilePatch(ReadOnlyMemory<byte>.Empty, ReadOnlyMemory<byte>.Empty, FileOperation.Modify, hunks)
        {
            Dialect = PatchDialect.Ed,
            AddedLines = addedLines,
            RemovedLines = removedLines,
            LineNumber = 1,
        };
        return new PatchDocument(script, [file]);
    }

    /// <summary>Reads the text lines of an a, c or i command up to the line holding a lone '.'.</summary>
    private static List<byte[]> ReadText(ReadOnlySpan<byte> text, ref int pos, ref long lineNumber)
    {
        long commandLine = lineNumber;
        var added = new List<byte[]>();
        while (pos < text.Length)
        {
            ReadOnlySpan<byte> body = NextLine(text, ref pos);
            lineNumber++;
            if (UnifiedDiffReader.TrimEol(body).SequenceEqual("."u8))
            {
                return added;
            }

            added.Add(body[^1] == (byte)'\n' ? body.ToArray() : [.. body, (byte)'\n']);
        }

        throw Error(commandLine, "the text of the command is not ended by a line holding '.'");
    }

    private static PatchFormatException Error(long lineNumber, string what) =>
        new(string.Create(CultureInfo.InvariantCulture, $"ed script line {lineNumber}: {what}"), "MalformedEdScript", lineNumber, 0);

    private static string Printable(ReadOnlySpan<byte> line)
    {
        var chars = new char[Math.Min(line.Length, 80)];
        for (int i = 0; i < chars.Length; i++)
        {
            chars[i] = line[i] is >= 0x20 and < 0x7f ? (char)line[i] : '?';
        }

        return new string(chars);
    }

    private static List<(int Start, int End)> Lines(ReadOnlySpan<byte> file)
    {
        var lines = new List<(int, int)>();
        int start = 0;
        while (start < file.Length)
        {
            int eol = file[start..].IndexOf((byte)'\n');
            int end = eol < 0 ? file.Length : start + eol + 1;
            lines.Add((start, end));
            start = end;
        }

        return lines;
    }

    private static ReadOnlySpan<byte> NextLine(ReadOnlySpan<byte> text, ref int pos)
    {
        int eol = text[pos..].IndexOf((byte)'\n');
        int end = eol < 0 ? text.Length : pos + eol + 1;
        ReadOnlySpan<byte> line = text[pos..end];
        pos = end;
        return line;
    }

    private static bool TryCommand(ReadOnlySpan<byte> s, out int a1, out int a2, out byte op)
    {
        a1 = a2 = 0;
        op = 0;
        int pos = 0;
        if (!NormalDiffReader.Number(s, ref pos, out a1))
        {
            return false;
        }

        a2 = a1;
        if (pos < s.Length && s[pos] == (byte)',')
        {
            pos++;
            if (!NormalDiffReader.Number(s, ref pos, out a2))
            {
                return false;
            }
        }

        if (pos != s.Length - 1 || s[pos] is not ((byte)'a' or (byte)'c' or (byte)'d' or (byte)'i'))
        {
            return false;
        }

        op = s[pos];
        return a2 >= a1 && (op is not ((byte)'a' or (byte)'i') || a1 == a2);
    }
}
