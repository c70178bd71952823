namespace PatchKit.Lifecycle.Repair;

/// <summary>A recurring maintenance window: on some days of the week, from a local start time, for a duration, in a
/// time zone (IANA id such as <c>Europe/Berlin</c>, or <c>UTC</c>). A window may cross midnight. Daylight-saving
/// changes are honoured: a start time that does not exist on the day of the change moves one hour later.</summary>
public sealed class MaintenanceWindow
{
    /// <summary>Gets the days the window opens on; empty means every day.</summary>
    public IList<DayOfWeek> Days { get; set; } = [];

    /// <summary>Gets or sets the local time the window opens.</summary>
    /// <value>The default value is 22:00.</value>
    public TimeOnly Start { get; set; } = new(22, 0);

    /// <summary>Gets or sets how long the window stays open.</summary>
    /// <value>The default value is 4 hours.</value>
    public TimeSpan Duration { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Gets or sets the time zone id.</summary>
    /// <value>The default value is <c>UTC</c>.</value>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Finds the occurrence that contains <paramref name="at"/>, or else the next one.</summary>
    /// <param name="at">The time.</param>
    /// <param name="opens">When that occurrence opens.</param>
    /// <param name="closes">When it closes.</param>
    /// <returns><see langword="false"/> when the window has no occurrence in the next eight days (no days selected).</returns>
    /// <exception cref="TimeZoneNotFoundException">The time zone id is unknown on this machine.</exception>
    public bool TryGetOccurrence(DateTimeOffset at, out DateTimeOffset opens, out DateTimeOffset closes)
    {
        var tz = TimeZone is "UTC" or "Etc/UTC" ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        var local = TimeZoneInfo.ConvertTime(at, tz);
        var today = DateOnly.FromDateTime(local.DateTime);
        int back = (int)Math.Ceiling(Duration.TotalDays) + 1;
        for (int d = -back; d <= 8; d++)
        {
            var date = today.AddDays(d);
            if (Days.Count > 0 && !Days.Contains(date.DayOfWeek))
            {
                continue;
            }

            var localStart = date.ToDateTime(Start);
            if (tz.IsInvalidTime(localStart))
            {
                localStart = localStart.AddHours(1);
            }

            var o = new DateTimeOffset(localStart, tz.GetUtcOffset(localStart));
            if (o + Duration > at)
            {
                opens = o;
                closes = o + Duration;
                return true;
            }
        }

        opens = closes = default;
        return false;
    }
}
