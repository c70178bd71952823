using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Cli;

/// <summary>A run killed mid-way and started again with the same run id but other inputs: the journal holds a fingerprint
/// of the fleet, catalog and policy the run started with, and the resume is refused (exit 2) with what changed, in which
/// file, and what the user can do (real CLI processes; the kill comes from the tests' host of the CLI).</summary>
public sealed class ResumeInputsChangedTests
{
    private static string[] Args(string dir, string? journal, params string[] extra) =>
        ["run", "-f", Path.Combine(dir, "fleet.json"), "-c", Path.Combine(dir, "catalog.json"), "-p", Path.Combine(dir, "policy.json"), "-r", "r1", "-q",
            .. journal is null ? Array.Empty<string>() : ["--journal", journal], .. extra];

    /// <summary>Copies the example inputs into the folder and kills a run over them mid-way.</summary>
    private static void KillMidRun(string dir, string? journal = null)
    {
        foreach (string f in new[] { "fleet.json", "catalog.json", "policy.json" })
        {
            File.Copy(RepoFiles.Example(f), Path.Combine(dir, f), overwrite: true);
        }

        using var p = CliRunner.StartProcess(dir, new Dictionary<string, string> { ["PATCHKIT_SIM_CRASH_AT"] = "10" }, Args(dir, journal), crashHooks: true);
        p.StandardInput.Close();
        _ = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(137, p.ExitCode);
    }

    private static void Edit(string dir, string file, string from, string to)
    {
        string path = Path.Combine(dir, file);
        string text = File.ReadAllText(path);
        Assert.Contains(from, text, StringComparison.Ordinal);
        File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));
    }

    private const string NewHost = "{ \"id\": \"esx09\", \"kind\": \"Esx\", \"version\": \"8.0.2\", \"build\": \"22380479\", \"cluster\": \"prod-esx\", \"tags\": [\"prod\"] },\n    ";

    [Theory]
    [InlineData("policy.json", "\"maxConcurrency\": 2", "\"maxConcurrency\": 3", "policy.json: maxConcurrency 2 → 3")]
    [InlineData("policy.json", "\"start\": \"22:00:00\"", "\"start\": \"23:00:00\"", "policy.json: windows [{\"days\":[],\"duration\":\"06:00:00\",\"start\":\"22:00:00\",\"timeZone\":\"Europe/Berlin\"}] → [{\"days\":[],\"duration\":\"06:00:00\",\"start\":\"23:00:00\",\"timeZone\":\"Europe/Berlin\"}]")]
    [InlineData("policy.json", "\"minimumSeverity\": \"Moderate\"", "\"minimumSeverity\": \"Important\"", "policy.json: approval.minimumSeverity Moderate → Important")]
    [InlineData("fleet.json", "{ \"id\": \"kvm01\"", NewHost + "{ \"id\": \"kvm01\"", "fleet.json: host esx09 added")]
    [InlineData("catalog.json", "\"Critical\", \"classification\": \"Security\", \"releasedAt\": \"2025-12-09", "\"Important\", \"classification\": \"Security\", \"releasedAt\": \"2025-12-09", "catalog.json: patch KB5098765 changed")]
    public void Run_ResumeWithChangedInput_ExitsTwoNamingTheFileAndTheChange(string file, string from, string to, string expected)
    {
        using var dir = new TempDir();
        KillMidRun(dir.Path);
        string journal = Path.Combine(dir.Path, "patchkit-reports", "r1.journal");
        string before = File.ReadAllText(journal);
        Assert.Contains("\"key\":\"run-inputs\"", before, StringComparison.Ordinal);
        Edit(dir.Path, file, from, to);

        var (code, output, error) = CliRunner.RunProcess(dir.Path, Args(dir.Path, null));

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        Assert.Contains("run 'r1' cannot be resumed: its inputs changed since it started", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains("another --run-id", error, StringComparison.Ordinal);
        Assert.Contains("--force", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        // Nothing was run or journaled.
        Assert.Equal(before, File.ReadAllText(journal));
    }

    [Fact]
    public void Run_ResumeWithSameInputsReformatted_Resumes()
    {
        using var dir = new TempDir();
        KillMidRun(dir.Path);
        // Same content, other key order and white space: not a change.
        File.WriteAllText(Path.Combine(dir.Path, "policy.json"),
            "{\"requireLab\":true,\"canaryFraction\":0.25,\"errorBudget\":1,\"maxConcurrency\":2,\n\"windows\":[{\"timeZone\":\"Europe/Berlin\",\"start\":\"22:00:00\",\"duration\":\"06:00:00\",\"days\":[]}],"
            + "\"approval\":{\"excludedHostTags\":[\"frozen\"],\"excludedPatchIds\":[],\"autoApproveAfterDays\":7,\"minimumSeverity\":\"Moderate\"}}");

        var (code, output, error) = CliRunner.RunProcess(dir.Path, Args(dir.Path, null));

        Assert.True(code is 0 or 1, error);
        Assert.Contains("run r1 (attempt 2)", output, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"RunCompleted\"", File.ReadAllText(Path.Combine(dir.Path, "patchkit-reports", "r1.journal")), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ResumeWithChangedPolicy_Force_SetsTheJournalAsideAndStartsAgain()
    {
        using var dir = new TempDir();
        KillMidRun(dir.Path);
        string journal = Path.Combine(dir.Path, "patchkit-reports", "r1.journal");
        string before = File.ReadAllText(journal);
        Edit(dir.Path, "policy.json", "\"maxConcurrency\": 2", "\"maxConcurrency\": 3");

        var (code, output, error) = CliRunner.RunProcess(dir.Path, Args(dir.Path, null, "--force"));

        Assert.True(code is 0 or 1, error);
        Assert.Contains("--force: the inputs changed since run r1 started (policy file " + Path.Combine(dir.Path, "policy.json") + ": maxConcurrency 2 → 3)", error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(journal + ".set-aside-1"));
        Assert.Contains("run r1 (attempt 1)", output, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"RunCompleted\"", File.ReadAllText(journal), StringComparison.Ordinal);

        // The new journal's fingerprint is the new policy: the same command now finds the run finished.
        var again = CliRunner.RunProcess(dir.Path, Args(dir.Path, null));
        Assert.Contains("run r1 finished", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_SqliteJournal_ResumeWithAddedHost_ExitsTwo_AndForceIsRefused()
    {
        using var dir = new TempDir();
        string journal = "sqlite:" + Path.Combine(dir.Path, "runs.db");
        KillMidRun(dir.Path, journal);
        Edit(dir.Path, "fleet.json", "{ \"id\": \"kvm01\"", NewHost + "{ \"id\": \"kvm01\"");

        var (code, _, error) = CliRunner.RunProcess(dir.Path, Args(dir.Path, journal));
        Assert.Equal(2, code);
        Assert.Contains("fleet.json: host esx09 added", error, StringComparison.Ordinal);

        var forced = CliRunner.RunProcess(dir.Path, Args(dir.Path, journal, "--force"));
        Assert.Equal(2, forced.ExitCode);
        Assert.Contains("is a database, whose records of the run are shared", forced.Error, StringComparison.Ordinal);

        // Back to the inputs it started with: it resumes.
        File.Copy(RepoFiles.Example("fleet.json"), Path.Combine(dir.Path, "fleet.json"), overwrite: true);
        var resumed = CliRunner.RunProcess(dir.Path, Args(dir.Path, journal));
        Assert.True(resumed.ExitCode is 0 or 1, resumed.Error);
        Assert.Contains("run r1 (attempt 2)", resumed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_JournalWithoutFingerprint_StillResumes()
    {
        // A journal written before fingerprints were kept: it stays readable and resumes as before.
        using var dir = new TempDir();
        KillMidRun(dir.Path);
        string journal = Path.Combine(dir.Path, "patchkit-reports", "r1.journal");
        var lines = File.ReadAllLines(journal).Where(l => !l.Contains("\"key\":\"run-inputs\"", StringComparison.Ordinal)).ToArray();
        File.WriteAllLines(journal, lines);
        Edit(dir.Path, "policy.json", "\"maxConcurrency\": 2", "\"maxConcurrency\": 3");

        var (code, output, error) = CliRunner.RunProcess(dir.Path, Args(dir.Path, null));

        Assert.True(code is 0 or 1, error);
        Assert.Contains("run r1 (attempt 2)", output, StringComparison.Ordinal);
    }
}
