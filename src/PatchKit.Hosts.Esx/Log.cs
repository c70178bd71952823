using Microsoft.Extensions.Logging;

namespace PatchKit.Hosts.Esx;

internal static partial class Log
{
    [LoggerMessage(EventId = 4101, EventName = "EsxSessionOpened", Level = LogLevel.Information,
        Message = "vSphere session opened at {Endpoint} ({ApiType} {ApiVersion})")]
    internal static partial void SessionOpened(ILogger logger, string endpoint, string apiType, string apiVersion);

    [LoggerMessage(EventId = 4102, EventName = "EsxVibListFailed", Level = LogLevel.Warning,
        Message = "Installed VIBs of {HostName} not read: {Reason}")]
    internal static partial void VibListFailed(ILogger logger, string hostName, string reason);

    [LoggerMessage(EventId = 4103, EventName = "EsxTaskStarted", Level = LogLevel.Information,
        Message = "{Method} on {Target}: task {Task}")]
    internal static partial void TaskStarted(ILogger logger, string method, string target, string task);

    [LoggerMessage(EventId = 4104, EventName = "EsxGuestMoved", Level = LogLevel.Information,
        Message = "Moved {Guest} from {FromHost} to {ToHost} (vMotion)")]
    internal static partial void GuestMoved(ILogger logger, string guest, string fromHost, string toHost);

    [LoggerMessage(EventId = 4105, EventName = "EsxDrsEvacuates", Level = LogLevel.Information,
        Message = "{HostName}: DRS of cluster {Cluster} is fully automated and moves its {Count} guest(s) as it enters maintenance mode")]
    internal static partial void DrsEvacuates(ILogger logger, string hostName, string cluster, int count);

    [LoggerMessage(EventId = 4106, EventName = "EsxDrsRebalances", Level = LogLevel.Information,
        Message = "{HostName}: DRS of cluster {Cluster} is fully automated, so PatchKit moves none of {Count} guest(s) back; DRS rebalances")]
    internal static partial void DrsRebalances(ILogger logger, string hostName, string cluster, int count);
}
