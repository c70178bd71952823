using System.Diagnostics.CodeAnalysis;

namespace PatchKit.Cli;

/// <summary>Build-time choices of what the binary holds. A Native AOT binary allocates the static fields of every type it
/// links at each start (one pinned object per type with reference-type statics, thousands of them once the PostgreSQL,
/// SQLite, JSON and HTTP code of the lifecycle commands is in), so the native publish builds two binaries from this one
/// assembly: <c>patchkit</c> without the lifecycle commands (it runs <c>stat</c>, <c>apply</c>, <c>patch</c>,
/// <c>diff</c> and <c>series</c> itself, and hands every other command to the second binary beside it) and
/// <c>patchkit-lifecycle</c> with everything. The .NET tool and the JIT build keep everything in one.</summary>
internal static class CliFeatures
{
    /// <summary>The switch's name: set to false (<c>RuntimeHostConfigurationOption</c> with <c>Trim="true"</c>) the native
    /// compiler leaves out every lifecycle command's code.</summary>
    public const string LifecycleCommandsSwitch = "PatchKit.Cli.LifecycleCommands";

    /// <summary>Gets a value indicating whether this binary runs the lifecycle commands (<c>demo</c>, <c>plan</c>,
    /// <c>run</c>, <c>worker</c>, <c>scan</c>, <c>advisories</c>) itself.</summary>
    [FeatureSwitchDefinition(LifecycleCommandsSwitch)]
    public static bool LifecycleCommands => !AppContext.TryGetSwitch(LifecycleCommandsSwitch, out bool on) || on;
}
