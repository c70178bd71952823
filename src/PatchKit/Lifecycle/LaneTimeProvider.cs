namespace PatchKit.Lifecycle;

/// <summary>The clock of one step on a simulated timeline: it reads the step's lane time (moving on as the run's clock
/// moves), while timers and timestamps are the run's clock's own.</summary>
internal sealed class LaneTimeProvider(TimeProvider run, DateTimeOffset lane) : TimeProvider
{
    private readonly DateTimeOffset _runAtStart = run.GetUtcNow();

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => lane + (run.GetUtcNow() - _runAtStart);

    /// <inheritdoc/>
    public override long GetTimestamp() => run.GetTimestamp();

    /// <inheritdoc/>
    public override long TimestampFrequency => run.TimestampFrequency;

    /// <inheritdoc/>
    public override TimeZoneInfo LocalTimeZone => run.LocalTimeZone;

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        run.CreateTimer(callback, state, dueTime, period);
}
