using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PatchKit.Diagnostics;
using PatchKit.Hosts;
using PatchKit.Lifecycle.Journal;
using PatchKit.Lifecycle.Reach;
using PatchKit.Lifecycle.Repair;
using PatchKit.Lifecycle.Report;
using PatchKit.Lifecycle.Research;
using PatchKit.Lifecycle.Resolve;

namespace PatchKit.Lifecycle;

/// <summary>One run of a pipeline: id, cancellation, clock, logging, progress, journal, and what each stage found.
/// One context per run; stages read what earlier stages set.</summary>
public sealed class PatchRunContext
{
    private readonly object _replayGate = new();

    internal PatchRunContext(string runId, PatchRunOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory, IRunJournal journal,
        JournalReplay replay, CancellationToken cancellationToken)
    {
        RunId = runId;
        Adapters = [.. options.Adapters];
        Progress = options.Progress;
        IsDryRun = options.DryRun;
        TimeProvider = timeProvider;
        LoggerFactory = loggerFactory;
        Logger = loggerFactory.CreateLogger("PatchKit.Lifecycle");
        Journal = journal;
        Replay = replay;
        CancellationToken = cancellationToken;
        StartedAt = timeProvider.GetUtcNow();
    }

    /// <summary>Gets the run id.</summary>
    public string RunId { get; }

    /// <summary>Gets the token that cancels the run; stages stop at a safe point.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Gets the clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets the logger factory.</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>Gets the run's logger.</summary>
    public ILogger Logger { get; }

    /// <summary>Gets where progress for people goes, or <see langword="null"/>.</summary>
    public IProgress<PatchProgress>? Progress { get; }

    /// <summary>Gets the journal.</summary>
    public IRunJournal Journal { get; }

    /// <summary>Gets the adapters the run covers.</summary>
    public IReadOnlyList<IHostAdapter> Adapters { get; }

    /// <summary>Gets whether the run only plans.</summary>
    public bool IsDryRun { get; }

    /// <summary>Gets whether an earlier attempt of this run id exists in the journal.</summary>
    public bool IsResumed => Replay.Attempts > 0;

    /// <summary>Gets when this attempt started.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Gets the property bag for custom stages and hooks.</summary>
    public PatchRunProperties Properties { get; } = new();

    /// <summary>Gets or sets what Reach found.</summary>
    public ReachResult? Fleet { get; set; }

    /// <summary>Gets or sets what Resolve decided.</summary>
    public ResolveResult? Assessment { get; set; }

    /// <summary>Gets or sets what Research verified in the lab.</summary>
    public ResearchResult? Research { get; set; }

    /// <summary>Gets or sets the plan Repair made.</summary>
    public RepairPlan? Plan { get; set; }

    /// <summary>Gets or sets what Repair did.</summary>
    public RepairResult? Repair { get; set; }

    /// <summary>Gets or sets the report.</summary>
    public PatchRunReport? Report { get; set; }

    /// <summary>Gets or sets the report files written (full paths).</summary>
    public IReadOnlyList<string> ReportFiles { get; set; } = [];

    internal JournalReplay Replay { get; }

    internal void ReportProgress(string stage, string message, int completed, int total) =>
        Progress?.Report(new PatchProgress(stage, message, completed, total));

    internal ValueTask AppendAsync(JournalRecordKind kind, string? key, string? hostId, string? message, string? data,
        TimeSpan? duration = null, bool reconciled = false) =>
        Journal.AppendAsync(new JournalRecord
        {
            RunId = RunId,
            Kind = kind,
            At = TimeProvider.GetUtcNow(),
            Key = key,
            HostId = hostId,
            Message = message,
            Data = data,
            Duration = duration,
            Reconciled = reconciled,
        }, CancellationToken);

    /// <summary>Whether an earlier attempt started the step (or, for a key ending in '/', any step under it).</summary>
    internal bool HasJournaled(string keyOrPrefix) =>
        keyOrPrefix.EndsWith('/') ? Replay.Prefixes.Contains(keyOrPrefix) : Replay.Keys.Contains(keyOrPrefix);

    internal bool TryGetDecision(string key, out string? data)
    {
        lock (_replayGate)
        {
            if (Replay.Decisions.TryGetValue(key, out var r))
            {
                data = r.Data;
                return true;
            }
        }

        data = null;
        return false;
    }

    /// <summary>Runs one host step through the journal: a step finished in an earlier attempt is not repeated; a
    /// step in flight at a crash is first reconciled with the host's real state; otherwise the step is journaled
    /// before (flushed) and after it runs. Exceptions other than cancellation become failed outcomes.</summary>
    internal async ValueTask<StepOutcome> RunStepAsync(string key, string hostId, string? startData,
        Func<string?, CancellationToken, Task<StepOutcome>> execute, Func<string?, CancellationToken, Task<StepOutcome?>>? reconcile)
    {
        JournalRecord? finished;
        JournalRecord? inFlight;
        lock (_replayGate)
        {
            Replay.Finished.TryGetValue(key, out finished);
            Replay.InFlight.Remove(key, out inFlight);
        }

        if (finished is not null)
        {
            PatchKit.Lifecycle.Journal.Log.StepReplayed(Logger, key);
            return new StepOutcome(finished.Kind == JournalRecordKind.StepCompleted, finished.Message ?? string.Empty,
                finished.Duration ?? TimeSpan.Zero, finished.Data, Replayed: true);
        }

        if (inFlight is not null)
        {
            startData = inFlight.Data ?? startData;
            if (reconcile is not null)
            {
                StepOutcome? found = await reconcile(startData, CancellationToken).ConfigureAwait(false);
                if (found is { } o)
                {
                    PatchKit.Lifecycle.Journal.Log.StepReconciled(Logger, key, hostId, "done");
                    await AppendAsync(o.Succeeded ? JournalRecordKind.StepCompleted : JournalRecordKind.StepFailed, key, hostId, o.Message, o.Data,
                        o.Duration, reconciled: true).ConfigureAwait(false);
                    return o;
                }
            }

            PatchKit.Lifecycle.Journal.Log.StepReconciled(Logger, key, hostId, "not done; running it again");
        }

        await AppendAsync(JournalRecordKind.StepStarted, key, hostId, null, startData).ConfigureAwait(false);
        using var activity = PatchKitTelemetry.ActivitySource.StartActivity(PatchKitTelemetry.HostStepActivityName);
        activity?.SetTag(TelemetryTags.RunId, RunId);
        activity?.SetTag(TelemetryTags.HostId, hostId);
        activity?.SetTag(TelemetryTags.Step, key);
        StepOutcome outcome;
        try
        {
            outcome = await execute(startData, CancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A host step boundary turns any failure into an outcome (STYLE E4).
        catch (Exception ex)
#pragma warning restore CA1031
        {
            outcome = new StepOutcome(false, ex.Message, TimeSpan.Zero, null);
            activity?.SetTag(TelemetryTags.ErrorType, ex.GetType().FullName);
        }

        if (!outcome.Succeeded)
        {
            activity?.SetStatus(ActivityStatusCode.Error);
            Lifecycle.Log.HostStepFailed(Logger, key, hostId, outcome.Message);
        }
        else
        {
            Lifecycle.Log.HostStepCompleted(Logger, key, hostId);
        }

        await AppendAsync(outcome.Succeeded ? JournalRecordKind.StepCompleted : JournalRecordKind.StepFailed, key, hostId, outcome.Message,
            outcome.Data, outcome.Duration).ConfigureAwait(false);
        return outcome;
    }
}
