namespace PatchKit.Hosts;

/// <summary>The seam between the lifecycle and a platform (ESX, KVM/QEMU, Windows, simulated). The core is small:
/// take inventory, identify a host, run a named vendor step. Everything else is an optional capability interface
/// (<see cref="ISnapshotCapability"/>, <see cref="IInstallCapability"/>, ...); the lifecycle asks for one through
/// <c>ReachedHost.TryGet</c>, which checks both the interface and the host's <see cref="HostCapabilities"/>.</summary>
/// <remarks>
/// <para>Every call that concerns a host takes a <see cref="HostOperation"/>: the host, the cancellation token (linked
/// with the step's timeout), the run's clock, progress, and checkpoints for long-running jobs.</para>
/// <para>Environment failures (connection lost, protocol error) throw <see cref="HostAdapterException"/> with the host
/// id; expected outcomes (a step that failed, a host that is down) are results. Exception messages must not contain
/// secrets; the lifecycle redacts what it records anyway. Implementations must be safe to call concurrently for
/// different hosts. An adapter owns its sessions and sockets and releases them in <see cref="IAsyncDisposable.DisposeAsync"/>.</para>
/// </remarks>
public interface IHostAdapter : IAsyncDisposable
{
    /// <summary>Gets a short name for logs and reports (<c>simulated</c>, <c>vsphere:vc01</c>).</summary>
    string Name { get; }

    /// <summary>Takes inventory: every host and guest this adapter manages, with versions, software and placement.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The inventory. Hosts that did not answer are listed with <see cref="HostStatus.Unreachable"/>.</returns>
    Task<FleetInventory> GetInventoryAsync(CancellationToken cancellationToken);

    /// <summary>Asks one host who it is, now. Used to confirm a host came back after a reboot.</summary>
    /// <param name="operation">The host, cancellation and timeout.</param>
    /// <returns>The identity, or <see langword="null"/> when the host does not answer.</returns>
    Task<HostIdentity?> IdentifyAsync(HostOperation operation);

    /// <summary>Runs a named vendor step on a host (an esxcli command, a script).</summary>
    /// <param name="operation">The host, cancellation and timeout.</param>
    /// <param name="step">The step.</param>
    /// <returns>The outcome; a step the adapter does not know is <see cref="HostOperationStatus.NotApplicable"/>.</returns>
    Task<HostStepResult> RunStepAsync(HostOperation operation, HostStep step);
}
