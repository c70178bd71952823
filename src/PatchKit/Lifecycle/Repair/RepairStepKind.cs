namespace PatchKit.Lifecycle.Repair;

/// <summary>A step of a host's repair.</summary>
public enum RepairStepKind
{
    /// <summary>Not set.</summary>
    Unknown = 0,

    /// <summary>Take the pre-patch snapshot.</summary>
    Snapshot = 1,

    /// <summary>Live-migrate guests off the host.</summary>
    Evacuate = 2,

    /// <summary>Enter maintenance mode.</summary>
    EnterMaintenance = 3,

    /// <summary>Install one patch.</summary>
    Install = 4,

    /// <summary>Apply one patch live.</summary>
    LiveUpdate = 5,

    /// <summary>Reboot and wait.</summary>
    Reboot = 6,

    /// <summary>Health check and verification hook.</summary>
    Verify = 7,

    /// <summary>Revert to the pre-patch snapshot (after a failure).</summary>
    Revert = 8,

    /// <summary>Leave maintenance mode.</summary>
    ExitMaintenance = 9,

    /// <summary>Live-migrate the guests back.</summary>
    Rebalance = 10,

    /// <summary>Remove the pre-patch snapshot.</summary>
    RemoveSnapshot = 11,
}
