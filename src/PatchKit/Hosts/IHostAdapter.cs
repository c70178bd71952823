namespace PatchKit.Hosts;

/// <summary>The seam between the lifecycle and a platform (ESX, KVM/QEMU, Windows, simulated). The core is small:
/// take inventory, identify a host, run a named step. Everything else is an optional capability interface
/// (<see cref="ISnapshotCapability"/>, <see cref="IInstallCapability"/>, ...) that the planner tests with <c>is</c>.</summary>
/// <remarks>Environment failures (connection lost, protocol error) throw <see cref="HostAdapterException"/> with the
/// host id; expected outcomes (a step that failed, a host that is down) are results. Implementations must be safe
/// to call concurrently for different hosts.</remarks>
public interface IHostAdapter
{
    /// <summary>Gets a short name for logs and reports (<c>simulated</c>, <c>vsphere:vc01</c>).</summary>
    string Name { get; }

    /// <summary>Takes inventory: every host and guest this adapter manages, with versions, patches and placement.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The inventory. Hosts that did not answer are listed with <see cref="HostStatus.Unreachable"/>.</returns>
    Task<FleetInventory> GetInventoryAsync(CancellationToken cancellationToken);

    /// <summary>Asks one host who it is, now. Used to confirm a host came back after a reboot.</summary>
    /// <param name="hostId">The host.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The identity, or <see langword="null"/> when the host does not answer.</returns>
    Task<HostIdentity?> IdentifyAsync(string hostId, CancellationToken cancellationToken);

    /// <summary>Runs a named step on a host (a health check, a vendor command).</summary>
    /// <param name="hostId">The host.</param>
    /// <param name="step">The step.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome.</returns>
    Task<HostStepResult> RunStepAsync(string hostId, HostStep step, CancellationToken cancellationToken);
}
