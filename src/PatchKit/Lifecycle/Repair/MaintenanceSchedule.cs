namespace PatchKit.Lifecycle.Repair;

/// <summary>The union of the maintenance windows; no windows means always open.</summary>
internal sealed class MaintenanceSchedule
{
    private readonly MaintenanceWindow[] _windows;

    public MaintenanceSchedule(IEnumerable<MaintenanceWindow> windows)
    {
        _windows = [.. windows];
    }

    public bool AlwaysOpen => _windows.Length == 0;

    /// <summary>The earliest time at or after <paramref name="at"/> when <paramref name="duration"/> fits in one
    /// occurrence of a window, or <see langword="null"/> when none starts before <paramref name="horizon"/>.</summary>
    public DateTimeOffset? NextStart(DateTimeOffset at, TimeSpan duration, DateTimeOffset horizon)
    {
        if (AlwaysOpen)
        {
            return at;
        }

        DateTimeOffset? best = null;
        foreach (var w in _windows)
        {
            var t = at;
            while (t <= horizon && (best is null || t < best))
            {
                if (!w.TryGetOccurrence(t, out var opens, out var closes))
                {
                    break;
                }

                var start = opens > t ? opens : t;
                if (start + duration <= closes)
                {
                    if (start <= horizon && (best is null || start < best))
                    {
                        best = start;
                    }

                    break;
                }

                t = closes;
            }
        }

        return best;
    }

    /// <summary>Whether a step starting at <paramref name="at"/> finishes inside the occurrence that is open then.</summary>
    public bool CanFinish(DateTimeOffset at, TimeSpan duration)
    {
        if (AlwaysOpen)
        {
            return true;
        }

        foreach (var w in _windows)
        {
            if (w.TryGetOccurrence(at, out var opens, out var closes) && opens <= at && at + duration <= closes)
            {
                return true;
            }
        }

        return false;
    }
}
