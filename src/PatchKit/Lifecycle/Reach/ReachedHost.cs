using System.Diagnostics.CodeAnalysis;
using PatchKit.Hosts;

namespace PatchKit.Lifecycle.Reach;

/// <summary>A host found by Reach, with the adapter that manages it.</summary>
public sealed class ReachedHost
{
    /// <summary>Initializes a new instance of the <see cref="ReachedHost"/> class.</summary>
    /// <param name="host">The host as inventoried.</param>
    /// <param name="adapter">The adapter to reach it through.</param>
    public ReachedHost(HostRecord host, IHostAdapter adapter)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(adapter);
        Host = host;
        Adapter = adapter;
    }

    /// <summary>Gets the host as inventoried.</summary>
    public HostRecord Host { get; }

    /// <summary>Gets the adapter to reach it through.</summary>
    public IHostAdapter Adapter { get; }

    /// <summary>Asks for a capability of this host: the adapter must implement it and the host must support it
    /// (its <see cref="HostRecord.Capabilities"/> flag). The one way the lifecycle asks, so the two checks never drift.</summary>
    /// <typeparam name="TCapability">The capability interface (<see cref="ISnapshotCapability"/>, ...).</typeparam>
    /// <param name="capability">The capability, when available.</param>
    /// <returns><see langword="true"/> when the host has it.</returns>
    public bool TryGet<TCapability>([NotNullWhen(true)] out TCapability? capability)
        where TCapability : class
    {
        if (Adapter is TCapability c && (Host.Capabilities & FlagOf<TCapability>()) == FlagOf<TCapability>())
        {
            capability = c;
            return true;
        }

        capability = null;
        return false;
    }

    /// <summary>Returns whether this host has a capability (see <see cref="TryGet{TCapability}"/>).</summary>
    /// <typeparam name="TCapability">The capability interface.</typeparam>
    /// <returns><see langword="true"/> when it has.</returns>
    public bool Has<TCapability>()
        where TCapability : class => TryGet<TCapability>(out _);

    private static HostCapabilities FlagOf<T>() =>
        typeof(T) == typeof(ISnapshotCapability) ? HostCapabilities.Snapshot
        : typeof(T) == typeof(ILabCloneCapability) ? HostCapabilities.LabClone
        : typeof(T) == typeof(IMaintenanceModeCapability) ? HostCapabilities.MaintenanceMode
        : typeof(T) == typeof(IEvacuationCapability) ? HostCapabilities.Evacuation
        : typeof(T) == typeof(ILiveUpdateCapability) ? HostCapabilities.LiveUpdate
        : typeof(T) == typeof(IInstallCapability) ? HostCapabilities.Install
        : typeof(T) == typeof(IRebootCapability) ? HostCapabilities.Reboot
        : typeof(T) == typeof(IGuestExecCapability) ? HostCapabilities.GuestExec
        : typeof(T) == typeof(IHealthCheckCapability) ? HostCapabilities.HealthCheck
        : HostCapabilities.None;
}
