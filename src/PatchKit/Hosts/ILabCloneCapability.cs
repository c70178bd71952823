namespace PatchKit.Hosts;

/// <summary>Clone a production machine from a snapshot into an isolated lab network, and destroy the clone.</summary>
public interface ILabCloneCapability
{
    /// <summary>Creates a lab clone. Creating a clone whose name already exists returns the existing one.</summary>
    /// <param name="operation">The production host, cancellation and timeout.</param>
    /// <param name="snapshotId">The snapshot to clone from.</param>
    /// <param name="name">The clone name.</param>
    /// <returns>The clone.</returns>
    Task<LabClone> CreateLabCloneAsync(HostOperation operation, string snapshotId, string name);

    /// <summary>Lists the lab clones of a production host that exist now (used to reconcile after a crash).</summary>
    /// <param name="operation">The production host, cancellation and timeout.</param>
    /// <returns>The clones.</returns>
    Task<IReadOnlyList<LabClone>> ListLabClonesAsync(HostOperation operation);

    /// <summary>Destroys a lab clone. Destroying one that does not exist succeeds.</summary>
    /// <param name="operation">The clone (its <see cref="LabClone.CloneId"/> as the host id), cancellation and timeout.</param>
    /// <returns>The outcome.</returns>
    Task<HostStepResult> DestroyLabCloneAsync(HostOperation operation);
}
