using Microsoft.Extensions.Logging;
using PatchKit.Advisories;
using PatchKit.Hosts;
using PatchKit.Hosts.Simulated;
using PatchKit.Lifecycle;
using PatchKit.Lifecycle.Repair;
using PatchKit.Lifecycle.Resolve;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Lifecycle;

/// <summary>STYLE T5: logs are asserted on EventId, not text.</summary>
public sealed class LoggingTests
{
    [Fact]
    public async Task ExecuteAsync_RolledBackHost_LogsStableEventIds()
    {
        var logs = new CapturingLoggerFactory();
        var clock = new SimulatedTimeProvider(TestFleet.Start);
        var fleet = TestFleet.Fleet(TestFleet.Host("lin0", HostKind.Linux), TestFleet.Host("lin1", HostKind.Linux) with { Faults = new SimulatedHostFaults { HealthFailsAfterPatch = true } });
        var pipeline = new PatchPipelineBuilder { TimeProvider = clock, LoggerFactory = logs, SimulatedTimeline = true }
            .AddReach()
            .AddResolve(new ResolveStageOptions { Catalog = new JsonPatchCatalog([TestFleet.Patch("p", HostKind.Linux, reboot: false)]) })
            .AddResearch()
            .AddRepair(new RepairStageOptions { HaltOnEarlyWaveFailure = false })
            .AddReport()
            .Build();
        var run = new PatchRunOptions { RunId = "log" };
        run.Adapters.Add(new SimulatedHostAdapter(fleet, new() { TimeProvider = clock, LoggerFactory = logs }));
        await pipeline.ExecuteAsync(run);
        var ids = logs.Events.Select(e => e.Id).ToHashSet();
        Assert.Subset(ids, new HashSet<int> { 2001, 2002, 2003, 2004, 2101, 2201, 2202, 2301, 2302, 2401, 2402, 2404, 3901, 3902 });
        Assert.Contains(logs.Events, e => e.Id == 2404 && e.Name == "HostRolledBack" && e.Level == LogLevel.Warning);
        Assert.All(logs.Events, e => Assert.InRange(e.Id, 2000, 3999));
    }
}
