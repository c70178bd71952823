namespace PatchKit.Hosts;

/// <summary>A named vendor operation run on a host through <see cref="IHostAdapter.RunStepAsync"/> (an esxcli
/// command, a PowerShell script). It is data, so it can be journaled and planned. Health checks are a capability of
/// their own (<see cref="IHealthCheckCapability"/>).</summary>
public sealed class HostStep
{
    /// <summary>Gets the step name, adapter specific.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the arguments, adapter specific.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];
}
