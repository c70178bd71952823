namespace PatchKit.Hosts;

/// <summary>The outcome of one operation on a host. Expected failures are results, not exceptions.</summary>
public sealed class HostStepResult
{
    /// <summary>Gets what happened.</summary>
    public required HostOperationStatus Status { get; init; }

    /// <summary>Gets what happened, in words a person understands. It must not contain a secret.</summary>
    /// <value>The default value is the empty string.</value>
    public string Message { get; init; } = string.Empty;

    /// <summary>Gets the platform's error code when there is one (<c>0x80240022</c>, <c>1603</c>,
    /// <c>esxcli:NoMatchingVib</c>), or <see langword="null"/>.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Gets how long the operation took on the host's clock (simulated adapters report their simulated
    /// timing here; the lifecycle measures real runs itself).</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Gets, for installs, the items installed (VIBs, KBs, packages).</summary>
    public IReadOnlyList<string> Installed { get; init; } = [];

    /// <summary>Gets, for installs, the items that failed.</summary>
    public IReadOnlyList<string> Failed { get; init; } = [];

    /// <summary>Gets whether the operation did what it was asked (<see cref="HostOperationStatus.Succeeded"/>,
    /// <see cref="HostOperationStatus.SucceededRebootRequired"/> or <see cref="HostOperationStatus.NotApplicable"/>).</summary>
    public bool Succeeded => Status is HostOperationStatus.Succeeded or HostOperationStatus.SucceededRebootRequired or HostOperationStatus.NotApplicable;

    /// <summary>Gets whether the host reported that a reboot is now required.</summary>
    public bool RebootRequired => Status == HostOperationStatus.SucceededRebootRequired;

    /// <summary>Creates a successful result.</summary>
    /// <param name="duration">How long it took.</param>
    /// <param name="message">An optional note.</param>
    /// <returns>The result.</returns>
    public static HostStepResult Ok(TimeSpan duration, string message = "") =>
        new() { Status = HostOperationStatus.Succeeded, Message = message, Duration = duration };

    /// <summary>Creates a failed result.</summary>
    /// <param name="message">Why it failed.</param>
    /// <param name="duration">How long it took before failing.</param>
    /// <param name="errorCode">The platform's error code, if any.</param>
    /// <returns>The result.</returns>
    public static HostStepResult Fail(string message, TimeSpan duration, string? errorCode = null) =>
        new() { Status = HostOperationStatus.Failed, Message = message, Duration = duration, ErrorCode = errorCode };
}
