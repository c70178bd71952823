using PatchKit.Hosts;

namespace PatchKit.Lifecycle.Repair;

/// <summary>The plan for one host.</summary>
public sealed record PlannedHost
{
    /// <summary>Gets the host.</summary>
    public required string HostId { get; init; }

    /// <summary>Gets the kind of host.</summary>
    public HostKind Kind { get; init; }

    /// <summary>Gets the wave (<c>lab</c>, <c>canary</c>, <c>rest</c>).</summary>
    public required string Wave { get; init; }

    /// <summary>Gets the path chosen.</summary>
    public RepairPath Path { get; init; }

    /// <summary>Gets the patches to install, in order.</summary>
    public IReadOnlyList<string> Patches { get; set; } = [];

    /// <summary>Gets the steps, cleanup included.</summary>
    public IReadOnlyList<PlannedStep> Steps { get; set; } = [];

    /// <summary>Gets the guests to evacuate.</summary>
    public IReadOnlyList<string> Guests { get; set; } = [];

    /// <summary>Gets whether the pre-patch snapshot is taken (rollback possible).</summary>
    public bool Snapshot { get; init; }

    /// <summary>Gets whether the reboot is deferred (the host ends patched, pending reboot).</summary>
    public bool RebootDeferred { get; init; }

    /// <summary>Gets the estimated duration of all steps.</summary>
    public TimeSpan Estimate { get; init; }

    /// <summary>Gets the planned start, or <see langword="null"/> when no window fits before the horizon.</summary>
    public DateTimeOffset? PlannedStart { get; init; }

    /// <summary>Gets the planned end, or <see langword="null"/>.</summary>
    public DateTimeOffset? PlannedEnd { get; init; }

    /// <summary>Gets why this path was chosen.</summary>
    public string Reason { get; set; } = string.Empty;
}
