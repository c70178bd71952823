using PatchKit.Hosts;
using PatchKit.Hosts.Simulated;
using PatchKit.Lifecycle.Journal;
using PatchKit.Lifecycle.Repair;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Lifecycle.Journal;

/// <summary>In-process resume: the orchestrator stops dead at a crash point (its token is cancelled and the
/// cancellation propagates from inside the change); the same run id is resumed over the state file and journal.</summary>
public sealed class ResumeTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(17)]
    [InlineData(30)]
    public void ExecuteAsync_ResumedAfterCrash_CompletedStepsNotRepeatedAndEveryPatchAppliedOnce(int crashAt)
    {
        using var dir = new TempDir();
        string state = Path.Combine(dir.Path, "state.json");
        var journal = new InMemoryRunJournal();
        using var cts = new CancellationTokenSource();
        var crashing = new SimulatedHostAdapterOptions
        {
            StatePath = state,
            Faults = new SimulatedFaultOptions { CrashAtPoint = crashAt, Crash = () => { cts.Cancel(); cts.Token.ThrowIfCancellationRequested(); } },
        };
        Assert.ThrowsAny<OperationCanceledException>(() => TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), journal: journal, runId: "r", adapterOptions: crashing,
            cancellationToken: cts.Token));
        int recordsAfterCrash = journal.Records.Count;

        var (result, adapter) = TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), journal: journal, runId: "r",
            adapterOptions: new SimulatedHostAdapterOptions { StatePath = state });

        Assert.Equal(2, result.Attempt);
        Assert.True(result.Context.IsResumed);
        Assert.True(journal.Records.Count > recordsAfterCrash);
        var world = adapter.SnapshotState();
        foreach (var m in world.Machines)
        {
            Assert.All(m.InstallCounts, kv => Assert.Equal(1, kv.Value));
            Assert.False(m.InMaintenanceMode);
            Assert.Empty(m.Snapshots);
        }

        Assert.DoesNotContain(world.Machines, m => m.CloneOf is not null);
        Assert.Equal(7, world.Machines.Count(m => m.InstallCounts.Count == 1));
        Assert.All(result.Context.Repair!.Outcomes, o => Assert.Equal(HostOutcomeState.Patched, o.State));
    }

    [Fact]
    public void ExecuteAsync_SameRunIdAfterCompletion_RepeatsNothing()
    {
        using var dir = new TempDir();
        string state = Path.Combine(dir.Path, "state.json");
        var journal = new InMemoryRunJournal();
        TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), journal: journal, runId: "r", adapterOptions: new() { StatePath = state });
        var (again, adapter) = TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), journal: journal, runId: "r", adapterOptions: new() { StatePath = state });
        Assert.All(again.Context.Repair!.Outcomes.SelectMany(o => o.Steps), s => Assert.True(s.Replayed));
        Assert.Equal(0, adapter.CrashPointsPassed);
        Assert.All(adapter.SnapshotState().Machines.Where(m => m.Kind == HostKind.Esx), m => Assert.Equal(1, m.Reboots));
    }
}
