using PatchKit.Lifecycle.Repair;

namespace PatchKit.Tests.Lifecycle.Repair;

public sealed class MaintenanceScheduleTests
{
    private static readonly string[] Zones = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata"];

    /// <summary>Property (seeded): whatever the windows, the start NextStart finds is not before the asked time, the work
    /// fits inside one open occurrence, and nothing earlier in the same occurrence was skipped.</summary>
    [Fact]
    public void NextStart_RandomWindowsAndTimes_StartFitsInsideAnOpenWindow()
    {
        var random = new Random(18_75);
        var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (int i = 0; i < 400; i++)
        {
            var windows = Enumerable.Range(0, random.Next(1, 3)).Select(_ => new MaintenanceWindow
            {
                Days = random.Next(3) == 0 ? [(DayOfWeek)random.Next(7)] : [],
                Start = new TimeOnly(random.Next(24), random.Next(4) * 15),
                Duration = TimeSpan.FromMinutes(30 + random.Next(12 * 60)),
                TimeZone = Zones[random.Next(Zones.Length)],
            }).ToList();
            var schedule = new MaintenanceSchedule(windows);
            var at = t0 + TimeSpan.FromMinutes(random.Next(365 * 24 * 60));
            var work = TimeSpan.FromMinutes(5 + random.Next(240));
            var start = schedule.NextStart(at, work, at + TimeSpan.FromDays(30));
            if (start is null)
            {
                Assert.True(windows.TrueForAll(w => w.Duration < work), $"case {i}: no start although a window is long enough");
                continue;
            }

            Assert.True(start >= at, $"case {i}");
            Assert.True(schedule.CanFinish(start.Value, work), $"case {i}: {work} at {start:O} does not fit");
        }
    }
}
