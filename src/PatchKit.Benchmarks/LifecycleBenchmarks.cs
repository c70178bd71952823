using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using PatchKit.Advisories;
using PatchKit.Hosts;
using PatchKit.Hosts.Simulated;
using PatchKit.Lifecycle;
using PatchKit.Lifecycle.Journal;
using PatchKit.Lifecycle.Repair;
using PatchKit.Lifecycle.Resolve;

namespace PatchKit.Benchmarks;

/// <summary>A whole lifecycle (Reach, Resolve, Research, Repair, Report) over a generated simulated fleet with simulated
/// time. One operation is one full run, so the monitoring strategy with few iterations is used.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class LifecycleBenchmarks
{
    private SimulatedFleetDescription _fleet = null!;
    private JsonPatchCatalog _catalog = null!;
    private string _dir = null!;

    [Params(10_000)]
    public int Machines { get; set; }

    [Params("memory", "file", "file+fsync")]
    public string Journal { get; set; } = "memory";

    [GlobalSetup]
    public void Setup()
    {
        _fleet = SimulatedFleetGenerator.Generate(seed: 42, hypervisors: Machines / 4, guestsPerHost: 3, hostsPerCluster: 16);
        var start = _fleet.StartTime;
        _catalog = new JsonPatchCatalog(
        [
            Patch("esx-1", HostKind.Esx, start, reboot: true, live: false),
            Patch("qemu-1", HostKind.Kvm, start, reboot: true, live: true),
            Patch("kb-1", HostKind.Windows, start, reboot: true, live: false),
            Patch("lin-1", HostKind.Linux, start, reboot: false, live: false),
        ]);
        _dir = Directory.CreateTempSubdirectory("patchkit-bench-").FullName;
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    [Benchmark]
    public async Task<int> AllFiveStages()
    {
        var clock = new SimulatedTimeProvider(_fleet.StartTime);
        var adapter = new SimulatedHostAdapter(_fleet, new SimulatedHostAdapterOptions { TimeProvider = clock });
        string path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".journal");
        IRunJournal journal = Journal switch
        {
            "memory" => new InMemoryRunJournal(),
            "file" => new FileRunJournal(path, new FileRunJournalOptions { FlushToDisk = false }),
            _ => new FileRunJournal(path),
        };
        var repair = new RepairStageOptions { MaxConcurrency = 64, ErrorBudget = 1000, HaltOnEarlyWaveFailure = false, CanaryFraction = 0.05 };
        repair.Windows.Add(new MaintenanceWindow { Start = new TimeOnly(22, 0), Duration = TimeSpan.FromHours(6) });
        var pipeline = new PatchPipelineBuilder { TimeProvider = clock, Journal = journal, SimulatedTimeline = true }
            .AddReach()
            .AddResolve(new ResolveStageOptions { Catalog = _catalog })
            .AddResearch()
            .AddRepair(repair)
            .AddReport()
            .Build();
        var run = new PatchRunOptions { RunId = "bench" };
        run.Adapters.Add(adapter);
        var result = await pipeline.ExecuteAsync(run).ConfigureAwait(false);
        (journal as IDisposable)?.Dispose();
        return result.Report!.Patched;
    }

    private static PatchDefinition Patch(string id, HostKind kind, DateTimeOffset start, bool reboot, bool live) => new()
    {
        Id = id,
        AppliesTo = [new PatchAppliesTo { Kind = kind }],
        Severity = PatchSeverity.Critical,
        ReleasedAt = start - TimeSpan.FromDays(30),
        RequiresReboot = reboot,
        LivePatchable = live,
    };
}
