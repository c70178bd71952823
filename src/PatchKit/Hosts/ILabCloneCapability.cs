namespace PatchKit.Hosts;

/// <summary>Clone a production machine from a snapshot into an isolated lab network, and destroy the clone.</summary>
public interface ILabCloneCapability
{
    /// <summary>Creates a lab clone. Creating a clone whose name already exists returns the existing one.</summary>
    /// <param name="hostId">The production host.</param>
    /// <param name="snapshotId">The snapshot to clone from.</param>
    /// <param name="name">The clone name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The clone.</returns>
    Task<LabClone> CreateLabCloneAsync(string hostId, string snapshotId, string name, CancellationToken cancellationToken);

    /// <summary>Lists the lab clones that exist now (used to reconcile after a crash).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The clones.</returns>
    Task<IReadOnlyList<LabClone>> ListLabClonesAsync(CancellationToken cancellationToken);

    /// <summary>Destroys a lab clone. Destroying one that does not exist succeeds.</summary>
    /// <param name="cloneId">The clone.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome.</returns>
    Task<HostStepResult> DestroyLabCloneAsync(string cloneId, CancellationToken cancellationToken);
}
