using System.Globalization;
using System.Text;
using PatchKit.Diffs;

namespace PatchKit.Cli.Rendering;

/// <summary>GNU patch 2.7.6's <c>--quoting-style</c> (gnulib's quotearg) for file names in messages.</summary>
internal enum QuotingStyle
{
    /// <summary>Names as they are.</summary>
    Literal,

    /// <summary>In single quotes when the shell would need them (GNU's default).</summary>
    Shell,

    /// <summary>Always in single quotes.</summary>
    ShellAlways,

    /// <summary>In double quotes, with C escapes.</summary>
    C,

    /// <summary>C escapes, without quotes.</summary>
    Escape,
}

/// <summary>Quotes a file name as GNU patch 2.7.6 does for each <see cref="QuotingStyle"/>, byte for byte, with one
/// deliberate difference: a control character (C0 but the tab, DEL, C1; an escape sequence would recolour the terminal, move the
/// cursor or retitle the window) is never printed raw. GNU prints it raw in the literal and shell styles; PatchKit
/// prints <c>?</c> for it in the literal style (as <c>ls -q</c>), and the shell styles switch to
/// <c>'a'$'\033''[31m'</c> (as GNU coreutils' shell-escape style), which a shell still reads back as the same name.</summary>
/// <remarks>A byte is printable as in GNU's C locale unless the locale (<c>LC_ALL</c>, <c>LC_CTYPE</c>, <c>LANG</c>)
/// is a UTF-8 one, where a valid UTF-8 character that is not a control character is printable. Names are taken as
/// <see cref="FileNames"/> strings, so a byte that is not valid UTF-8 is printed as that byte (or escaped).</remarks>
internal sealed class NameQuoting
{
    /// <summary>The words <c>--quoting-style</c> and <c>QUOTING_STYLE</c> take, in GNU's order.</summary>
    public static readonly string[] Words = ["literal", "shell", "shell-always", "c", "escape"];

    public NameQuoting(QuotingStyle style, bool utf8Locale)
    {
        Style = style;
        Utf8Locale = utf8Locale;
    }

    public QuotingStyle Style { get; }

    public bool Utf8Locale { get; }

    /// <summary>The style named by <c>--quoting-style</c>, else by the <c>QUOTING_STYLE</c> environment variable (a word
    /// that is not a style is ignored, as GNU patch does), else <see cref="QuotingStyle.Shell"/>.</summary>
    /// <exception cref="ArgReaderException">The option's word is not a style.</exception>
    public static NameQuoting From(string? option)
    {
        QuotingStyle style;
        if (option is not null)
        {
            style = Parse(option) ?? throw new ArgReaderException(
                $"invalid argument '{option}' for '--quoting-style'; valid arguments are: {string.Join(", ", Words.Select(w => "'" + w + "'"))}");
        }
        else
        {
            style = Parse(Environment.GetEnvironmentVariable("QUOTING_STYLE")) ?? QuotingStyle.Shell;
        }

        return new NameQuoting(style, IsUtf8Locale());
    }

    public static QuotingStyle? Parse(string? word) => word switch
    {
        "literal" => QuotingStyle.Literal,
        "shell" => QuotingStyle.Shell,
        "shell-always" => QuotingStyle.ShellAlways,
        "c" => QuotingStyle.C,
        "escape" => QuotingStyle.Escape,
        _ => null,
    };

    private static bool IsUtf8Locale()
    {
        string? locale = new[] { "LC_ALL", "LC_CTYPE", "LANG" }.Select(Environment.GetEnvironmentVariable).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        return locale is not null && (locale.Contains("UTF-8", StringComparison.OrdinalIgnoreCase) || locale.Contains("utf8", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Quotes <paramref name="name"/> (a <see cref="FileNames"/> string). The result holds the name's raw bytes
    /// as <see cref="FileNames"/> escapes where they are printed as they are.</summary>
    public string Quote(string? name)
    {
        byte[] bytes = FileNames.Encode(name ?? string.Empty);
        List<Unit> units = Units(bytes);
        var o = new List<byte>(bytes.Length + 8);
        bool control = units.Any(u => u.Control);
        switch (Style)
        {
            case QuotingStyle.Literal:
                foreach (Unit u in units)
                {
                    if (u.Control)
                    {
                        o.Add((byte)'?');
                    }
                    else
                    {
                        o.AddRange(bytes.AsSpan(u.Start, u.Length));
                    }
                }

                break;
            case QuotingStyle.C:
            case QuotingStyle.Escape:
                bool c = Style == QuotingStyle.C;
                if (c)
                {
                    o.Add((byte)'"');
                }

                foreach (Unit u in units)
                {
                    CEscape(o, bytes, u, c);
                }

                if (c)
                {
                    o.Add((byte)'"');
                }

                break;
            default:
                Shell(o, bytes, units, control);
                break;
        }

        return FileNames.Decode(o.ToArray());
    }

    private void Shell(List<byte> o, byte[] bytes, List<Unit> units, bool control)
    {
        bool always = Style == QuotingStyle.ShellAlways;
        if (bytes.Length == 0)
        {
            o.AddRange("''"u8);
            return;
        }

        bool force = always || control;
        bool quote = false;
        bool allCompat = true;
        for (int i = 0; i < units.Count; i++)
        {
            Unit u = units[i];
            byte b = bytes[u.Start];
            bool compat;
            if (u.Length > 1 || b >= 0x80)
            {
                compat = u.Printable;
            }
            else if (b == (byte)'\'')
            {
                quote = true;
                force = true;
                compat = true;
            }
            else if (b is (byte)'#' or (byte)'~')
            {
                compat = u.Start == 0;
                force |= u.Start == 0;
            }
            else if (b == (byte)' ')
            {
                compat = true;
                force = true;
            }
            else if (b is (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'!' or (byte)'"' or (byte)'$' or (byte)'&' or (byte)'(' or (byte)')'
                or (byte)'*' or (byte)';' or (byte)'<' or (byte)'=' or (byte)'>' or (byte)'?' or (byte)'[' or (byte)'\\' or (byte)'^' or (byte)'`' or (byte)'|')
            {
                compat = false;
                force = true;
            }
            else
            {
                compat = char.IsAsciiLetterOrDigit((char)b) || b is (byte)'%' or (byte)'+' or (byte)',' or (byte)'-' or (byte)'.' or (byte)'/' or (byte)':' or (byte)'@' or (byte)']' or (byte)'_';
            }

            allCompat &= compat;
        }

        if (!force)
        {
            o.AddRange(bytes);
            return;
        }

        if (quote && allCompat && !control)
        {
            o.Add((byte)'"');
            o.AddRange(bytes);
            o.Add((byte)'"');
            return;
        }

        o.Add((byte)'\'');
        foreach (Unit u in units)
        {
            if (u.Control)
            {
                // Never raw: close the quotes, $'\ooo' for each byte, open them again.
                o.AddRange("'$'"u8);
                for (int k = 0; k < u.Length; k++)
                {
                    Octal(o, bytes[u.Start + k]);
                }

                o.AddRange("''"u8);
            }
            else if (u.Length == 1 && bytes[u.Start] == (byte)'\'')
            {
                o.AddRange("'\\''"u8);
            }
            else
            {
                o.AddRange(bytes.AsSpan(u.Start, u.Length));
            }
        }

        o.Add((byte)'\'');
    }

    private static void CEscape(List<byte> o, byte[] bytes, Unit u, bool c)
    {
        if (u.Length > 1 && u.Printable)
        {
            o.AddRange(bytes.AsSpan(u.Start, u.Length));
            return;
        }

        for (int k = 0; k < u.Length; k++)
        {
            byte b = bytes[u.Start + k];
            byte? letter = b switch { 7 => (byte)'a', 8 => (byte)'b', 9 => (byte)'t', 10 => (byte)'n', 11 => (byte)'v', 12 => (byte)'f', 13 => (byte)'r', _ => null };
            if (letter is byte l)
            {
                o.Add((byte)'\\');
                o.Add(l);
            }
            else if (b == (byte)'\\' || (c && b == (byte)'"'))
            {
                o.Add((byte)'\\');
                o.Add(b);
            }
            else if (b < 0x20 || b >= 0x7f)
            {
                Octal(o, b);
            }
            else
            {
                o.Add(b);
            }
        }
    }

    private static void Octal(List<byte> o, byte b)
    {
        o.Add((byte)'\\');
        o.AddRange(Encoding.ASCII.GetBytes(System.Convert.ToString(b, 8).PadLeft(3, '0')));
    }

    /// <summary>Splits the bytes into characters: one byte each, except a valid UTF-8 sequence of several bytes in a
    /// UTF-8 locale. Control: C0 but the tab, DEL, a C1 character, or a lone byte 0x80..0x9F (C1 on an 8-bit terminal).</summary>
    private List<Unit> Units(byte[] bytes)
    {
        var units = new List<Unit>(bytes.Length);
        int i = 0;
        while (i < bytes.Length)
        {
            byte b = bytes[i];
            if (b < 0x80)
            {
                // (A tab moves the cursor to the next stop and nothing else: printed as GNU does.)
                units.Add(new Unit(i, 1, (b < 0x20 && b != (byte)'\t') || b == 0x7f, b >= 0x20 && b < 0x7f));
                i++;
                continue;
            }

            if (System.Text.Rune.DecodeFromUtf8(bytes.AsSpan(i), out Rune rune, out int used) == System.Buffers.OperationStatus.Done)
            {
                bool c1 = rune.Value is >= 0x80 and <= 0x9f;
                if (Utf8Locale)
                {
                    units.Add(new Unit(i, used, c1, !c1 && Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.OtherNotAssigned or UnicodeCategory.Surrogate)));
                }
                else
                {
                    for (int k = 0; k < used; k++)
                    {
                        units.Add(new Unit(i + k, 1, c1, false));
                    }
                }

                i += used;
                continue;
            }

            for (int k = 0; k < Math.Max(used, 1); k++)
            {
                units.Add(new Unit(i + k, 1, bytes[i + k] is >= 0x80 and <= 0x9f, false));
            }

            i += Math.Max(used, 1);
        }

        return units;
    }

    private readonly record struct Unit(int Start, int Length, bool Control, bool Printable);
}
