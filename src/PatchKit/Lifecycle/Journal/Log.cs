using Microsoft.Extensions.Logging;

namespace PatchKit.Lifecycle.Journal;

internal static partial class Log
{
    [LoggerMessage(EventId = 2901, EventName = "RunResuming", Level = LogLevel.Information,
        Message = "Resuming run {RunId}: {CompletedSteps} steps done, {InFlightSteps} in flight to reconcile")]
    internal static partial void RunResuming(this ILogger logger, string runId, int completedSteps, int inFlightSteps);

    [LoggerMessage(EventId = 2902, EventName = "JournalTornTail", Level = LogLevel.Warning,
        Message = "The last record of the journal of run {RunId} was torn by a crash and was ignored")]
    internal static partial void JournalTornTail(this ILogger logger, string runId);

    [LoggerMessage(EventId = 2903, EventName = "StepReconciled", Level = LogLevel.Information,
        Message = "Step {StepKey} was in flight at the crash; host {HostId} shows it {Outcome}")]
    internal static partial void StepReconciled(this ILogger logger, string stepKey, string hostId, string outcome);

    [LoggerMessage(EventId = 2904, EventName = "StepReplayed", Level = LogLevel.Debug,
        Message = "Step {StepKey} already done in an earlier attempt; not repeated")]
    internal static partial void StepReplayed(this ILogger logger, string stepKey);
}
