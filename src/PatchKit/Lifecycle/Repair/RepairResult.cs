namespace PatchKit.Lifecycle.Repair;

/// <summary>What Repair did: one outcome per host of the fleet.</summary>
public sealed record RepairResult
{
    /// <summary>Gets the outcomes, planned hosts first in wave order, then the hosts left alone.</summary>
    public IReadOnlyList<HostOutcome> Outcomes { get; set; } = [];

    /// <summary>Gets whether the error budget halted the run.</summary>
    public bool Halted { get; init; }

    /// <summary>Gets why the run halted, or the empty string.</summary>
    public string HaltReason { get; set; } = string.Empty;

    /// <summary>Gets the waves as they ran (start and end on the run's timeline).</summary>
    public IReadOnlyList<RepairWave> Waves { get; set; } = [];
}
