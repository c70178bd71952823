namespace PatchKit.Cli;

/// <summary>The verb dispatcher. Options follow GNU getopt conventions (bundled short options, <c>-p1</c>,
/// <c>--opt=value</c>), which admins type from habit; see <see cref="ArgReader"/>.</summary>
internal static class CliApp
{
    private static readonly (string Name, string Summary, Func<CliContext, string[], int> Run)[] s_commands =
    [
        ("stat", "Summarise a patch (git apply --numstat/--stat/--summary style).", Commands.StatCommand.Run),
        ("apply", "Apply a patch to a tree (GNU patch's options; all-or-nothing by default).", Commands.ApplyCommand.Run),
        ("diff", "Compare two files or trees and write a unified diff (diff -Naur or --git).", Commands.DiffCommand.Run),
        ("demo", "Run the whole patch lifecycle on an embedded simulated fleet and write the HTML report.", Commands.DemoCommand.Run),
        ("plan", "Dry run: print the plan for a fleet, catalog and policy without touching anything.", Commands.PlanCommand.Run),
        ("run", "Run the patch lifecycle for a fleet, catalog and policy (resumable by run id).", Commands.RunCommand.Run),
        ("scan", "Match host inventories against OSV advisories: affected, fixed, not affected or unknown, with the reason.", Commands.ScanCommand.Run),
    ];

    public static int Run(string[] args, CliContext context)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            PrintHelp(context.Output);
            return args.Length == 0 ? ExitCodes.Trouble : ExitCodes.Success;
        }

        if (args[0] is "--version" or "-V")
        {
            context.Output.WriteLine("patchkit " + typeof(CliApp).Assembly.GetName().Version?.ToString(3));
            return ExitCodes.Success;
        }

        foreach (var command in s_commands)
        {
            if (command.Name == args[0])
            {
                try
                {
                    return command.Run(context, args[1..]);
                }
                catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
                {
                    context.Error.WriteLine("patchkit: interrupted");
                    return ExitCodes.Interrupted;
                }
                catch (ArgReaderException ex)
                {
                    context.Error.WriteLine($"patchkit {command.Name}: {ex.Message}");
                    context.Error.WriteLine($"Try 'patchkit {command.Name} --help' for more information.");
                    return ExitCodes.Trouble;
                }
                catch (PatchKitException ex)
                {
                    return context.Fail(ex.Message);
                }
                catch (IOException ex)
                {
                    return context.Fail(ex.Message);
                }
                catch (UnauthorizedAccessException ex)
                {
                    return context.Fail(ex.Message);
                }
            }
        }

        context.Error.WriteLine($"patchkit: unknown command '{args[0]}'");
        PrintHelp(context.Error);
        return ExitCodes.Trouble;
    }

    private static void PrintHelp(TextWriter writer)
    {
        writer.WriteLine("Usage: patchkit <command> [options]");
        writer.WriteLine();
        writer.WriteLine("Commands:");
        foreach (var command in s_commands)
        {
            writer.WriteLine($"  {command.Name,-8}{command.Summary}");
        }

        writer.WriteLine();
        writer.WriteLine("Exit codes: 0 success; 1 hunks failed, differences found or a host affected (scan); 2 trouble; 130 interrupted.");
        writer.WriteLine("Run 'patchkit <command> --help' for a command's options.");
    }
}
