using PatchKit.Hosts;
using PatchKit.Hosts.Simulated;
using PatchKit.Lifecycle.Journal;
using PatchKit.Lifecycle.Repair;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Lifecycle.Journal;

/// <summary>The contract of <see cref="IRunJournal"/>, run on every durable journal (file, SQLite, PostgreSQL): what
/// is appended is read back whole and in order, by run, across reopening; concurrent appends all land with distinct
/// sequences; a run crashed in the middle resumes from the journal without repeating a finished step.</summary>
public abstract class RunJournalContractTests : IDisposable
{
    private readonly TempDir _dir = new();

    /// <summary>Gets a folder of the test's own.</summary>
    protected string Folder => _dir.Path;

    /// <summary>Opens the journal the test works on; called again to reopen it (same place, a new instance).</summary>
    protected abstract IRunJournal Open();

    public virtual void Dispose()
    {
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static JournalRecord Rec(string run, JournalRecordKind kind, string? key = null) =>
        new() { Format = JournalRecord.CurrentFormat, RunId = run, Kind = kind, Key = key, At = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero), Data = "d\n\"x\"" };

    protected static void Append(IRunJournal journal, JournalRecord record) => journal.AppendAsync(record, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    protected static JournalReadResult Read(IRunJournal journal, string run) => journal.ReadAsync(run, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    protected static void Close(IRunJournal journal) => (journal as IDisposable)?.Dispose();

    [ContractFact]
    public void Append_ThenReadAfterReopen_RoundTripsRecordsOfTheRunInOrder()
    {
        var j = Open();
        Append(j, Rec("a", JournalRecordKind.RunStarted));
        Append(j, Rec("b", JournalRecordKind.RunStarted));
        Append(j, Rec("a", JournalRecordKind.StepStarted, "k"));
        Close(j);

        var reopened = Open();
        var read = Read(reopened, "a");
        Close(reopened);
        Assert.False(read.TornTailDetected);
        Assert.Equal([JournalRecordKind.RunStarted, JournalRecordKind.StepStarted], read.Records.Select(r => r.Kind));
        Assert.True(read.Records[0].Sequence < read.Records[1].Sequence);
        Assert.Equal("d\n\"x\"", read.Records[1].Data);
        Assert.Equal("k", read.Records[1].Key);
    }

    [ContractFact]
    public void Append_EveryField_ReadBackEqual()
    {
        var full = new JournalRecord
        {
            Format = JournalRecord.CurrentFormat,
            RunId = "r-ü",
            Kind = JournalRecordKind.StepFailed,
            At = new DateTimeOffset(2026, 3, 1, 22, 15, 7, 123, TimeSpan.FromHours(2)).AddTicks(4567),
            Key = "repair/esx01/install/KB1",
            HostId = "esx01",
            Message = "installer said 'no' ✗",
            Data = "{\"snapshot\":\"s-1\"}",
            Duration = TimeSpan.FromTicks(123_456_789),
            Status = HostOperationStatus.Failed,
            ErrorCode = "0x80070005",
            Reconciled = true,
        };
        var j = Open();
        Append(j, full);
        Append(j, Rec("r-ü", JournalRecordKind.RunCompleted));
        Close(j);
        var reopened = Open();
        var read = Read(reopened, "r-ü").Records;
        Close(reopened);
        Assert.Equal(2, read.Count);
        Assert.Equal(full with { Sequence = read[0].Sequence }, read[0]);
        Assert.Equal(full.At.Offset, read[0].At.Offset);
        Assert.Null(read[1].Status);
        Assert.Null(read[1].Duration);
        Assert.False(read[1].Reconciled);
    }

    [ContractFact]
    public void Append_GuestsAndAssessments_ReadBackEqual()
    {
        var moved = Rec("r", JournalRecordKind.StepCompleted) with { Key = "repair/esx01/evacuate", Guests = ["vm,1", "vm-ü 2"] };
        var decided = Rec("r", JournalRecordKind.Decision) with
        {
            Key = "resolve/assessment",
            Assessments =
            [
                new PatchKit.Lifecycle.Resolve.HostAssessment
                {
                    HostId = "esx01",
                    Applicable = ["p1", "p2"],
                    Approved = ["p1"],
                    Held = [new PatchKit.Lifecycle.Resolve.HeldPatch("p2", "not approved")],
                },
            ],
        };
        var j = Open();
        Append(j, moved);
        Append(j, decided);
        Close(j);
        var reopened = Open();
        var read = Read(reopened, "r").Records;
        Close(reopened);
        Assert.Equal(["vm,1", "vm-ü 2"], read[0].Guests);
        Assert.Null(read[0].Assessments);
        Assert.Null(read[1].Guests);
        var a = Assert.Single(read[1].Assessments!);
        Assert.Equal("esx01", a.HostId);
        Assert.Equal(["p1", "p2"], a.Applicable);
        Assert.Equal(["p1"], a.Approved);
        Assert.Equal(new PatchKit.Lifecycle.Resolve.HeldPatch("p2", "not approved"), Assert.Single(a.Held));
    }

    [ContractFact]
    public void Read_UnknownRun_IsEmpty()
    {
        var j = Open();
        Append(j, Rec("a", JournalRecordKind.RunStarted));
        var read = Read(j, "nobody");
        Close(j);
        Assert.Empty(read.Records);
        Assert.False(read.TornTailDetected);
    }

    [ContractFact]
    public async Task AppendAsync_ManyConcurrentAppends_AllDurableWithDistinctIncreasingSequences()
    {
        var j = Open();
        await Parallel.ForAsync(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await j.AppendAsync(Rec("c", JournalRecordKind.StepStarted, "k" + i), ct));
        Close(j);
        var reopened = Open();
        var records = Read(reopened, "c").Records;
        Close(reopened);
        Assert.Equal(400, records.Count);
        Assert.Equal(400, records.Select(r => r.Key).Distinct().Count());
        for (int i = 1; i < records.Count; i++)
        {
            Assert.True(records[i].Sequence > records[i - 1].Sequence);
        }
    }

    [ContractFact]
    public void Append_AfterReopen_ContinuesTheSequence()
    {
        var j = Open();
        Append(j, Rec("a", JournalRecordKind.RunStarted));
        Append(j, Rec("a", JournalRecordKind.StepStarted, "k"));
        Close(j);
        var again = Open();
        Append(again, Rec("a", JournalRecordKind.RunCompleted));
        var records = Read(again, "a").Records;
        Close(again);
        Assert.Equal(3, records.Count);
        Assert.True(records[2].Sequence > records[1].Sequence);
    }

    [ContractTheory]
    [InlineData(5)]
    [InlineData(21)]
    public void ExecuteAsync_ResumedAfterCrashFromReopenedJournal_EveryPatchAppliedOnce(int crashAt)
    {
        string state = Path.Combine(Folder, "state.json");
        using var cts = new CancellationTokenSource();
        var crashing = new SimulatedHostAdapterOptions
        {
            StatePath = state,
            Faults = new SimulatedFaultOptions { CrashAtPoint = crashAt, Crash = () => { cts.Cancel(); cts.Token.ThrowIfCancellationRequested(); } },
        };
        var first = Open();
        Assert.ThrowsAny<OperationCanceledException>(() => TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), journal: first, runId: "r", adapterOptions: crashing,
            cancellationToken: cts.Token));
        Close(first);

        var second = Open();
        var (result, adapter) = TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), journal: second, runId: "r", adapterOptions: new SimulatedHostAdapterOptions { StatePath = state });
        var records = Read(second, "r").Records;
        Close(second);

        Assert.Equal(2, result.Attempt);
        Assert.Equal(2, records.Count(r => r.Kind == JournalRecordKind.RunStarted));
        Assert.Equal(JournalRecordKind.RunCompleted, records[^1].Kind);
        var world = adapter.SnapshotState();
        foreach (var m in world.Machines)
        {
            Assert.All(m.InstallCounts, kv => Assert.Equal(1, kv.Value));
            Assert.False(m.InMaintenanceMode);
        }

        Assert.Equal(7, world.Machines.Count(m => m.InstallCounts.Count == 1));
        Assert.All(result.Context.Repair!.Outcomes, o => Assert.Equal(HostOutcomeState.Patched, o.State));
    }
}

public sealed class FileRunJournalContractTests : RunJournalContractTests
{
    protected override IRunJournal Open() => new FileRunJournal(Path.Combine(Folder, "run.journal"));
}

public sealed class SqliteRunJournalContractTests : RunJournalContractTests
{
    protected override IRunJournal Open() => new PatchKit.Lifecycle.Sqlite.SqliteRunJournal(Path.Combine(Folder, "run.db"));
}
