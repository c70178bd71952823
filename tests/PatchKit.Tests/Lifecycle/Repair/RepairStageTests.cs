using PatchKit.Hosts;
using PatchKit.Hosts.Simulated;
using PatchKit.Lifecycle.Repair;

namespace PatchKit.Tests.Lifecycle.Repair;

public sealed class RepairStageTests
{
    [Fact]
    public void Execute_KvmHostWithLivePatchablePatch_UsesLiveUpdateAndAvoidsRestarts()
    {
        var (result, adapter) = TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog());
        var kvm1 = result.Outcome("kvm1");
        Assert.Equal(RepairPath.LiveUpdate, kvm1.Path);
        Assert.Equal(HostOutcomeState.Patched, kvm1.State);
        Assert.Equal(2, kvm1.RestartsAvoided);
        Assert.Equal(0, adapter.SnapshotState().Machines.Single(m => m.Id == "kvm1").Reboots);
    }

    [Fact]
    public void Execute_EsxHostNeedingReboot_EvacuatesMaintenanceRebootsAndRebalances()
    {
        var (result, adapter) = TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog());
        var esx1 = result.Outcome("esx1");
        Assert.Equal(RepairPath.Evacuate, esx1.Path);
        Assert.Equal(
            [RepairStepKind.Snapshot, RepairStepKind.Evacuate, RepairStepKind.EnterMaintenance, RepairStepKind.Install, RepairStepKind.Reboot, RepairStepKind.Verify,
             RepairStepKind.ExitMaintenance, RepairStepKind.Rebalance, RepairStepKind.RemoveSnapshot],
            esx1.Steps.Select(s => s.Kind));
        var world = adapter.SnapshotState();
        Assert.Equal("esx1", world.Machines.Single(m => m.Id == "win1").ParentId);
        Assert.Equal(0, world.Machines.Single(m => m.Id == "win1").GuestRestarts);
        Assert.False(world.Machines.Single(m => m.Id == "esx1").InMaintenanceMode);
        Assert.True(esx1.MaintenanceTime > TimeSpan.Zero);
    }

    [Fact]
    public void Execute_HypervisorWithoutLiveMigration_PlainRebootRestartsGuests()
    {
        var fleet = TestFleet.Fleet(
            TestFleet.Host("esx1", HostKind.Esx) with { Capabilities = HostCapabilities.Install | HostCapabilities.Reboot | HostCapabilities.Snapshot },
            TestFleet.Host("win1", HostKind.Windows, "esx1"));
        var (result, adapter) = TestFleet.Run(fleet, [TestFleet.Patch("esx-p1", HostKind.Esx)], research: r => r.RequireLab = false);
        Assert.Equal(RepairPath.PlainReboot, result.Outcome("esx1").Path);
        Assert.Equal(1, adapter.SnapshotState().Machines.Single(m => m.Id == "win1").GuestRestarts);
    }

    [Fact]
    public void Execute_VerificationFails_RollsBackToThePrePatchSnapshot()
    {
        var fleet = TestFleet.Fleet(
            TestFleet.Host("lin0", HostKind.Linux),
            TestFleet.Host("lin1", HostKind.Linux) with { Faults = new SimulatedHostFaults { HealthFailsAfterPatch = true } });
        var (result, adapter) = TestFleet.Run(fleet, [TestFleet.Patch("ossl-1", HostKind.Linux, reboot: false)]);
        var lin1 = result.Outcome("lin1");
        Assert.Equal(HostOutcomeState.RolledBack, lin1.State);
        Assert.Contains(lin1.Steps, s => s.Kind == RepairStepKind.Revert && s.Succeeded);
        var m = adapter.SnapshotState().Machines.Single(x => x.Id == "lin1");
        Assert.DoesNotContain(m.Installed, p => p.PatchId == "ossl-1");
        Assert.Empty(m.Snapshots);
        Assert.Equal(HostOutcomeState.Patched, result.Outcome("lin0").State);
    }

    [Fact]
    public void Execute_VerificationHookRejects_RollsBack()
    {
        var (result, _) = TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(),
            repair: o => o.Verify = a => new ValueTask<bool>(a.Host.Id != "win2"));
        Assert.Equal(HostOutcomeState.RolledBack, result.Outcome("win2").State);
        Assert.Equal(HostOutcomeState.Patched, result.Outcome("win1").State);
    }

    [Fact]
    public void Execute_ErrorBudgetSpent_HaltsAndLeavesUntouchedHostsUntouched()
    {
        var hosts = Enumerable.Range(0, 8).Select(i => TestFleet.Host("lin" + i, HostKind.Linux) with
        {
            Faults = new SimulatedHostFaults { InstallFails = i is 1 or 2 },
        }).ToArray();
        var (result, adapter) = TestFleet.Run(TestFleet.Fleet(hosts), [TestFleet.Patch("ossl-1", HostKind.Linux, reboot: false)],
            repair: o => { o.ErrorBudget = 1; o.MaxConcurrency = 1; o.CanaryFraction = 0; });
        Assert.True(result.Context.Repair!.Halted);
        var untouched = result.Context.Repair.Outcomes.Where(o => o.SkipReason == SkipReason.ErrorBudget).Select(o => o.HostId).ToList();
        Assert.NotEmpty(untouched);
        foreach (var id in untouched)
        {
            var m = adapter.SnapshotState().Machines.Single(x => x.Id == id);
            Assert.Empty(m.InstallCounts);
            Assert.Empty(m.Snapshots);
            Assert.Equal(0, m.Reboots);
        }
    }

    [Fact]
    public void Execute_HostWorkLongerThanAnyWindow_SkippedForWindowAndNotTouched()
    {
        var (result, adapter) = TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(),
            repair: o => o.Windows.Add(new MaintenanceWindow { Start = new TimeOnly(22, 0), Duration = TimeSpan.FromMinutes(20) }));
        var esx1 = result.Outcome("esx1");
        Assert.Equal(HostOutcomeState.Skipped, esx1.State);
        Assert.Equal(SkipReason.Window, esx1.SkipReason);
        Assert.Empty(adapter.SnapshotState().Machines.Single(m => m.Id == "esx1").InstallCounts);
        Assert.Equal(HostOutcomeState.Patched, result.Outcome("kvm1").State);
    }

    [Fact]
    public void Execute_StepsStartOnlyInsideTheWindow()
    {
        var window = new MaintenanceWindow { Start = new TimeOnly(22, 0), Duration = TimeSpan.FromHours(2) };
        var (result, _) = TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), repair: o => o.Windows.Add(window));
        var schedule = new MaintenanceSchedule([window]);
        foreach (var o in result.Context.Repair!.Outcomes.Where(o => o.State == HostOutcomeState.Patched))
        {
            foreach (var s in o.Steps.Where(s => s.Kind is not (RepairStepKind.ExitMaintenance or RepairStepKind.Rebalance or RepairStepKind.RemoveSnapshot or RepairStepKind.Revert)))
            {
                Assert.True(schedule.CanFinish(s.StartedAt, s.Duration), $"{o.HostId} {s.Kind} at {s.StartedAt:O} for {s.Duration}");
            }
        }
    }

    [Fact]
    public void Execute_Waves_LabThenCanaryThenRest()
    {
        var (result, _) = TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), repair: o => o.CanaryFraction = 0.2);
        var waves = result.Context.Repair!.Waves;
        Assert.Equal(["lab", "canary", "rest"], waves.Select(w => w.Name));
        Assert.Equal(["esx1"], waves[0].HostIds);
        Assert.True(waves[1].PlannedStart >= waves[0].PlannedEnd);
        Assert.True(waves[2].PlannedStart >= waves[1].PlannedEnd);
    }

    [Fact]
    public void Execute_DryRun_PlansEverythingAndTouchesNothing()
    {
        var (result, adapter) = TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), dryRun: true);
        Assert.NotNull(result.Plan);
        Assert.Null(result.Context.Repair);
        Assert.Equal(7, result.Plan!.Hosts.Count);
        Assert.True(result.Plan.EstimatedDuration > TimeSpan.Zero);
        Assert.Contains(result.Plan.Hosts, h => h.Path == RepairPath.Evacuate && h.Guests.Count == 1);
        Assert.All(adapter.SnapshotState().Machines, m =>
        {
            Assert.Empty(m.InstallCounts);
            Assert.Empty(m.Snapshots);
            Assert.Null(m.CloneOf);
        });
    }

    [Fact]
    public void Execute_RebootDeferredByTag_PatchedPendingReboot()
    {
        var fleet = TestFleet.Fleet(TestFleet.Host("win0", HostKind.Windows), TestFleet.Host("win1", HostKind.Windows, tags: "reboot:defer"));
        var (result, _) = TestFleet.Run(fleet, [TestFleet.Patch("kb-1", HostKind.Windows)]);
        Assert.Equal(HostOutcomeState.PatchedPendingReboot, result.Outcome("win1").State);
        Assert.Equal(HostOutcomeState.Patched, result.Outcome("win0").State);
    }

    [Fact]
    public void Execute_MigrationHangs_FailsAndBringsMovedGuestsBack()
    {
        var fleet = TestFleet.Fleet(
            TestFleet.Host("esx0", HostKind.Esx),
            TestFleet.Host("esx1", HostKind.Esx) with { Faults = new SimulatedHostFaults { MigrationHangs = true } },
            TestFleet.Host("win1", HostKind.Windows, "esx1"));
        var (result, adapter) = TestFleet.Run(fleet, [TestFleet.Patch("esx-p1", HostKind.Esx)]);
        var esx1 = result.Outcome("esx1");
        Assert.Equal(HostOutcomeState.Failed, esx1.State);
        Assert.Contains("did not finish", esx1.Message, StringComparison.Ordinal);
        var world = adapter.SnapshotState();
        Assert.Equal("esx1", world.Machines.Single(m => m.Id == "win1").ParentId);
        Assert.False(world.Machines.Single(m => m.Id == "esx1").InMaintenanceMode);
        Assert.Empty(world.Machines.Single(m => m.Id == "esx1").Snapshots);
    }

    [Fact]
    public void Execute_HostDoesNotComeBack_Failed()
    {
        var fleet = TestFleet.Fleet(TestFleet.Host("win0", HostKind.Windows),
            TestFleet.Host("win1", HostKind.Windows) with { Faults = new SimulatedHostFaults { NoReturnAfterReboot = true } });
        var (result, _) = TestFleet.Run(fleet, [TestFleet.Patch("kb-1", HostKind.Windows)]);
        Assert.Equal(HostOutcomeState.Failed, result.Outcome("win1").State);
        Assert.Contains("reboot failed", result.Outcome("win1").Message, StringComparison.Ordinal);
    }
}
