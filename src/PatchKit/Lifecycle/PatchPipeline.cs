using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using PatchKit.Diagnostics;
using PatchKit.Lifecycle.Journal;

namespace PatchKit.Lifecycle;

/// <summary>An immutable lifecycle built by <see cref="PatchPipelineBuilder"/>. Thread-safe; one context per run.</summary>
public sealed class PatchPipeline
{
    private readonly IReadOnlyList<PipelineStageEntry> _stages;
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory _loggerFactory;
    private readonly IRunJournal _journal;
    private readonly bool _simulatedTimeline;

    internal PatchPipeline(IReadOnlyList<PipelineStageEntry> stages, TimeProvider timeProvider, ILoggerFactory loggerFactory,
        IRunJournal journal, bool simulatedTimeline)
    {
        _simulatedTimeline = simulatedTimeline;
        _stages = stages;
        _timeProvider = timeProvider;
        _loggerFactory = loggerFactory;
        _journal = journal;
    }

    /// <summary>Gets the stage names, in order.</summary>
    public IReadOnlyList<string> StageNames => [.. _stages.Select(s => s.Name)];

    /// <summary>Runs every stage in order. With the id of an earlier run and the same journal, the run resumes:
    /// finished steps are not repeated and a step in flight at a crash is reconciled with the host first.</summary>
    /// <param name="options">What to run on.</param>
    /// <param name="cancellationToken">Cancels the run at the next safe point.</param>
    /// <returns>The run's context, with what every stage found and did.</returns>
    /// <exception cref="PipelineStageException">A stage failed as a whole.</exception>
    /// <exception cref="JournalCorruptException">The journal is damaged before its last record.</exception>
    public async Task<PatchRunResult> ExecuteAsync(PatchRunOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        string runId = options.RunId ?? NewRunId();
        var read = await _journal.ReadAsync(runId, cancellationToken).ConfigureAwait(false);
        if (read.Records.FirstOrDefault(r => r.Format > JournalRecord.CurrentFormat) is { } newer)
        {
            throw new JournalCorruptException("Run '" + runId + "' was journaled by a newer PatchKit (record format " + newer.Format.ToString(CultureInfo.InvariantCulture)
                + "; this version reads up to " + JournalRecord.CurrentFormat.ToString(CultureInfo.InvariantCulture)
                + "). Resume it with that version, or start a new run id.");
        }

        var replay = read.Records.Count == 0 || options.DryRun ? JournalReplay.Empty : new JournalReplay(read.Records);
        var context = new PatchRunContext(runId, options, _timeProvider, _loggerFactory, _journal, replay, cancellationToken) { SimulatedTimeline = _simulatedTimeline };
        if (read.TornTailDetected)
        {
            Journal.Log.JournalTornTail(context.Logger, runId);
        }

        if (context.IsResumed)
        {
            Journal.Log.RunResuming(context.Logger, runId, replay.Finished.Count, replay.InFlight.Count);
        }

        Log.RunStarting(context.Logger, runId, replay.Attempts + 1, options.DryRun);
        using var runActivity = PatchKitTelemetry.ActivitySource.StartActivity(PatchKitTelemetry.RunActivityName);
        runActivity?.SetTag(TelemetryTags.RunId, runId);
        long started = _timeProvider.GetTimestamp();
        if (!options.DryRun)
        {
            await context.AppendAsync(JournalRecordKind.RunStarted, null, null, "attempt " + (replay.Attempts + 1).ToString(CultureInfo.InvariantCulture), null)
                .ConfigureAwait(false);
        }

        foreach (var entry in _stages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await RunStageAsync(context, entry.Name, entry.Stage, entry).ConfigureAwait(false);
        }

        if (!options.DryRun)
        {
            // On a simulated timeline the run ends when its last host's lane does, not at the clock's start.
            await context.AppendAsync(JournalRecordKind.RunCompleted, null, null, null, null,
                at: _simulatedTimeline ? context.Report?.EndedAt : null).ConfigureAwait(false);
        }

        Log.RunCompleted(context.Logger, runId, _timeProvider.GetElapsedTime(started).TotalMilliseconds);
        return new PatchRunResult(context, replay.Attempts + 1, read.TornTailDetected);
    }

    private static async ValueTask RunStageAsync(PatchRunContext context, string name, PatchStage stage, PipelineStageEntry options)
    {
        using var activity = PatchKitTelemetry.ActivitySource.StartActivity(PatchKitTelemetry.StageActivityName);
        activity?.SetTag(TelemetryTags.RunId, context.RunId);
        activity?.SetTag(TelemetryTags.Stage, name);
        if (options.OnStarting is { } starting)
        {
            await starting(new OnStageStartingArguments(context, name)).ConfigureAwait(false);
        }

        Log.StageStarting(context.Logger, name);
        context.ReportProgress(name, "starting", 0, 0);
        long started = context.TimeProvider.GetTimestamp();
        Exception? failure = null;
        try
        {
            await stage.ExecuteAsync(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not PipelineStageException and not JournalCorruptException)
        {
            failure = ex;
            activity?.SetStatus(ActivityStatusCode.Error);
            activity?.SetTag(TelemetryTags.ErrorType, ex.GetType().FullName);
            Log.StageFailed(context.Logger, ex, name);
            throw new PipelineStageException(name, ex.Message, ex);
        }
        finally
        {
            var elapsed = context.TimeProvider.GetElapsedTime(started);
            if (options.OnCompleted is { } completed)
            {
                await completed(new OnStageCompletedArguments(context, name, elapsed, failure)).ConfigureAwait(false);
            }

            if (failure is null)
            {
                Log.StageCompleted(context.Logger, name, elapsed.TotalMilliseconds);
            }
        }
    }

    private string NewRunId() =>
        "run-" + _timeProvider.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6];
}
