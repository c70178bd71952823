using PatchKit.Hosts;
using PatchKit.Lifecycle.Repair;

namespace PatchKit.Tests.Lifecycle.Research;

public sealed class ResearchStageTests
{
    [Fact]
    public void Execute_PatchBreaksHealthInTheLab_HeldAndNeverReachesProduction()
    {
        var fleet = TestFleet.Standard() with { BrokenPatches = ["kb-bad"] };
        var catalog = TestFleet.Catalog();
        catalog.Add(TestFleet.Patch("kb-bad", HostKind.Windows));
        var (result, adapter) = TestFleet.Run(fleet, catalog);
        var verdict = result.Context.Research!.Tests.Single(t => t.PatchId == "kb-bad");
        Assert.False(verdict.Passed);
        Assert.All(adapter.SnapshotState().Machines, m => Assert.False(m.InstallCounts.ContainsKey("kb-bad")));
        Assert.Equal(HostOutcomeState.Patched, result.Outcome("win1").State);
        Assert.Equal(["kb-1"], result.Outcome("win1").PatchesApplied);
    }

    [Fact]
    public void Execute_AfterTheLab_ClonesDestroyedAndProductionSnapshotsRemoved()
    {
        var (result, adapter) = TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog());
        Assert.Equal(4, result.Context.Research!.Tests.Count);
        Assert.All(result.Context.Research.Tests, t => Assert.True(t.Passed, t.Message));
        var world = adapter.SnapshotState();
        Assert.DoesNotContain(world.Machines, m => m.CloneOf is not null);
        Assert.All(world.Machines, m => Assert.Empty(m.Snapshots));
    }

    [Fact]
    public void Execute_VerificationHookRejects_PatchHeld()
    {
        var (result, _) = TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), research: o => o.Verify = a => new ValueTask<bool>(a.Patch.Id != "qemu-p1"));
        Assert.False(result.Context.Research!.Tests.Single(t => t.PatchId == "qemu-p1").Passed);
        Assert.Equal(SkipReason.LabFailed, result.Outcome("kvm1").SkipReason);
    }

    [Fact]
    public void Execute_NoMachineCanBeCloned_HeldWhenTheLabIsRequired()
    {
        var fleet = TestFleet.Fleet(TestFleet.Host("win1", HostKind.Windows) with { Capabilities = HostCapabilities.Install | HostCapabilities.Reboot });
        var (result, _) = TestFleet.Run(fleet, [TestFleet.Patch("kb-1", HostKind.Windows)]);
        Assert.Equal(SkipReason.LabFailed, result.Outcome("win1").SkipReason);
        var (untested, _) = TestFleet.Run(fleet, [TestFleet.Patch("kb-1", HostKind.Windows)], research: o => o.RequireLab = false);
        Assert.Equal(HostOutcomeState.Patched, untested.Outcome("win1").State);
    }
}
