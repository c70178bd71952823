using Microsoft.Extensions.Logging;

namespace PatchKit.Lifecycle.Reach;

internal static partial class Log
{
    [LoggerMessage(EventId = 2101, EventName = "InventoryTaken", Level = LogLevel.Information,
        Message = "Adapter {Adapter} reported {HostCount} hosts, {UnreachableCount} unreachable")]
    internal static partial void InventoryTaken(this ILogger logger, string adapter, int hostCount, int unreachableCount);

    [LoggerMessage(EventId = 2102, EventName = "HostUnreachable", Level = LogLevel.Warning,
        Message = "Host {HostId} did not answer; it is reported and left alone")]
    internal static partial void HostUnreachable(this ILogger logger, string hostId);

    [LoggerMessage(EventId = 2103, EventName = "AdapterUnreachable", Level = LogLevel.Error,
        Message = "Adapter {Adapter} could not take inventory: {Reason}; its hosts are left alone this run")]
    internal static partial void AdapterUnreachable(this ILogger logger, string adapter, string reason);

    [LoggerMessage(EventId = 2104, EventName = "LeftoverFound", Level = LogLevel.Warning,
        Message = "Host {HostId} has PatchKit's {What} {Name} of another run (a lost or cut journal, or a run still going): {Outcome}")]
    internal static partial void LeftoverFound(this ILogger logger, string hostId, string what, string name, string outcome);

    [LoggerMessage(EventId = 2105, EventName = "LeftoverScanFailed", Level = LogLevel.Warning,
        Message = "Host {HostId} could not list its snapshots or lab clones: {Reason}")]
    internal static partial void LeftoverScanFailed(this ILogger logger, string hostId, string reason);
}
