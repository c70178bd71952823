using PatchKit.Hosts;

namespace PatchKit.Lifecycle.Repair;

/// <summary>How one host ended, with its steps.</summary>
public sealed record HostOutcome
{
    /// <summary>Gets the host.</summary>
    public required string HostId { get; init; }

    /// <summary>Gets the kind of host.</summary>
    public HostKind Kind { get; init; }

    /// <summary>Gets the cluster.</summary>
    public string Cluster { get; set; } = string.Empty;

    /// <summary>Gets the wave, or the empty string when not planned.</summary>
    public string Wave { get; set; } = string.Empty;

    /// <summary>Gets the path, or <see langword="null"/> when not planned.</summary>
    public RepairPath? Path { get; init; }

    /// <summary>Gets the state.</summary>
    public HostOutcomeState State { get; init; }

    /// <summary>Gets why it was skipped.</summary>
    public SkipReason SkipReason { get; init; }

    /// <summary>Gets what happened, for people.</summary>
    public string Message { get; set; } = string.Empty;

    /// <summary>Gets the patches installed in this run and still installed.</summary>
    public IReadOnlyList<string> PatchesApplied { get; set; } = [];

    /// <summary>Gets when work on the host started, or <see langword="null"/>.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Gets when work on the host ended, or <see langword="null"/>.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Gets the time spent in maintenance mode.</summary>
    public TimeSpan MaintenanceTime { get; init; }

    /// <summary>Gets the restarts avoided (the host by a live update, its guests by live migration or live update).</summary>
    public int RestartsAvoided { get; init; }

    /// <summary>Gets the steps.</summary>
    public IReadOnlyList<StepRecord> Steps { get; set; } = [];
}
