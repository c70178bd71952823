using System.Text;
using PatchKit.Diffs;

namespace PatchKit.Cli.Commands;

/// <summary>File names in GNU diff's output. The drop-in's renderers build text whose characters are bytes
/// (<see cref="Encoding.Latin1"/>); a name there is its raw bytes (UTF-8, or whatever bytes it has, see
/// <see cref="FileNames"/>). GNU writes a name as it is in "Only in", "Files … differ" and "Binary files" lines, and
/// C-quoted (util.c's c_escape) in <c>diff …</c> command lines and <c>---</c>/<c>+++</c>/<c>***</c> headers.</summary>
internal static class GnuNames
{
    /// <summary>A name as GNU's headers write it, as a byte string: in double quotes with C escapes (<c>\t</c>,
    /// <c>\n</c>, <c>\"</c>, <c>\\</c>, <c>\303\251</c>) when it has a space, a control byte, a quote, a backslash or a
    /// byte of 127 and up, else as it is.</summary>
    public static string Quoted(string name)
    {
        byte[] bytes = FileNames.Encode(name);
        bool quote = false;
        foreach (byte b in bytes)
        {
            quote |= b is (byte)' ' or (byte)'"' or (byte)'\\' or < 32 or >= 127;
        }

        if (!quote)
        {
            return Raw(name);
        }

        var sb = new StringBuilder(bytes.Length + 8).Append('"');
        foreach (byte b in bytes)
        {
            sb.Append(b switch
            {
                (byte)'\a' => "\\a",
                (byte)'\b' => "\\b",
                (byte)'\t' => "\\t",
                (byte)'\n' => "\\n",
                (byte)'\v' => "\\v",
                (byte)'\f' => "\\f",
                (byte)'\r' => "\\r",
                (byte)'"' => "\\\"",
                (byte)'\\' => "\\\\",
                < 32 or >= 127 => "\\" + Convert.ToString(b, 8).PadLeft(3, '0'),
                _ => ((char)b).ToString(),
            });
        }

        return sb.Append('"').ToString();
    }

    /// <summary>A name (or label) as it is, as a byte string.</summary>
    public static string Raw(string name) => Encoding.Latin1.GetString(FileNames.Encode(name));

    /// <summary>The byte string of a header's name, its C quoting undone (a name not in quotes is as it is).</summary>
    public static string Unquoted(string header)
    {
        if (header.Length < 2 || header[0] != '"' || header[^1] != '"')
        {
            return header;
        }

        var sb = new StringBuilder(header.Length);
        for (int i = 1; i < header.Length - 1; i++)
        {
            char c = header[i];
            if (c != '\\' || i + 1 >= header.Length - 1)
            {
                sb.Append(c);
                continue;
            }

            char n = header[++i];
            if (n is >= '0' and <= '7' && i + 2 < header.Length - 1)
            {
                sb.Append((char)Convert.ToInt32(header.Substring(i, 3), 8));
                i += 2;
                continue;
            }

            sb.Append(n switch { 'a' => '\a', 'b' => '\b', 't' => '\t', 'n' => '\n', 'v' => '\v', 'f' => '\f', 'r' => '\r', _ => n });
        }

        return sb.ToString();
    }

    /// <summary>The name a byte string holds (invalid UTF-8 kept as <see cref="FileNames"/> escapes).</summary>
    public static string FromBytes(string bytes) => FileNames.Decode(Encoding.Latin1.GetBytes(bytes));
}
