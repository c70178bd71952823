using PatchKit.Lifecycle.Repair;

namespace PatchKit.Tests.Lifecycle.Repair;

public sealed class MaintenanceWindowTests
{
    private static readonly DateTimeOffset Monday = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryGetOccurrence_InsideAWindowThatCrossesMidnight_ReturnsTheOpenOne()
    {
        var w = new MaintenanceWindow { Start = new TimeOnly(22, 0), Duration = TimeSpan.FromHours(6) };
        Assert.True(w.TryGetOccurrence(Monday.AddHours(1), out var opens, out var closes));
        Assert.Equal(Monday.AddHours(-2), opens);
        Assert.Equal(Monday.AddHours(4), closes);
    }

    [Fact]
    public void TryGetOccurrence_BetweenWindows_ReturnsTheNextOne()
    {
        var w = new MaintenanceWindow { Start = new TimeOnly(22, 0), Duration = TimeSpan.FromHours(2) };
        Assert.True(w.TryGetOccurrence(Monday.AddHours(12), out var opens, out _));
        Assert.Equal(Monday.AddHours(22), opens);
    }

    [Fact]
    public void TryGetOccurrence_OnlySaturday_SkipsToSaturday()
    {
        var w = new MaintenanceWindow { Days = [DayOfWeek.Saturday], Start = new TimeOnly(1, 0), Duration = TimeSpan.FromHours(3) };
        Assert.True(w.TryGetOccurrence(Monday, out var opens, out _));
        Assert.Equal(new DateTimeOffset(2026, 1, 10, 1, 0, 0, TimeSpan.Zero), opens);
    }

    [Fact]
    public void TryGetOccurrence_BerlinTimeZone_OpensAtLocalTime()
    {
        var w = new MaintenanceWindow { Start = new TimeOnly(22, 0), Duration = TimeSpan.FromHours(2), TimeZone = "Europe/Berlin" };
        Assert.True(w.TryGetOccurrence(Monday.AddHours(12), out var opens, out _));
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 21, 0, 0, TimeSpan.Zero), opens.ToUniversalTime());
    }

    [Fact]
    public void TryGetOccurrence_SummerTimeInBerlin_UsesTheSummerOffset()
    {
        var w = new MaintenanceWindow { Start = new TimeOnly(22, 0), Duration = TimeSpan.FromHours(2), TimeZone = "Europe/Berlin" };
        Assert.True(w.TryGetOccurrence(new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero), out var opens, out _));
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 20, 0, 0, TimeSpan.Zero), opens.ToUniversalTime());
    }

    [Fact]
    public void NextStart_WorkLongerThanWhatIsLeft_WaitsForTheNextWindow()
    {
        var s = new MaintenanceSchedule([new MaintenanceWindow { Start = new TimeOnly(22, 0), Duration = TimeSpan.FromHours(6) }]);
        var at = s.NextStart(Monday.AddHours(3), TimeSpan.FromHours(2), Monday.AddDays(30));
        Assert.Equal(Monday.AddHours(22), at);
    }

    [Fact]
    public void NextStart_WorkLongerThanAnyWindow_ReturnsNull()
    {
        var s = new MaintenanceSchedule([new MaintenanceWindow { Start = new TimeOnly(22, 0), Duration = TimeSpan.FromHours(2) }]);
        Assert.Null(s.NextStart(Monday, TimeSpan.FromHours(3), Monday.AddDays(30)));
    }

    [Fact]
    public void CanFinish_StepEndsAfterTheWindowCloses_False()
    {
        var s = new MaintenanceSchedule([new MaintenanceWindow { Start = new TimeOnly(22, 0), Duration = TimeSpan.FromHours(6) }]);
        Assert.True(s.CanFinish(Monday.AddHours(3), TimeSpan.FromMinutes(60)));
        Assert.False(s.CanFinish(Monday.AddHours(3.5), TimeSpan.FromMinutes(60)));
        Assert.False(s.CanFinish(Monday.AddHours(12), TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void NextStart_NoWindows_StartsAtOnce()
    {
        var s = new MaintenanceSchedule([]);
        Assert.Equal(Monday, s.NextStart(Monday, TimeSpan.FromDays(3), Monday.AddDays(1)));
    }
}
