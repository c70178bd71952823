namespace PatchKit.Lifecycle.Repair;

/// <summary>The full plan of a run (also the dry run's output): order, waves, evacuations, reboots, window fit and
/// estimated duration. Hosts that will not be touched are in <see cref="NotPlanned"/> with the reason.</summary>
public sealed record RepairPlan
{
    /// <summary>Gets when the plan starts.</summary>
    public DateTimeOffset PlannedStart { get; init; }

    /// <summary>Gets when the plan is estimated to end.</summary>
    public DateTimeOffset PlannedEnd { get; init; }

    /// <summary>Gets the estimated duration, window waits included.</summary>
    public TimeSpan EstimatedDuration => PlannedEnd - PlannedStart;

    /// <summary>Gets the concurrency the estimate assumes.</summary>
    public int MaxConcurrency { get; init; }

    /// <summary>Gets the waves, in order.</summary>
    public IReadOnlyList<RepairWave> Waves { get; set; } = [];

    /// <summary>Gets the hosts to patch, in wave order.</summary>
    public IReadOnlyList<PlannedHost> Hosts { get; set; } = [];

    /// <summary>Gets the hosts left alone, with their outcome already known (not applicable, skipped).</summary>
    public IReadOnlyList<HostOutcome> NotPlanned { get; set; } = [];
}
