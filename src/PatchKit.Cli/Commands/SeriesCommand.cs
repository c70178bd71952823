using System.IO.Abstractions;
using PatchKit.Diffs;

namespace PatchKit.Cli.Commands;

/// <summary>`patchkit series push|pop|refresh|applied|unapplied|top`: a quilt patch stack over <see cref="QuiltStack"/>,
/// in quilt's <c>.pc/</c> layout (quilt and PatchKit can take turns on one tree). A push of several patches is one
/// transaction: all of them or none.</summary>
internal static class SeriesCommand
{
    private static readonly ArgOption s_all = new('a', "all", false, "push: every unapplied patch; pop: every applied patch.");
    private static readonly ArgOption s_force = new('f', "force", false, "pop: remove the patch even if files hold changes it does not (they are lost).");
    private static readonly ArgOption s_fuzz = new('F', "fuzz", true, "push: context lines a hunk may ignore (default 2, as GNU patch under quilt).");
    private static readonly ArgOption s_directory = new('d', "directory", true, "The tree (where .pc/ is); default the current folder.");
    private static readonly ArgOption s_quiet = new('q', "quiet", false, "Print only errors.");
    private static readonly ArgOption s_help = new('h', "help", false, "Show this help.");
    private static readonly ArgOption[] s_options = [s_all, s_force, s_fuzz, s_directory, s_quiet, s_help];

    private const string Usage = "patchkit series push [-a | NAME] | pop [-a | NAME] [-f] | refresh | applied | unapplied | top  [-d DIR]\n" +
        "The patches folder is QUILT_PATCHES (default patches/), the series file QUILT_SERIES (default series), as quilt.";

    public static int Run(CliContext context, string[] args)
    {
        var (options, operands) = ArgReader.Parse(args, s_options);
        bool all = false, force = false, quiet = false;
        int? fuzz = null;
        string directory = context.WorkingDirectory;
        foreach (var (option, value) in options)
        {
            if (option == s_help)
            {
                ArgReader.PrintHelp(context.Output, Usage, s_options);
                return ExitCodes.Success;
            }

            all |= option == s_all;
            force |= option == s_force;
            quiet |= option == s_quiet;
            if (option == s_fuzz)
            {
                fuzz = ArgReader.ParseInt(option, value);
            }

            if (option == s_directory)
            {
                directory = context.Resolve(value!);
            }
        }

        if (operands.Count == 0)
        {
            throw new ArgReaderException("missing subcommand (push, pop, refresh, applied, unapplied or top)");
        }

        string verb = operands[0];
        string? name = operands.Count > 1 ? operands[1] : null;
        if (operands.Count > 2 || (name is not null && (all || verb is not ("push" or "pop"))))
        {
            throw new ArgReaderException("extra operand '" + operands[^1] + "'");
        }

        if (!Directory.Exists(directory))
        {
            throw new CliInputException($"the tree '{directory}' does not exist.");
        }

        var stack = new QuiltStack(new FileSystem(), directory, Environment.GetEnvironmentVariable("QUILT_PATCHES") is { Length: > 0 } p ? p : null,
            Environment.GetEnvironmentVariable("QUILT_SERIES") is { Length: > 0 } s ? s : null);
        TextWriter output = context.Output;
        if (name is not null && name.All(char.IsAsciiDigit) && name.Length < 9 && verb is "push" or "pop")
        {
            // quilt push/pop N: that many patches, unless a patch has that name.
            IReadOnlyList<SeriesPatch> series = stack.ReadSeries().Patches;
            if (!series.Any(x => x.Name == name))
            {
                int count = int.Parse(name, System.Globalization.CultureInfo.InvariantCulture);
                IReadOnlyList<string> applied = stack.ReadApplied();
                if (count == 0)
                {
                    return ExitCodes.Success;
                }

                if (verb == "push")
                {
                    name = series[Math.Min(applied.Count + count, series.Count) - 1].Name;
                    all = applied.Count >= series.Count;
                    name = all ? null : name;
                }
                else
                {
                    all = count >= applied.Count;
                    name = all ? null : applied[applied.Count - count - 1];
                }
            }
        }

        switch (verb)
        {
            case "applied":
                foreach (string patch in stack.ReadApplied())
                {
                    output.WriteLine(patch);
                }

                return ExitCodes.Success;
            case "unapplied":
                {
                    IReadOnlyList<string> applied = stack.ReadApplied();
                    IReadOnlyList<SeriesPatch> series = stack.ReadSeries().Patches;
                    for (int i = applied.Count; i < series.Count; i++)
                    {
                        output.WriteLine(series[i].Name);
                    }

                    return ExitCodes.Success;
                }

            case "top":
                {
                    IReadOnlyList<string> applied = stack.ReadApplied();
                    if (applied.Count == 0)
                    {
                        context.Error.WriteLine("patchkit: no patches applied");
                        return ExitCodes.Partial;
                    }

                    output.WriteLine(applied[^1]);
                    return ExitCodes.Success;
                }

            case "push":
                return Push(context, stack, name, all, fuzz, quiet);
            case "pop":
                {
                    IReadOnlyList<string> removed = stack.Pop(name, all, force, context.CancellationToken);
                    if (!quiet)
                    {
                        foreach (string patch in removed)
                        {
                            output.WriteLine("Removing patch " + patch);
                        }

                        IReadOnlyList<string> now = stack.ReadApplied();
                        output.WriteLine(removed.Count == 0 ? "No patch removed" : now.Count == 0 ? "No patches applied" : "Now at patch " + now[^1]);
                    }

                    return ExitCodes.Success;
                }

            case "refresh":
                {
                    string refreshed = stack.Refresh(context.CancellationToken);
                    if (!quiet)
                    {
                        output.WriteLine($"Refreshed patch {refreshed}");
                    }

                    return ExitCodes.Success;
                }

            default:
                throw new ArgReaderException($"unknown subcommand '{verb}' (push, pop, refresh, applied, unapplied or top)");
        }
    }

    private static int Push(CliContext context, QuiltStack stack, string? name, bool all, int? fuzz, bool quiet)
    {
        var options = new ApplyOptions();
        if (fuzz is int f)
        {
            options.Fuzz = f;
        }

        SeriesApplyResult result = stack.Push(name, all, options, context.CancellationToken);
        if (result.Recovered && !quiet)
        {
            context.Error.WriteLine("patchkit: an interrupted apply was rolled back first");
        }

        if (!result.Succeeded)
        {
            context.Error.WriteLine($"patchkit: patch {result.FailedPatch} does not apply; nothing was changed (no patch of this push was applied).");
            foreach (FileApplyResult file in result.FailedFiles)
            {
                if (file.Succeeded)
                {
                    continue;
                }

                string what = file.Error ?? $"{file.FailedCount} of {file.Hunks.Length} hunks FAILED";
                context.Error.WriteLine($"  {file.Path}: {Rendering.TerminalText.Message(what)}");
            }

            return ExitCodes.Partial;
        }

        if (!quiet)
        {
            foreach (string patch in result.Applied)
            {
                context.Output.WriteLine("Applying patch " + patch);
            }

            IReadOnlyList<string> now = stack.ReadApplied();
            context.Output.WriteLine(result.Applied.Count == 0 ? (now.Count == 0 ? "No patches in series" : "File series fully applied, ends at patch " + now[^1]) : "Now at patch " + now[^1]);
        }

        return ExitCodes.Success;
    }
}
