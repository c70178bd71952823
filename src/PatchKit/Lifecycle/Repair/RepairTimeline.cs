namespace PatchKit.Lifecycle.Repair;

/// <summary>Where a host's repair is in time. Real runs gate on the wall clock and measure step durations themselves;
/// plans and simulated runs advance a lane by the durations the adapter reports, so months of windows run in
/// milliseconds and the timeline is the same however fast the adapter answers.</summary>
internal abstract class RepairTimeline
{
    /// <summary>Gets the current time on this host's timeline.</summary>
    public abstract DateTimeOffset Now { get; }

    public static RepairTimeline Simulated(DateTimeOffset start) => new Lane(start);

    public static RepairTimeline WallClock(TimeProvider clock, DateTimeOffset start) => new Wall(clock, start);

    /// <summary>The time a step would start at now (checked against the window).</summary>
    public abstract DateTimeOffset BeforeStep();

    /// <summary>Moves past a step that started at <paramref name="at"/>; returns how long it took.</summary>
    public abstract TimeSpan AfterStep(DateTimeOffset at, TimeSpan reported);

    /// <summary>Moves past a step an earlier attempt of the run finished, which took <paramref name="journaled"/> then; returns
    /// that duration. A simulated lane advances by it, so a resumed run's timeline (and its report's figures) is the one
    /// an uninterrupted run has; on the wall clock the time has passed already.</summary>
    public abstract TimeSpan Replayed(TimeSpan journaled);

    private sealed class Lane(DateTimeOffset start) : RepairTimeline
    {
        private DateTimeOffset _lane = start;

        public override DateTimeOffset Now => _lane;

        public override DateTimeOffset BeforeStep() => _lane;

        public override TimeSpan AfterStep(DateTimeOffset at, TimeSpan reported)
        {
            _lane += reported;
            return reported;
        }

        public override TimeSpan Replayed(TimeSpan journaled)
        {
            _lane += journaled;
            return journaled;
        }
    }

    private sealed class Wall(TimeProvider clock, DateTimeOffset start) : RepairTimeline
    {
        private DateTimeOffset _now = Max(start, clock.GetUtcNow());

        public override DateTimeOffset Now => _now;

        public override DateTimeOffset BeforeStep() => _now = Max(_now, clock.GetUtcNow());

        public override TimeSpan AfterStep(DateTimeOffset at, TimeSpan reported)
        {
            _now = Max(_now, clock.GetUtcNow());
            return _now - at;
        }

        public override TimeSpan Replayed(TimeSpan journaled) => journaled;

        private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
    }
}
