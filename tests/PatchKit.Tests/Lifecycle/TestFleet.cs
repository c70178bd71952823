using PatchKit.Advisories;
using PatchKit.Hosts;
using PatchKit.Hosts.Simulated;
using PatchKit.Lifecycle;
using PatchKit.Lifecycle.Journal;
using PatchKit.Lifecycle.Repair;
using PatchKit.Lifecycle.Report;
using PatchKit.Lifecycle.Research;
using PatchKit.Lifecycle.Resolve;

namespace PatchKit.Tests.Lifecycle;

/// <summary>A small simulated fleet and catalog for lifecycle tests.</summary>
internal static class TestFleet
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    public static SimulatedHostDescription Host(string id, HostKind kind, string? parent = null, string cluster = "c1", params string[] tags) => new()
    {
        Id = id,
        Kind = kind,
        Version = kind switch { HostKind.Esx => "8.0.2", HostKind.Kvm => "8.2", HostKind.Windows => "10.0.20348", _ => "6.8" },
        Cluster = cluster,
        ParentId = parent,
        Tags = tags,
    };

    public static SimulatedFleetDescription Fleet(params SimulatedHostDescription[] hosts) => new() { StartTime = Start, Hosts = hosts };

    public static SimulatedFleetDescription Standard() => Fleet(
        Host("esx1", HostKind.Esx, tags: "lab"),
        Host("esx2", HostKind.Esx),
        Host("win1", HostKind.Windows, "esx1"),
        Host("win2", HostKind.Windows, "esx2"),
        Host("kvm1", HostKind.Kvm, cluster: "c2"),
        Host("kvm2", HostKind.Kvm, cluster: "c2"),
        Host("lin1", HostKind.Linux, "kvm1", "c2"));

    public static PatchDefinition Patch(string id, HostKind kind, bool reboot = true, bool live = false, PatchSeverity severity = PatchSeverity.Critical, int daysOld = 30) => new()
    {
        Id = id,
        AppliesTo = [new PatchAppliesTo { Kind = kind }],
        Severity = severity,
        ReleasedAt = Start - TimeSpan.FromDays(daysOld),
        RequiresReboot = reboot,
        LivePatchable = live,
    };

    public static List<PatchDefinition> Catalog() =>
    [
        Patch("esx-p1", HostKind.Esx),
        Patch("qemu-p1", HostKind.Kvm, live: true),
        Patch("kb-1", HostKind.Windows),
        Patch("ossl-1", HostKind.Linux, reboot: false),
    ];

    /// <summary>Runs the five stages over an in-memory simulated fleet and returns the result and the adapter.</summary>
    public static (PatchRunResult Result, SimulatedHostAdapter Adapter) Run(SimulatedFleetDescription fleet, IEnumerable<PatchDefinition> catalog,
        Action<RepairStageOptions>? repair = null, bool dryRun = false, IRunJournal? journal = null, string? runId = null, string? reportDir = null,
        Action<ResearchStageOptions>? research = null, SimulatedHostAdapterOptions? adapterOptions = null,
        CancellationToken cancellationToken = default, IRepairWorkQueue? queue = null, RepairQueueRole queueRole = RepairQueueRole.Work)
    {
        var clock = new SimulatedTimeProvider(fleet.StartTime);
        adapterOptions ??= new SimulatedHostAdapterOptions();
        adapterOptions.TimeProvider = clock;
        var adapter = new SimulatedHostAdapter(fleet, adapterOptions);
        var repairOptions = new RepairStageOptions { MaxConcurrency = 2, ErrorBudget = 5, HaltOnEarlyWaveFailure = false };
        repair?.Invoke(repairOptions);
        var researchOptions = new ResearchStageOptions();
        research?.Invoke(researchOptions);
        var pipeline = new PatchPipelineBuilder { TimeProvider = clock, Journal = journal, SimulatedTimeline = true }
            .AddReach()
            .AddResolve(new ResolveStageOptions { Catalog = new JsonPatchCatalog(catalog) })
            .AddResearch(researchOptions)
            .AddRepair(repairOptions)
            .AddReport(new ReportStageOptions { OutputDirectory = reportDir })
            .Build();
        var run = new PatchRunOptions { RunId = runId ?? "test-run", DryRun = dryRun, RepairQueue = queue, RepairQueueRole = queueRole };
        run.Adapters.Add(adapter);
        return (pipeline.ExecuteAsync(run, cancellationToken).GetAwaiter().GetResult(), adapter);
    }

    public static HostOutcome Outcome(this PatchRunResult result, string hostId) =>
        (result.Context.Repair?.Outcomes ?? result.Plan!.NotPlanned).Single(o => o.HostId == hostId);
}
