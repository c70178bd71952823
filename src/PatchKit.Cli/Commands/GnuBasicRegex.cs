using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PatchKit.Cli.Commands;

/// <summary>A pattern of diff's <c>-I</c> or <c>-F</c> read as GNU diff reads it: a basic regular expression in glibc's
/// grep syntax (<c>\(</c> <c>\)</c> <c>\|</c> <c>\{m,n\}</c> <c>\+</c> <c>\?</c> operators, their plain forms literal,
/// a newline an alternative, <c>*</c> or an interval where no expression precedes it literal, back references to
/// closed groups only, bracket expressions with the C locale's classes), turned into a .NET regular expression. A
/// pattern glibc refuses stops with glibc's words for the first fault from the left ("Unmatched ( or \(", "Invalid
/// range end", …), as GNU diff does: <c>diff: PATTERN: MESSAGE</c>, exit 2.</summary>
internal static class GnuBasicRegex
{
    private const int DupMax = 0x7fff;

    /// <summary>Reads <paramref name="pattern"/> or throws GNU diff's fatal error for it.</summary>
    public static Regex Compile(string pattern)
    {
        string translated = new Reader(pattern).Translate();
        try
        {
            return new Regex(translated, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2));
        }
        catch (ArgumentException)
        {
            throw new GnuDiffFatalException($"{pattern}: Invalid regular expression");
        }
    }

    private sealed class Reader(string pattern)
    {
        private readonly StringBuilder _out = new(pattern.Length + 16);
        private int _i;
        private int _groups;
        private int _closed; // bit n: group n closed (\n may refer to it)
        private int _lastAtom = -1; // where the last atom's translation starts, for a repetition
        private bool _repeated;     // the last atom already has a repetition (.NET needs a group for another)

        private GnuDiffFatalException Error(string message) => new($"{pattern}: {message}");

        public string Translate()
        {
            int depth = 0;
            var groupStarts = new Stack<(int Number, int Start)>();
            bool atomPosition = true; // start of the pattern, after \( or \| or a newline, or after an anchor
            int caretPosition = 0;    // where '^' is an anchor
            while (_i < pattern.Length)
            {
                char c = pattern[_i];
                int start = _out.Length;
                if (c == '\\')
                {
                    if (_i + 1 >= pattern.Length)
                    {
                        throw Error("Trailing backslash");
                    }

                    char n = pattern[_i + 1];
                    _i += 2;
                    switch (n)
                    {
                        case '(':
                            _groups++;
                            groupStarts.Push((_groups, _out.Length));
                            depth++;
                            _out.Append('(');
                            atomPosition = true;
                            caretPosition = _i;
                            _lastAtom = -1;
                            continue;
                        case ')':
                            if (depth == 0)
                            {
                                throw Error("Unmatched ) or \\)");
                            }

                            depth--;
                            (int closed, int groupStart) = groupStarts.Pop();
                            _closed |= closed < 31 ? 1 << closed : 0;
                            _out.Append(')');
                            _lastAtom = groupStart;
                            _repeated = false;
                            atomPosition = false;
                            continue;
                        case '|':
                            _out.Append('|');
                            atomPosition = true;
                            caretPosition = _i;
                            _lastAtom = -1;
                            continue;
                        case '{' when !atomPosition:
                            Interval();
                            continue;
                        case '+' or '?' when !atomPosition:
                            Repeat(n.ToString());
                            continue;
                        case >= '1' and <= '9':
                            int reference = n - '0';
                            if ((_closed & (1 << reference)) == 0)
                            {
                                throw Error("Invalid back reference");
                            }

                            _out.Append('\\').Append(n);
                            break;
                        case '<' or '>' or 'b' or 'B' or '`' or '\'':
                            // Anchors: a repetition after one is literal, as after the pattern's start.
                            _out.Append(n switch
                            {
                                '<' => @"\b(?=[A-Za-z0-9_])",
                                '>' => @"\b(?<=[A-Za-z0-9_])",
                                '`' => @"\A",
                                '\'' => @"\z",
                                _ => "\\" + n,
                            });
                            atomPosition = true;
                            _lastAtom = -1;
                            continue;
                        case 'w':
                            _out.Append("[A-Za-z0-9_]");
                            break;
                        case 'W':
                            _out.Append("[^A-Za-z0-9_]");
                            break;
                        case 's':
                            _out.Append(@"[ \t\n\v\f\r]");
                            break;
                        case 'S':
                            _out.Append(@"[^ \t\n\v\f\r]");
                            break;
                        default:
                            // Any other escaped character (an interval or repetition where nothing precedes it, \}) is itself.
                            _out.Append(Regex.Escape(n.ToString()));
                            break;
                    }
                }
                else if (c == '\n')
                {
                    _i++;
                    _out.Append('|');
                    atomPosition = true;
                    caretPosition = _i;
                    _lastAtom = -1;
                    continue;
                }
                else if (c == '*' && !atomPosition)
                {
                    _i++;
                    Repeat("*");
                    continue;
                }
                else if (c == '^' && _i == caretPosition)
                {
                    _i++;
                    _out.Append('^');
                    atomPosition = true;
                    _lastAtom = -1;
                    continue;
                }
                else if (c == '$' && (_i + 1 == pattern.Length || pattern[_i + 1] == '\n' || (pattern[_i + 1] == '\\' && _i + 2 < pattern.Length && pattern[_i + 2] is ')' or '|')))
                {
                    _i++;
                    _out.Append('$');
                    atomPosition = true;
                    _lastAtom = -1;
                    continue;
                }
                else if (c == '[')
                {
                    _i++;
                    Bracket();
                }
                else if (c == '.')
                {
                    _i++;
                    _out.Append('.');
                }
                else
                {
                    _i++;
                    _out.Append(Regex.Escape(c.ToString()));
                }

                _lastAtom = start;
                _repeated = false;
                atomPosition = false;
            }

            if (depth > 0)
            {
                throw Error("Unmatched ( or \\(");
            }

            return _out.ToString();
        }

        /// <summary>A repetition of the last atom; a second one on the same atom repeats the first (glibc nests them).</summary>
        private void Repeat(string op)
        {
            if (_repeated)
            {
                _out.Insert(_lastAtom, "(?:").Append(')');
            }

            _out.Append(op);
            _repeated = true;
        }

        /// <summary>An interval <c>\{m\}</c>, <c>\{m,\}</c>, <c>\{,n\}</c>, <c>\{m,n\}</c> after an atom, read as glibc's
        /// parse_dup_op reads it.</summary>
        private void Interval()
        {
            int Number(out char stop)
            {
                int num = -1;
                while (true)
                {
                    if (_i >= pattern.Length)
                    {
                        stop = '\0';
                        return -2;
                    }

                    char ch = pattern[_i];
                    if (ch == '\\' && _i + 1 < pattern.Length && pattern[_i + 1] == '}')
                    {
                        _i += 2;
                        stop = '}';
                        return num;
                    }

                    if (ch == ',')
                    {
                        _i++;
                        stop = ',';
                        return num;
                    }

                    _i += ch == '\\' && _i + 1 < pattern.Length ? 2 : 1;
                    num = ch is < '0' or > '9' || num == -2 ? -2 : num == -1 ? ch - '0' : Math.Min(DupMax + 1, (num * 10) + ch - '0');
                }
            }

            int min = Number(out char stop);
            int max;
            if (stop == '\0')
            {
                throw Error("Unmatched \\{");
            }

            if (min == -1 && stop != ',')
            {
                throw Error("Invalid content of \\{\\}");
            }

            min = min == -1 ? 0 : min;
            if (stop == ',')
            {
                max = Number(out stop);
                if (stop == '\0')
                {
                    throw Error("Unmatched \\{");
                }

                if (stop != '}')
                {
                    throw Error("Invalid content of \\{\\}");
                }
            }
            else
            {
                max = min;
            }

            if (min == -2 || max == -2 || (max != -1 && min > max))
            {
                throw Error("Invalid content of \\{\\}");
            }

            if ((max == -1 ? min : max) > DupMax)
            {
                throw Error("Regular expression too big");
            }

            Repeat(max == -1 ? $"{{{min.ToString(CultureInfo.InvariantCulture)},}}" : string.Create(CultureInfo.InvariantCulture, $"{{{min},{max}}}"));
        }

        /// <summary>A bracket expression after its '[', read as glibc's parse_bracket_exp (first ']' a member, '-' a
        /// range between two members, [:class:], [=c=], [.c.]) and written as a .NET character class.</summary>
        private void Bracket()
        {
            var set = new StringBuilder("[");
            if (_i >= pattern.Length)
            {
                throw Error("Invalid regular expression");
            }

            if (pattern[_i] == '^')
            {
                set.Append('^');
                _i++;
                if (_i >= pattern.Length)
                {
                    throw Error("Invalid regular expression");
                }
            }

            bool first = true;
            while (true)
            {
                (string? single, string? members) = Element(first);
                first = false;
                if (_i >= pattern.Length)
                {
                    throw Error("Unmatched [, [^, [:, [., or [=");
                }

                if (single is not null && pattern[_i] == '-' && _i + 1 < pattern.Length && pattern[_i + 1] != ']')
                {
                    _i++;
                    (string? end, string? endMembers) = Element(true);
                    if (end is null || endMembers is not null || string.CompareOrdinal(single, end) > 0)
                    {
                        throw Error("Invalid range end");
                    }

                    set.Append(Escape(single)).Append('-').Append(Escape(end));
                }
                else if (single is not null && pattern[_i] == '-' && _i + 1 >= pattern.Length)
                {
                    throw Error("Unmatched [, [^, [:, [., or [=");
                }
                else
                {
                    set.Append(members ?? Escape(single!));
                }

                if (_i >= pattern.Length)
                {
                    throw Error("Unmatched [, [^, [:, [., or [=");
                }

                if (pattern[_i] == ']')
                {
                    _i++;
                    break;
                }
            }

            _out.Append(set.Append(']'));
        }

        /// <summary>A member of a .NET character class: a letter or digit as it is, anything else by its code.</summary>
        private static string Escape(string c) => char.IsAsciiLetterOrDigit(c[0]) ? c : string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c[0]:X4}");

        /// <summary>One member: a character (returned as single), or a class's members.</summary>
        private (string? Single, string? Members) Element(bool acceptHyphen)
        {
            char c = pattern[_i];
            if (c == '[' && _i + 1 < pattern.Length && pattern[_i + 1] is ':' or '=' or '.')
            {
                char delim = pattern[_i + 1];
                _i += 2;
                if (_i >= pattern.Length)
                {
                    throw Error("Unmatched [, [^, [:, [., or [=");
                }

                var name = new StringBuilder();
                while (true)
                {
                    if (name.Length >= 32 || _i + 1 >= pattern.Length)
                    {
                        throw Error("Unmatched [, [^, [:, [., or [=");
                    }

                    char ch = pattern[_i++];
                    if (ch == delim && pattern[_i] == ']')
                    {
                        _i++;
                        break;
                    }

                    name.Append(ch);
                }

                string n = name.ToString();
                if (delim == ':')
                {
                    return (null, n switch
                    {
                        "alpha" => "a-zA-Z",
                        "digit" => "0-9",
                        "alnum" => "a-zA-Z0-9",
                        "upper" => "A-Z",
                        "lower" => "a-z",
                        "space" => @" \t\n\v\f\r",
                        "blank" => @" \t",
                        "xdigit" => "0-9A-Fa-f",
                        "punct" => @"!-/:-@\[-`{-~",
                        "print" => @" -~",
                        "graph" => @"!-~",
                        "cntrl" => @"\x00-\x1f\x7f",
                        _ => throw Error("Invalid character class name"),
                    });
                }

                if (n.Length != 1)
                {
                    throw Error("Invalid collation character");
                }

                // An equivalence class is its one character; a collating symbol may end a range.
                return delim == '.' ? (n, null) : (null, Escape(n));
            }

            if (c == '-' && !acceptHyphen && (_i + 1 >= pattern.Length || pattern[_i + 1] != ']'))
            {
                throw Error("Invalid range end");
            }

            _i++;
            return (c.ToString(), null);
        }
    }
}
