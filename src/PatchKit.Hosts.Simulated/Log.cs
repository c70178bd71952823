using Microsoft.Extensions.Logging;

namespace PatchKit.Hosts.Simulated;

internal static partial class Log
{
    [LoggerMessage(EventId = 3901, EventName = "SimulatedFleetLoaded", Level = LogLevel.Information,
        Message = "Simulated fleet with {MachineCount} machines loaded (state file: {StatePath})")]
    internal static partial void SimulatedFleetLoaded(this ILogger logger, int machineCount, string statePath);

    [LoggerMessage(EventId = 3902, EventName = "SimulatedFaultInjected", Level = LogLevel.Warning,
        Message = "Injected fault on {HostId}: {Fault}")]
    internal static partial void SimulatedFaultInjected(this ILogger logger, string hostId, string fault);

    [LoggerMessage(EventId = 3903, EventName = "SimulatedCrash", Level = LogLevel.Critical,
        Message = "Simulated orchestrator crash at crash point {CrashPoint}")]
    internal static partial void SimulatedCrash(this ILogger logger, int crashPoint);

    [LoggerMessage(EventId = 3904, EventName = "SimulatedFencedOut", Level = LogLevel.Warning,
        Message = "Call about {HostId} refused: its fencing token {Token} is older than {Fence}")]
    internal static partial void SimulatedFencedOut(this ILogger logger, string hostId, long token, long fence);
}
