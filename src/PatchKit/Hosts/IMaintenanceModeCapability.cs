namespace PatchKit.Hosts;

/// <summary>Enter and leave maintenance mode (ESX maintenance mode, a drained KVM node). Both calls are idempotent.</summary>
public interface IMaintenanceModeCapability
{
    /// <summary>Puts the host in maintenance mode. The host should be evacuated first.</summary>
    /// <param name="hostId">The host.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome.</returns>
    Task<HostStepResult> EnterMaintenanceModeAsync(string hostId, CancellationToken cancellationToken);

    /// <summary>Takes the host out of maintenance mode.</summary>
    /// <param name="hostId">The host.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome.</returns>
    Task<HostStepResult> ExitMaintenanceModeAsync(string hostId, CancellationToken cancellationToken);

    /// <summary>Returns whether the host is in maintenance mode now (used to reconcile after a crash).</summary>
    /// <param name="hostId">The host.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    Task<bool> IsInMaintenanceModeAsync(string hostId, CancellationToken cancellationToken);
}
