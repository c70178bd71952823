namespace PatchKit.Lifecycle.Repair;

/// <summary>A step of a host's repair.</summary>
public enum RepairStepKind
{
    /// <summary>Take the pre-patch snapshot.</summary>
    Snapshot = 0,

    /// <summary>Live-migrate guests off the host.</summary>
    Evacuate = 1,

    /// <summary>Enter maintenance mode.</summary>
    EnterMaintenance = 2,

    /// <summary>Install one patch.</summary>
    Install = 3,

    /// <summary>Apply one patch live.</summary>
    LiveUpdate = 4,

    /// <summary>Reboot and wait.</summary>
    Reboot = 5,

    /// <summary>Health check and verification hook.</summary>
    Verify = 6,

    /// <summary>Revert to the pre-patch snapshot (after a failure).</summary>
    Revert = 7,

    /// <summary>Leave maintenance mode.</summary>
    ExitMaintenance = 8,

    /// <summary>Live-migrate the guests back.</summary>
    Rebalance = 9,

    /// <summary>Remove the pre-patch snapshot.</summary>
    RemoveSnapshot = 10,
}
