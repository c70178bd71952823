namespace PatchKit.Cli;

/// <summary>One option a command accepts.</summary>
/// <param name="Short">The short letter (<c>'p'</c> for <c>-p</c>), or <c>'\0'</c> when there is none.</param>
/// <param name="Long">The long name without dashes (<c>strip</c> for <c>--strip</c>), or <see langword="null"/>.</param>
/// <param name="TakesValue">Whether the option takes an argument (<c>-p1</c>, <c>-p 1</c>, <c>--strip=1</c>).</param>
/// <param name="Help">One line for <c>--help</c>.</param>
internal sealed record ArgOption(char Short, string? Long, bool TakesValue, string Help);

/// <summary>A command line that does not fit a command's options.</summary>
internal sealed class ArgReaderException : Exception
{
    public ArgReaderException(string message)
        : base(message)
    {
    }
}

/// <summary>GNU getopt_long conventions: bundled short flags (<c>-Ns</c>), attached values (<c>-p1</c>), <c>--long=value</c>,
/// unambiguous long-name prefixes, <c>--</c> ends options, options and operands may be mixed.</summary>
internal static class ArgReader
{
    /// <summary>Splits <paramref name="args"/> into options (with their values) and operands.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="options">The options taken.</param>
    /// <param name="gnuLongNames">GNU's table of long option names in its order, for a drop-in: an abbreviation that
    /// GNU finds ambiguous is reported as GNU getopt does ("; possibilities: '--a' '--b'", in the table's order).</param>
    /// <param name="each">Called with each option as it is read, before the next argument is looked at (GNU's getopt
    /// loop: an error it throws comes before any error of a later argument).</param>
    public static (List<(ArgOption Option, string? Value)> Options, List<string> Operands) Parse(string[] args, IReadOnlyList<ArgOption> options, IReadOnlyList<string>? gnuLongNames = null, Action<ArgOption, string?>? each = null)
    {
        var found = new List<(ArgOption, string?)>();
        void Found(ArgOption option, string? value)
        {
            found.Add((option, value));
            each?.Invoke(option, value);
        }

        var operands = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg == "--")
            {
                operands.AddRange(args[(i + 1)..]);
                break;
            }

            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                int eq = arg.IndexOf('=', StringComparison.Ordinal);
                string name = eq < 0 ? arg[2..] : arg[2..eq];
                ArgOption option = FindLong(options, name, gnuLongNames, arg[2..]);
                if (option.TakesValue)
                {
                    string value = eq >= 0 ? arg[(eq + 1)..] : (++i < args.Length ? args[i] : throw new ArgReaderException($"option '--{option.Long}' requires an argument"));
                    Found(option, value);
                }
                else
                {
                    if (eq >= 0)
                    {
                        throw new ArgReaderException($"option '--{option.Long}' doesn't allow an argument");
                    }

                    Found(option, null);
                }

                continue;
            }

            if (arg.Length > 1 && arg[0] == '-')
            {
                for (int j = 1; j < arg.Length; j++)
                {
                    ArgOption option = FindShort(options, arg[j]);
                    if (option.TakesValue)
                    {
                        string value = j + 1 < arg.Length ? arg[(j + 1)..] : (++i < args.Length ? args[i] : throw new ArgReaderException($"option requires an argument -- '{arg[j]}'"));
                        Found(option, value);
                        break;
                    }

                    Found(option, null);
                }

                continue;
            }

            operands.Add(arg);
        }

        return (found, operands);
    }

    public static int ParseInt(ArgOption option, string? value)
    {
        if (!int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n))
        {
            throw new ArgReaderException($"invalid number '{value}' for option {Describe(option)}");
        }

        return n;
    }

    public static void PrintHelp(TextWriter writer, string usage, IReadOnlyList<ArgOption> options)
    {
        writer.WriteLine("Usage: " + usage);
        writer.WriteLine();
        foreach (var o in options)
        {
            if (o.Help.Length == 0)
            {
                // A hidden option (GNU's help does not list it either).
                continue;
            }

            string names = (o.Short != '\0' ? "-" + o.Short + (o.Long is null ? string.Empty : ", ") : "    ") + (o.Long is null ? string.Empty : "--" + o.Long);
            if (o.TakesValue)
            {
                names += o.Long is null ? " N" : "=VALUE";
            }

            writer.WriteLine($"  {names,-26} {o.Help}");
        }
    }

    private static string Describe(ArgOption option) => option.Long is not null ? "--" + option.Long : "-" + option.Short;

    private static ArgOption FindShort(IReadOnlyList<ArgOption> options, char c)
    {
        foreach (var o in options)
        {
            if (o.Short == c)
            {
                return o;
            }
        }

        throw new ArgReaderException($"invalid option -- '{c}'");
    }

    private static ArgOption FindLong(IReadOnlyList<ArgOption> options, string name, IReadOnlyList<string>? gnuLongNames, string spelled)
    {
        if (gnuLongNames is not null && !gnuLongNames.Contains(name) && !options.Any(o => o.Long == name))
        {
            List<string> possible = [.. gnuLongNames.Where(n => n.StartsWith(name, StringComparison.Ordinal))];
            possible.AddRange(options.Where(o => o.Long is not null && o.Long.StartsWith(name, StringComparison.Ordinal) && !gnuLongNames.Contains(o.Long)).Select(o => o.Long!));
            if (possible.Count > 1)
            {
                // GNU getopt quotes the argument as given, a value after '=' included.
                throw new ArgReaderException($"option '--{spelled}' is ambiguous; possibilities:{string.Concat(possible.Select(n => $" '--{n}'"))}");
            }
        }

        ArgOption? prefixMatch = null;
        int prefixCount = 0;
        foreach (var o in options)
        {
            if (o.Long is null)
            {
                continue;
            }

            if (o.Long == name)
            {
                return o;
            }

            if (o.Long.StartsWith(name, StringComparison.Ordinal))
            {
                prefixMatch = o;
                prefixCount++;
            }
        }

        return prefixCount == 1 ? prefixMatch! : throw new ArgReaderException(prefixCount > 1 ? $"option '--{name}' is ambiguous" : $"unrecognized option '--{spelled}'");
    }
}
