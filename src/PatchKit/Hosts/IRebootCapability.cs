namespace PatchKit.Hosts;

/// <summary>Reboot a host and wait until it answers again.</summary>
public interface IRebootCapability
{
    /// <summary>Reboots and waits for the host to come back, within <see cref="HostOperation.Timeout"/>.</summary>
    /// <param name="operation">The host, cancellation and timeout.</param>
    /// <returns>The outcome; a host that did not come back in time is <see cref="HostOperationStatus.TimedOut"/>.</returns>
    Task<HostStepResult> RebootAndWaitAsync(HostOperation operation);
}
