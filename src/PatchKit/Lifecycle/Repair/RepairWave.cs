namespace PatchKit.Lifecycle.Repair;

/// <summary>A wave of the rollout: lab first, then canary, then the rest.</summary>
/// <param name="Name">The wave name.</param>
/// <param name="HostIds">The hosts, in order.</param>
/// <param name="PlannedStart">The estimated start.</param>
/// <param name="PlannedEnd">The estimated end.</param>
public sealed record RepairWave(string Name, IReadOnlyList<string> HostIds, DateTimeOffset PlannedStart, DateTimeOffset PlannedEnd);
