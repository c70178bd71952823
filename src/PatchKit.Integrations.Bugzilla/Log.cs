using Microsoft.Extensions.Logging;

namespace PatchKit.Integrations.Bugzilla;

internal static partial class Log
{
    [LoggerMessage(EventId = 6101, EventName = "BugzillaRequest", Level = LogLevel.Debug,
        Message = "Bugzilla {Method} {Endpoint}")]
    internal static partial void BugzillaRequest(this ILogger logger, string method, string endpoint);

    [LoggerMessage(EventId = 6102, EventName = "BugzillaBugFiled", Level = LogLevel.Information,
        Message = "Bugzilla bug {BugId} filed for {StableKey}")]
    internal static partial void BugzillaBugFiled(this ILogger logger, string bugId, string stableKey);

    [LoggerMessage(EventId = 6103, EventName = "BugzillaBugResolved", Level = LogLevel.Information,
        Message = "Bugzilla bug {BugId} resolved")]
    internal static partial void BugzillaBugResolved(this ILogger logger, string bugId);

    [LoggerMessage(EventId = 6104, EventName = "BugzillaRequestFailed", Level = LogLevel.Warning,
        Message = "Bugzilla {Method} {Endpoint} failed: {Reason}")]
    internal static partial void BugzillaRequestFailed(this ILogger logger, string method, string endpoint, string reason);
}
