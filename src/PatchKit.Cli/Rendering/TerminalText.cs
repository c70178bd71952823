using System.Globalization;
using System.Text;

namespace PatchKit.Cli.Rendering;

/// <summary>Makes names from a patch or a tree safe to print on a terminal: a name holding control characters (an
/// escape sequence could recolour the terminal, move the cursor or retitle the window) is printed in double quotes with
/// C escapes, as GNU's <c>--quoting-style=c-maybe</c> and git's quoted paths; other names are printed as they are.</summary>
internal static class TerminalText
{
    /// <summary>Quotes <paramref name="name"/> when it holds a control character (C0, DEL or C1).</summary>
    public static string Name(string? name)
    {
        if (name is null || !HasControl(name))
        {
            return name ?? string.Empty;
        }

        var sb = new StringBuilder(name.Length + 8).Append('"');
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (IsRawByte(name, i))
            {
                sb.Append('\\').Append(Convert.ToString(c - 0xDC00, 8).PadLeft(3, '0'));
                continue;
            }

            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\t': sb.Append("\\t"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                default:
                    if (IsControl(c))
                    {
                        sb.Append('\\').Append(Convert.ToString(c, 8).PadLeft(3, '0'));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    /// <summary>Escapes every control character of a message except its line breaks (<c>\x1b</c> for ESC): the
    /// message may quote a name from a patch or a tree.</summary>
    public static string Message(string message)
    {
        if (!HasControl(message.Replace("\n", string.Empty, StringComparison.Ordinal)))
        {
            return message;
        }

        var sb = new StringBuilder(message.Length + 8);
        for (int i = 0; i < message.Length; i++)
        {
            char c = message[i];
            if (IsRawByte(message, i))
            {
                sb.Append("\\x").Append((c - 0xDC00).ToString("x2", CultureInfo.InvariantCulture));
            }
            else if (c != '\n' && IsControl(c))
            {
                sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    /// <summary>Whether <c>s[i]</c> stands for a byte of a file name that is not valid UTF-8 (a lone surrogate
    /// U+DC80..U+DCFF, see <see cref="PatchKit.Diffs.FileNames"/>).</summary>
    private static bool IsRawByte(string s, int i) => s[i] is >= '\uDC80' and <= '\uDCFF' && (i == 0 || !char.IsHighSurrogate(s[i - 1]));

    private static bool HasControl(string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (IsControl(s[i]) || IsRawByte(s, i))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsControl(char c) => c < 0x20 || (c >= 0x7f && c <= 0x9f);
}
