namespace PatchKit.Cli.Commands;

/// <summary>What the drop-in prints for <c>--version</c>: GNU's first line, which scripts read (<c>patch --version |
/// head -1</c>, a version taken from its last word), then lines that say what answers.</summary>
internal static class GnuDropInText
{
    public static void Version(TextWriter output, string gnuFirstLine, string command, string gnuProgram)
    {
        output.WriteLine(gnuFirstLine);
        output.WriteLine($"PatchKit {CliVersion.Text} (patchkit {command}), a drop-in that answers as {gnuProgram} does.");
        output.WriteLine("It is not GNU software. PatchKit is under the MIT license.");
    }

    /// <summary>The arguments up to the first one that asks for <paramref name="version"/> or <paramref name="help"/>
    /// (the option, its short form or an unambiguous prefix of its long name), or all of them: GNU's getopt acts on
    /// those options where it meets them, so an unknown option after them is never seen (<c>patch --version
    /// --bogus</c> prints the version).</summary>
    public static string[] UpToInfoOption(string[] args, IReadOnlyList<ArgOption> options, ArgOption version, ArgOption help)
    {
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (a == "--")
            {
                break;
            }

            bool asks = a.StartsWith("--", StringComparison.Ordinal)
                ? a.Length > 2 && !a.Contains('=', StringComparison.Ordinal) && LongMatch(a[2..], options) is { } o && (o == version || o == help)
                : a.Length == 2 && a[0] == '-' && (a[1] == version.Short || a[1] == help.Short) && a[1] != '\0';
            if (asks)
            {
                return args[..(i + 1)];
            }
        }

        return args;
    }

    private static ArgOption? LongMatch(string name, IReadOnlyList<ArgOption> options)
    {
        ArgOption? found = null;
        foreach (ArgOption o in options)
        {
            if (o.Long == name)
            {
                return o;
            }

            if (o.Long is not null && o.Long.StartsWith(name, StringComparison.Ordinal))
            {
                if (found is not null)
                {
                    return null;
                }

                found = o;
            }
        }

        return found;
    }
}
