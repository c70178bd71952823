using System.Text;
using System.Text.RegularExpressions;

namespace PatchKit.Cli.Commands;

/// <summary>GNU diff's <c>--color</c>: SGR sequences around header lines (<c>hd</c>, bold), hunk and range lines
/// (<c>ln</c>, cyan), deleted lines (<c>de</c>, red) and added lines (<c>ad</c>, green) of the normal, context and
/// unified formats, each closed by <c>rs</c>; <c>--palette</c> replaces any of them (and <c>lc</c>/<c>rc</c>, the
/// sequence's left and right parts), as GNU does.</summary>
internal sealed partial class GnuDiffColor
{
    private static readonly string[] s_names = ["lc", "rc", "ec", "rs", "hd", "ad", "de", "ln"];

    private readonly string?[] _ind = ["\u001b[", "m", null, "0", "1", "32", "31", "36"];

    /// <summary>Reads a <c>--palette</c> value (<c>ad=1;32:de=1;31</c>…); on a bad one, GNU's messages are returned and
    /// colors are off.</summary>
    /// <returns>The palette, or <see langword="null"/> when it could not be read (colors then stay off).</returns>
    public static GnuDiffColor? Parse(string? palette, TextWriter error)
    {
        var c = new GnuDiffColor();
        if (string.IsNullOrEmpty(palette))
        {
            return c;
        }

        int p = 0;
        while (p < palette.Length)
        {
            if (palette[p] == ':')
            {
                p++;
                continue;
            }

            if (palette[p] == '*')
            {
                // A file-name extension's entry (*.c=01;32): read as GNU reads it (the extension ends at an unescaped
                // '='), then ignored, as GNU diff keeps but never uses them.
                if (Funky(palette, p + 1, out p, equalsEnd: true) is null || p >= palette.Length || palette[p] != '='
                    || Funky(palette, p + 1, out p) is null)
                {
                    return Fail(error);
                }

                continue;
            }

            if (p + 2 >= palette.Length || palette[p + 2] != '=')
            {
                return Fail(error);
            }

            string label = palette.Substring(p, 2);
            int index = Array.IndexOf(s_names, label);
            if (index < 0)
            {
                error.WriteLine("diff: unrecognized prefix: " + label);
                return Fail(error);
            }

            string? value = Funky(palette, p + 3, out p);
            if (value is null)
            {
                // GNU's parse_diff_color reports a known label whose value cannot be read as unrecognized too.
                error.WriteLine("diff: unrecognized prefix: " + label);
                return Fail(error);
            }

            c._ind[index] = value;
        }

        return c;
    }

    private static GnuDiffColor? Fail(TextWriter error)
    {
        error.WriteLine("diff: unparsable value for --palette");
        return null;
    }

    /// <summary>get_funky_string: up to the next <c>:</c> (or <c>=</c> with <paramref name="equalsEnd"/>), with
    /// backslash escapes (octal, <c>\x</c>/<c>\X</c> hex, letters) and <c>^X</c> carets; <see langword="null"/> on a
    /// backslash or caret that ends the text, or a caret before a character it cannot take.</summary>
    private static string? Funky(string s, int p, out int end, bool equalsEnd = false)
    {
        var sb = new StringBuilder();
        end = p;
        while (p < s.Length && s[p] != ':' && !(equalsEnd && s[p] == '='))
        {
            char c = s[p++];
            if (c == '\\')
            {
                if (p >= s.Length)
                {
                    return null;
                }

                char e = s[p++];
                switch (e)
                {
                    case >= '0' and <= '7':
                        int v = e - '0';
                        while (p < s.Length && s[p] is >= '0' and <= '7')
                        {
                            v = (v * 8) + (s[p++] - '0');
                        }

                        sb.Append((char)(v & 0xFF));
                        break;
                    case 'x' or 'X':
                        int h = 0;
                        while (p < s.Length && char.IsAsciiHexDigit(s[p]))
                        {
                            h = (h * 16) + Convert.ToInt32(s[p++].ToString(), 16);
                        }

                        sb.Append((char)(h & 0xFF));
                        break;
                    case 'a': sb.Append('\a'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'e': sb.Append('\u001b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'v': sb.Append('\v'); break;
                    case '?': sb.Append('\u007f'); break;
                    case '_': sb.Append(' '); break;
                    default: sb.Append(e); break;
                }
            }
            else if (c == '^')
            {
                if (p < s.Length && s[p] is >= '@' and <= '~')
                {
                    sb.Append((char)(s[p++] & 0x1f));
                }
                else if (p < s.Length && s[p] == '?')
                {
                    p++;
                    sb.Append('\u007f');
                }
                else
                {
                    return null;
                }
            }
            else
            {
                sb.Append(c);
            }
        }

        end = p;
        return sb.ToString();
    }

    private string Seq(int index) => _ind[0] + _ind[index] + _ind[1];

    private string Wrap(int index, string line) => Seq(index) + line + Seq(3);

    /// <summary>The sequence side.c writes before a side-by-side line: "deleted" for a <c>&lt;</c> line, "added" for a
    /// <c>&gt;</c> line, none for the others.</summary>
    public string SideBySideStart(char separator) => separator switch
    {
        '<' => Seq(6),
        '>' => Seq(5),
        _ => string.Empty,
    };

    /// <summary>The sequence side.c writes after a colored side-by-side line (after its newline).</summary>
    public string SideBySideEnd(char separator) => separator is '<' or '>' ? Seq(3) : string.Empty;

    /// <summary>Colors a whole output in the normal, context or unified format (file headers of <c>-r</c>, "Only in"
    /// lines and the like stay plain, as GNU's).</summary>
    public string Apply(string text, GnuDiffFormat format)
    {
        var o = new StringBuilder(text.Length + (text.Length / 4));
        int oldLeft = 0;
        int newLeft = 0;
        char section = '\0';
        int start = 0;
        while (start < text.Length)
        {
            int nl = text.IndexOf('\n', start);
            int end = nl < 0 ? text.Length : nl;
            string line = text[start..end];
            start = nl < 0 ? text.Length : nl + 1;
            string eol = nl < 0 ? string.Empty : "\n";
            o.Append(format switch
            {
                GnuDiffFormat.Unified => Unified(line, ref oldLeft, ref newLeft),
                GnuDiffFormat.Context => Context(line, ref section),
                _ => Normal(line),
            }).Append(eol);
        }

        return o.ToString();
    }

    private string Normal(string line) => line switch
    {
        ['<', ..] => Wrap(6, line),
        ['>', ..] => Wrap(5, line),
        _ when NormalRange().IsMatch(line) => Wrap(7, line),
        _ => line,
    };

    private string Unified(string line, ref int oldLeft, ref int newLeft)
    {
        if (oldLeft > 0 || newLeft > 0)
        {
            switch (line)
            {
                case ['-', ..]:
                    oldLeft--;
                    return Wrap(6, line);
                case ['+', ..]:
                    newLeft--;
                    return Wrap(5, line);
                case ['\\', ..]:
                    return line;
                default:
                    oldLeft--;
                    newLeft--;
                    return line;
            }
        }

        Match m = UnifiedRange().Match(line);
        if (m.Success)
        {
            oldLeft = m.Groups[2].Success ? int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) : 1;
            newLeft = m.Groups[4].Success ? int.Parse(m.Groups[4].Value, System.Globalization.CultureInfo.InvariantCulture) : 1;
            int close = m.Length;
            return Wrap(7, line[..close]) + line[close..];
        }

        return line.StartsWith("--- ", StringComparison.Ordinal) || line.StartsWith("+++ ", StringComparison.Ordinal) ? Wrap(4, line) : line;
    }

    /// <summary>Context format: in an old section ('o') every line is "deleted" colored, in a new one ('n') "added",
    /// as GNU colors the whole section.</summary>
    private string Context(string line, ref char section)
    {
        if (section != '\0' && line is [' ' or '!' or '-' or '+', ' ', ..])
        {
            return Wrap(section == 'o' ? 6 : 5, line);
        }

        if (section != '\0' && line is ['\\', ..])
        {
            return line;
        }

        if (ContextOldRange().IsMatch(line))
        {
            section = 'o';
            return Wrap(7, line);
        }

        if (ContextNewRange().IsMatch(line))
        {
            section = 'n';
            return Wrap(7, line);
        }

        section = '\0';
        return line.StartsWith("*** ", StringComparison.Ordinal) || line.StartsWith("--- ", StringComparison.Ordinal) ? Wrap(4, line) : line;
    }

    [GeneratedRegex(@"^[0-9]+(,[0-9]+)?[acd][0-9]+(,[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NormalRange();

    [GeneratedRegex(@"^@@ -[0-9]+(,([0-9]+))? \+[0-9]+(,([0-9]+))? @@", RegexOptions.CultureInvariant)]
    private static partial Regex UnifiedRange();

    [GeneratedRegex(@"^\*\*\* [0-9]+(,[0-9]+)? \*\*\*\*$", RegexOptions.CultureInvariant)]
    private static partial Regex ContextOldRange();

    [GeneratedRegex(@"^--- [0-9]+(,[0-9]+)? ----$", RegexOptions.CultureInvariant)]
    private static partial Regex ContextNewRange();
}
