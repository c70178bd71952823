namespace PatchKit.Hosts;

/// <summary>Check that a host or guest is healthy (services up, agent answering). Repair runs it after patching and
/// Research on every lab clone; a host whose adapter lacks it is verified by the verification hooks alone.</summary>
public interface IHealthCheckCapability
{
    /// <summary>Checks the host's health now.</summary>
    /// <param name="operation">The host, cancellation and timeout.</param>
    /// <returns>The outcome: <see cref="HostOperationStatus.Succeeded"/> when healthy.</returns>
    Task<HostStepResult> CheckHealthAsync(HostOperation operation);
}
