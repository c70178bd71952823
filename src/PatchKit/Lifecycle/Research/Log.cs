using Microsoft.Extensions.Logging;

namespace PatchKit.Lifecycle.Research;

internal static partial class Log
{
    [LoggerMessage(EventId = 2301, EventName = "LabCloneCreated", Level = LogLevel.Information,
        Message = "Lab clone {CloneId} created from {HostId}")]
    internal static partial void LabCloneCreated(this ILogger logger, string cloneId, string hostId);

    [LoggerMessage(EventId = 2302, EventName = "PatchPromoted", Level = LogLevel.Information,
        Message = "Patch {PatchId} passed the lab for {Group}; promoted")]
    internal static partial void PatchPromoted(this ILogger logger, string patchId, string group);

    [LoggerMessage(EventId = 2303, EventName = "PatchRejected", Level = LogLevel.Warning,
        Message = "Patch {PatchId} failed the lab for {Group}: {Reason}")]
    internal static partial void PatchRejected(this ILogger logger, string patchId, string group, string reason);

    [LoggerMessage(EventId = 2304, EventName = "NoLabForGroup", Level = LogLevel.Warning,
        Message = "No machine of {Group} can be snapshotted and cloned to a lab")]
    internal static partial void NoLabForGroup(this ILogger logger, string group);

    [LoggerMessage(EventId = 2305, EventName = "IssueFiled", Level = LogLevel.Information,
        Message = "Issue {IssueId} records that patch {PatchId} failed the lab for {Group}")]
    internal static partial void IssueFiled(this ILogger logger, string issueId, string patchId, string group);

    [LoggerMessage(EventId = 2306, EventName = "IssueNotFiled", Level = LogLevel.Warning,
        Message = "No issue could be filed for patch {PatchId} failing the lab for {Group}: {Reason}")]
    internal static partial void IssueNotFiled(this ILogger logger, string patchId, string group, string reason);

    [LoggerMessage(EventId = 2307, EventName = "IssueResolved", Level = LogLevel.Information,
        Message = "Issue {IssueId} resolved: patch {PatchId} now passes lab verification for {Group}")]
    internal static partial void IssueResolved(this ILogger logger, string issueId, string patchId, string group);
}
