using PatchKit.Cli.Rendering;

namespace PatchKit.Cli;

/// <summary>The verb dispatcher. Options follow GNU getopt conventions (bundled short options, <c>-p1</c>,
/// <c>--opt=value</c>), which admins type from habit; see <see cref="ArgReader"/>.</summary>
internal static class CliApp
{
    // Names and summaries only: the commands' code is reached through Find, so a binary built without the lifecycle
    // commands (CliFeatures) does not link them.
    private static readonly (string Name, string Summary)[] s_commands =
    [
        ("stat", "Summarise a patch (git apply --numstat/--stat/--summary style)."),
        ("apply", "Apply a patch to a tree (GNU patch's options; all-or-nothing by default)."),
        ("patch", "GNU patch 2.7.6 drop-in: same options, messages, exit statuses, rejects and backups (applies partially)."),
        ("diff", "Compare two files or trees and write a unified diff (diff -Naur or --git)."),
        ("demo", "Run the whole patch lifecycle on an embedded simulated fleet and write the HTML report."),
        ("plan", "Dry run: print the plan for a fleet, catalog and policy without touching anything."),
        ("run", "Run the patch lifecycle for a fleet, catalog and policy (resumable by run id)."),
        ("series", "A quilt patch stack: push, pop, refresh, applied, unapplied, top (quilt's .pc/ layout; a push is one transaction)."),
        ("worker", "Repair the hosts of a run queued in a PostgreSQL journal, beside other workers (leases, fencing)."),
        ("scan", "Match host inventories against OSV advisories: affected, fixed, not affected or unknown, with the reason."),
        ("advisories", "fetch: mirror a CSAF provider over HTTP(S) and check each document's hash and OpenPGP signature."),
    ];

    /// <summary>What <c>patchkit --version</c> prints: a constant written at build time, since reading the assembly name
    /// through reflection starts the reflection type loader, a sixth of the process start.</summary>
    public const string VersionLine = "patchkit " + CliVersion.Text;

    /// <summary>Environment variable that, set to 1, prints the stack trace of an error (as <c>--verbose</c> does).</summary>
    public const string VerboseVariable = "PATCHKIT_VERBOSE";

    /// <summary>How long a command may take to stop at a safe point after Ctrl+C or SIGTERM before the process ends.</summary>
    public static readonly TimeSpan SignalGracePeriod = TimeSpan.FromSeconds(5);

    /// <summary>Standard input (0), output (1) or error (2) as a plain file stream on Unix: .NET's console streams set
    /// the terminal up on first use (and write its keypad sequence), which a drop-in <c>patch</c>/<c>diff</c> on a
    /// terminal must not do. Windows keeps the console streams.</summary>
    public static Stream StandardStream(int fd)
    {
        if (OperatingSystem.IsWindows())
        {
            return fd switch
            {
                0 => Console.OpenStandardInput(),
                1 => Console.OpenStandardOutput(),
                _ => Console.OpenStandardError(),
            };
        }

        try
        {
            var stream = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: false), fd == 0 ? FileAccess.Read : FileAccess.Write, bufferSize: 0);
            if (fd != 0 && stream.CanSeek)
            {
                // A regular file: written at the descriptor's own offset (see DescriptorWriteStream).
                stream.Dispose();
                return new DescriptorWriteStream(fd);
            }

            return stream;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
        {
            // A closed descriptor: the console stream copes (it discards).
            return fd switch
            {
                0 => Console.OpenStandardInput(),
                1 => Console.OpenStandardOutput(),
                _ => Console.OpenStandardError(),
            };
        }
    }

    /// <summary>The name the binary was run by (<c>argv[0]</c>'s last component). A Native AOT binary has no host in
    /// front of it: <see cref="Environment.GetCommandLineArgs"/> holds the <c>argv[0]</c> it was started with (a link's
    /// name too), and reading <c>/proc/self/cmdline</c> (an open, a read, a close, the file stream's set-up: a thirtieth
    /// of the start) is not needed. Under the .NET host, which puts the assembly's path there, <c>/proc/self/cmdline</c>
    /// where there is one.</summary>
    public static string InvokedName()
    {
        if (!System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported && Environment.GetCommandLineArgs() is [var native, ..])
        {
            return Path.GetFileNameWithoutExtension(native);
        }

        string argv0 = RawArguments.Read() is [var raw, ..] ? System.Text.Encoding.UTF8.GetString(raw)
            : Environment.GetCommandLineArgs() is [var first, ..] ? first : string.Empty;
        return Path.GetFileNameWithoutExtension(argv0);
    }

    /// <summary>Run through a link named <c>patch</c> or <c>diff</c>, the binary is that drop-in: the name becomes the command.</summary>
    public static string[] ForInvokedName(string invokedName, string[] args) =>
        invokedName is "patch" or "diff" ? [invokedName, .. args] : args;

    public static int Run(string[] args, CliContext context)
    {
        if (args.Length == 0)
        {
            // A usage error: the message and the usage go to standard error, as GNU tools do.
            context.Error.WriteLine("patchkit: missing command");
            PrintHelp(context.Error);
            return ExitCodes.Trouble;
        }

        if (args[0] is "-h" or "--help" or "help")
        {
            PrintHelp(context.Output);
            return ExitCodes.Success;
        }

        if (args[0] is "--version" or "-V")
        {
            context.Output.WriteLine(VersionLine);
            return ExitCodes.Success;
        }

        foreach (var command in s_commands)
        {
            if (command.Name == args[0])
            {
                try
                {
                    var run = Find(command.Name) ?? throw new CliInputException(
                        $"'{command.Name}' is run by {LifecycleBinary.FileName}, which this binary starts; it was not started.");
                    return run(context, WithoutGlobalOptions(command.Name, args[1..]));
                }
                catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
                {
                    context.Error.WriteLine(context.CancelExitCode == ExitCodes.Terminated ? "patchkit: terminated" : "patchkit: interrupted");
                    return context.CancelExitCode;
                }
                catch (ArgReaderException ex)
                {
                    context.Error.WriteLine($"patchkit {command.Name}: {ex.Message}");
                    context.Error.WriteLine($"Try 'patchkit {command.Name} --help' for more information.");
                    return ExitCodes.Trouble;
                }
                catch (CliInputException ex)
                {
                    context.Error.WriteLine("patchkit: " + TerminalText.Message(ex.Message));
                    if (ex.Hint is not null)
                    {
                        context.Error.WriteLine(ex.Hint);
                    }

                    if (Verbose(args))
                    {
                        context.Error.WriteLine(TerminalText.Message(ex.ToString()));
                    }

                    return ExitCodes.Trouble;
                }
                catch (Exception ex) when (ex is not (OutOfMemoryException or StackOverflowException))
                {
                    // Input, I/O and library errors (and bugs): a sentence, exit 2; the stack trace only when asked for.
                    bool bug = ex is not (PatchKitException or IOException or UnauthorizedAccessException or System.Text.Json.JsonException or ArgumentException or KeyNotFoundException or TimeZoneNotFoundException or InvalidDataException);
                    string text = ErrorText.Describe(ex);
                    context.Error.WriteLine("patchkit: " + TerminalText.Message(text) + (text.EndsWith('.') || text.EndsWith('?') ? string.Empty : "."));
                    if (Verbose(args))
                    {
                        context.Error.WriteLine(TerminalText.Message(ex.ToString()));
                    }
                    else if (bug)
                    {
                        context.Error.WriteLine($"This is a bug in patchkit; please report it with the command you ran and the output of the same command with {VerboseVariable}=1.");
                    }

                    return ExitCodes.Trouble;
                }
            }
        }

        context.Error.WriteLine($"patchkit: unknown command '{args[0]}'");
        PrintHelp(context.Error);
        return ExitCodes.Trouble;
    }

    /// <summary>Returns whether <paramref name="name"/> is a command this binary hands to <see cref="LifecycleBinary"/>
    /// when it is built without the lifecycle commands.</summary>
    public static bool IsLifecycleCommand(string name) => name is "demo" or "plan" or "run" or "worker" or "scan" or "advisories";

    private static Func<CliContext, string[], int>? Find(string name) => name switch
    {
        "stat" => Commands.StatCommand.Run,
        "apply" => Commands.ApplyCommand.Run,
        "patch" => Commands.PatchCommand.Run,
        "diff" => Commands.DiffCommand.Run,
        "series" => Commands.SeriesCommand.Run,
        _ => CliFeatures.LifecycleCommands ? FindLifecycle(name) : null,
    };

    private static Func<CliContext, string[], int>? FindLifecycle(string name) => name switch
    {
        "demo" => Commands.DemoCommand.Run,
        "plan" => Commands.PlanCommand.Run,
        "run" => Commands.RunCommand.Run,
        "worker" => Commands.RunCommand.Worker,
        "scan" => Commands.ScanCommand.Run,
        "advisories" => Commands.AdvisoriesCommand.Run,
        _ => null,
    };

    /// <summary>Removes <c>--verbose</c> (before <c>--</c>) for the commands whose own options do not include it: it is
    /// global (stack traces on errors); <c>apply</c> also uses it to report every hunk, as GNU patch does.</summary>
    private static string[] WithoutGlobalOptions(string command, string[] args)
    {
        if (command is "apply" or "patch")
        {
            return args;
        }

        int end = Array.IndexOf(args, "--");
        var kept = new List<string>(args.Length);
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] != "--verbose" || (end >= 0 && i > end))
            {
                kept.Add(args[i]);
            }
        }

        return [.. kept];
    }

    private static bool Verbose(string[] args)
    {
        foreach (string a in args)
        {
            if (a == "--")
            {
                break;
            }

            if (a == "--verbose")
            {
                return true;
            }
        }

        return Environment.GetEnvironmentVariable(VerboseVariable) == "1";
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
        writer.WriteLine("Exit codes: 0 success; 1 hunks failed, differences found or a host affected (scan); 2 trouble (bad input, I/O); 130 interrupted (Ctrl+C); 143 terminated (SIGTERM).");
        writer.WriteLine("Any command takes --verbose: errors then show their stack trace (also PATCHKIT_VERBOSE=1).");
        writer.WriteLine("Run 'patchkit <command> --help' for a command's options.");
    }
}
