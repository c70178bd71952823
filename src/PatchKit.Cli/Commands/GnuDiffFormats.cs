using System.Globalization;
using System.Text;

namespace PatchKit.Cli.Commands;

/// <summary>GNU diff's output formats other than unified, rewritten from the unified diff the library writes (with 0
/// lines of context for the normal, ed and RCS formats, whose change groups are exactly the -U0 hunks).</summary>
internal enum GnuDiffFormat
{
    Unified,
    Normal,
    Context,
    Ed,
    ForwardEd,
    Rcs,
    Brief,
}

/// <summary>Rewrites a unified diff (one or many files, with <c>diff</c> command lines and <c>Only in</c> lines) into
/// another GNU diff format, hunk by hunk, counting each hunk's lines by its header.</summary>
internal static class GnuDiffFormats
{
    public static string Convert(string unified, GnuDiffFormat format, bool quotedNames = false)
    {
        var output = new StringBuilder(unified.Length);
        string[] lines = unified.Split('\n');
        int n = lines.Length;
        if (n > 0 && lines[^1].Length == 0)
        {
            n--;
        }

        string? oldHeader = null;
        var edHunks = new List<string>();
        for (int i = 0; i < n; i++)
        {
            string line = lines[i];
            if (line.StartsWith("--- ", StringComparison.Ordinal) && i + 1 < n && lines[i + 1].StartsWith("+++ ", StringComparison.Ordinal))
            {
                oldHeader = line[4..];
                string newHeader = lines[i + 1][4..];
                i++;
                if (format == GnuDiffFormat.Context)
                {
                    output.Append("*** ").Append(ContextHeader(oldHeader)).Append('\n').Append("--- ").Append(ContextHeader(newHeader)).Append('\n');
                }
                else if (format == GnuDiffFormat.Brief)
                {
                    output.Append("Files ").Append(Name(oldHeader, quotedNames)).Append(" and ").Append(Name(newHeader, quotedNames)).Append(" differ\n");
                }

                continue;
            }

            if (line.StartsWith("@@ ", StringComparison.Ordinal) && TryHeader(line, out int a, out int b, out int c, out int d))
            {
                int end = i + 1;
                int seenOld = 0;
                int seenNew = 0;
                while (end < n && (seenOld < b || seenNew < d || (end < n && lines[end].StartsWith('\\'))))
                {
                    char k = lines[end].Length > 0 ? lines[end][0] : ' ';
                    if (k is ' ' or '-')
                    {
                        seenOld++;
                    }

                    if (k is ' ' or '+')
                    {
                        seenNew++;
                    }

                    end++;
                }

                var body = lines.AsSpan(i + 1, end - i - 1).ToArray();
                i = end - 1;
                switch (format)
                {
                    case GnuDiffFormat.Normal:
                        Normal(output, a, b, c, d, body);
                        break;
                    case GnuDiffFormat.Context:
                        // -p's function name follows the hunk's stars as it follows the unified header's "@@".
                        int close = line.IndexOf(" @@", 3, StringComparison.Ordinal);
                        Context(output, a, b, c, d, body, close < 0 ? string.Empty : line[(close + 3)..]);
                        break;
                    case GnuDiffFormat.Ed:
                        edHunks.Insert(0, Ed(a, b, c, d, body));
                        break;
                    case GnuDiffFormat.ForwardEd:
                        ForwardEd(output, a, b, d, body);
                        break;
                    case GnuDiffFormat.Rcs:
                        Rcs(output, a, b, c, d, body);
                        break;
                }

                continue;
            }

            if (format == GnuDiffFormat.Brief && line.StartsWith("diff ", StringComparison.Ordinal))
            {
                continue;
            }

            if (format == GnuDiffFormat.Ed && edHunks.Count > 0)
            {
                output.Append(string.Concat(edHunks));
                edHunks.Clear();
            }

            output.Append(line).Append('\n');
        }

        output.Append(string.Concat(edHunks));
        return output.ToString();
    }

    /// <summary>GNU diff -c dates its headers as ctime does (<c>Thu Jan  2 03:04:05 2020</c>) in the C locale, as -u does
    /// in any other (<see cref="GnuLocale"/>).</summary>
    private static string ContextHeader(string header)
    {
        if (GnuLocale.IsoContextDates)
        {
            return header;
        }

        int tab = header.IndexOf('\t', StringComparison.Ordinal);
        if (tab < 0)
        {
            return header;
        }

        string stamp = header[(tab + 1)..];
        int dot = stamp.IndexOf('.', StringComparison.Ordinal);
        int space = stamp.IndexOf(' ', Math.Max(dot, 0) + 1);
        if (dot < 0 || space < 0 || !DateTime.TryParseExact(stamp[..dot], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime when))
        {
            return header;
        }

        string day = when.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2);
        return header[..(tab + 1)] + when.ToString("ddd MMM ", CultureInfo.InvariantCulture) + day + when.ToString(" HH:mm:ss yyyy", CultureInfo.InvariantCulture);
    }

    private static string Name(string header, bool quoted)
    {
        int tab = header.IndexOf('\t', StringComparison.Ordinal);
        string name = tab < 0 ? header : header[..tab];
        return quoted ? name : GnuNames.Unquoted(name);
    }

    private static bool TryHeader(string line, out int a, out int b, out int c, out int d)
    {
        a = b = c = d = 0;
        int close = line.IndexOf(" @@", 3, StringComparison.Ordinal);
        if (close < 0)
        {
            return false;
        }

        string[] parts = line[3..close].Split(' ');
        return parts.Length == 2 && Range(parts[0], '-', out a, out b) && Range(parts[1], '+', out c, out d);
    }

    private static bool Range(string text, char sign, out int start, out int count)
    {
        start = count = 0;
        if (text.Length < 2 || text[0] != sign)
        {
            return false;
        }

        string[] p = text[1..].Split(',');
        count = 1;
        return int.TryParse(p[0], NumberStyles.None, CultureInfo.InvariantCulture, out start)
            && (p.Length == 1 || int.TryParse(p[1], NumberStyles.None, CultureInfo.InvariantCulture, out count));
    }

    private static string Span(int start, int count) => count <= 1
        ? (count == 0 ? start : start).ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{start},{start + count - 1}");

    private static void Normal(StringBuilder o, int a, int b, int c, int d, string[] body)
    {
        char op = b == 0 ? 'a' : d == 0 ? 'd' : 'c';
        o.Append(b == 0 ? a.ToString(CultureInfo.InvariantCulture) : Span(a, b)).Append(op).Append(d == 0 ? c.ToString(CultureInfo.InvariantCulture) : Span(c, d)).Append('\n');
        bool dashes = false;
        foreach (string l in body)
        {
            if (l.StartsWith('-'))
            {
                o.Append("< ").Append(l.AsSpan(1)).Append('\n');
            }
            else if (l.StartsWith('+'))
            {
                if (!dashes && b != 0)
                {
                    o.Append("---\n");
                }

                dashes = true;
                o.Append("> ").Append(l.AsSpan(1)).Append('\n');
            }
            else if (l.StartsWith('\\'))
            {
                o.Append(l).Append('\n');
            }
        }
    }

    private static string Ed(int a, int b, int c, int d, string[] body)
    {
        var o = new StringBuilder();
        char op = b == 0 ? 'a' : d == 0 ? 'd' : 'c';
        o.Append(b == 0 ? a.ToString(CultureInfo.InvariantCulture) : Span(a, b)).Append(op).Append('\n');
        if (d > 0)
        {
            foreach (string l in body)
            {
                if (l.StartsWith('+'))
                {
                    o.Append(l == "+." ? ".." : l[1..]).Append('\n');
                }
            }

            o.Append(".\n");
        }

        _ = c;
        return o.ToString();
    }

    /// <summary>GNU diff -f: the ed script's commands in forward order, the letter before the range (<c>c2 3</c>), lines
    /// written as they are (no <c>..</c> for a lone dot).</summary>
    private static void ForwardEd(StringBuilder o, int a, int b, int d, string[] body)
    {
        o.Append(b == 0 ? 'a' : d == 0 ? 'd' : 'c');
        o.Append(b == 0 ? a.ToString(CultureInfo.InvariantCulture) : b == 1 ? a.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{a} {a + b - 1}")).Append('\n');
        if (d > 0)
        {
            foreach (string l in body)
            {
                if (l.StartsWith('+'))
                {
                    o.Append(l.AsSpan(1)).Append('\n');
                }
            }

            o.Append(".\n");
        }
    }

    private static void Rcs(StringBuilder o, int a, int b, int c, int d, string[] body)
    {
        if (b > 0)
        {
            o.Append(CultureInfo.InvariantCulture, $"d{a} {b}\n");
        }

        if (d > 0)
        {
            o.Append(CultureInfo.InvariantCulture, $"a{(b > 0 ? a + b - 1 : a)} {d}\n");
            for (int i = 0; i < body.Length; i++)
            {
                if (body[i].StartsWith('+'))
                {
                    // The new file's last line without its newline stays so, as GNU writes it.
                    o.Append(body[i].AsSpan(1));
                    if (i + 1 >= body.Length || !body[i + 1].StartsWith('\\'))
                    {
                        o.Append('\n');
                    }
                }
            }
        }

        _ = c;
    }

    private static void Context(StringBuilder o, int a, int b, int c, int d, string[] body, string heading)
    {
        var oldSide = new StringBuilder();
        var newSide = new StringBuilder();
        bool anyOld = false;
        bool anyNew = false;
        for (int i = 0; i < body.Length;)
        {
            string l = body[i];
            if (l.StartsWith('\\'))
            {
                i++;
                continue;
            }

            if (!l.StartsWith('-') && !l.StartsWith('+'))
            {
                string t = l.Length > 0 ? l[1..] : string.Empty;
                oldSide.Append("  ").Append(t).Append('\n');
                newSide.Append("  ").Append(t).Append('\n');
                i++;
                if (i < body.Length && body[i].StartsWith('\\'))
                {
                    // "\ No newline at end of file" after a common line: both files end with it.
                    oldSide.Append(body[i]).Append('\n');
                    newSide.Append(body[i]).Append('\n');
                }

                continue;
            }

            int j = i;
            bool minus = false;
            bool plus = false;
            while (j < body.Length && (body[j].StartsWith('-') || body[j].StartsWith('+') || body[j].StartsWith('\\')))
            {
                minus |= body[j].StartsWith('-');
                plus |= body[j].StartsWith('+');
                j++;
            }

            for (int k = i; k < j; k++)
            {
                if (body[k].StartsWith('-'))
                {
                    oldSide.Append(plus ? "! " : "- ").Append(body[k].AsSpan(1)).Append('\n');
                    anyOld = true;
                }
                else if (body[k].StartsWith('+'))
                {
                    newSide.Append(minus ? "! " : "+ ").Append(body[k].AsSpan(1)).Append('\n');
                    anyNew = true;
                }
                else if (k > i && body[k].StartsWith('\\'))
                {
                    (body[k - 1].StartsWith('-') ? oldSide : newSide).Append(body[k]).Append('\n');
                }
            }

            i = j;
        }

        o.Append("***************").Append(heading).Append("\n*** ").Append(Span(b == 0 ? a : a, b)).Append(" ****\n");
        if (anyOld)
        {
            o.Append(oldSide);
        }

        o.Append("--- ").Append(Span(c, d)).Append(" ----\n");
        if (anyNew)
        {
            o.Append(newSide);
        }
    }
}
