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
}
