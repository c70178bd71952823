using Microsoft.Extensions.Logging;

namespace PatchKit.Lifecycle.Report;

internal static partial class Log
{
    [LoggerMessage(EventId = 2501, EventName = "ReportWritten", Level = LogLevel.Information, Message = "Report written to {Path}")]
    internal static partial void ReportWritten(this ILogger logger, string path);

    [LoggerMessage(EventId = 2502, EventName = "HistoryEntryUnreadable", Level = LogLevel.Warning,
        Message = "History entry {Path} could not be read and is left out")]
    internal static partial void HistoryEntryUnreadable(this ILogger logger, string path);
}
