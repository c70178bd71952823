namespace PatchKit.Hosts;

/// <summary>What a host operation did.</summary>
public enum HostOperationStatus
{
    /// <summary>Not set: treated as a failure, never as success.</summary>
    Unknown = 0,

    /// <summary>The operation did what it was asked.</summary>
    Succeeded = 1,

    /// <summary>The operation succeeded and the host must reboot for it to take effect (Windows Update's
    /// <c>RebootRequired</c>, esxcli's <c>Reboot Required: true</c>, MSI 3010).</summary>
    SucceededRebootRequired = 2,

    /// <summary>Some items succeeded and some failed (see <see cref="HostStepResult.Installed"/> and
    /// <see cref="HostStepResult.Failed"/>).</summary>
    Partial = 3,

    /// <summary>The operation failed.</summary>
    Failed = 4,

    /// <summary>The operation did not finish within its timeout.</summary>
    TimedOut = 5,

    /// <summary>The operation does not apply to this host (the patch is not for it, nothing to do).</summary>
    NotApplicable = 6,

    /// <summary>The host did not answer.</summary>
    Unreachable = 7,
}
