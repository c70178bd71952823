using System.Buffers;
using System.Globalization;

namespace PatchKit.Diffs;

/// <summary>Reads an ed script as <c>diff -e</c> writes it (<c>a</c>, <c>c</c>, <c>d</c>, <c>i</c> and <c>s/.//</c>
/// commands) into the unified model, as data: nothing is ever run, and any other command is refused. The commands are
/// carried out on the lines of the file the script edits as ed carries them out, and what changed becomes hunks
/// without context whose removed lines are that file's lines.</summary>
internal static class EdScriptReader
{
    /// <summary>Whether the first non-blank line is an ed command as diff -e writes them (<c>N[,N]{a,c,d,i}</c>).</summary>
    public static bool LooksEd(ReadOnlySpan<byte> script) => TryCommand(NormalDiffReader.FirstLine(script), out int a1, out _, out byte op) && a1 >= 0 && op != (byte)'s';

    /// <summary>Runs the script's commands one after another on the lines of <paramref name="original"/>, as ed does
    /// (each at its line number in the text as the commands before it left it; a command without a number works on
    /// ed's current line), and returns the changes as hunks without context. A command that ed would refuse (a line
    /// number past the end, 0 for <c>c</c> or <c>d</c>, a range backwards, <c>s/.//</c> on an empty line) is an error
    /// with reason <c>EdCommandFailed</c>; a line that is not one of the accepted commands, reason
    /// <c>MalformedEdScript</c>. As ed writes, the last line ends with a newline.</summary>
    public static PatchDocument Read(ReadOnlyMemory<byte> script, ReadOnlySpan<byte> original)
    {
        List<(int Start, int End)> lines = Lines(original);

        // The buffer: each line is the original's line (its index) or new text.
        var buffer = new List<(int Original, byte[]? Text)>(lines.Count);
        for (int i = 0; i < lines.Count; i++)
        {
            buffer.Add((i, null));
        }

        ReadOnlySpan<byte> text = script.Span;
        int current = buffer.Count;
        int pos = 0;
        long lineNumber = 0;
        while (pos < text.Length)
        {
            ReadOnlySpan<byte> line = UnifiedDiffReader.TrimEol(NextLine(text, ref pos));
            lineNumber++;
            if (line.IsEmpty || line.SequenceEqual("w"u8) || line.SequenceEqual("q"u8) || line.SequenceEqual("wq"u8))
            {
                continue;
            }

            if (!TryCommand(line, out int a1, out int a2, out byte op))
            {
                throw Error(lineNumber, $"'{Printable(line)}' is not an a, c, d, i or s/.// command; ed scripts are read as data and no other command is accepted");
            }

            long commandLine = lineNumber;
            if (line[^1] is (byte)' ' or (byte)'\t')
            {
                // GNU patch passes the line on; ed refuses blanks after a command.
                throw Failed(commandLine, "blanks after the command");
            }

            List<byte[]> added = op is (byte)'d' or (byte)'s' ? [] : ReadText(text, ref pos, ref lineNumber);
            if (a1 < 0)
            {
                a1 = a2 = current;
            }

            bool range = op is (byte)'c' or (byte)'d' or (byte)'s';
            if (a2 > buffer.Count || a1 > a2 || (range && a1 < 1))
            {
                throw Failed(commandLine, a2 > buffer.Count
                    ? $"line {a2} is past the end of the file ({buffer.Count} lines)"
                    : a1 > a2 ? "the range ends before it starts" : $"line {a1} does not exist");
            }

            switch (op)
            {
                case (byte)'a':
                case (byte)'i':
                    int at = op == (byte)'a' || a1 == 0 ? a1 : a1 - 1;
                    buffer.InsertRange(at, added.Select(t => (-1, (byte[]?)t)));
                    current = at + added.Count;
                    break;
                case (byte)'s':
                    byte[] old = buffer[a2 - 1].Text ?? original[lines[buffer[a2 - 1].Original].Start..lines[buffer[a2 - 1].Original].End].ToArray();
                    if (old.Length == 0 || old[0] == (byte)'\n')
                    {
                        throw Failed(commandLine, $"line {a2} is empty: 's/.//' finds no character to remove");
                    }

                    buffer[a2 - 1] = (-1, old[1..]);
                    current = a2;
                    break;
                default:
                    buffer.RemoveRange(a1 - 1, a2 - a1 + 1);
                    buffer.InsertRange(a1 - 1, added.Select(t => (-1, (byte[]?)t)));
                    current = op == (byte)'c' && added.Count > 0 ? a1 - 1 + added.Count : Math.Min(a1 - (op == (byte)'c' ? 1 : 0), buffer.Count);
                    break;
            }
        }

        return Document(script, original, lines, buffer);
    }

    /// <summary>The buffer ed left, as hunks against the original: the original's lines it kept are in order (the
    /// commands only add, change and delete), so each gap between two kept lines is one hunk. A kept last line without
    /// its newline is changed too: ed writes every line with one.</summary>
    private static PatchDocument Document(ReadOnlyMemory<byte> script, ReadOnlySpan<byte> original, List<(int Start, int End)> lines, List<(int Original, byte[]? Text)> buffer)
    {
        bool lastLacksNewline = original.Length > 0 && original[^1] != (byte)'\n';
        var hunks = new List<Hunk>();
        var body = new ArrayBufferWriter<byte>();
        var added = new List<byte[]>();
        int delta = 0;
        int addedLines = 0;
        int removedLines = 0;
        int nextOld = 0;
        for (int k = 0; k <= buffer.Count; k++)
        {
            (int index, byte[]? newText) = k < buffer.Count ? buffer[k] : (lines.Count, null);
            if (index >= 0 && lastLacksNewline && index == lines.Count - 1)
            {
                newText = [.. original[lines[index].Start..lines[index].End], (byte)'\n'];
                index = -1;
            }

            if (index < 0)
            {
                added.Add(newText!);
                continue;
            }

            if (index > nextOld || added.Count > 0)
            {
                // Original lines nextOld .. index-1 removed, the lines in added put in their place.
                int oldCount = index - nextOld;
                int oldStart = oldCount == 0 ? nextOld : nextOld + 1;
                body.Clear();
                for (int i = nextOld; i < index; i++)
                {
                    var (start, end) = lines[i];
                    body.Write("-"u8);
                    body.Write(original[start..end]);
                    if (original[end - 1] != (byte)'\n')
                    {
                        body.Write("\n\\ No newline at end of file\n"u8);
                    }
                }

                foreach (byte[] line in added)
                {
                    body.Write("+"u8);
                    body.Write(line);
                }

                int newCount = added.Count;
                int newStart = oldCount == 0 ? oldStart + delta + 1 : newCount == 0 ? oldStart + delta - 1 : oldStart + delta;
                hunks.Add(new Hunk(oldStart, oldCount, newStart, newCount, ReadOnlyMemory<byte>.Empty, body.WrittenSpan.ToArray(), 1));
                delta += newCount - oldCount;
                addedLines += newCount;
                removedLines += oldCount;
                added.Clear();
            }

            nextOld = index + 1;
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

        // ed would take GNU patch's closing "w" and "q" as more text and end without writing.
        throw Failed(commandLine, "the text of the command is not ended by a line holding '.'");
    }

    private static PatchFormatException Error(long lineNumber, string what) =>
        new(string.Create(CultureInfo.InvariantCulture, $"ed script line {lineNumber}: {what}"), "MalformedEdScript", lineNumber, 0);

    /// <summary>A command ed itself would refuse (it answers <c>?</c> and writes nothing).</summary>
    private static PatchFormatException Failed(long lineNumber, string what) =>
        new(string.Create(CultureInfo.InvariantCulture, $"ed script line {lineNumber}: {what}"), "EdCommandFailed", lineNumber, 0);

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

    /// <summary>A command as GNU patch 2.7.6 passes it to ed (its <c>get_ed_command_letter</c>): an optional line number
    /// or pair, then <c>a</c> or <c>i</c> (one number at most), <c>c</c>, <c>d</c>, or <c>s/.//</c>, then only blanks.
    /// Without a number, <paramref name="a1"/> and <paramref name="a2"/> are -1 (ed's current line).</summary>
    private static bool TryCommand(ReadOnlySpan<byte> s, out int a1, out int a2, out byte op)
    {
        a1 = a2 = -1;
        op = 0;
        int pos = 0;
        bool pair = false;
        if (pos < s.Length && char.IsAsciiDigit((char)s[pos]))
        {
            if (!NormalDiffReader.Number(s, ref pos, out a1))
            {
                return false;
            }

            a2 = a1;
            if (pos < s.Length && s[pos] == (byte)',')
            {
                pos++;
                if (pos >= s.Length || !char.IsAsciiDigit((char)s[pos]) || !NormalDiffReader.Number(s, ref pos, out a2))
                {
                    return false;
                }

                pair = true;
            }
        }

        if (pos >= s.Length)
        {
            return false;
        }

        op = s[pos++];
        switch (op)
        {
            case (byte)'a' or (byte)'i' when !pair:
            case (byte)'c' or (byte)'d':
                break;
            case (byte)'s' when s[pos..].StartsWith("/.//"u8):
                pos += 4;
                break;
            default:
                return false;
        }

        return s[pos..].Trim(" \t"u8).IsEmpty;
    }
}
