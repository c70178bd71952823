using System.Globalization;
using PatchKit.Cli;
using PatchKit.Cli.Commands;
using PatchKit.Diffs.Apply;

// `patchkit` with two kill hooks, for the crash tests only (the shipped CLI reads no such variable):
//   PATCHKIT_TEST_CRASH_AFTER=N  SIGKILL at the N-th commit step of a tree transaction (journal, each file, journal removed);
//   PATCHKIT_SIM_CRASH_AT=N      the simulated fleet of `patchkit run` SIGKILLs the process at its N-th crash point.
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
