using System.Diagnostics;
using System.Text;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Cli;

/// <summary>Live progress of `patchkit run` through the real process: on a terminal (a pseudo-terminal made by
/// util-linux's <c>script</c>) a live area per stage and per host in progress, redrawn with escape sequences; with
/// standard error redirected plain lines only, a line per stage and per finished host; <c>-q</c> silences it.</summary>
public sealed class ProgressOutputTests
{
    private static string[] RunArgs(string runId, params string[] extra) =>
        ["run", "-f", RepoFiles.Example("fleet.json"), "-c", RepoFiles.Example("catalog.json"), "-p", RepoFiles.Example("policy.json"), "-r", runId, .. extra];

    [Fact]
    public void Run_StandardErrorNotATerminal_PlainLinePerStageAndPerHost_NoEscapeCodes()
    {
        using var dir = new TempDir();
        var (code, _, error) = CliRunner.RunProcess(dir.Path, RunArgs("plain"));
        Assert.True(code == 0, error);
        Assert.DoesNotContain('\x1b', error);
        Assert.DoesNotContain('\r', error);
        foreach (string stage in new[] { "reach", "resolve", "research", "repair", "report" })
        {
            Assert.Contains("[" + stage + "] starting\n", error, StringComparison.Ordinal);
        }

        foreach (string host in new[] { "esx01", "esx02", "web01", "web02", "kvm01", "kvm02", "db01", "db02" })
        {
            Assert.Matches(@"\[repair \d/8\] " + host + ": patched", error);
        }
    }

    [Fact]
    public void Run_Quiet_NothingOnStandardError()
    {
        using var dir = new TempDir();
        var (code, output, error) = CliRunner.RunProcess(dir.Path, RunArgs("quiet", "-q"));
        Assert.True(code == 0, error);
        Assert.Equal(string.Empty, error);
        Assert.Contains("patched 8", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_OnATerminal_LiveLinesPerStageAndPerHost()
    {
        if (!File.Exists("/usr/bin/script"))
        {
            Assert.Fail("util-linux's script (bsdutils) is needed to give the CLI a terminal");
        }

        using var dir = new TempDir();
        // script runs the command on a new pseudo-terminal and copies what it writes there to its own standard output.
        string command = string.Join(' ', new[] { "dotnet", RepoFiles.CliDll }.Concat(RunArgs("tty")).Select(Quote)) + " >/dev/null";
        var psi = new ProcessStartInfo("/usr/bin/script", ["-qfec", command, "/dev/null"])
        {
            WorkingDirectory = dir.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        psi.Environment["TERM"] = "xterm";
        psi.Environment["COLUMNS"] = "100";
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var errTask = p.StandardError.ReadToEndAsync();
        string terminal = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, "exit " + p.ExitCode + ": " + terminal + await errTask);

        // The plain lines are there, and the live area: a line for the stage with its count, a line per host in progress
        // naming its step, erased and redrawn in place.
        Assert.Contains("[repair] starting", terminal, StringComparison.Ordinal);
        Assert.Matches(@"\[repair \d/8\] esx01: patched", terminal);
        Assert.Matches(@"repair: \d/8 done \(\d+ %\)", terminal);
        Assert.Matches(@"\n  esx0\d: repair/", terminal);
        Assert.Matches(@"\n  patchkit-lab-tty-[^:]+: research/", terminal);
        Assert.Contains("\x1b[J", terminal, StringComparison.Ordinal);
        Assert.Matches("\x1b\\[\\d+A", terminal);
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
