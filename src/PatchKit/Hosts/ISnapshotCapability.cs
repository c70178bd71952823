namespace PatchKit.Hosts;

/// <summary>Snapshot, revert and remove (vSphere VM snapshots, QEMU/libvirt snapshots, ESX alternate boot bank).</summary>
public interface ISnapshotCapability
{
    /// <summary>Takes a snapshot. Creating a snapshot whose name already exists returns the existing one.</summary>
    /// <param name="hostId">The host.</param>
    /// <param name="name">The snapshot name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The snapshot.</returns>
    Task<SnapshotInfo> CreateSnapshotAsync(string hostId, string name, CancellationToken cancellationToken);

    /// <summary>Lists the snapshots of a host (used to reconcile after a crash).</summary>
    /// <param name="hostId">The host.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The snapshots, oldest first.</returns>
    Task<IReadOnlyList<SnapshotInfo>> ListSnapshotsAsync(string hostId, CancellationToken cancellationToken);

    /// <summary>Reverts a host to a snapshot (the snapshot is kept).</summary>
    /// <param name="hostId">The host.</param>
    /// <param name="snapshotId">The snapshot.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome.</returns>
    Task<HostStepResult> RevertSnapshotAsync(string hostId, string snapshotId, CancellationToken cancellationToken);

    /// <summary>Removes a snapshot. Removing one that does not exist succeeds.</summary>
    /// <param name="hostId">The host.</param>
    /// <param name="snapshotId">The snapshot.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome.</returns>
    Task<HostStepResult> RemoveSnapshotAsync(string hostId, string snapshotId, CancellationToken cancellationToken);
}
