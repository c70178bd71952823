using PatchKit.Hosts;
using PatchKit.Lifecycle;
using PatchKit.Lifecycle.Journal;

namespace PatchKit.Tests.Lifecycle;

/// <summary>A custom stage gets the built-in stages' journaled, resumable step runner.</summary>
public sealed class CustomStageStepTests
{
    private sealed class AuditOptions() : PatchStageOptions("audit");

    private sealed class AuditStage(Func<HostOperation, Task<HostStepResult>> step, Func<HostOperation, Task<HostStepResult?>>? reconcile) : PatchStage
    {
        public List<HostStepResult> Results { get; } = [];

        protected internal override async ValueTask ExecuteAsync(PatchRunContext context)
        {
            foreach (string host in new[] { "h1", "h2" })
            {
                Results.Add(await context.RunHostStepAsync("audit/" + host + "/scan", host, step, TimeSpan.FromMinutes(5), reconcile));
            }
        }
    }

    private static Task<PatchRunResult> RunAsync(IRunJournal journal, AuditStage stage, CancellationToken ct = default) =>
        new PatchPipelineBuilder { Journal = journal }.AddStage(_ => stage, new AuditOptions()).Build().ExecuteAsync(new PatchRunOptions { RunId = "audit" }, ct);

    [Fact]
    public async Task FinishedStepsAreNotRunAgain_AnInterruptedOneIsReconciled_ThenRunOnlyIfItDidNotHappen()
    {
        var journal = new InMemoryRunJournal();
        var calls = new List<string>();
        using var cts = new CancellationTokenSource();
        var first = new AuditStage(op =>
        {
            calls.Add("run " + op.HostId);
            if (op.HostId == "h2")
            {
                cts.Cancel(); // the process goes away while h2's step runs
                op.CancellationToken.ThrowIfCancellationRequested();
            }

            return Task.FromResult(new HostStepResult { Status = HostOperationStatus.Succeeded, Message = "scanned " + op.HostId, ErrorCode = "E0" });
        }, null);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunAsync(journal, first, cts.Token));

        var second = new AuditStage(
            op => { calls.Add("run " + op.HostId); return Task.FromResult(HostStepResult.Fail("scanner crashed with password=hunter22", TimeSpan.Zero, "42")); },
            op => { calls.Add("reconcile " + op.HostId); return Task.FromResult<HostStepResult?>(null); });
        await RunAsync(journal, second);

        Assert.Equal(["run h1", "run h2", "reconcile h2", "run h2"], calls);
        Assert.Equal(HostOperationStatus.Succeeded, second.Results[0].Status); // replayed from the journal
        Assert.Equal("scanned h1", second.Results[0].Message);
        Assert.Equal(HostOperationStatus.Failed, second.Results[1].Status);
        Assert.Equal("42", second.Results[1].ErrorCode);
        Assert.DoesNotContain("hunter22", second.Results[1].Message, StringComparison.Ordinal);
    }
}
