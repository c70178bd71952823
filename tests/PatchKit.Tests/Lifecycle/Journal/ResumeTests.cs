using PatchKit.Hosts;
using PatchKit.Hosts.Simulated;
using PatchKit.Lifecycle.Journal;
using PatchKit.Lifecycle.Repair;
using PatchKit.Lifecycle.Resolve;
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
        var journal = RunUntilCrash(state, crashAt);
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

    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(17)]
    [InlineData(30)]
    public void ExecuteAsync_ResumedAfterCrash_ReportFiguresAreThoseOfAnUninterruptedRun(int crashAt)
    {
        using var dir = new TempDir();
        var (whole, _) = TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), journal: new InMemoryRunJournal(), runId: "r",
            adapterOptions: new SimulatedHostAdapterOptions { StatePath = Path.Combine(dir.Path, "whole.json") });
        string state = Path.Combine(dir.Path, "state.json");
        var journal = RunUntilCrash(state, crashAt);
        var (resumed, _) = TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), journal: journal, runId: "r",
            adapterOptions: new SimulatedHostAdapterOptions { StatePath = state });

        var a = whole.Report!;
        var b = resumed.Report!;
        Assert.True(b.Resumed);
        Assert.Equal((a.Patched, a.Failed, a.RestartsAvoided, a.CompliancePercent), (b.Patched, b.Failed, b.RestartsAvoided, b.CompliancePercent));
        Assert.Equal(a.Hosts.Select(h => (h.HostId, h.MaintenanceMinutes, h.EndedAt - h.StartedAt)), b.Hosts.Select(h => (h.HostId, h.MaintenanceMinutes, h.EndedAt - h.StartedAt)));
        Assert.Equal(a.MaintenanceTime, b.MaintenanceTime);
        // Not compared: the lab's duration. A lab install in flight at the crash runs again on resume and the simulated
        // adapter answers "already installed" at once, so the resumed lab is shorter by that step (crash point 30).
        Assert.True(b.MaintenanceTime > TimeSpan.Zero);
    }

    [Fact]
    public void ExecuteAsync_SameRunIdAfterCompletion_ReportKeepsItsFigures()
    {
        using var dir = new TempDir();
        string state = Path.Combine(dir.Path, "state.json");
        var journal = new InMemoryRunJournal();
        var (first, _) = TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), journal: journal, runId: "r", adapterOptions: new() { StatePath = state });
        var (again, _) = TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), journal: journal, runId: "r", adapterOptions: new() { StatePath = state });
        Assert.Equal(first.Report!.MaintenanceTime, again.Report!.MaintenanceTime);
        Assert.True(again.Report.MaintenanceTime > TimeSpan.Zero);
        Assert.Equal(first.Report.Hosts.Select(h => (h.HostId, h.MaintenanceMinutes)), again.Report.Hosts.Select(h => (h.HostId, h.MaintenanceMinutes)));
    }

    [Fact]
    public void Journal_RecordsCarryTheTimeOnTheRunsClock()
    {
        using var dir = new TempDir();
        var journal = new InMemoryRunJournal();
        var (result, _) = TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), journal: journal, runId: "r",
            adapterOptions: new() { StatePath = Path.Combine(dir.Path, "state.json") });
        var records = journal.Records;
        Assert.True(records.Select(r => r.At).Distinct().Count() > 10, "every record carries the same time");
        Assert.Equal(result.Report!.EndedAt, records[^1].At);
        Assert.Equal(JournalRecordKind.RunCompleted, records[^1].Kind);
        foreach (var end in records.Where(r => r.Kind == JournalRecordKind.StepCompleted && r.Key!.StartsWith("repair/", StringComparison.Ordinal)))
        {
            var start = records.Last(r => r.Kind == JournalRecordKind.StepStarted && r.Key == end.Key && r.Sequence < end.Sequence);
            Assert.Equal(start.At + end.Duration!.Value, end.At);
        }

        var host = result.Report.Hosts.First(h => h.State == HostOutcomeState.Patched);
        Assert.Contains(records, r => r.HostId == host.HostId && r.Kind == JournalRecordKind.StepStarted && r.At == host.StartedAt);
    }

    [Fact]
    public void Journal_GuestsAndAssessmentsAreTypedFields_NotPackedIntoData()
    {
        using var dir = new TempDir();
        var journal = new InMemoryRunJournal();
        TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), journal: journal, runId: "r",
            adapterOptions: new() { StatePath = Path.Combine(dir.Path, "state.json") });

        var records = journal.Records;
        Assert.All(records, r => Assert.Equal(JournalRecord.CurrentFormat, r.Format));
        var evacuations = records.Where(r => r.Key?.EndsWith("/evacuate", StringComparison.Ordinal) == true).ToList();
        Assert.NotEmpty(evacuations);
        Assert.All(evacuations, r =>
        {
            Assert.Null(r.Data);
            Assert.NotNull(r.Guests);
            Assert.NotEmpty(r.Guests!);
            Assert.All(r.Guests!, g => Assert.DoesNotContain(",", g, StringComparison.Ordinal));
        });
        Assert.Contains(records, r => r.Key?.EndsWith("/rebalance", StringComparison.Ordinal) == true && r.Guests is { Count: > 0 });
        var decision = records.Single(r => r.Kind == JournalRecordKind.Decision && r.Key == "resolve/assessment");
        Assert.Null(decision.Data);
        Assert.NotEmpty(decision.Assessments!);
    }

    [Fact]
    public async Task ExecuteAsync_ResumedAtEveryCrashPoint_GuestsBackHomeAlsoFromFormat2Journals()
    {
        // Every crash point of the standard run, so steps in flight and finished evacuations are both met; odd points
        // resume from the journal rewritten as format 2, even points from the journal as written.
        using var dir = new TempDir();
        var (reference, referenceAdapter) = TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), journal: new InMemoryRunJournal(), runId: "r",
            adapterOptions: new SimulatedHostAdapterOptions { StatePath = Path.Combine(dir.Path, "reference.json") });
        var placement = referenceAdapter.SnapshotState().Machines.Select(m => m.Id + "@" + m.ParentId).Order(StringComparer.Ordinal).ToList();
        int legacyGuestRecords = 0;
        for (int crashAt = 1; crashAt <= referenceAdapter.CrashPointsPassed; crashAt++)
        {
            legacyGuestRecords += await ResumeAsync(Path.Combine(dir.Path, crashAt + ".json"), crashAt, placement, asFormat2: crashAt % 2 == 1);
        }

        Assert.True(legacyGuestRecords > 0);
    }

    private static async Task<int> ResumeAsync(string state, int crashAt, List<string> placement, bool asFormat2)
    {
        // Journals written before format 3 packed the guests comma-joined and the assessments as JSON text into Data.
        var journal = RunUntilCrash(state, crashAt);

        var old = new InMemoryRunJournal();
        int guestRecords = 0;
        foreach (var r in journal.Records)
        {
            if (!asFormat2)
            {
                await old.AppendAsync(r, CancellationToken.None);
                continue;
            }

            guestRecords += r.Guests is { Count: > 0 } ? 1 : 0;
            string? data = r.Guests is { } guests ? string.Join(',', guests)
                : r.Assessments is { } a ? System.Text.Json.JsonSerializer.Serialize(a.ToList(), PatchKit.Lifecycle.LifecycleJsonContext.Default.ListHostAssessment)
                : r.Data;
            await old.AppendAsync(r with { Format = 2, Data = data, Guests = null, Assessments = null }, CancellationToken.None);
        }

        var (result, adapter) = TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), journal: old, runId: "r",
            adapterOptions: new SimulatedHostAdapterOptions { StatePath = state });

        var world = adapter.SnapshotState();
        foreach (var m in world.Machines)
        {
            Assert.All(m.InstallCounts, kv => Assert.Equal(1, kv.Value));
            Assert.False(m.InMaintenanceMode, "crash point " + crashAt + ": " + m.Id + " left in maintenance mode");
        }

        Assert.Equal(7, world.Machines.Count(m => m.InstallCounts.Count == 1));
        Assert.All(result.Context.Repair!.Outcomes, o => Assert.Equal(HostOutcomeState.Patched, o.State));
        Assert.True(placement.SequenceEqual(world.Machines.Select(m => m.Id + "@" + m.ParentId).Order(StringComparer.Ordinal)),
            "crash point " + crashAt + ": guests not back where they were: " + string.Join(" ", world.Machines.Select(m => m.Id + "@" + m.ParentId)));
        return guestRecords;
    }

    /// <summary>Runs the standard fleet as run "r" until the orchestrator stops dead at <paramref name="crashAt"/> (its
    /// token is cancelled from inside the change) and returns what it journaled.</summary>
    private static InMemoryRunJournal RunUntilCrash(string state, int crashAt)
    {
        var journal = new InMemoryRunJournal();
        using var cts = new CancellationTokenSource();
        var crashing = new SimulatedHostAdapterOptions
        {
            StatePath = state,
            Faults = new SimulatedFaultOptions { CrashAtPoint = crashAt, Crash = () => { cts.Cancel(); cts.Token.ThrowIfCancellationRequested(); } },
        };
        Assert.ThrowsAny<OperationCanceledException>(() => TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), journal: journal, runId: "r",
            adapterOptions: crashing, cancellationToken: cts.Token));
        return journal;
    }
}
