using Microsoft.Extensions.Logging;

namespace PatchKit.Lifecycle.Repair;

internal static partial class Log
{
    [LoggerMessage(EventId = 2401, EventName = "PlanMade", Level = LogLevel.Information,
        Message = "Plan: {HostCount} hosts in {WaveCount} waves, estimated {EstimatedHours} h")]
    internal static partial void PlanMade(this ILogger logger, int hostCount, int waveCount, double estimatedHours);

    [LoggerMessage(EventId = 2402, EventName = "HostRepaired", Level = LogLevel.Information,
        Message = "Host {HostId} ended {State} via {Path}")]
    internal static partial void HostRepaired(this ILogger logger, string hostId, string state, string path);

    [LoggerMessage(EventId = 2403, EventName = "RunHalted", Level = LogLevel.Error,
        Message = "Run halted: {Reason}; hosts not started are left untouched")]
    internal static partial void RunHalted(this ILogger logger, string reason);

    [LoggerMessage(EventId = 2404, EventName = "HostRolledBack", Level = LogLevel.Warning,
        Message = "Host {HostId} failed verification and was reverted to snapshot {SnapshotId}")]
    internal static partial void HostRolledBack(this ILogger logger, string hostId, string snapshotId);

    [LoggerMessage(EventId = 2405, EventName = "WaitingForWindow", Level = LogLevel.Information,
        Message = "Waiting for the maintenance window opening at {OpensAt} for {HostId}")]
    internal static partial void WaitingForWindow(this ILogger logger, DateTimeOffset opensAt, string hostId);

    [LoggerMessage(EventId = 2406, EventName = "StepDoesNotFitWindow", Level = LogLevel.Warning,
        Message = "Step {Step} on {HostId} would not finish inside the window; not started")]
    internal static partial void StepDoesNotFitWindow(this ILogger logger, string step, string hostId);

    [LoggerMessage(EventId = 2407, EventName = "HostLeased", Level = LogLevel.Information,
        Message = "Host {HostId} leased from the shared queue (fencing token {FencingToken}, taken over: {TakenOver})")]
    internal static partial void HostLeased(this ILogger logger, string hostId, long fencingToken, bool takenOver);

    [LoggerMessage(EventId = 2408, EventName = "HostLeaseLost", Level = LogLevel.Warning,
        Message = "Lease on host {HostId} (fencing token {FencingToken}) expired or moved: another worker resumes the host")]
    internal static partial void HostLeaseLost(this ILogger logger, string hostId, long fencingToken);
}
