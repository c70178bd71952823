namespace PatchKit.Lifecycle;

/// <summary>Activity tag names (lowercase, dotted), in one place.</summary>
internal static class TelemetryTags
{
    public const string RunId = "patchkit.run.id";
    public const string Stage = "patchkit.stage";
    public const string HostId = "patchkit.host.id";
    public const string Step = "patchkit.step";
    public const string ErrorType = "error.type";
}
