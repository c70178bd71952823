using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PatchKit.Advisories;
using PatchKit.Hosts;
using PatchKit.Hosts.Simulated;
using PatchKit.Lifecycle;
using PatchKit.Lifecycle.Journal;
using PatchKit.Lifecycle.Repair;
using PatchKit.Lifecycle.Report;
using PatchKit.Lifecycle.Research;
using PatchKit.Lifecycle.Resolve;
using PatchKit.Tests.Hosts;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Lifecycle;

/// <summary>The host-operation contract as the lifecycle uses it: step timeouts, cancellation, checkpoints handed to a
/// resumed run, redaction of secrets, an adapter that is down, reboots decided from what installs report, cleanup after
/// a cancelled run, and maintenance windows on the real clock.</summary>
public sealed class HostOperationTests
{
    private const string Secret = "hunter2-s3cr3t-Pa55";

    private static async Task<PatchRunResult> RunAsync(IReadOnlyList<IHostAdapter> adapters, IEnumerable<PatchDefinition> catalog, TimeProvider clock,
        IRunJournal? journal = null, ILoggerFactory? logs = null, string? reportDir = null, Action<RepairStageOptions>? repair = null,
        bool research = false, CancellationToken cancellationToken = default, bool simulated = true)
    {
        var repairOptions = new RepairStageOptions { MaxConcurrency = 2, ErrorBudget = 10, HaltOnEarlyWaveFailure = false };
        repair?.Invoke(repairOptions);
        var builder = new PatchPipelineBuilder { TimeProvider = clock, Journal = journal, SimulatedTimeline = simulated, LoggerFactory = logs ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance }
            .AddReach()
            .AddResolve(new ResolveStageOptions { Catalog = new JsonPatchCatalog(catalog) });
        if (research)
        {
            builder.AddResearch(new ResearchStageOptions { StepTimeout = TimeSpan.FromMinutes(5) });
        }

        var pipeline = builder.AddRepair(repairOptions).AddReport(new ReportStageOptions { OutputDirectory = reportDir }).Build();
        var run = new PatchRunOptions { RunId = "contract" };
        foreach (var a in adapters)
        {
            run.Adapters.Add(a);
        }

        return await pipeline.ExecuteAsync(run, cancellationToken);
    }

    private static (InterceptingAdapter Adapter, SimulatedTimeProvider Clock) Linux(params string[] ids)
    {
        var clock = new SimulatedTimeProvider(TestFleet.Start);
        var fleet = TestFleet.Fleet([.. ids.Select(id => TestFleet.Host(id, HostKind.Linux))]);
        return (new InterceptingAdapter(new SimulatedHostAdapter(fleet, new() { TimeProvider = clock })), clock);
    }

    [Fact]
    public async Task StepThatHangs_TimesOutOnTheRunsClock_HostFailsAndTheRunGoesOn()
    {
        // A wall clock we drive: the hung install's timer fires when the test advances it past the step timeout.
        var fake = new FakeTimeProvider(TestFleet.Start);
        var fleet = TestFleet.Fleet(TestFleet.Host("lin1", HostKind.Linux), TestFleet.Host("lin2", HostKind.Linux));
        var adapter = new InterceptingAdapter(new SimulatedHostAdapter(fleet, new() { TimeProvider = fake }));
        CancellationToken seen = default;
        adapter.Before = async (m, op) =>
        {
            if (m == "Install" && op.HostId == "lin1")
            {
                seen = op.CancellationToken;
                await Task.Delay(Timeout.InfiniteTimeSpan, op.CancellationToken); // a hung vCenter task
            }
        };
        var run = RunAsync([adapter], [TestFleet.Patch("p", HostKind.Linux, reboot: false)], fake, repair: o => o.StepTimeout = TimeSpan.FromMinutes(20), simulated: false);
        while (!run.IsCompleted)
        {
            await Task.Delay(10);
            fake.Advance(TimeSpan.FromMinutes(1));
        }

        var result = await run;
        var hung = result.Outcome("lin1");
        Assert.Equal(HostOutcomeState.Failed, hung.State);
        Assert.Contains("timed out after 20 min", hung.Message, StringComparison.Ordinal);
        Assert.True(seen.IsCancellationRequested, "the adapter's token is cancelled when its step times out");
        Assert.Equal(HostOutcomeState.Patched, result.Outcome("lin2").State);
    }

    [Fact]
    public async Task CallersCancellation_PassesThroughAsCancellation_NotAsATimedOutStep()
    {
        var (adapter, clock) = Linux("lin1");
        using var cts = new CancellationTokenSource();
        adapter.Before = (m, op) =>
        {
            if (m == "Install")
            {
                cts.Cancel();
                op.CancellationToken.ThrowIfCancellationRequested();
            }

            return Task.CompletedTask;
        };
        var journal = new InMemoryRunJournal();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunAsync([adapter], [TestFleet.Patch("p", HostKind.Linux, reboot: false)], clock, journal,
            cancellationToken: cts.Token));
        var records = await journal.ReadAsync("contract", CancellationToken.None);
        Assert.DoesNotContain(records.Records, r => r.Kind == JournalRecordKind.StepFailed && r.Key!.Contains("install", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CheckpointedJobHandle_IsHandedToTheStepAfterACrash()
    {
        var fleet = TestFleet.Fleet(TestFleet.Host("lin1", HostKind.Linux));
        var patches = new[] { TestFleet.Patch("p", HostKind.Linux, reboot: false) };
        var clock = new SimulatedTimeProvider(TestFleet.Start);
        var inner = new SimulatedHostAdapter(fleet, new() { TimeProvider = clock });

        // First attempt: the install starts a platform job, checkpoints its handle and waits for the job; the
        // orchestrator dies then. What the journal holds at that moment is what a restarted process reads.
        var first = new InterceptingAdapter(inner);
        var checkpointed = new TaskCompletionSource();
        using var abandon = new CancellationTokenSource();
        first.Before = async (m, op) =>
        {
            if (m == "Install")
            {
                await op.CheckpointAsync("job-42");
                checkpointed.SetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, op.CancellationToken);
            }
        };
        var journal1 = new InMemoryRunJournal();
        var crashed = RunAsync([first], patches, clock, journal1, cancellationToken: abandon.Token);
        await checkpointed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var durable = await journal1.ReadAsync("contract", CancellationToken.None);
        var journal2 = new InMemoryRunJournal();
        foreach (var r in durable.Records)
        {
            await journal2.AppendAsync(r with { Sequence = 0 }, CancellationToken.None);
        }

        // Second attempt, a new process: the same step is handed the job's handle, so the adapter waits for that job.
        var second = new InterceptingAdapter(inner);
        var result = await RunAsync([second], patches, clock, journal2);
        Assert.Equal(HostOutcomeState.Patched, result.Outcome("lin1").State);
        var install = Assert.Single(second.Calls, c => c.Method == "Install");
        Assert.Equal("job-42", install.Checkpoint);
        Assert.Contains(durable.Records, r => r.Kind == JournalRecordKind.StepCheckpoint && r.Data == "job-42");
        Assert.DoesNotContain(first.Calls, c => c.Method == "Install" && c.Checkpoint is not null);
        await abandon.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => crashed);
    }

    [Fact]
    public async Task SecretPlantedInEveryFailurePath_AppearsNowhereInJournalLogsOrReport()
    {
        using var dir = new TempDir();
        Environment.SetEnvironmentVariable("PATCHKIT_TEST_SECRET", Secret);
        var secret = PatchKit.Hosts.Secret.FromEnvironment("PATCHKIT_TEST_SECRET");
        Assert.Equal("***", secret.ToString());
        string revealed = await secret.RevealAsync(CancellationToken.None);
        Assert.Equal(Secret, revealed);

        var clock = new SimulatedTimeProvider(TestFleet.Start);
        var fleet = TestFleet.Fleet(TestFleet.Host("lin1", HostKind.Linux), TestFleet.Host("lin2", HostKind.Linux), TestFleet.Host("lin3", HostKind.Linux),
            TestFleet.Host("lin4", HostKind.Linux));
        var adapter = new InterceptingAdapter(new SimulatedHostAdapter(fleet, new() { TimeProvider = clock }));
        adapter.Before = async (m, op) =>
        {
            switch (m, op.HostId)
            {
                case ("Install", "lin1"):
                    throw new HostAdapterException(op.HostId, "SOAP fault: login failed for user root with password " + revealed, null);
                case ("Install", "lin2"):
                    throw new HttpRequestException("connection to https://root:" + revealed + "@vc01.example/sdk refused");
                case ("Install", "lin4"):
                    await op.CheckpointAsync("task-1?token=" + revealed);
                    break;
            }
        };
        adapter.After = (m, op, r) => m == "Install" && op.HostId == "lin3"
            ? HostStepResult.Fail("esxcli: authentication with " + revealed + " refused", TimeSpan.Zero)
            : r;

        // A second adapter that cannot even take inventory, with the secret in its exception.
        var down = new InterceptingAdapter(new SimulatedHostAdapter(TestFleet.Fleet(TestFleet.Host("w1", HostKind.Windows)), new() { TimeProvider = clock }), "vsphere:vc01")
        {
            Inventory = _ => throw new HostAdapterException("vCenter https://administrator:" + revealed + "@vc01/sdk does not answer"),
        };
        var logs = new CapturingLoggerFactory();
        string journalPath = Path.Combine(dir.Path, "run.journal");
        PatchRunResult result;
        using (var journal = new FileRunJournal(journalPath))
        {
            result = await RunAsync([adapter, down], [TestFleet.Patch("p", HostKind.Linux, reboot: false)], clock, journal, logs, Path.Combine(dir.Path, "report"));
        }

        Assert.Equal(HostOutcomeState.Failed, result.Outcome("lin1").State);
        Assert.Equal(HostOutcomeState.Failed, result.Outcome("lin2").State);
        Assert.Equal(HostOutcomeState.Failed, result.Outcome("lin3").State);
        Assert.Contains("HostAdapterException", result.Outcome("lin1").Message, StringComparison.Ordinal);
        Assert.Contains("HttpRequestException", result.Outcome("lin2").Message, StringComparison.Ordinal);
        Assert.Single(result.Context.Fleet!.AdapterFailures);

        var places = new List<(string Where, string Text)> { ("journal", Encoding.UTF8.GetString(await File.ReadAllBytesAsync(journalPath))), ("logs", logs.Text) };
        foreach (string f in Directory.EnumerateFiles(Path.Combine(dir.Path, "report"), "*", SearchOption.AllDirectories))
        {
            places.Add((f, await File.ReadAllTextAsync(f)));
        }

        foreach (var o in result.Context.Repair!.Outcomes)
        {
            places.Add(("outcome " + o.HostId, o.Message + string.Join('\n', o.Steps.Select(s => s.Message))));
        }

        Assert.Contains(places, p => p.Text.Contains("***", StringComparison.Ordinal));
        foreach (var (where, text) in places)
        {
            Assert.False(text.Contains(Secret, StringComparison.Ordinal), "the secret leaked into " + where);
        }
    }

    [Fact]
    public async Task AdapterThatIsDown_ItsHostsAreLeftAlone_TheOtherAdaptersHostsArePatched()
    {
        var (adapter, clock) = Linux("lin1");
        var down = new InterceptingAdapter(new SimulatedHostAdapter(TestFleet.Fleet(TestFleet.Host("lin9", HostKind.Linux)), new() { TimeProvider = clock }), "vsphere:down")
        {
            Inventory = async ct => { await Task.Yield(); throw new TimeoutException("vCenter did not answer"); },
        };
        var result = await RunAsync([down, adapter], [TestFleet.Patch("p", HostKind.Linux, reboot: false)], clock);
        Assert.Equal(HostOutcomeState.Patched, result.Outcome("lin1").State);
        var failure = Assert.Single(result.Context.Fleet!.AdapterFailures);
        Assert.Equal("vsphere:down", failure.Adapter);
        Assert.Contains("vCenter did not answer", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Context.Fleet.Hosts, h => h.Host.Id == "lin9");
    }

    [Fact]
    public async Task InstallReportsRebootRequired_ForAPatchTheCatalogSaysNeedsNone_HostEndsPendingReboot()
    {
        var (adapter, clock) = Linux("lin1");
        adapter.After = (m, _, r) => m == "Install"
            ? new HostStepResult { Status = HostOperationStatus.SucceededRebootRequired, Message = "installed; restart required", Installed = ["p"] }
            : r;
        var result = await RunAsync([adapter], [TestFleet.Patch("p", HostKind.Linux, reboot: false)], clock);
        var o = result.Outcome("lin1");
        Assert.Equal(HostOutcomeState.PatchedPendingReboot, o.State);
        Assert.Contains("reported that a reboot is required", o.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstallReportsNoRebootNeeded_ForAPatchTheCatalogSaysNeedsOne_NoReboot()
    {
        var (adapter, clock) = Linux("lin1");
        adapter.After = (m, _, r) => m == "Install" ? new HostStepResult { Status = HostOperationStatus.Succeeded, Message = "installed" } : r;
        var result = await RunAsync([adapter], [TestFleet.Patch("p", HostKind.Linux, reboot: true)], clock);
        Assert.Equal(HostOutcomeState.Patched, result.Outcome("lin1").State);
        Assert.DoesNotContain(adapter.Calls, c => c.Method == "RebootAndWait");

        // The same patch with an adapter that says nothing about reboots: the catalog decides, the host reboots.
        var (plain, clock2) = Linux("lin1");
        var r2 = await RunAsync([plain], [TestFleet.Patch("p", HostKind.Linux, reboot: true)], clock2);
        Assert.Equal(HostOutcomeState.Patched, r2.Outcome("lin1").State);
        Assert.Contains(plain.Calls, c => c.Method == "RebootAndWait" && c.HostId == "lin1");
    }

    [Fact]
    public async Task RunCancelledWhileAHostIsInMaintenanceMode_CleanupStillRuns_AndAResumedRunPatchesIt()
    {
        var clock = new SimulatedTimeProvider(TestFleet.Start);
        var fleet = TestFleet.Fleet(TestFleet.Host("esx1", HostKind.Esx), TestFleet.Host("esx2", HostKind.Esx), TestFleet.Host("win1", HostKind.Windows, "esx1"));
        var adapter = new InterceptingAdapter(new SimulatedHostAdapter(fleet, new() { TimeProvider = clock }));
        using var cts = new CancellationTokenSource();
        adapter.Before = (m, op) =>
        {
            if (m == "Install" && op.HostId == "esx1")
            {
                cts.Cancel(); // Ctrl+C while esx1 is evacuated and in maintenance mode
                op.CancellationToken.ThrowIfCancellationRequested();
            }

            return Task.CompletedTask;
        };
        var journal = new InMemoryRunJournal();
        var patches = new[] { TestFleet.Patch("esx-p", HostKind.Esx) };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunAsync([adapter], patches, clock, journal, cancellationToken: cts.Token));
        var inv = await adapter.Inner.GetInventoryAsync(CancellationToken.None);
        var esx1 = inv.Hosts.Single(h => h.Id == "esx1");
        Assert.False(esx1.InMaintenanceMode, "cleanup took the host out of maintenance mode after the cancellation");
        Assert.Equal(["win1"], esx1.Guests);
        Assert.False(esx1.IsInstalled("esx-p"));

        adapter.Before = null;
        var resumed = await RunAsync([adapter], patches, clock, journal);
        Assert.Equal(HostOutcomeState.Patched, resumed.Outcome("esx1").State);
        var after = (await adapter.Inner.GetInventoryAsync(CancellationToken.None)).Hosts.Single(h => h.Id == "esx1");
        Assert.True(after.IsInstalled("esx-p"));
        Assert.False(after.InMaintenanceMode);
        Assert.Equal(["win1"], after.Guests);
    }

    [Fact]
    public async Task RealClockWindow_StepsLongerThanPlanned_NoForwardStepStartsAfterTheWindowCloses_CleanupStillRuns()
    {
        // The window is 02:00–03:00 on the wall clock; the install really takes 50 minutes though it was estimated at
        // 10, so the reboot (estimated 20) no longer fits. A lane simulation would have believed it had 40 minutes left.
        var fake = new FakeTimeProvider(TestFleet.Start.AddHours(2));
        var fleet = TestFleet.Fleet(TestFleet.Host("esx1", HostKind.Esx), TestFleet.Host("esx2", HostKind.Esx), TestFleet.Host("win1", HostKind.Windows, "esx1"));
        var adapter = new InterceptingAdapter(new SimulatedHostAdapter(fleet, new() { TimeProvider = fake }));
        var starts = new List<(string Method, string HostId, DateTimeOffset At)>();
        adapter.Before = (m, op) =>
        {
            lock (starts)
            {
                starts.Add((m, op.HostId, fake.GetUtcNow()));
            }

            if (op.HostId == "esx1" && m == "Install")
            {
                fake.Advance(TimeSpan.FromMinutes(50));
            }

            return Task.CompletedTask;
        };
        var running = RunAsync([adapter], [TestFleet.Patch("esx-p", HostKind.Esx)], fake, simulated: false, repair: o =>
        {
            o.MaxConcurrency = 1;
            o.Windows.Add(new MaintenanceWindow { Start = new TimeOnly(2, 0), Duration = TimeSpan.FromHours(1), TimeZone = "UTC" });
            o.Estimates.Install = TimeSpan.FromMinutes(10);
            o.Estimates.HostReboot = TimeSpan.FromMinutes(20);
            o.Estimates.Snapshot = TimeSpan.Zero;
            o.Estimates.MaintenanceMode = TimeSpan.Zero;
            o.Estimates.MigratePerGuest = TimeSpan.Zero;
            o.Estimates.Verify = TimeSpan.Zero;
        });

        // esx2 waits for the next night's window on the wall clock: move the clock until the run is done.
        while (!running.IsCompleted)
        {
            await Task.Delay(5);
            fake.Advance(TimeSpan.FromMinutes(30));
        }

        var result = await running;
        var closes = TestFleet.Start.AddHours(3);
        var esx1 = result.Outcome("esx1");
        Assert.Equal(HostOutcomeState.PatchedPendingReboot, esx1.State);
        var esx1Calls = starts.Where(s => s.HostId == "esx1").ToList();
        Assert.DoesNotContain(esx1Calls, s => s.Method == "RebootAndWait");
        Assert.Contains(esx1Calls, s => s.Method == "ExitMaintenanceMode");
        Assert.Contains(esx1Calls, s => s.Method == "Rebalance");
        var inv = (await adapter.Inner.GetInventoryAsync(CancellationToken.None)).Hosts.Single(h => h.Id == "esx1");
        Assert.False(inv.InMaintenanceMode);
        foreach (var (method, _, at) in esx1Calls.Where(s => s.Method is "Install" or "RebootAndWait" or "EnterMaintenanceMode" or "Evacuate" or "CreateSnapshot"))
        {
            Assert.True(at < closes, method + " started at " + at + ", after the window closed");
        }

        // The other host waited for the next window and started inside it.
        var esx2Install = Assert.Single(starts, s => s.HostId == "esx2" && s.Method == "Install");
        Assert.Equal(2, esx2Install.At.Hour);
        Assert.Equal(HostOutcomeState.Patched, result.Outcome("esx2").State);
    }
}
