namespace PatchKit.Hosts;

/// <summary>What one particular host supports. An adapter implements a capability interface when it can do the
/// operation at all; these flags say whether it can do it for this host (a hypervisor host cannot be snapshotted
/// like a guest). A missing capability is a planning fact, never a run-time exception.</summary>
[Flags]
public enum HostCapabilities
{
    /// <summary>Nothing beyond the core adapter operations.</summary>
    None = 0,

    /// <summary>Snapshot, revert and remove (<see cref="ISnapshotCapability"/>).</summary>
    Snapshot = 1,

    /// <summary>Clone to an isolated lab (<see cref="ILabCloneCapability"/>).</summary>
    LabClone = 2,

    /// <summary>Maintenance mode (<see cref="IMaintenanceModeCapability"/>).</summary>
    MaintenanceMode = 4,

    /// <summary>Evacuate guests by live migration (<see cref="IEvacuationCapability"/>).</summary>
    Evacuation = 8,

    /// <summary>Live update or live patch without restarting guests (<see cref="ILiveUpdateCapability"/>).</summary>
    LiveUpdate = 16,

    /// <summary>Install a patch (<see cref="IInstallCapability"/>).</summary>
    Install = 32,

    /// <summary>Reboot and wait for the host to come back (<see cref="IRebootCapability"/>).</summary>
    Reboot = 64,

    /// <summary>Run commands and read or write files inside the machine (<see cref="IGuestExecCapability"/>).</summary>
    GuestExec = 128,

    /// <summary>Check health (<see cref="IHealthCheckCapability"/>).</summary>
    HealthCheck = 256,
}
