using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using PatchKit.Diagnostics;
using PatchKit.Hosts;
using PatchKit.Internal;
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
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _fences = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, CancellationToken> _leaseLost = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Task>> _unflushed = new(StringComparer.Ordinal);

    internal PatchRunContext(string runId, PatchRunOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory, IRunJournal journal,
        JournalReplay replay, CancellationToken cancellationToken)
    {
        RunId = runId;
        Adapters = [.. options.Adapters];
        Progress = options.Progress;
        HostProgress = options.HostProgress;
        IsDryRun = options.DryRun;
        TimeProvider = timeProvider;
        LoggerFactory = loggerFactory;
        Logger = loggerFactory.CreateLogger("PatchKit.Lifecycle");
        Journal = journal;
        Replay = replay;
        CancellationToken = cancellationToken;
        StartedAt = timeProvider.GetUtcNow();
        RepairQueue = options.RepairQueue;
        RepairQueueRole = options.RepairQueueRole;
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

    /// <summary>Gets where per-host progress from adapters goes, or <see langword="null"/>.</summary>
    public IProgress<HostProgress>? HostProgress { get; }

    /// <summary>Gets the journal.</summary>
    public IRunJournal Journal { get; }

    /// <summary>Gets the adapters the run covers.</summary>
    public IReadOnlyList<IHostAdapter> Adapters { get; }

    /// <summary>Gets whether the run's time is simulated (see <see cref="PatchPipelineBuilder.SimulatedTimeline"/>).</summary>
    public bool SimulatedTimeline { get; internal init; }

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

    /// <summary>Gets where the current host's own timeline is, on a simulated timeline: a lane of the Repair stage or the
    /// lab's. Records journaled by steps on that flow carry this time (the start record) and this time plus the step's
    /// duration (the end record), so the journal tells when each step ran on the run's clock.</summary>
    internal AsyncLocal<DateTimeOffset?> LaneTime { get; } = new();

    /// <summary>Gets the work queue shared with other processes, or <see langword="null"/>.</summary>
    internal IRepairWorkQueue? RepairQueue { get; }

    internal RepairQueueRole RepairQueueRole { get; }

    /// <summary>Records the fencing token under which this process now works on a host: every operation about the
    /// host carries it from now on.</summary>
    /// <param name="hostId">The host.</param>
    /// <param name="token">The lease's fencing token.</param>
    /// <param name="lost">Signalled when the lease is known to be lost: from then on no adapter call about the host
    /// is made (and one in flight is cancelled).</param>
    internal void SetFence(string hostId, long token, CancellationToken lost = default)
    {
        _fences[hostId] = token;
        _leaseLost[hostId] = lost;
    }

    /// <summary>Throws <see cref="HostLeaseLostException"/> when this process's lease on the host is known to be lost.</summary>
    internal void ThrowIfLeaseLost(string hostId)
    {
        if (_leaseLost.TryGetValue(hostId, out var lost) && lost.IsCancellationRequested)
        {
            throw new HostLeaseLostException(hostId, FenceOf(hostId) ?? 0, lost);
        }
    }

    private CancellationToken LeaseLostToken(string hostId) => _leaseLost.TryGetValue(hostId, out var lost) ? lost : CancellationToken.None;

    internal long? FenceOf(string hostId) => _fences.TryGetValue(hostId, out long t) ? t : null;

    /// <summary>Reads again what the journal holds about a host (under <paramref name="prefix"/>): another process
    /// may have worked on it since this attempt started (its lease expired and this process took the host over).</summary>
    internal async ValueTask RefreshReplayAsync(string prefix)
    {
        var read = await Journal.ReadAsync(RunId, CancellationToken).ConfigureAwait(false);
        var fresh = new JournalReplay(read.Records);
        lock (_replayGate)
        {
            Refresh(Replay.Finished, fresh.Finished, prefix);
            Refresh(Replay.InFlight, fresh.InFlight, prefix);
            Refresh(Replay.Checkpoints, fresh.Checkpoints, prefix);
            Refresh(Replay.Decisions, fresh.Decisions, prefix);
            Replay.Keys.UnionWith(fresh.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)));
            Replay.Prefixes.UnionWith(fresh.Prefixes.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)));
        }

        static void Refresh<T>(Dictionary<string, T> into, Dictionary<string, T> from, string prefix)
        {
            foreach (string k in into.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            {
                into.Remove(k);
            }

            foreach (var (k, v) in from)
            {
                if (k.StartsWith(prefix, StringComparison.Ordinal))
                {
                    into[k] = v;
                }
            }
        }
    }

    internal void ReportProgress(string stage, string message, int completed, int total) =>
        Progress?.Report(new PatchProgress(stage, message, completed, total));

    /// <summary>Appends a record. Messages that carry an adapter's words come from step outcomes, which the step
    /// boundary (<see cref="GuardAsync"/>) has already redacted.</summary>
    internal ValueTask AppendAsync(JournalRecordKind kind, string? key, string? hostId, string? message, string? data,
        TimeSpan? duration = null, bool reconciled = false, CancellationToken? token = null, HostOperationStatus? status = null, string? errorCode = null,
        IReadOnlyList<string>? guests = null, IReadOnlyList<Resolve.HostAssessment>? assessments = null, DateTimeOffset? at = null) =>
        Journal.AppendAsync(NewRecord(kind, key, hostId, message, data, duration, reconciled, status, errorCode, guests, assessments, at), token ?? CancellationToken);

    private JournalRecord NewRecord(JournalRecordKind kind, string? key, string? hostId, string? message, string? data, TimeSpan? duration,
        bool reconciled, HostOperationStatus? status, string? errorCode, IReadOnlyList<string>? guests, IReadOnlyList<Resolve.HostAssessment>? assessments,
        DateTimeOffset? at) => new()
        {
            Format = JournalRecord.CurrentFormat,
            RunId = RunId,
            Kind = kind,
            At = at ?? (SimulatedTimeline ? LaneTime.Value : null) ?? TimeProvider.GetUtcNow(),
            Key = key,
            HostId = hostId,
            Message = message,
            Data = data,
            Duration = duration,
            Reconciled = reconciled,
            Status = status,
            ErrorCode = errorCode,
            Guests = guests,
            Assessments = assessments,
        };

    /// <summary>Whether an earlier attempt started the step (or, for a key ending in '/', any step under it).</summary>
    internal bool HasJournaled(string keyOrPrefix) =>
        keyOrPrefix.EndsWith('/') ? Replay.Prefixes.Contains(keyOrPrefix) : Replay.Keys.Contains(keyOrPrefix);

    /// <summary>Runs one step on a host through the run's journal, the way the built-in stages run theirs, for custom
    /// stages: a step finished in an earlier attempt of the run is not run again (its recorded result is returned); a
    /// step that was in flight when the process died is first reconciled with <paramref name="reconcile"/>; otherwise
    /// the step is journaled before and after it runs, gets a <see cref="HostOperation"/> whose token is cancelled after
    /// <paramref name="timeout"/> on the run's clock (then the result is <see cref="HostOperationStatus.TimedOut"/>), and
    /// any exception other than the run's cancellation becomes a failed result with a redacted message.</summary>
    /// <param name="key">The step's key, unique within the run; prefix it with the stage's name (<c>audit/esx01/scan</c>).</param>
    /// <param name="hostId">The host.</param>
    /// <param name="step">The step.</param>
    /// <param name="timeout">How long the step may take, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="reconcile">Asks the host whether an interrupted step already happened: a result when it did,
    /// <see langword="null"/> to run the step again; <see langword="null"/> to always run it again.</param>
    /// <returns>The step's result.</returns>
    public async ValueTask<HostStepResult> RunHostStepAsync(string key, string hostId, Func<HostOperation, Task<HostStepResult>> step, TimeSpan timeout,
        Func<HostOperation, Task<HostStepResult?>>? reconcile = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentException.ThrowIfNullOrEmpty(hostId);
        ArgumentNullException.ThrowIfNull(step);
        var o = await RunStepAsync(key, hostId, null, timeout,
            async (op, _) => StepOutcome.From(await step(op).ConfigureAwait(false)),
            reconcile is null ? null : async (op, _) => await reconcile(op).ConfigureAwait(false) is { } r ? StepOutcome.From(r) : null).ConfigureAwait(false);
        return new HostStepResult
        {
            Status = o.Status != HostOperationStatus.Unknown ? o.Status : o.Succeeded ? HostOperationStatus.Succeeded : HostOperationStatus.Failed,
            Message = o.Message,
            Duration = o.Duration,
            ErrorCode = o.ErrorCode,
        };
    }

    /// <summary>An operation context for a call outside a journaled step (a query before the step starts).</summary>
    internal HostOperation Operation(string hostId)
    {
        ThrowIfLeaseLost(hostId);
        return new(hostId) { CancellationToken = CancellationToken, TimeProvider = TimeProvider, Progress = HostProgress, FencingToken = FenceOf(hostId) };
    }

    /// <summary>How many decisions an earlier attempt recorded under a key prefix.</summary>
    internal int CountDecisions(string prefix)
    {
        lock (_replayGate)
        {
            return Replay.Decisions.Keys.Count(k => k.StartsWith(prefix, StringComparison.Ordinal));
        }
    }

    internal bool TryGetDecision(string key, out string? data)
    {
        bool found = TryGetDecisionRecord(key, out var r);
        data = r?.Data;
        return found;
    }

    internal bool TryGetDecisionRecord(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out JournalRecord? record)
    {
        lock (_replayGate)
        {
            return Replay.Decisions.TryGetValue(key, out record);
        }
    }

    /// <summary>Runs one host step through the journal: a step finished in an earlier attempt is not repeated; a
    /// step in flight at a crash is first reconciled with the host's real state and handed its last checkpoint;
    /// otherwise the step is journaled before (flushed) and after it runs. The step gets a <see cref="HostOperation"/>
    /// whose token is cancelled after <paramref name="timeout"/> on the run's clock: a step that runs past it is a
    /// timed-out outcome, while the run's own cancellation passes through. Exceptions other than the run's
    /// cancellation become failed outcomes that record the exception's type and a redacted message.</summary>
    /// <remarks>With <c>deferEnd</c> the record that ends the step may wait for the host's next flush (a journal that
    /// implements <see cref="IDeferredFlushRunJournal"/>): the host's next step's start record carries it to the disk,
    /// and <see cref="FlushHostAsync"/> must be awaited before the host is completed or reported.</remarks>
    internal async ValueTask<StepOutcome> RunStepAsync(string key, string hostId, StepInput start, TimeSpan timeout,
        Func<HostOperation, StepInput, Task<StepOutcome>> execute, Func<HostOperation, StepInput, Task<StepOutcome?>>? reconcile,
        CancellationToken? token = null, TimeSpan? estimate = null, bool deferEnd = false)
    {
        var ct = token ?? CancellationToken;
        JournalRecord? finished;
        JournalRecord? inFlight;
        string? checkpoint;
        lock (_replayGate)
        {
            Replay.Finished.TryGetValue(key, out finished);
            Replay.InFlight.Remove(key, out inFlight);
            Replay.Checkpoints.Remove(key, out checkpoint);
        }

        if (finished is not null)
        {
            PatchKit.Lifecycle.Journal.Log.StepReplayed(Logger, key);
            return new StepOutcome(finished.Kind == JournalRecordKind.StepCompleted, finished.Message ?? string.Empty,
                finished.Duration ?? TimeSpan.Zero, finished.Data, Replayed: true, Status: finished.Status ?? HostOperationStatus.Unknown,
                Guests: finished.Guests ?? LegacyGuests(finished));
        }

        if (inFlight is not null)
        {
            start = new StepInput(inFlight.Data ?? start.Data, inFlight.Guests ?? LegacyGuests(inFlight) ?? start.Guests, inFlight.At);
            if (reconcile is not null)
            {
                var input = start;
                StepOutcome? found = await GuardAsync(key, hostId, timeout, checkpoint, ct, op => reconcile(op, input)).ConfigureAwait(false);
                if (found is { } o)
                {
                    // A step found done after a crash took its time before the crash: on a simulated timeline a step
                    // whose reconciliation could not tell that time (no answer of the host) counts as planned.
                    if (SimulatedTimeline && estimate is { } planned && o.Duration == TimeSpan.Zero)
                    {
                        o = o with { Duration = planned };
                    }

                    PatchKit.Lifecycle.Journal.Log.StepReconciled(Logger, key, hostId, "done");
                    await AppendEndAsync(key, hostId, o, reconciled: true, ct, deferEnd).ConfigureAwait(false);
                    return o;
                }
            }

            PatchKit.Lifecycle.Journal.Log.StepReconciled(Logger, key, hostId, checkpoint is null ? "not done; running it again" : "not done; waiting on its job " + checkpoint);
        }

        await AppendAsync(JournalRecordKind.StepStarted, key, hostId, null, start.Data, token: ct, guests: start.Guests).ConfigureAwait(false);
        if (deferEnd)
        {
            // That flush carried the host's earlier deferred records to the disk.
            await FlushHostAsync(hostId).ConfigureAwait(false);
        }

        HostProgress?.Report(new HostProgress { HostId = hostId, Message = key.Replace("/" + hostId + "/", "/", StringComparison.Ordinal) });

        using var activity = PatchKitTelemetry.ActivitySource.StartActivity(PatchKitTelemetry.HostStepActivityName);
        activity?.SetTag(TelemetryTags.RunId, RunId);
        activity?.SetTag(TelemetryTags.HostId, hostId);
        activity?.SetTag(TelemetryTags.Step, key);
        StepOutcome outcome = (await GuardAsync(key, hostId, timeout, checkpoint, ct, async op => (StepOutcome?)await execute(op, start).ConfigureAwait(false))
            .ConfigureAwait(false)) ?? default;
        if (!outcome.Succeeded)
        {
            activity?.SetStatus(ActivityStatusCode.Error);
            if (outcome.ErrorType is { } type)
            {
                activity?.SetTag(TelemetryTags.ErrorType, type);
            }

            Lifecycle.Log.HostStepFailed(Logger, key, hostId, outcome.Message);
        }
        else
        {
            Lifecycle.Log.HostStepCompleted(Logger, key, hostId);
        }

        await AppendEndAsync(key, hostId, outcome, reconciled: false, ct, deferEnd).ConfigureAwait(false);
        return outcome;
    }

    private ValueTask AppendEndAsync(string key, string hostId, StepOutcome o, bool reconciled, CancellationToken ct, bool deferEnd)
    {
        var record = NewRecord(o.Succeeded ? JournalRecordKind.StepCompleted : JournalRecordKind.StepFailed, key, hostId, o.Message, o.Data, o.Duration,
            reconciled, o.Status, o.ErrorCode, o.Guests, assessments: null, at: SimulatedTimeline && LaneTime.Value is { } lane ? lane + o.Duration : null);
        if (!deferEnd || Journal is not IDeferredFlushRunJournal deferred)
        {
            return Journal.AppendAsync(record, ct);
        }

        // Group commit along the host: the end of a step is written now and made durable by the flush of the host's
        // next start record (which must be on the disk before that step acts anyway), or by FlushHostAsync.
        var pending = deferred.AppendDeferredAsync(record, ct);
        if (!pending.IsCompletedSuccessfully)
        {
            lock (_unflushed)
            {
                if (!_unflushed.TryGetValue(hostId, out var list))
                {
                    _unflushed[hostId] = list = [];
                }

                list.Add(pending.AsTask());
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Waits until every deferred record of a host is durable, flushing the journal if one is not yet.</summary>
    internal async ValueTask FlushHostAsync(string hostId)
    {
        List<Task>? pending;
        lock (_unflushed)
        {
            _unflushed.Remove(hostId, out pending);
        }

        if (pending is null)
        {
            return;
        }

        if (!pending.TrueForAll(t => t.IsCompleted) && Journal is IDeferredFlushRunJournal deferred)
        {
            await deferred.FlushAsync(CancellationToken).ConfigureAwait(false);
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
    }

    /// <summary>Waits until every deferred record of the run is durable.</summary>
    internal async ValueTask FlushAllAsync()
    {
        List<Task> pending;
        lock (_unflushed)
        {
            pending = [.. _unflushed.Values.SelectMany(l => l)];
            _unflushed.Clear();
        }

        if (pending.Count == 0)
        {
            return;
        }

        if (Journal is IDeferredFlushRunJournal deferred)
        {
            await deferred.FlushAsync(CancellationToken).ConfigureAwait(false);
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
    }

    /// <summary>Records of format 2 and older packed a step's guests into <see cref="JournalRecord.Data"/>, comma-joined.</summary>
    private static IReadOnlyList<string>? LegacyGuests(JournalRecord r) =>
        r.Format < 3 && r.Key is { } k && (k.EndsWith("/evacuate", StringComparison.Ordinal) || k.EndsWith("/rebalance", StringComparison.Ordinal))
            ? string.IsNullOrEmpty(r.Data) ? [] : r.Data.Split(',')
            : null;

    /// <summary>Calls a step with its operation context and turns a timeout or an exception into an outcome.</summary>
    private async Task<StepOutcome?> GuardAsync(string key, string hostId, TimeSpan timeout, string? checkpoint, CancellationToken ct,
        Func<HostOperation, Task<StepOutcome?>> call)
    {
        // No call about a host whose lease is known lost; a call in flight when the loss becomes known is cancelled.
        ThrowIfLeaseLost(hostId);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, LeaseLostToken(hostId));
        var op = new HostOperation(hostId, (handle, _) => AppendAsync(JournalRecordKind.StepCheckpoint, key, hostId, null, Redactor.Redact(handle), token: ct))
        {
            CancellationToken = linked.Token,
            Timeout = timeout,
            // On a simulated timeline the step happens at its lane's time: a simulated host stamps what it does (a
            // boot) with the operation's clock, so the time it reports compares with the step's journaled start.
            TimeProvider = SimulatedTimeline && LaneTime.Value is { } lane ? new LaneTimeProvider(TimeProvider, lane) : TimeProvider,
            Progress = HostProgress,
            Checkpoint = checkpoint,
            FencingToken = FenceOf(hostId),
        };
        var started = TimeProvider.GetTimestamp();
        Task<StepOutcome?>? task = null;
        try
        {
            task = call(op);

            // A completed task needs no timer, and a simulated clock gets none: it would jump to the timer's due time.
            StepOutcome? result = task.IsCompleted || timeout == Timeout.InfiniteTimeSpan || SimulatedTimeline
                ? await task.ConfigureAwait(false)
                : await task.WaitAsync(timeout, TimeProvider, ct).ConfigureAwait(false);
            return result is { } o ? o with { Message = Redactor.Redact(o.Message) } : null;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception) when (LeaseLostToken(hostId).IsCancellationRequested)
        {
            // The lease moved while the call ran: what it did is the new holder's to find out (from the host and the journal).
            Observe(task);
            throw new HostLeaseLostException(hostId, FenceOf(hostId) ?? 0, LeaseLostToken(hostId));
        }
        catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && linked.IsCancellationRequested))
        {
            await linked.CancelAsync().ConfigureAwait(false);
            Observe(task);
            var took = TimeProvider.GetElapsedTime(started);
            return new StepOutcome(false, "timed out after " + FormatSpan(timeout) + " (the step was cancelled)", took, null,
                Status: HostOperationStatus.TimedOut, ErrorType: nameof(TimeoutException));
        }
#pragma warning disable CA1031 // A host step boundary turns any failure into an outcome (STYLE E4).
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new StepOutcome(false, Redactor.Redact(ex.Message) + " (" + ex.GetType().Name + ")", TimeSpan.Zero, null,
                Status: HostOperationStatus.Failed, ErrorType: ex.GetType().FullName);
        }
    }

    private static void Observe(Task? task) =>
        task?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    private static string FormatSpan(TimeSpan t) =>
        t.TotalHours >= 1 ? t.TotalHours.ToString("0.#", CultureInfo.InvariantCulture) + " h"
        : t.TotalMinutes >= 1 ? t.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture) + " min"
        : t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
