using System.Diagnostics;
using System.Text;
using System.Text.Json;
using PatchKit.Hosts.Simulated;
using PatchKit.Lifecycle;
using PatchKit.Lifecycle.Journal;
using PatchKit.Lifecycle.Resolve;
using PatchKit.Tests.Infrastructure;
using Xunit.Abstractions;

namespace PatchKit.Tests.Lifecycle.Journal;

/// <summary>STYLE T7: atomicity is proven by killing. The real CLI runs `patchkit run` over the example simulated fleet
/// in a child process that SIGKILLs itself at a seeded random crash point (just before or just after a change to the
/// fleet, whose state file survives the process); the run is resumed with the same id until it finishes, sometimes
/// after a torn record was appended to the journal; then the invariants are checked.</summary>
public sealed class CrashResumeTests(ITestOutputHelper output)
{
    private const int Seed = 20260105;
    private const int KillsPerRun = 6;

    /// <summary>The file journal takes 50 kills and torn records; the SQLite journal (atomic commits: nothing to
    /// tear) takes 20 kills through the same CLI.</summary>
    [Theory]
    [Trait("Category", "Crash")]
    [InlineData("file", 50)]
    [InlineData("sqlite", 20)]
    public void Run_KilledAtSeededRandomPoints_ResumesToConsistentFleet(string journalKind, int requiredKills)
    {
        bool file = journalKind == "file";
        var random = new Random(Seed);
        int kills = 0, runs = 0, torn = 0, tornSeen = 0;
        var killPoints = new List<int>();
        while (kills < requiredKills)
        {
            runs++;
            using var dir = new TempDir();
            string journal = Path.Combine(dir.Path, file ? "run.journal" : "run.db");
            string state = Path.Combine(dir.Path, "fleet-state.json");
            string runId = "crash-" + runs;
            int attempts = 0;
            bool tornPending = false;
            while (true)
            {
                attempts++;
                int? crashAt = attempts <= KillsPerRun ? random.Next(1, 45) : null;
                var (code, stdout, stderr) = RunChild(dir.Path, runId, file ? journal : "sqlite:" + journal, state, crashAt);
                if (tornPending)
                {
                    // The attempt after the torn write detected it and cut it off before appending.
                    byte[] bytes = File.ReadAllBytes(journal);
                    Assert.Equal((byte)'\n', bytes[^1]);
                    Assert.True(code == 137 || stdout.Contains("torn journal tail ignored", StringComparison.Ordinal), stdout);
                    tornSeen++;
                    tornPending = false;
                }

                if (code == 137)
                {
                    kills++;
                    killPoints.Add(crashAt!.Value);
                    if (file && random.Next(4) == 0)
                    {
                        AppendTornRecord(journal, random);
                        torn++;
                        tornPending = true;
                    }

                    continue;
                }

                Assert.True(code == 0, $"run {runId} attempt {attempts} exited {code} (crash at {crashAt}):\n{stdout}\n{stderr}");

                break;
            }

            AssertInvariants(runId, file ? new FileRunJournal(journal) : new PatchKit.Lifecycle.Sqlite.SqliteRunJournal(journal), state, attempts);
        }

        output.WriteLine($"{journalKind} journal, seed {Seed}: {kills} kills over {runs} runs, {torn} torn records injected, kill points {string.Join(',', killPoints)}");
        Assert.True(kills >= requiredKills);
        Assert.True(!file || (torn > 0 && tornSeen == torn), $"{torn} torn records injected, {tornSeen} detected");
    }

    private static void AssertInvariants(string runId, IRunJournal opened, string statePath, int attempts)
    {
        using var journal = (IDisposable)opened;
        var read = opened.ReadAsync(runId, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        var records = read.Records;
        Assert.False(read.TornTailDetected);

        // Journal consistent: contiguous sequence, one start per attempt, one completion at the end.
        for (int i = 0; i < records.Count; i++)
        {
            Assert.Equal(i + 1, records[i].Sequence);
        }

        Assert.Equal(attempts, records.Count(r => r.Kind == JournalRecordKind.RunStarted));
        Assert.Single(records, r => r.Kind == JournalRecordKind.RunCompleted);
        Assert.Equal(JournalRecordKind.RunCompleted, records[^1].Kind);
        Assert.DoesNotContain(records, r => r.Kind == JournalRecordKind.StepFailed);
        var open = new HashSet<string>(StringComparer.Ordinal);
        var completed = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in records)
        {
            if (r.Kind == JournalRecordKind.StepStarted)
            {
                Assert.False(completed.ContainsKey(r.Key!), $"step {r.Key} started again after it completed");
                open.Add(r.Key!);
            }
            else if (r.Kind == JournalRecordKind.StepCompleted)
            {
                open.Remove(r.Key!);
                completed[r.Key!] = completed.GetValueOrDefault(r.Key!) + 1;
            }
        }

        Assert.Empty(open);
        Assert.All(completed, kv => Assert.Equal(1, kv.Value));

        // Every approved patch applied exactly once, nothing else installed.
        var decision = records.Single(r => r.Kind == JournalRecordKind.Decision && r.Key == "resolve/assessment");
        Assert.Null(decision.Data);
        var approved = decision.Assessments!;
        Assert.Equal(8, approved.Sum(a => a.Approved.Count));
        var fleet = SimulatedFleetDescription.Parse(File.ReadAllBytes(RepoFiles.Example("fleet.json")));
        var world = SimulatedHostAdapter.ReadState(statePath);
        Assert.DoesNotContain(world.Machines, m => m.CloneOf is not null);
        foreach (var m in world.Machines)
        {
            var a = approved.Single(x => x.HostId == m.Id);
            foreach (string p in a.Approved)
            {
                Assert.True(m.InstallCounts.GetValueOrDefault(p) == 1, $"{m.Id}: {p} applied {m.InstallCounts.GetValueOrDefault(p)} times");
                Assert.Contains(m.Installed, i => i.PatchId == p);
            }

            Assert.Equal(a.Approved.Count, m.InstallCounts.Count);
            Assert.False(m.InMaintenanceMode, m.Id + " left in maintenance mode");
            Assert.Empty(m.Snapshots);
            Assert.False(m.PendingReboot, m.Id + " left pending reboot");
            Assert.Equal(fleet.Hosts.Single(h => h.Id == m.Id).ParentId, m.ParentId);
        }
    }

    private static void AppendTornRecord(string journal, Random random)
    {
        // A crash in the middle of a write leaves a prefix of a record with no end of line.
        byte[] partial = Encoding.UTF8.GetBytes("0badc0de {\"sequence\":9999,\"runId\":\"crash\",\"kind\":\"StepStar");
        using var fs = new FileStream(journal, FileMode.Append);
        fs.Write(partial, 0, random.Next(1, partial.Length));
    }

    /// <summary>Runs `patchkit run` on the example fleet as its own process (the crash host when <paramref name="crashAt"/>
    /// is set: the simulated fleet kills it at that change), with <paramref name="extra"/> arguments after the usual ones.</summary>
    internal static (int Code, string Stdout, string Stderr) RunChild(string dir, string runId, string journal, string state, int? crashAt, params string[] extra)
    {
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[]
        {
            crashAt is null ? RepoFiles.CliDll : RepoFiles.CrashHostDll, "run", "-f", RepoFiles.Example("fleet.json"), "-c", RepoFiles.Example("catalog.json"), "-p", RepoFiles.Example("policy.json"),
            "-r", runId, "-j", journal, "--state", state, "-o", Path.Combine(dir, "reports"), "-q",
        }.Concat(extra))
        {
            psi.ArgumentList.Add(a);
        }

        if (crashAt is { } n)
        {
            psi.Environment["PATCHKIT_SIM_CRASH_AT"] = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout, err.Result);
    }
}
