using PatchKit.Lifecycle.Reach;
using PatchKit.Advisories;
using PatchKit.Lifecycle;
using PatchKit.Lifecycle.Repair;
using PatchKit.Lifecycle.Resolve;

namespace PatchKit.Tests.Lifecycle;

public sealed class PatchPipelineBuilderTests
{
    private sealed class AuditStageOptions() : PatchStageOptions("audit")
    {
        public List<string> Seen { get; } = [];
    }

    private sealed class AuditStage(AuditStageOptions options) : PatchStage
    {
        protected internal override ValueTask ExecuteAsync(PatchRunContext context)
        {
            options.Seen.Add(context.RunId + ":" + (context.Fleet?.Hosts.Count ?? -1));
            context.Properties.Set(new PatchRunPropertyKey<int>("audited"), 1);
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public void Build_Twice_Throws()
    {
        var builder = new PatchPipelineBuilder().AddReach();
        builder.Build();
        Assert.Throws<InvalidOperationException>(() => builder.Build());
        Assert.Throws<InvalidOperationException>(() => builder.AddReach(new() { Name = "reach2" }));
    }

    [Fact]
    public void Build_NoStages_Throws() => Assert.Throws<InvalidOperationException>(() => new PatchPipelineBuilder().Build());

    [Fact]
    public void AddRepair_InvalidOptions_ReportsEveryProblemAtOnce()
    {
        var ex = Assert.Throws<ArgumentException>(() => new PatchPipelineBuilder().AddRepair(new RepairStageOptions { MaxConcurrency = 0, ErrorBudget = -1, CanaryFraction = 2 }));
        Assert.Contains("MaxConcurrency", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ErrorBudget", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CanaryFraction", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddResolve_NoCatalog_Throws() =>
        Assert.Throws<ArgumentException>(() => new PatchPipelineBuilder().AddResolve(new ResolveStageOptions()));

    [Fact]
    public void AddRepair_UnknownTimeZone_Throws()
    {
        var options = new RepairStageOptions();
        options.Windows.Add(new MaintenanceWindow { TimeZone = "Mars/Olympus_Mons" });
        var ex = Assert.Throws<ArgumentException>(() => new PatchPipelineBuilder().AddRepair(options));
        Assert.Contains("Mars/Olympus_Mons", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddStage_DuplicateName_Throws() =>
        Assert.Throws<ArgumentException>(() => new PatchPipelineBuilder().AddReach().AddReach());

    [Fact]
    public async Task ExecuteAsync_CustomStageAndHooks_RunInOrderWithTheContext()
    {
        var audit = new AuditStageOptions();
        var events = new List<string>();
        audit.OnStarting = a => { events.Add("start:" + a.StageName); return ValueTask.CompletedTask; };
        audit.OnCompleted = a => { events.Add("end:" + a.StageName + ":" + (a.Exception is null)); return ValueTask.CompletedTask; };
        var clock = new PatchKit.Hosts.Simulated.SimulatedTimeProvider(TestFleet.Start);
        var pipeline = new PatchPipelineBuilder { TimeProvider = clock }
            .AddReach()
            .AddStage(_ => new AuditStage(audit), audit)
            .Build();
        var run = new PatchRunOptions { RunId = "r1" };
        run.Adapters.Add(new PatchKit.Hosts.Simulated.SimulatedHostAdapter(TestFleet.Standard(), new() { TimeProvider = clock }));
        var result = await pipeline.ExecuteAsync(run);
        Assert.Equal(["reach", "audit"], pipeline.StageNames);
        Assert.Equal(["r1:7"], audit.Seen);
        Assert.Equal(["start:audit", "end:audit:True"], events);
        Assert.True(result.Context.Properties.TryGetValue(new PatchRunPropertyKey<int>("audited"), out int v) && v == 1);
    }

    [Fact]
    public async Task ExecuteAsync_StageThrows_WrappedInPipelineStageExceptionWithTheStage()
    {
        var pipeline = new PatchPipelineBuilder().AddStage(_ => new ThrowingStage(), new ThrowingStageOptions()).Build();
        var ex = await Assert.ThrowsAsync<PipelineStageException>(() => pipeline.ExecuteAsync(new PatchRunOptions()));
        Assert.Equal("throwing", ex.Stage);
    }

    [Fact]
    public void Build_StagesInAnOrderThatCannotWork_RefusedAtBuild()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new PatchPipelineBuilder().AddResolve(new ResolveStageOptions { Catalog = new JsonPatchCatalog([]) }).Build());
        Assert.Contains("Resolve needs Reach before it", ex.Message, StringComparison.Ordinal);
        var ex2 = Assert.Throws<InvalidOperationException>(() => new PatchPipelineBuilder().AddReach().AddRepair().AddResolve(new ResolveStageOptions { Catalog = new JsonPatchCatalog([]) }).Build());
        Assert.Contains("Repair needs Resolve before it", ex2.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_HooksAndApprovalAreCopied_EditsAfterBuildChangeNothing()
    {
        int calls = 0;
        var resolve = new ResolveStageOptions { Catalog = new JsonPatchCatalog([TestFleet.Patch("p", PatchKit.Hosts.HostKind.Linux, severity: PatchKit.Advisories.PatchSeverity.Low)]) };
        resolve.Approval.MinimumSeverity = PatchKit.Advisories.PatchSeverity.Low;
        var reach = new ReachStageOptions { OnStarting = _ => { calls++; return ValueTask.CompletedTask; } };
        var clock = new PatchKit.Hosts.Simulated.SimulatedTimeProvider(TestFleet.Start);
        var pipeline = new PatchPipelineBuilder { TimeProvider = clock, SimulatedTimeline = true }.AddReach(reach).AddResolve(resolve).Build();
        reach.OnStarting = null;
        resolve.Approval.MinimumSeverity = PatchKit.Advisories.PatchSeverity.Critical;
        var run = new PatchRunOptions { RunId = "copied" };
        run.Adapters.Add(new PatchKit.Hosts.Simulated.SimulatedHostAdapter(TestFleet.Fleet(TestFleet.Host("lin1", PatchKit.Hosts.HostKind.Linux)), new() { TimeProvider = clock }));
        var result = await pipeline.ExecuteAsync(run);
        Assert.Equal(1, calls);
        Assert.Equal(["p"], result.Context.Assessment!.Hosts.Single().Approved);
    }

    [Fact]
    public async Task ExecuteAsync_JournalOfANewerFormat_RefusedWithWhatToDo()
    {
        var journal = new PatchKit.Lifecycle.Journal.InMemoryRunJournal();
        await journal.AppendAsync(new PatchKit.Lifecycle.Journal.JournalRecord { RunId = "r", Kind = PatchKit.Lifecycle.Journal.JournalRecordKind.RunStarted, Format = 99 }, CancellationToken.None);
        var pipeline = new PatchPipelineBuilder { Journal = journal }.AddReach().Build();
        var ex = await Assert.ThrowsAsync<PatchKit.Lifecycle.Journal.JournalCorruptException>(() => pipeline.ExecuteAsync(new PatchRunOptions { RunId = "r" }));
        Assert.Contains("newer PatchKit (record format 99", ex.Message, StringComparison.Ordinal);
    }

    private sealed class ThrowingStageOptions() : PatchStageOptions("throwing");

    private sealed class ThrowingStage : PatchStage
    {
        protected internal override ValueTask ExecuteAsync(PatchRunContext context) => throw new InvalidOperationException("boom");
    }

    [Fact]
    public async Task ExecuteAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var pipeline = new PatchPipelineBuilder().AddReach().Build();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pipeline.ExecuteAsync(new PatchRunOptions(), cts.Token));
    }
}
