using System.Diagnostics;
using System.Globalization;
using PatchKit.Advisories;
using PatchKit.Hosts.Simulated;
using PatchKit.Lifecycle;
using PatchKit.Lifecycle.Journal;

namespace PatchKit.Cli.Demo;

/// <summary>`patchkit demo --scale N`: the benchmark mode. N simulated machines (a quarter hypervisors, three guests
/// each) through all five stages with simulated time; prints wall time, peak working set and journal cost per step.</summary>
internal static class ScaleRun
{
    public static int Run(CliContext context, int machines, string journalMode, string output)
    {
        var inv = CultureInfo.InvariantCulture;
        long t0 = Stopwatch.GetTimestamp();
        var fleet = SimulatedFleetGenerator.Generate(seed: 42, hypervisors: Math.Max(2, machines / 4), guestsPerHost: 3, hostsPerCluster: 16);
        var clock = new SimulatedTimeProvider(fleet.StartTime);
        var adapter = new SimulatedHostAdapter(fleet, new SimulatedHostAdapterOptions { TimeProvider = clock });
        Directory.CreateDirectory(output);
        string runId = "scale-" + fleet.Hosts.Count.ToString(inv);
        string journalPath = Path.Combine(output, runId + "-" + Guid.NewGuid().ToString("N")[..6] + ".journal");
        Commands.JournalOption? shared = null;
        IRunJournal inner = journalMode switch
        {
            "memory" => new InMemoryRunJournal(),
            "file" => new FileRunJournal(journalPath, new FileRunJournalOptions { FlushToDisk = false }),
            "fsync" => new FileRunJournal(journalPath),
            "sqlite" => new Lifecycle.Sqlite.SqliteRunJournal(journalPath + ".db"),
            _ when journalMode.StartsWith("postgres", StringComparison.Ordinal) => (shared = Commands.JournalOption.Open(context, journalMode)).Journal,
            _ => throw new ArgReaderException($"invalid journal mode '{journalMode}' (memory, file, fsync, sqlite, postgres://…)"),
        };
        var journal = MeasuringJournal.Create(inner);
        var policy = new LifecyclePolicy
        {
            Approval = DemoScenario.Policy().Approval,
            MaxConcurrency = 64,
            ErrorBudget = 1000,
            HaltOnEarlyWaveFailure = false,
            CanaryFraction = 0.05,
        };
        policy.Windows.Add(new Lifecycle.Repair.MaintenanceWindow { Start = new TimeOnly(22, 0), Duration = TimeSpan.FromHours(6) });
        var pipeline = policy.CreatePipeline(new JsonPatchCatalog(DemoScenario.Catalog()), journal, clock, null, output, simulatedTimeline: true);
        var run = new PatchRunOptions { RunId = runId };
        run.Adapters.Add(adapter);
        long t1 = Stopwatch.GetTimestamp();
        var result = pipeline.ExecuteAsync(run, context.CancellationToken).GetAwaiter().GetResult();
        long t2 = Stopwatch.GetTimestamp();
        (inner as IDisposable)?.Dispose();
        shared?.Dispose();
        long dbBytes = journalMode == "sqlite" ? new FileInfo(journalPath + ".db").Length + (File.Exists(journalPath + ".db-wal") ? new FileInfo(journalPath + ".db-wal").Length : 0)
            : File.Exists(journalPath) ? new FileInfo(journalPath).Length : 0;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var r = result.Report!;
        double wall = Stopwatch.GetElapsedTime(t0, t2).TotalSeconds;
        double pipe = Stopwatch.GetElapsedTime(t1, t2).TotalSeconds;
        double peakMb = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
        context.Output.WriteLine(string.Create(inv, $"machines {fleet.Hosts.Count}, journal {journalMode}: wall {wall:F2} s (pipeline {pipe:F2} s), peak working set {peakMb:F0} MB"));
        context.Output.WriteLine(string.Create(inv, $"steps {journal.Steps}, journal records {journal.Appends}, time in journal {journal.TimeInAppend.TotalSeconds:F2} s = {journal.TimeInAppend.TotalMicroseconds / Math.Max(1, journal.Steps):F1} µs per step"));
        context.Output.WriteLine(string.Create(inv, $"process CPU {cpu.TotalSeconds:F2} s = {cpu.TotalMicroseconds / Math.Max(1, fleet.Hosts.Count):F0} µs per host; journal on disk {dbBytes / 1048576.0:F1} MB (0 for memory and postgres)"));
        context.Output.WriteLine(string.Create(inv,
            $"patched {r.Patched}, pending reboot {r.PatchedPendingReboot}, skipped {r.Skipped}, not applicable {r.NotApplicable}, failed {r.Failed}, rolled back {r.RolledBack}; simulated {r.StartedAt:yyyy-MM-dd HH:mm} → {r.EndedAt:yyyy-MM-dd HH:mm}"));
        foreach (string f in new[] { journalPath, journalPath + ".db", journalPath + ".db-wal", journalPath + ".db-shm" })
        {
            File.Delete(f);
        }

        return ExitCodes.Success;
    }
}
