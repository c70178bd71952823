using Microsoft.Extensions.Logging;

namespace PatchKit.Hosts.Windows;

internal static partial class Log
{
    [LoggerMessage(EventId = 3301, EventName = "WindowsHostUnreachable", Level = LogLevel.Warning,
        Message = "Windows host {HostId} cannot be reached: {Reason}")]
    internal static partial void HostUnreachable(this ILogger logger, string hostId, string reason);

    [LoggerMessage(EventId = 3302, EventName = "WindowsInstallJobStarted", Level = LogLevel.Information,
        Message = "Windows Update install of {PatchId} on {HostId} started as job {JobId}")]
    internal static partial void InstallJobStarted(this ILogger logger, string patchId, string hostId, string jobId);

    [LoggerMessage(EventId = 3303, EventName = "WindowsInstallJobResumed", Level = LogLevel.Information,
        Message = "Waiting again for install job {JobId} of {PatchId} on {HostId} (checkpoint)")]
    internal static partial void InstallJobResumed(this ILogger logger, string jobId, string patchId, string hostId);

    [LoggerMessage(EventId = 3304, EventName = "WindowsRebootStarted", Level = LogLevel.Information,
        Message = "Rebooting Windows host {HostId} (booted at {BootedAt:o})")]
    internal static partial void RebootStarted(this ILogger logger, string hostId, DateTimeOffset bootedAt);

    [LoggerMessage(EventId = 3305, EventName = "WindowsRebootCompleted", Level = LogLevel.Information,
        Message = "Windows host {HostId} is back (booted at {BootedAt:o})")]
    internal static partial void RebootCompleted(this ILogger logger, string hostId, DateTimeOffset bootedAt);

    [LoggerMessage(EventId = 3306, EventName = "WindowsRebootLoop", Level = LogLevel.Warning,
        Message = "{PatchId} on {HostId} asked for a reboot after {Reboots} installs and is still not installed: reboot loop, not installing again")]
    internal static partial void RebootLoop(this ILogger logger, string patchId, string hostId, int reboots);
}
