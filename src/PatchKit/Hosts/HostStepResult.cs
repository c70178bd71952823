namespace PatchKit.Hosts;

/// <summary>The outcome of one operation on a host. Expected failures are results, not exceptions.</summary>
/// <param name="Succeeded">Whether the operation did what it was asked.</param>
/// <param name="Message">What happened, in words a person understands (no secrets).</param>
/// <param name="Duration">How long the operation took on the host's clock (simulated adapters report their
/// simulated timing here).</param>
public sealed record HostStepResult(bool Succeeded, string Message, TimeSpan Duration)
{
    /// <summary>Creates a successful result.</summary>
    /// <param name="duration">How long it took.</param>
    /// <param name="message">An optional note.</param>
    /// <returns>The result.</returns>
    public static HostStepResult Ok(TimeSpan duration, string message = "") => new(true, message, duration);

    /// <summary>Creates a failed result.</summary>
    /// <param name="message">Why it failed.</param>
    /// <param name="duration">How long it took before failing.</param>
    /// <returns>The result.</returns>
    public static HostStepResult Fail(string message, TimeSpan duration) => new(false, message, duration);
}
