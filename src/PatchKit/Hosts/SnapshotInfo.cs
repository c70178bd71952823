namespace PatchKit.Hosts;

/// <summary>A snapshot of a host or guest.</summary>
/// <param name="SnapshotId">The adapter's id of the snapshot.</param>
/// <param name="Name">The name given at creation; the lifecycle uses deterministic names so it can find its own
/// snapshots again after a crash.</param>
/// <param name="CreatedAt">When it was taken.</param>
public sealed record SnapshotInfo(string SnapshotId, string Name, DateTimeOffset CreatedAt);
