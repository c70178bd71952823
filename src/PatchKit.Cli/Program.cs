using System.Runtime.InteropServices;
using PatchKit.Cli;

// Ctrl+C (SIGINT) and SIGTERM cancel the command's token, so a run stops at a safe point and journals; the exit code is
// then 130 or 143, as a shell reports a process killed by those signals. A command that is not at a cancellable point
// (reading standard input) is ended after a grace period, and a second signal ends it at once.
string invokedName = CliApp.InvokedName();
if (args is ["--version" or "-V"] && invokedName is not ("patch" or "diff"))
{
    // Answered before anything else starts (signal handling thread, writers): this is the process start users time.
    using Stream versionOut = CliApp.StandardStream(1);
    versionOut.Write(System.Text.Encoding.UTF8.GetBytes(CliApp.VersionLine + "\n"));
    return ExitCodes.Success;
}

if (!CliFeatures.LifecycleCommands && invokedName is not ("patch" or "diff") && args is [var command, ..] && CliApp.IsLifecycleCommand(command))
{
    // This binary was built without them: the one beside it that has them takes this process's place (before any
    // signal handling or writer is set up here). Returns only when it could not be started.
    return LifecycleBinary.Exec(args);
}

using var cts = new CancellationTokenSource();
CliContext? context = null;
var stderr = new StreamWriter(CliApp.StandardStream(2), PatchKit.Cli.Rendering.RawNameEncoding.Instance) { AutoFlush = true };
int signalled = 0;
void OnSignal(PosixSignalContext signal)
{
    signal.Cancel = true;
    int code = signal.Signal == PosixSignal.SIGTERM ? ExitCodes.Terminated : ExitCodes.Interrupted;
    if (Interlocked.CompareExchange(ref signalled, code, 0) != 0)
    {
        Environment.Exit(code);
    }

    if (context is not null)
    {
        context.CancelExitCode = code;
    }

    cts.Cancel();
    _ = Task.Delay(CliApp.SignalGracePeriod).ContinueWith(
        _ =>
        {
            stderr.WriteLine(code == ExitCodes.Terminated ? "patchkit: terminated" : "patchkit: interrupted");
            Environment.Exit(code);
        },
        TaskScheduler.Default);
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

var stdout = new StreamWriter(CliApp.StandardStream(1), PatchKit.Cli.Rendering.RawNameEncoding.Instance, 1 << 16) { AutoFlush = false };
int code;
try
{
    context = new CliContext(stdout, stderr, () => CliApp.StandardStream(0), Environment.CurrentDirectory, cts.Token)
    {
        // Escape sequences only for a terminal that understands them (TERM=dumb: Emacs shells, some CI logs).
        ErrorIsTerminal = !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") is { Length: > 0 } term && term != "dumb",
    };
    code = CliApp.Run(CliApp.ForInvokedName(invokedName, args), context);
}
finally
{
    stdout.Flush();
}

// A command that finished its work after the signal still reports how it was asked to end.
return Volatile.Read(ref signalled) is var s and not 0 ? s : code;
