using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace PatchKit.Diagnostics;

/// <summary>The names a collector listens to: one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both
/// named <see cref="ActivitySourceName"/>, versioned from the informational version without <c>+commit</c>.</summary>
public static class PatchKitTelemetry
{
    /// <summary>The name of the activity source.</summary>
    public const string ActivitySourceName = "PatchKit";

    /// <summary>The name of the meter.</summary>
    public const string MeterName = "PatchKit";

    /// <summary>The activity for a whole lifecycle run.</summary>
    public const string RunActivityName = "patchkit.run";

    /// <summary>The activity for one stage of a run.</summary>
    public const string StageActivityName = "patchkit.stage";

    /// <summary>The activity for one step on one host.</summary>
    public const string HostStepActivityName = "patchkit.host.step";

    internal static readonly string Version = GetVersion();

    internal static readonly ActivitySource ActivitySource = new(ActivitySourceName, Version);

    internal static readonly Meter Meter = new(MeterName, Version);

    private static string GetVersion()
    {
        string? v = typeof(PatchKitTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (v is null)
        {
            return "0.0.0";
        }

        int plus = v.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? v : v[..plus];
    }
}
