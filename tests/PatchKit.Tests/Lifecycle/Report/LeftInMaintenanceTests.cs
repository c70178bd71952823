using PatchKit.Advisories;
using PatchKit.Hosts;
using PatchKit.Hosts.Simulated;
using PatchKit.Lifecycle;
using PatchKit.Lifecycle.Repair;
using PatchKit.Lifecycle.Report;
using PatchKit.Lifecycle.Resolve;

namespace PatchKit.Tests.Lifecycle.Report;

/// <summary>A host an earlier run left in maintenance mode (it crashed and its journal was lost, or a new run id was
/// started): the next run reports it and never claims 100 % compliance while it stays there; a run that patches the
/// host through maintenance mode takes it out.</summary>
public sealed class LeftInMaintenanceTests
{
    private static async Task<(PatchRunReport Report, SimulatedHostAdapter Adapter)> RunAsync(params PatchDefinition[] catalog)
    {
        var clock = new SimulatedTimeProvider(TestFleet.Start);
        var fleet = TestFleet.Fleet(TestFleet.Host("esx1", HostKind.Esx), TestFleet.Host("esx2", HostKind.Esx), TestFleet.Host("win1", HostKind.Windows, "esx2"),
            TestFleet.Host("lin1", HostKind.Linux));
        var adapter = new SimulatedHostAdapter(fleet, new() { TimeProvider = clock });
        await adapter.EnterMaintenanceModeAsync(new HostOperation("esx2")); // what the lost run left behind
        var pipeline = new PatchPipelineBuilder { TimeProvider = clock, SimulatedTimeline = true }
            .AddReach()
            .AddResolve(new ResolveStageOptions { Catalog = new JsonPatchCatalog(catalog) })
            .AddRepair(new RepairStageOptions { HaltOnEarlyWaveFailure = false })
            .AddReport()
            .Build();
        var run = new PatchRunOptions { RunId = "new-run-id" };
        run.Adapters.Add(adapter);
        var result = await pipeline.ExecuteAsync(run);
        return (result.Report!, adapter);
    }

    [Fact]
    public async Task HostLeftInMaintenanceMode_NothingToPatchOnIt_ReportedAndNotCompliant()
    {
        var (report, adapter) = await RunAsync(TestFleet.Patch("ossl", HostKind.Linux, reboot: false));
        Assert.Equal(["esx2"], report.LeftInMaintenanceMode);
        Assert.True(report.CompliancePercent < 100, "compliance " + report.CompliancePercent + " with a host left in maintenance mode");
        Assert.Contains("left in maintenance mode", report.Hosts.Single(h => h.HostId == "esx2").Message, StringComparison.Ordinal);
        Assert.True(await adapter.IsInMaintenanceModeAsync(new HostOperation("esx2")), "the run does not take a host out of maintenance mode it did not put there");
    }

    [Fact]
    public async Task HostLeftInMaintenanceMode_PatchedThroughMaintenanceMode_TakenOutAndCompliant()
    {
        var (report, adapter) = await RunAsync(TestFleet.Patch("esx-p", HostKind.Esx), TestFleet.Patch("ossl", HostKind.Linux, reboot: false));
        Assert.Empty(report.LeftInMaintenanceMode);
        Assert.False(await adapter.IsInMaintenanceModeAsync(new HostOperation("esx2")));
        Assert.Equal(100, report.CompliancePercent);
    }
}
