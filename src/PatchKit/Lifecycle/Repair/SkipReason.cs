namespace PatchKit.Lifecycle.Repair;

/// <summary>Why a host was skipped.</summary>
public enum SkipReason
{
    /// <summary>Not skipped.</summary>
    None = 0,

    /// <summary>No maintenance window could fit its work.</summary>
    Window = 1,

    /// <summary>Its applicable patches are not approved.</summary>
    Approval = 2,

    /// <summary>Its approved patches failed the lab.</summary>
    LabFailed = 3,

    /// <summary>The error budget was spent; the run halted before this host.</summary>
    ErrorBudget = 4,

    /// <summary>The adapter or host lacks a capability the patches need.</summary>
    Capability = 5,

    /// <summary>The host did not answer during Reach.</summary>
    Unreachable = 6,
}
