using PatchKit.Hosts;

namespace PatchKit.Lifecycle;

/// <summary>The outcome of one journaled step, replayed from the journal or fresh.</summary>
/// <param name="Succeeded">Whether the step did what it was asked.</param>
/// <param name="Message">What happened.</param>
/// <param name="Duration">How long it took on the host's clock.</param>
/// <param name="Data">Data later steps need (a snapshot id, the guests moved).</param>
/// <param name="Replayed">Whether the outcome comes from an earlier attempt of the run.</param>
/// <param name="Status">What the adapter reported; <see cref="HostOperationStatus.Unknown"/> when the step did not say.</param>
/// <param name="ErrorCode">The platform's error code, if any.</param>
/// <param name="ErrorType">The type of the exception that ended the step, if any.</param>
/// <param name="Guests">The guests the step moved (evacuation, rebalance), if it moves guests.</param>
internal readonly record struct StepOutcome(bool Succeeded, string Message, TimeSpan Duration, string? Data, bool Replayed = false,
    HostOperationStatus Status = HostOperationStatus.Unknown, string? ErrorCode = null, string? ErrorType = null, IReadOnlyList<string>? Guests = null)
{
    public bool RebootRequired => Status == HostOperationStatus.SucceededRebootRequired;

    public static StepOutcome From(HostStepResult r, string? data = null) =>
        new(r.Succeeded, r.Message, r.Duration, data, Status: r.Status, ErrorCode: r.ErrorCode);

    /// <summary>The health check of verification steps (Repair and the lab): the host's own check when it offers one.</summary>
    public static async Task<StepOutcome> HealthAsync(IHealthCheckCapability? check, HostOperation operation) =>
        check is null
            ? new StepOutcome(true, "no health check offered", TimeSpan.Zero, null, Status: HostOperationStatus.NotApplicable)
            : From(await check.CheckHealthAsync(operation).ConfigureAwait(false));
}
