using System.Globalization;
using PatchKit.Cli;
using PatchKit.Cli.Commands;
using PatchKit.Diffs.Apply;

// `patchkit` with two kill hooks, for the crash tests only (the shipped CLI reads no such variable):
//   PATCHKIT_TEST_CRASH_AFTER=N  SIGKILL at the N-th commit step of a tree transaction (journal, each file, journal removed);
//   PATCHKIT_SIM_CRASH_AT=N      the simulated fleet of `patchkit run` SIGKILLs the process at its N-th crash point;
//   PATCHKIT_TEST_KILL_AFTER_ISSUE_FILED=1  `patchkit run --bugzilla` SIGKILLs the process right after the tracker filed a bug,
//                                before the filing is journaled.
if (ReadNumber("PATCHKIT_TEST_CRASH_AFTER") is { } commitStep)
{
    CommitHooks.OnStep = step =>
    {
        if (step == commitStep)
        {
            System.Diagnostics.Process.GetCurrentProcess().Kill();
        }
    };
}

RunCommand.CrashAtPoint = ReadNumber("PATCHKIT_SIM_CRASH_AT");
if (ReadNumber("PATCHKIT_TEST_KILL_AFTER_ISSUE_FILED") is not null)
{
    RunCommand.WrapIssueTracker = static inner => new KillAfterFiling(inner);
}

var stdout = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false), 1 << 16) { AutoFlush = false };
var stderr = new StreamWriter(Console.OpenStandardError(), new System.Text.UTF8Encoding(false)) { AutoFlush = true };
try
{
    return CliApp.Run(args, new CliContext(stdout, stderr, Console.OpenStandardInput, Environment.CurrentDirectory, CancellationToken.None));
}
finally
{
    stdout.Flush();
}

static int? ReadNumber(string name) =>
    int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : null;

/// <summary>Passes every call to the real tracker and SIGKILLs the process as soon as a bug has been filed.</summary>
internal sealed class KillAfterFiling(PatchKit.Integrations.IIssueTracker inner) : PatchKit.Integrations.IIssueTracker
{
    public Task<PatchKit.Integrations.TrackedIssue?> FindAsync(string stableKey, CancellationToken cancellationToken) => inner.FindAsync(stableKey, cancellationToken);

    public async Task<PatchKit.Integrations.TrackedIssue> FileAsync(PatchKit.Integrations.IssueReport report, CancellationToken cancellationToken)
    {
        await inner.FileAsync(report, cancellationToken).ConfigureAwait(false);
        System.Diagnostics.Process.GetCurrentProcess().Kill();
        throw new InvalidOperationException("unreachable: the process was killed");
    }

    public Task CommentAsync(string issueId, string text, CancellationToken cancellationToken) => inner.CommentAsync(issueId, text, cancellationToken);

    public Task ResolveAsync(string issueId, string comment, CancellationToken cancellationToken) => inner.ResolveAsync(issueId, comment, cancellationToken);
}
