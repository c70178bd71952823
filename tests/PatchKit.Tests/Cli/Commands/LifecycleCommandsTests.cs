using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Cli.Commands;

public sealed class LifecycleCommandsTests
{
    [Fact]
    public void Demo_WritesTheHtmlReportAndSaysWhere()
    {
        using var dir = new TempDir();
        var (code, output, error) = CliRunner.Run(dir.Path, null, "demo", "-o", "out");
        Assert.Equal(0, code);
        Assert.Contains("[repair", error, StringComparison.Ordinal);
        string line = output.Split('\n').Single(l => l.StartsWith("HTML report: ", StringComparison.Ordinal));
        string path = line["HTML report: ".Length..].Trim();
        Assert.True(File.Exists(path));
        Assert.StartsWith(Path.Combine(dir.Path, "out"), path, StringComparison.Ordinal);
        Assert.Contains("rolled back 1", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_NoOutputOption_WritesUnderTheTempFolderNotTheCurrentOne()
    {
        using var cwd = new TempDir();
        using var tmp = new TempDir();
        var (code, output, error) = CliRunner.RunProcessWithEnvironment(cwd.Path, new Dictionary<string, string> { ["TMPDIR"] = tmp.Path + "/" }, "demo", "-q");
        Assert.True(code == 0, error);
        Assert.Empty(Directory.GetFileSystemEntries(cwd.Path));
        string folder = output.Split('\n').Single(l => l.StartsWith("output folder (report, journal): ", StringComparison.Ordinal))["output folder (report, journal): ".Length..].Trim();
        Assert.StartsWith(tmp.Path, folder, StringComparison.Ordinal);
        Assert.Contains(Directory.GetFiles(folder), f => f.EndsWith(".html", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_Examples_PrintsWavesPathsAndEstimateWithoutWritingAnything()
    {
        using var dir = new TempDir();
        var (code, output, _) = CliRunner.Run(dir.Path, null, "plan", "-f", RepoFiles.Example("fleet.json"), "-c", RepoFiles.Example("catalog.json"), "-p", RepoFiles.Example("policy.json"));
        Assert.Equal(0, code);
        Assert.Contains("Wave lab", output, StringComparison.Ordinal);
        Assert.Contains("LiveUpdate", output, StringComparison.Ordinal);
        Assert.Contains("evacuate → enter-maintenance", output, StringComparison.Ordinal);
        Assert.Contains("Estimated:", output, StringComparison.Ordinal);

        // A patch the approval policy holds is listed with the rule that held it (it was missing from the plan).
        Assert.Contains("Held by the approval policy:", output, StringComparison.Ordinal);
        Assert.Matches(@"ESXi80U2-tools\s+severity Low is below Moderate \(esx01, esx02\)", output);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Run_SameRunIdTwice_SecondSaysTheRunFinishedAndRunsNothing()
    {
        using var dir = new TempDir();
        string[] args = ["run", "-f", RepoFiles.Example("fleet.json"), "-c", RepoFiles.Example("catalog.json"), "-p", RepoFiles.Example("policy.json"), "-r", "r1", "-q"];
        var first = CliRunner.Run(dir.Path, null, args);
        Assert.Equal(0, first.ExitCode);
        Assert.Contains("attempt 1", first.Output, StringComparison.Ordinal);
        Assert.Contains("patched 8", first.Output, StringComparison.Ordinal);
        Assert.Contains("held by policy: ESXi80U2-tools (severity Low is below Moderate) on 2 hosts", first.Output, StringComparison.Ordinal);
        string reports = Path.Combine(dir.Path, "patchkit-reports");
        byte[] journal = File.ReadAllBytes(Path.Combine(reports, "r1.journal"));
        byte[] md = File.ReadAllBytes(Path.Combine(reports, "patchkit-report-r1.md"));
        var report = PatchKit.Lifecycle.Report.ReportRenderer.FromJson(File.ReadAllBytes(Path.Combine(reports, "patchkit-report-r1.json")));
        var second = CliRunner.Run(dir.Path, null, args);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"run r1 finished at {report.EndedAt:yyyy-MM-dd HH:mm} UTC after 1 attempt; nothing was run again."),
            second.Output, StringComparison.Ordinal);
        Assert.Contains("patched 8", second.Output, StringComparison.Ordinal);
        Assert.Contains("report: " + Path.Combine(reports, "patchkit-report-r1.html"), second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("attempt 2", second.Output, StringComparison.Ordinal);
        Assert.Equal(journal, File.ReadAllBytes(Path.Combine(reports, "r1.journal")));
        Assert.Equal(md, File.ReadAllBytes(Path.Combine(reports, "patchkit-report-r1.md")));
        Assert.Single(Directory.GetFiles(Path.Combine(reports, "history")));

        // The finished run's report is something PatchKit left on disk: when it is gone, say so (exit 2), nothing else.
        File.Delete(Path.Combine(reports, "patchkit-report-r1.json"));
        var third = CliRunner.Run(dir.Path, null, args);
        Assert.Equal(2, third.ExitCode);
        Assert.Contains("run r1 finished, but its JSON report", third.Error, StringComparison.Ordinal);
        Cli.CliErrorTests.AssertReadable(third.Error);
        Assert.Equal(journal, File.ReadAllBytes(Path.Combine(reports, "r1.journal")));
        var state = PatchKit.Hosts.Simulated.SimulatedHostAdapter.ReadState(Path.Combine(dir.Path, "patchkit-reports", "r1.journal.fleet-state.json"));
        Assert.All(state.Machines, m => Assert.All(m.InstallCounts, kv => Assert.Equal(1, kv.Value)));
    }

    [Fact]
    public void Run_MissingOption_ExitsTwoWithHint()
    {
        using var dir = new TempDir();
        var (code, _, error) = CliRunner.Run(dir.Path, null, "run", "-f", "x.json");
        Assert.Equal(2, code);
        Assert.Contains("--catalog", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_SqliteJournalTwice_SecondAttemptResumesFromTheDatabase()
    {
        using var dir = new TempDir();
        string[] args = ["run", "-f", RepoFiles.Example("fleet.json"), "-c", RepoFiles.Example("catalog.json"), "-p", RepoFiles.Example("policy.json"), "-r", "r1", "-q", "--journal", "sqlite:run.db"];
        var first = CliRunner.Run(dir.Path, null, args);
        Assert.Equal(0, first.ExitCode);
        Assert.Contains("attempt 1", first.Output, StringComparison.Ordinal);
        Assert.Contains("journal: sqlite:" + Path.Combine(dir.Path, "run.db"), first.Output, StringComparison.Ordinal);
        var second = CliRunner.Run(dir.Path, null, args);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("run r1 finished at ", second.Output, StringComparison.Ordinal);
        var state = PatchKit.Hosts.Simulated.SimulatedHostAdapter.ReadState(Path.Combine(dir.Path, "run.db.fleet-state.json"));
        Assert.All(state.Machines, m => Assert.All(m.InstallCounts, kv => Assert.Equal(1, kv.Value)));
    }

    [Theory]
    [InlineData("garbage", "cannot be read")]
    [InlineData("newer", "newer PatchKit")]
    public void Run_SqliteJournalHostileOrNewer_ExitsTwoNamingTheDatabase(string kind, string expected)
    {
        using var dir = new TempDir();
        string db = Path.Combine(dir.Path, "run.db");
        if (kind == "garbage")
        {
            File.WriteAllBytes(db, [.. Enumerable.Range(0, 8192).Select(i => (byte)(i * 7919 % 251))]);
        }
        else
        {
            using var c = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + db + ";Pooling=False");
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA user_version = 9";
            cmd.ExecuteNonQuery();
        }

        var (code, output, error) = CliRunner.Run(dir.Path, null, "run", "-f", RepoFiles.Example("fleet.json"), "-c", RepoFiles.Example("catalog.json"), "-p", RepoFiles.Example("policy.json"),
            "-r", "r1", "-q", "--journal", "sqlite:run.db");
        Assert.Equal(2, code);
        Assert.Contains(db, error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("patched", output, StringComparison.Ordinal);
    }
}
