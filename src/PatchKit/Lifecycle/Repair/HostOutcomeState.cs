namespace PatchKit.Lifecycle.Repair;

/// <summary>How a host ended; the states are kept apart in every report.</summary>
public enum HostOutcomeState
{
    /// <summary>Not set: never counted as patched.</summary>
    Unknown = 0,

    /// <summary>Every approved patch is installed and active.</summary>
    Patched = 1,

    /// <summary>Installed, but a reboot is still due.</summary>
    PatchedPendingReboot = 2,

    /// <summary>Not patched on purpose (see <see cref="SkipReason"/>).</summary>
    Skipped = 3,

    /// <summary>Nothing in the catalog applies, or it is all installed.</summary>
    NotApplicable = 4,

    /// <summary>A step failed.</summary>
    Failed = 5,

    /// <summary>Verification failed and the host was reverted to its pre-patch snapshot.</summary>
    RolledBack = 6,

    /// <summary>Planned only (dry run).</summary>
    Planned = 7,
}
