using System.Globalization;
using System.Text;

namespace PatchKit.Cli.Commands;

/// <summary>GNU diff's line and group formats (<c>--old-line-format</c> … <c>--unchanged-group-format</c>,
/// <c>--line-format</c>) and <c>-D</c>, which is a set of group formats: each run of unchanged lines and each change
/// is written through its group format, whose <c>%&lt;</c>, <c>%&gt;</c> and <c>%=</c> write the lines through the line
/// formats. The escapes are GNU's: <c>%%</c>, <c>%c'C'</c> (and <c>%c'\OOO'</c>), printf-style numbers
/// (<c>%[-'0][width][.prec][doxX]</c> of <c>e f l m n</c> for the old side, <c>E F L M N</c> for the new side, and
/// <c>n</c> in a line format), <c>%(A=B?THEN:ELSE)</c>, and <c>%l</c>/<c>%L</c> in a line format.</summary>
internal sealed class GnuLineFormats
{
    /// <summary>The kinds of group, in GNU's order (the index into <see cref="Group"/>).</summary>
    public const int Unchanged = 0;

    /// <summary>Lines only in the old file.</summary>
    public const int Old = 1;

    /// <summary>Lines only in the new file.</summary>
    public const int New = 2;

    /// <summary>Lines replaced.</summary>
    public const int Changed = 3;

    private static readonly string[] s_groupOptions = ["--unchanged-group-format", "--old-group-format", "--new-group-format", "--changed-group-format"];
    private static readonly string[] s_lineOptions = ["--unchanged-line-format", "--old-line-format", "--new-line-format"];

    private readonly string?[] _group = new string?[4];
    private readonly string?[] _line = new string?[3];

    /// <summary>Gets or sets the tab size <c>%l</c> and <c>%L</c> expand tabs to (<c>-t</c>), or 0 to write lines as they are.</summary>
    public int ExpandTabs { get; set; }

    /// <summary>Gets a value indicating whether any format (or <c>-D</c>) was given.</summary>
    public bool Any { get; private set; }

    /// <summary>Gets the group formats after <see cref="Complete"/>.</summary>
    public IReadOnlyList<string?> Group => _group;

    /// <summary>Gets the option name of a group format (<c>--old-group-format</c> …) by kind.</summary>
    public static string GroupOption(int kind) => s_groupOptions[kind];

    /// <summary>Gets the option name of a line format by kind (no <see cref="Changed"/>).</summary>
    public static string LineOption(int kind) => s_lineOptions[kind];

    /// <summary>Sets a group format; a second, different value is GNU's "conflicting … option value".</summary>
    public void SetGroup(int kind, string value, string option)
    {
        Specify(_group, kind, value, option);
    }

    /// <summary>Sets a line format (<paramref name="kind"/> -1: all three, as <c>--line-format</c>).</summary>
    public void SetLine(int kind, string value, string option)
    {
        for (int k = kind < 0 ? 0 : kind; k <= (kind < 0 ? 2 : kind); k++)
        {
            Specify(_line, k, value, option);
        }
    }

    /// <summary><c>-D NAME</c>: GNU's #ifdef group formats.</summary>
    public void SetIfDef(string name)
    {
        string[] formats =
        [
            "%=",
            $"#ifndef {name}\n%<#endif /* ! {name} */\n",
            $"#ifdef {name}\n%>#endif /* {name} */\n",
            $"#ifndef {name}\n%<#else /* {name} */\n%>#endif /* {name} */\n",
        ];
        for (int k = 0; k < 4; k++)
        {
            Specify(_group, k, formats[k], "-D");
        }
    }

    private void Specify(string?[] slots, int k, string value, string option)
    {
        if (slots[k] is { } had && had != value)
        {
            throw new ArgReaderException($"conflicting {option} option value '{value}'");
        }

        slots[k] = value;
        Any = true;
    }

    /// <summary>GNU's defaults for what was not given: line formats <c>%l\n</c>; old <c>%&lt;</c>, new <c>%&gt;</c>
    /// (or the changed format), unchanged <c>%=</c>, changed = old followed by new.</summary>
    public void Complete()
    {
        for (int k = 0; k < 3; k++)
        {
            _line[k] ??= "%l\n";
        }

        _group[Old] ??= _group[Changed] ?? "%<";
        _group[New] ??= _group[Changed] ?? "%>";
        _group[Unchanged] ??= "%=";
        _group[Changed] ??= _group[Old] + _group[New];
    }

    /// <summary>Gets a value indicating whether identical files write nothing (otherwise the whole file is written through
    /// the unchanged formats).</summary>
    public bool NoDiffMeansNoOutput => _group[Unchanged]!.Length == 0 || (_group[Unchanged] == "%=" && _line[Unchanged]!.Length == 0);

    /// <summary>Writes the files: unchanged runs and each change (old range, new range) through their group formats.</summary>
    /// <param name="o">Where to write.</param>
    /// <param name="a">The old lines without their newline.</param>
    /// <param name="aEol">Whether the old file's last line ends with a newline.</param>
    /// <param name="b">The new lines.</param>
    /// <param name="bEol">Whether the new file's last line ends with a newline.</param>
    /// <param name="changes">The changes: old start, old count, new start, new count (0-based), in order.</param>
    public void Write(StringBuilder o, List<string> a, bool aEol, List<string> b, bool bEol, IEnumerable<(int Old, int OldCount, int New, int NewCount)> changes)
    {
        var files = new[] { new Side(a, aEol), new Side(b, bEol) };
        int na = 0;
        int nb = 0;
        foreach (var (oldStart, oldCount, newStart, newCount) in changes)
        {
            if (na < oldStart || nb < newStart)
            {
                Format(o, _group[Unchanged]!, 0, [new Range(files[0], na, oldStart), new Range(files[1], nb, newStart)]);
            }

            na = oldStart + oldCount;
            nb = newStart + newCount;
            int kind = oldCount > 0 && newCount > 0 ? Changed : oldCount > 0 ? Old : New;
            Format(o, _group[kind]!, 0, [new Range(files[0], oldStart, na), new Range(files[1], newStart, nb)]);
        }

        if (na < a.Count || nb < b.Count)
        {
            Format(o, _group[Unchanged]!, 0, [new Range(files[0], na, a.Count), new Range(files[1], nb, b.Count)]);
        }
    }

    private void AppendLine(StringBuilder o, string line)
    {
        if (ExpandTabs > 0)
        {
            GnuTextDiff.AppendExpanded(o, line, ExpandTabs, flag: null);
        }
        else
        {
            o.Append(line);
        }
    }

    private sealed record Side(List<string> Lines, bool Eol);

    private readonly record struct Range(Side File, int From, int Upto);

    /// <summary>format_group: writes <paramref name="format"/> from <paramref name="at"/> up to the first free
    /// <paramref name="end"/> character (or the end); returns where it stopped. <paramref name="o"/> null: scan only.</summary>
    private int Format(StringBuilder? o, string format, int at, Range[] groups, char end = '\0')
    {
        int f = at;
        while (f < format.Length && format[f] != end)
        {
            char c = format[f++];
            int f1 = f;
            if (c == '%' && f < format.Length)
            {
                c = format[f++];
                switch (c)
                {
                    case '%':
                        break;
                    case '(':
                        {
                            long[] value = new long[2];
                            bool bad = false;
                            for (int i = 0; i < 2 && !bad; i++)
                            {
                                if (f < format.Length && char.IsAsciiDigit(format[f]))
                                {
                                    int s = f;
                                    while (f < format.Length && char.IsAsciiDigit(format[f]))
                                    {
                                        f++;
                                    }

                                    bad = !long.TryParse(format.AsSpan(s, f - s), NumberStyles.None, CultureInfo.InvariantCulture, out value[i]);
                                }
                                else
                                {
                                    value[i] = f < format.Length ? Letter(groups, format[f]) : -1;
                                    bad = value[i] < 0;
                                    f++;
                                }

                                bad = bad || f >= format.Length || format[f++] != "=?"[i];
                            }

                            if (bad)
                            {
                                o?.Append('%');
                                f = f1;
                                continue;
                            }

                            bool same = value[0] == value[1];
                            f = Format(same ? o : null, format, f, groups, ':');
                            if (f < format.Length)
                            {
                                f = Format(same ? null : o, format, f + 1, groups, ')');
                                if (f < format.Length)
                                {
                                    f++;
                                }
                            }

                            continue;
                        }

                    case '<':
                        Lines(o, _line[Old]!, groups[0]);
                        continue;
                    case '=':
                        Lines(o, _line[Unchanged]!, groups[0]);
                        continue;
                    case '>':
                        Lines(o, _line[New]!, groups[1]);
                        continue;
                    default:
                        int next = PrintfSpec(o, format, f - 2, null, 0, groups);
                        if (next >= 0)
                        {
                            f = next;
                            continue;
                        }

                        c = '%';
                        f = f1;
                        break;
                }
            }

            o?.Append(c);
        }

        return f;
    }

    /// <summary>groups_letter_value: e f l m n of the old side, E F L M N of the new (1-based line numbers).</summary>
    private static long Letter(Range[] groups, char letter)
    {
        Range g = groups[0];
        if (letter is 'E' or 'F' or 'L' or 'M' or 'N')
        {
            g = groups[1];
            letter = char.ToLowerInvariant(letter);
        }

        return letter switch
        {
            'e' => g.From,
            'f' => g.From + 1,
            'l' => g.Upto,
            'm' => g.Upto + 1,
            'n' => g.Upto - g.From,
            _ => -1,
        };
    }

    /// <summary>print_ifdef_lines: each line of the range through a line format.</summary>
    private void Lines(StringBuilder? o, string format, Range r)
    {
        if (o is null)
        {
            return;
        }

        for (int n = r.From; n < r.Upto; n++)
        {
            string line = r.File.Lines[n];
            bool eol = n < r.File.Lines.Count - 1 || r.File.Eol;
            int f = 0;
            while (f < format.Length)
            {
                char c = format[f++];
                int f1 = f;
                if (c == '%' && f < format.Length)
                {
                    c = format[f++];
                    switch (c)
                    {
                        case '%':
                            break;
                        case 'l':
                            AppendLine(o, line);
                            continue;
                        case 'L':
                            AppendLine(o, line);
                            if (eol)
                            {
                                o.Append('\n');
                            }

                            continue;
                        default:
                            int next = PrintfSpec(o, format, f - 2, r.File, n, null);
                            if (next >= 0)
                            {
                                f = next;
                                continue;
                            }

                            c = '%';
                            f = f1;
                            break;
                    }
                }

                o.Append(c);
            }
        }
    }

    /// <summary>do_printf_spec: <c>%c'C'</c> or a number <c>%[-'0]*[0-9]*(.[0-9]*)?[doxX]L</c>; returns the index after
    /// the spec, or -1 when it is not one (the <c>%</c> is then written as it is).</summary>
    private static int PrintfSpec(StringBuilder? o, string format, int spec, Side? file, int line, Range[]? groups)
    {
        int f = spec + 1;
        char At(int i) => i < format.Length ? format[i] : '\0';
        var flags = new StringBuilder();
        char c = At(f++);
        while (c is '-' or '\'' or '0')
        {
            flags.Append(c);
            c = At(f++);
        }

        int widthStart = f - 1;
        while (char.IsAsciiDigit(c))
        {
            c = At(f++);
        }

        string width = format[widthStart..(f - 1)];
        string? precision = null;
        if (c == '.')
        {
            int ps = f;
            while (char.IsAsciiDigit(c = At(f++)))
            {
            }

            precision = format[ps..(f - 1)];
        }

        char c1 = At(f++);
        switch (c)
        {
            case 'c':
                {
                    if (c1 != '\'')
                    {
                        return -1;
                    }

                    int end = CharLiteral(format, f, out char value);
                    if (end < 0)
                    {
                        return -1;
                    }

                    o?.Append(value);
                    return end;
                }

            case 'd' or 'o' or 'x' or 'X':
                {
                    long value;
                    if (file is not null)
                    {
                        if (c1 != 'n')
                        {
                            return -1;
                        }

                        value = line + 1;
                    }
                    else
                    {
                        value = Letter(groups!, c1);
                        if (value < 0)
                        {
                            return -1;
                        }
                    }

                    o?.Append(Number(value, c, flags.ToString(), width, precision));
                    return f;
                }

            default:
                return -1;
        }
    }

    /// <summary>C's printf of one integer with flags <c>-</c> and <c>0</c> (<c>'</c> groups nothing in the C locale).</summary>
    private static string Number(long value, char conversion, string flags, string width, string? precision)
    {
        bool negative = value < 0 && conversion == 'd';
        ulong magnitude = negative ? (ulong)(-value) : (ulong)value;
        string digits = conversion switch
        {
            'o' => System.Convert.ToString((long)magnitude, 8),
            'x' => magnitude.ToString("x", CultureInfo.InvariantCulture),
            'X' => magnitude.ToString("X", CultureInfo.InvariantCulture),
            _ => magnitude.ToString(CultureInfo.InvariantCulture),
        };
        if (precision is not null)
        {
            int p = precision.Length == 0 ? 0 : int.Parse(precision, CultureInfo.InvariantCulture);
            if (p == 0 && magnitude == 0)
            {
                digits = string.Empty;
            }

            digits = digits.PadLeft(p, '0');
        }

        string sign = negative ? "-" : string.Empty;
        int w = width.Length == 0 ? 0 : int.Parse(width, CultureInfo.InvariantCulture);
        int pad = w - sign.Length - digits.Length;
        if (pad <= 0)
        {
            return sign + digits;
        }

        if (flags.Contains('-', StringComparison.Ordinal))
        {
            return sign + digits + new string(' ', pad);
        }

        return flags.Contains('0', StringComparison.Ordinal) && precision is null
            ? sign + new string('0', pad) + digits
            : new string(' ', pad) + sign + digits;
    }

    /// <summary>scan_char_literal: <c>C'</c> or <c>\OOO'</c> (1 to 3 octal digits) after the opening quote.</summary>
    private static int CharLiteral(string format, int at, out char value)
    {
        value = '\0';
        if (at >= format.Length || format[at] == '\'')
        {
            return -1;
        }

        if (format[at] == '\\')
        {
            int p = at + 1;
            int v = 0;
            while (p < format.Length && format[p] != '\'')
            {
                int digit = format[p] - '0';
                if (digit is < 0 or >= 8)
                {
                    return -1;
                }

                v = (8 * v) + digit;
                p++;
            }

            int digits = p - at - 1;
            if (p >= format.Length || digits is < 1 or > 3)
            {
                return -1;
            }

            value = (char)(v & 0xFF);
            return p + 1;
        }

        value = format[at];
        return at + 1 < format.Length && format[at + 1] == '\'' ? at + 2 : -1;
    }
}
