using Microsoft.Extensions.Logging;

namespace PatchKit.Lifecycle;

internal static partial class Log
{
    [LoggerMessage(EventId = 2001, EventName = "RunStarting", Level = LogLevel.Information,
        Message = "Run {RunId} starting (attempt {Attempt}, dry run: {DryRun})")]
    internal static partial void RunStarting(this ILogger logger, string runId, int attempt, bool dryRun);

    [LoggerMessage(EventId = 2002, EventName = "RunCompleted", Level = LogLevel.Information,
        Message = "Run {RunId} completed in {ElapsedMs} ms")]
    internal static partial void RunCompleted(this ILogger logger, string runId, double elapsedMs);

    [LoggerMessage(EventId = 2003, EventName = "StageStarting", Level = LogLevel.Information, Message = "Stage {Stage} starting")]
    internal static partial void StageStarting(this ILogger logger, string stage);

    [LoggerMessage(EventId = 2004, EventName = "StageCompleted", Level = LogLevel.Information,
        Message = "Stage {Stage} completed in {ElapsedMs} ms")]
    internal static partial void StageCompleted(this ILogger logger, string stage, double elapsedMs);

    [LoggerMessage(EventId = 2005, EventName = "StageFailed", Level = LogLevel.Error, Message = "Stage {Stage} failed")]
    internal static partial void StageFailed(this ILogger logger, Exception exception, string stage);

    [LoggerMessage(EventId = 2006, EventName = "HostStepFailed", Level = LogLevel.Error,
        Message = "Step {StepKey} on {HostId} failed: {Reason}")]
    internal static partial void HostStepFailed(this ILogger logger, string stepKey, string hostId, string reason);

    [LoggerMessage(EventId = 2007, EventName = "HostStepCompleted", Level = LogLevel.Information,
        Message = "Step {StepKey} on {HostId} done")]
    internal static partial void HostStepCompleted(this ILogger logger, string stepKey, string hostId);
}
