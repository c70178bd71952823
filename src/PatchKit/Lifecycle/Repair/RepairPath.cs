namespace PatchKit.Lifecycle.Repair;

/// <summary>How a host is patched; the planner picks the least disruptive one the adapter and the patches allow.</summary>
public enum RepairPath
{
    /// <summary>Not set.</summary>
    Unknown = 0,

    /// <summary>Live update or live patch: no host reboot, guests keep running.</summary>
    LiveUpdate = 1,

    /// <summary>Evacuate guests by live migration, maintenance mode, install, reboot, verify, exit, rebalance.</summary>
    Evacuate = 2,

    /// <summary>Install and reboot inside the window (guests of a hypervisor restart with it).</summary>
    PlainReboot = 3,

    /// <summary>Install only: the patches need no reboot, or the reboot is deferred.</summary>
    InstallOnly = 4,
}
