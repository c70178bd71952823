namespace PatchKit.Hosts;

/// <summary>Reboot a host and wait until it answers again.</summary>
public interface IRebootCapability
{
    /// <summary>Reboots and waits for the host to come back.</summary>
    /// <param name="hostId">The host.</param>
    /// <param name="timeout">How long to wait, on the adapter's <see cref="TimeProvider"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome; a host that did not come back in time is a failed result.</returns>
    Task<HostStepResult> RebootAndWaitAsync(string hostId, TimeSpan timeout, CancellationToken cancellationToken);
}
