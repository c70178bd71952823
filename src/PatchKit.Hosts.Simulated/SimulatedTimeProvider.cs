namespace PatchKit.Hosts.Simulated;

/// <summary>A simulated clock for runs over a simulated fleet: time moves only when told to (<see cref="Advance"/>),
/// or, with <see cref="AutoAdvance"/>, jumps straight to the due time of any timer created on it, so
/// <c>Task.Delay(window opening - now, clock)</c> completes at once with the clock at the opening.</summary>
/// <remarks>Unlike FakeTimeProvider (a test package), this type ships with the library so the CLI demo and benchmarks
/// can run months of maintenance windows in milliseconds. Timestamps (<see cref="GetTimestamp"/>) follow the clock.</remarks>
public sealed class SimulatedTimeProvider : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<SimulatedTimer> _timers = [];
    private DateTimeOffset _now;

    /// <summary>Initializes a new instance of the <see cref="SimulatedTimeProvider"/> class.</summary>
    /// <param name="start">The initial time.</param>
    public SimulatedTimeProvider(DateTimeOffset start)
    {
        _now = start;
    }

    /// <summary>Gets or sets whether creating a timer advances the clock to its due time.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool AutoAdvance { get; set; } = true;

    /// <inheritdoc/>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    /// <inheritdoc/>
    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    /// <summary>Moves the clock forward and fires the timers that fall due.</summary>
    /// <param name="delta">How far; negative values are refused.</param>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        DateTimeOffset target;
        lock (_gate)
        {
            target = _now + delta;
        }

        AdvanceTo(target);
    }

    /// <summary>Moves the clock to a time (never backwards) and fires the timers that fall due.</summary>
    /// <param name="time">The new time; earlier times leave the clock as it is.</param>
    public void AdvanceTo(DateTimeOffset time)
    {
        List<SimulatedTimer> due = [];
        lock (_gate)
        {
            if (time > _now)
            {
                _now = time;
            }

            for (int i = _timers.Count - 1; i >= 0; i--)
            {
                if (_timers[i].DueAt <= _now)
                {
                    due.Add(_timers[i]);
                    _timers.RemoveAt(i);
                }
            }
        }

        foreach (var t in due)
        {
            t.Fire();
        }
    }

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new SimulatedTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private void Schedule(SimulatedTimer timer, TimeSpan dueTime)
    {
        DateTimeOffset dueAt;
        lock (_gate)
        {
            _timers.Remove(timer);
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return;
            }

            dueAt = _now + dueTime;
            timer.DueAt = dueAt;
            _timers.Add(timer);
        }

        if (AutoAdvance || dueTime <= TimeSpan.Zero)
        {
            // Fire on the thread pool so the caller (Task.Delay's constructor) finishes setting up first.
            ThreadPool.UnsafeQueueUserWorkItem(static s => s.Item1.AdvanceTo(s.Item2), (this, dueAt), preferLocal: false);
        }
    }

    private void Unschedule(SimulatedTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class SimulatedTimer(SimulatedTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;
        private bool _disposed;

        public DateTimeOffset DueAt { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (_disposed)
            {
                return false;
            }

            _period = period;
            owner.Schedule(this, dueTime);
            return true;
        }

        public void Fire()
        {
            if (_disposed)
            {
                return;
            }

            callback(state);
            if (_period != Timeout.InfiniteTimeSpan && _period > TimeSpan.Zero && !_disposed)
            {
                owner.Schedule(this, _period);
            }
        }

        public void Dispose()
        {
            _disposed = true;
            owner.Unschedule(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
