namespace PatchKit.Hosts;

/// <summary>A snapshot of a host or guest.</summary>
public sealed class SnapshotInfo
{
    /// <summary>Gets the adapter's id of the snapshot.</summary>
    public required string SnapshotId { get; init; }

    /// <summary>Gets the name given at creation; the lifecycle uses deterministic names so it can find its own snapshots
    /// again after a crash.</summary>
    public required string Name { get; init; }

    /// <summary>Gets when it was taken.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}
