using Microsoft.Extensions.Logging;

namespace PatchKit.Lifecycle.Resolve;

internal static partial class Log
{
    [LoggerMessage(EventId = 2201, EventName = "CatalogLoaded", Level = LogLevel.Information,
        Message = "Catalog has {PatchCount} patches")]
    internal static partial void CatalogLoaded(this ILogger logger, int patchCount);

    [LoggerMessage(EventId = 2202, EventName = "FleetAssessed", Level = LogLevel.Information,
        Message = "{HostCount} hosts assessed: {ApplicableCount} applicable patch installs, {ApprovedCount} approved")]
    internal static partial void FleetAssessed(this ILogger logger, int hostCount, int applicableCount, int approvedCount);

    [LoggerMessage(EventId = 2203, EventName = "AssessmentReused", Level = LogLevel.Information,
        Message = "Approvals of run {RunId} reused from the journal")]
    internal static partial void AssessmentReused(this ILogger logger, string runId);
}
