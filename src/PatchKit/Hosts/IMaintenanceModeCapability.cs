namespace PatchKit.Hosts;

/// <summary>Enter and leave maintenance mode (ESX maintenance mode, a drained KVM node). Both calls are idempotent.</summary>
public interface IMaintenanceModeCapability
{
    /// <summary>Puts the host in maintenance mode. The host should be evacuated first.</summary>
    /// <param name="operation">The host, cancellation, timeout and checkpoints (the platform's task).</param>
    /// <returns>The outcome.</returns>
    Task<HostStepResult> EnterMaintenanceModeAsync(HostOperation operation);

    /// <summary>Takes the host out of maintenance mode.</summary>
    /// <param name="operation">The host, cancellation, timeout and checkpoints.</param>
    /// <returns>The outcome.</returns>
    Task<HostStepResult> ExitMaintenanceModeAsync(HostOperation operation);

    /// <summary>Returns whether the host is in maintenance mode now (used to reconcile after a crash).</summary>
    /// <param name="operation">The host, cancellation and timeout.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    Task<bool> IsInMaintenanceModeAsync(HostOperation operation);
}
