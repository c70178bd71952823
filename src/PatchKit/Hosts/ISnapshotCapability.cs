namespace PatchKit.Hosts;

/// <summary>Snapshot, revert and remove (vSphere VM snapshots, QEMU snapshots, ESX alternate boot bank).</summary>
public interface ISnapshotCapability
{
    /// <summary>Takes a snapshot. Creating a snapshot whose name already exists returns the existing one.</summary>
    /// <param name="operation">The host, cancellation, timeout and checkpoints (the snapshot job).</param>
    /// <param name="name">The snapshot name.</param>
    /// <returns>The snapshot.</returns>
    Task<SnapshotInfo> CreateSnapshotAsync(HostOperation operation, string name);

    /// <summary>Lists the snapshots of a host (used to reconcile after a crash).</summary>
    /// <param name="operation">The host, cancellation and timeout.</param>
    /// <returns>The snapshots, oldest first.</returns>
    Task<IReadOnlyList<SnapshotInfo>> ListSnapshotsAsync(HostOperation operation);

    /// <summary>Reverts a host to a snapshot (the snapshot is kept).</summary>
    /// <param name="operation">The host, cancellation and timeout.</param>
    /// <param name="snapshotId">The snapshot.</param>
    /// <returns>The outcome.</returns>
    Task<HostStepResult> RevertSnapshotAsync(HostOperation operation, string snapshotId);

    /// <summary>Removes a snapshot. Removing one that does not exist succeeds.</summary>
    /// <param name="operation">The host, cancellation and timeout.</param>
    /// <param name="snapshotId">The snapshot.</param>
    /// <returns>The outcome.</returns>
    Task<HostStepResult> RemoveSnapshotAsync(HostOperation operation, string snapshotId);
}
