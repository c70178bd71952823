using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PatchKit.Diffs;

namespace PatchKit.Cli.Commands;

/// <summary>GNU patch's reject files: the hunks that failed, in unified or context format, under the patch's own
/// header lines.</summary>
internal static class GnuRejects
{
    public static void Write(FilePatch f, FileApplyResult r, IBufferWriter<byte> output, bool context, bool explain = false)
    {
        var failed = new List<Hunk>();
        var comments = new StringBuilder();
        foreach (HunkResult h in r.Hunks)
        {
            if (h.Status != HunkStatus.Applied)
            {
                failed.Add(f.Hunks[h.Index]);
                if (explain && h.Diagnosis is { } d)
                {
                    // Before the header: GNU patch and git apply skip text there, so the reject file stays a patch.
                    var lines = d.GetReportLines();
                    comments.Append(CultureInfo.InvariantCulture, $"# hunk #{h.Index + 1} FAILED at {h.Line}: {lines[0]}\n");
                    for (int i = 1; i < lines.Length; i++)
                    {
                        comments.Append("#   ").Append(lines[i]).Append('\n');
                    }
                }
            }
        }

        Emit(output, comments);

        Write(f, failed, output, context);
    }

    public static void WriteAll(FilePatch f, IBufferWriter<byte> output, bool context) => Write(f, [.. f.Hunks], output, context);

    private static void Write(FilePatch f, List<Hunk> hunks, IBufferWriter<byte> output, bool context)
    {
        var sb = new StringBuilder();
        string oldHeader = Header(f.OldHeader, f.OldPath);
        string newHeader = Header(f.NewHeader, f.NewPath);
        sb.Append(context ? "*** " : "--- ").Append(oldHeader).Append('\n');
        sb.Append(context ? "--- " : "+++ ").Append(newHeader).Append('\n');
        Emit(output, sb);
        foreach (Hunk h in hunks)
        {
            if (context)
            {
                WriteContext(h, output);
            }
            else
            {
                string heading = h.SectionHeading.IsEmpty ? string.Empty : " " + Encoding.UTF8.GetString(h.SectionHeading.Span);
                sb.Append(CultureInfo.InvariantCulture, $"@@ -{Range(h.OldStart, h.OldCount)} +{Range(h.NewStart, h.NewCount)} @@{heading}\n");
                Emit(output, sb);
                output.Write(h.Body.Span);
                if (!h.Body.IsEmpty && h.Body.Span[^1] != (byte)'\n')
                {
                    output.Write("\n"u8);
                }
            }
        }
    }

    private static string Header(ReadOnlyMemory<byte> header, string? path) =>
        !header.IsEmpty ? Encoding.UTF8.GetString(header.Span).TrimEnd('\r', '\n') : path ?? "/dev/null";

    private static string Range(int start, int count) => count == 1
        ? start.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{start},{count}");

    private static string ContextRange(int start, int count) => count switch
    {
        0 => start.ToString(CultureInfo.InvariantCulture),
        1 => start.ToString(CultureInfo.InvariantCulture),
        _ => string.Create(CultureInfo.InvariantCulture, $"{start},{start + count - 1}"),
    };

    private static void WriteContext(Hunk h, IBufferWriter<byte> output)
    {
        var lines = new List<(char Kind, string Text)>();
        string body = Encoding.UTF8.GetString(h.Body.Span);
        foreach (string line in body.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            lines.Add((line[0], line[1..]));
        }

        var oldSide = new StringBuilder();
        var newSide = new StringBuilder();
        bool anyOld = false;
        bool anyNew = false;
        for (int i = 0; i < lines.Count;)
        {
            if (lines[i].Kind is ' ')
            {
                oldSide.Append("  ").Append(lines[i].Text).Append('\n');
                newSide.Append("  ").Append(lines[i].Text).Append('\n');
                i++;
                continue;
            }

            if (lines[i].Kind == '\\')
            {
                i++;
                continue;
            }

            int j = i;
            bool minus = false;
            bool plus = false;
            while (j < lines.Count && lines[j].Kind is '-' or '+' or '\\')
            {
                minus |= lines[j].Kind == '-';
                plus |= lines[j].Kind == '+';
                j++;
            }

            for (int k = i; k < j; k++)
            {
                if (lines[k].Kind == '-')
                {
                    oldSide.Append(plus ? "! " : "- ").Append(lines[k].Text).Append('\n');
                    anyOld = true;
                }
                else if (lines[k].Kind == '+')
                {
                    newSide.Append(minus ? "! " : "+ ").Append(lines[k].Text).Append('\n');
                    anyNew = true;
                }
            }

            i = j;
        }

        var sb = new StringBuilder("***************\n");
        sb.Append("*** ").Append(ContextRange(h.OldStart, h.OldCount)).Append(" ****\n");
        if (anyOld)
        {
            sb.Append(oldSide);
        }

        sb.Append("--- ").Append(ContextRange(h.NewStart, h.NewCount)).Append(" ----\n");
        if (anyNew)
        {
            sb.Append(newSide);
        }

        Emit(output, sb);
    }

    private static void Emit(IBufferWriter<byte> output, StringBuilder sb)
    {
        output.Write(Encoding.UTF8.GetBytes(sb.ToString()));
        sb.Clear();
    }
}

/// <summary>Normal diffs (<c>5c5</c>, <c>&lt; old</c>, <c>---</c>, <c>&gt; new</c>), applied to one file.</summary>
internal static partial class GnuNormalDiff
{
    [GeneratedRegex(@"^(\d+)(?:,(\d+))?([acd])(\d+)(?:,(\d+))?$")]
    private static partial Regex CommandLine();

    public static bool LooksNormal(byte[] patch)
    {
        // Only the first non-empty line matters: never decode a whole (possibly huge) patch for this.
        int start = 0;
        while (start < patch.Length && patch[start] == (byte)'\n')
        {
            start++;
        }

        int end = Array.IndexOf(patch, (byte)'\n', start);
        int length = Math.Min((end < 0 ? patch.Length : end) - start, 200);
        return length > 0 && CommandLine().IsMatch(Encoding.UTF8.GetString(patch, start, length));
    }

    public static byte[]? Apply(byte[] original, byte[] patch, bool reverse, out string? error)
    {
        error = null;
        List<string> lines = SplitLines(original);
        var output = new StringBuilder();
        int next = 0;
        string[] script = Encoding.UTF8.GetString(patch).Split('\n');
        for (int i = 0; i < script.Length; i++)
        {
            Match m = CommandLine().Match(script[i]);
            if (!m.Success)
            {
                continue;
            }

            int a1 = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            int a2 = m.Groups[2].Success ? int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : a1;
            char op = m.Groups[3].Value[0];
            int b1 = int.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture);
            int b2 = m.Groups[5].Success ? int.Parse(m.Groups[5].Value, CultureInfo.InvariantCulture) : b1;
            var removed = new List<string>();
            var added = new List<string>();
            int j = i + 1;
            for (; j < script.Length && (script[j].StartsWith("< ", StringComparison.Ordinal) || script[j].StartsWith("> ", StringComparison.Ordinal) || script[j] == "---" || script[j].StartsWith('\\')); j++)
            {
                if (script[j].StartsWith("< ", StringComparison.Ordinal))
                {
                    removed.Add(script[j][2..] + "\n");
                }
                else if (script[j].StartsWith("> ", StringComparison.Ordinal))
                {
                    added.Add(script[j][2..] + "\n");
                }
            }

            i = j - 1;
            if (reverse)
            {
                (a1, a2, b1, b2) = (b1, b2, a1, a2);
                (removed, added) = (added, removed);
                op = op == 'a' ? 'd' : op == 'd' ? 'a' : 'c';
            }

            int from = op == 'a' ? a1 : a1 - 1;
            if (from < next || from > lines.Count || (op != 'a' && from + removed.Count > lines.Count))
            {
                error = $"malformed patch at line {i + 1}";
                return null;
            }

            for (; next < from; next++)
            {
                output.Append(lines[next]);
            }

            for (int k = 0; k < removed.Count; k++)
            {
                if (lines[from + k] != removed[k])
                {
                    error = $"the normal diff does not match the file at line {from + k + 1}";
                    return null;
                }
            }

            next = from + removed.Count;
            foreach (string s in added)
            {
                output.Append(s);
            }
        }

        for (; next < lines.Count; next++)
        {
            output.Append(lines[next]);
        }

        return Encoding.UTF8.GetBytes(output.ToString());
    }

    internal static List<string> SplitLines(byte[] content)
    {
        string text = Encoding.UTF8.GetString(content);
        var lines = new List<string>();
        int start = 0;
        while (start < text.Length)
        {
            int nl = text.IndexOf('\n', start);
            int end = nl < 0 ? text.Length : nl + 1;
            lines.Add(text[start..end]);
            start = end;
        }

        return lines;
    }
}

/// <summary>ed scripts as diff -e writes them (<c>a</c>, <c>c</c>, <c>d</c>, <c>s/.././</c>), interpreted here: no
/// other ed command is accepted and nothing is ever handed to ed or a shell (GNU patch 2.7.6 piped the script to ed,
/// which ran <c>!</c> commands: CVE-2018-1000156).</summary>
internal static partial class GnuEdScript
{
    [GeneratedRegex(@"^(\d+)(?:,(\d+))?([acdi])$")]
    private static partial Regex CommandLine();

    public static byte[]? Apply(byte[] original, byte[] script, out string? error)
    {
        error = null;
        List<string> buffer = GnuNormalDiff.SplitLines(original);
        string[] lines = Encoding.UTF8.GetString(script).Split('\n');
        int last = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.Length == 0 || line == "w" || line == "q" || line == "wq")
            {
                continue;
            }

            if (line == "s/.//" || line == "s/^\\.\\././")
            {
                if (last >= 1 && last <= buffer.Count && buffer[last - 1].StartsWith("..", StringComparison.Ordinal))
                {
                    buffer[last - 1] = buffer[last - 1][1..];
                }

                continue;
            }

            Match m = CommandLine().Match(line);
            if (!m.Success)
            {
                error = $"ed script line {i + 1}: '{line}' is not an a, c, d or i command; PatchKit applies ed scripts itself and runs no other command";
                return null;
            }

            int a1 = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            int a2 = m.Groups[2].Success ? int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : a1;
            char op = m.Groups[3].Value[0];
            if (a2 < a1 || a2 > buffer.Count || (op != 'a' && a1 < 1))
            {
                error = $"ed script line {i + 1}: line {a2} is out of range";
                return null;
            }

            var text = new List<string>();
            if (op != 'd')
            {
                for (i++; i < lines.Length && lines[i] != "."; i++)
                {
                    text.Add(lines[i] + "\n");
                }
            }

            int at;
            if (op == 'a')
            {
                at = a1;
            }
            else if (op == 'i')
            {
                at = a1 - 1;
            }
            else
            {
                buffer.RemoveRange(a1 - 1, a2 - a1 + 1);
                at = a1 - 1;
            }

            buffer.InsertRange(at, text);
            last = at + text.Count;
        }

        return Encoding.UTF8.GetBytes(string.Concat(buffer));
    }
}

/// <summary><c>patch -D NAME</c>: each change group of a hunk becomes <c>#ifndef NAME</c> old <c>#else</c> new
/// <c>#endif</c> (<c>#ifdef NAME</c> for additions only), so the patched file holds both versions.</summary>
internal static class GnuIfDef
{
    public static FilePatch Transform(FilePatch f, string name, bool reverse)
    {
        var hunks = new List<Hunk>(f.Hunks.Count);
        foreach (Hunk h in f.Hunks)
        {
            string body = Encoding.UTF8.GetString(h.Body.Span);
            var lines = new List<string>(body.Split('\n'));
            if (lines.Count > 0 && lines[^1].Length == 0)
            {
                lines.RemoveAt(lines.Count - 1);
            }

            char removed = reverse ? '+' : '-';
            char added = reverse ? '-' : '+';
            var output = new StringBuilder();
            int newCount = 0;
            int oldCount = 0;
            for (int i = 0; i < lines.Count;)
            {
                char kind = lines[i].Length > 0 ? lines[i][0] : ' ';
                if (kind is not ('-' or '+'))
                {
                    output.Append(lines[i]).Append('\n');
                    if (kind != '\\')
                    {
                        newCount++;
                        oldCount++;
                    }

                    i++;
                    continue;
                }

                var old = new List<string>();
                var @new = new List<string>();
                for (; i < lines.Count && lines[i].Length > 0 && lines[i][0] is '-' or '+'; i++)
                {
                    (lines[i][0] == removed ? old : @new).Add(lines[i][1..]);
                }

                void Emit(char sign, string text)
                {
                    output.Append(sign == '-' ? removed : added).Append(text).Append('\n');
                    if (sign == '-')
                    {
                        oldCount++;
                    }
                    else
                    {
                        newCount++;
                    }
                }

                foreach (string o in old)
                {
                    Emit('-', o);
                }

                Emit('+', (old.Count > 0 ? "#ifndef " : "#ifdef ") + name);
                foreach (string o in old)
                {
                    Emit('+', o);
                }

                if (old.Count > 0 && @new.Count > 0)
                {
                    Emit('+', "#else");
                }

                foreach (string n in @new)
                {
                    Emit('+', n);
                }

                Emit('+', "#endif");
            }

            byte[] bytes = Encoding.UTF8.GetBytes(output.ToString());
            hunks.Add(reverse
                ? new Hunk(h.OldStart, newCount, h.NewStart, oldCount, h.SectionHeading, bytes, h.LineNumber)
                : new Hunk(h.OldStart, oldCount, h.NewStart, newCount, h.SectionHeading, bytes, h.LineNumber));
        }

        return new FilePatch(f.OldPathBytes, f.NewPathBytes, f.Operation, hunks)
        {
            Dialect = f.Dialect,
            LineNumber = f.LineNumber,
            OldMode = f.OldMode,
            NewMode = f.NewMode,
        };
    }
}
