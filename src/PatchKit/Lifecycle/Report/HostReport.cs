using PatchKit.Hosts;
using PatchKit.Lifecycle.Repair;

namespace PatchKit.Lifecycle.Report;

/// <summary>One host in a report.</summary>
public sealed record HostReport
{
    /// <summary>Gets the host.</summary>
    public required string HostId { get; init; }

    /// <summary>Gets the kind.</summary>
    public HostKind Kind { get; init; }

    /// <summary>Gets the cluster.</summary>
    public string Cluster { get; set; } = string.Empty;

    /// <summary>Gets the wave, or the empty string.</summary>
    public string Wave { get; set; } = string.Empty;

    /// <summary>Gets the path, or <see langword="null"/>.</summary>
    public RepairPath? Path { get; init; }

    /// <summary>Gets the state.</summary>
    public HostOutcomeState State { get; init; }

    /// <summary>Gets why the host was skipped.</summary>
    public SkipReason SkipReason { get; init; }

    /// <summary>Gets what happened.</summary>
    public string Message { get; set; } = string.Empty;

    /// <summary>Gets the patches applied in this run.</summary>
    public IReadOnlyList<string> PatchesApplied { get; set; } = [];

    /// <summary>Gets when work started, or <see langword="null"/>.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Gets when work ended, or <see langword="null"/>.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Gets the minutes spent in maintenance mode.</summary>
    public double MaintenanceMinutes { get; init; }

    /// <summary>Gets the restarts avoided.</summary>
    public int RestartsAvoided { get; init; }

    /// <summary>Gets the mean days between patch installs on this host, or <see langword="null"/> with fewer than two.</summary>
    public double? DaysBetweenPatches { get; init; }

    /// <summary>Gets the approved patches the run tried to install (or would have) on a host that was not patched: the
    /// patch a failed, rolled back, skipped or pending host was on.</summary>
    public IReadOnlyList<string> PatchesAttempted { get; set; } = [];
}
