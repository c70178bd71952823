using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Cli;

/// <summary>`patchkit run --force` on a run whose inputs changed since it was killed (real CLI processes; the kill
/// comes from the tests' host of the CLI).</summary>
public sealed class ResumeForceTests
{
    private static string[] Common(string catalog, params string[] extra) =>
        ["run", "-f", RepoFiles.Example("fleet.json"), "-c", catalog, "-p", RepoFiles.Example("policy.json"), "-r", "r1", "-q", .. extra];

    private static void KillMidRun(string dir)
    {
        using var p = CliRunner.StartProcess(dir, new Dictionary<string, string> { ["PATCHKIT_SIM_CRASH_AT"] = "10" }, Common(RepoFiles.Example("catalog.json")), crashHooks: true);
        p.StandardInput.Close();
        _ = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(137, p.ExitCode);
    }

    private static string ChangedCatalog(string dir)
    {
        string catalog = File.ReadAllText(RepoFiles.Example("catalog.json"));
        int start = catalog.IndexOf("{ \"id\": \"qemu-8.2.9\"", StringComparison.Ordinal);
        int end = catalog.IndexOf("{ \"id\": \"KB5098765\"", StringComparison.Ordinal);
        string path = Path.Combine(dir, "changed.json");
        File.WriteAllText(path, catalog[..start] + catalog[end..]);
        return path;
    }

    [Fact]
    public void Run_ResumeAfterInputsChanged_WithoutForce_SaysWhatForceWouldDo()
    {
        using var dir = new TempDir();
        KillMidRun(dir.Path);
        var (code, _, error) = CliRunner.RunProcess(dir.Path, Common(ChangedCatalog(dir.Path)));
        Assert.Equal(2, code);
        Assert.Contains("changed.json (the run started with " + RepoFiles.Example("catalog.json") + "): patch qemu-8.2.9 removed", error, StringComparison.Ordinal);
        Assert.Contains("--force", error, StringComparison.Ordinal);
        Assert.Contains("its journal is set aside, so nothing the earlier attempts did is replayed or rolled back by it", error, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir.Path, "patchkit-reports", "r1.journal")));
        Assert.False(File.Exists(Path.Combine(dir.Path, "patchkit-reports", "r1.journal.set-aside-1")));
    }

    [Fact]
    public void Run_ResumeAfterInputsChanged_Force_SetsTheJournalAsideAndRunsFromTheHostsCurrentState()
    {
        using var dir = new TempDir();
        KillMidRun(dir.Path);
        string journal = Path.Combine(dir.Path, "patchkit-reports", "r1.journal");
        string before = File.ReadAllText(journal);
        var (code, output, error) = CliRunner.RunProcess(dir.Path, Common(ChangedCatalog(dir.Path), "--force"));

        Assert.True(code is 0 or 1, error);
        Assert.Contains("--force: the inputs changed since run r1 started (catalog file " + Path.Combine(dir.Path, "changed.json")
            + " (the run started with " + RepoFiles.Example("catalog.json") + "): patch qemu-8.2.9 removed)", error, StringComparison.Ordinal);
        Assert.Contains("r1.journal.set-aside-1", error, StringComparison.Ordinal);
        // The earlier attempts' journal is kept (with the records of the attempt that found the inputs changed); the new
        // journal is a first attempt with the new catalog.
        Assert.StartsWith(before, File.ReadAllText(journal + ".set-aside-1"), StringComparison.Ordinal);
        Assert.Contains("run r1 (attempt 1)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("qemu-8.2.9", File.ReadAllText(journal), StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"RunCompleted\"", File.ReadAllText(journal), StringComparison.Ordinal);

        // Running it again: the run is finished.
        var (again, againOutput, _) = CliRunner.RunProcess(dir.Path, Common(ChangedCatalog(dir.Path), "--force"));
        Assert.Equal(code, again);
        Assert.Contains("run r1 finished", againOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Help_DescribesForce()
    {
        using var dir = new TempDir();
        var (code, output, _) = CliRunner.RunProcess(dir.Path, "run", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--force", output, StringComparison.Ordinal);
        Assert.Contains("set aside", output, StringComparison.Ordinal);
    }
}
