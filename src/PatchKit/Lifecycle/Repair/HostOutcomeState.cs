namespace PatchKit.Lifecycle.Repair;

/// <summary>How a host ended; the states are kept apart in every report.</summary>
public enum HostOutcomeState
{
    /// <summary>Every approved patch is installed and active.</summary>
    Patched = 0,

    /// <summary>Installed, but a reboot is still due.</summary>
    PatchedPendingReboot = 1,

    /// <summary>Not patched on purpose (see <see cref="SkipReason"/>).</summary>
    Skipped = 2,

    /// <summary>Nothing in the catalog applies, or it is all installed.</summary>
    NotApplicable = 3,

    /// <summary>A step failed.</summary>
    Failed = 4,

    /// <summary>Verification failed and the host was reverted to its pre-patch snapshot.</summary>
    RolledBack = 5,

    /// <summary>Planned only (dry run).</summary>
    Planned = 6,
}
