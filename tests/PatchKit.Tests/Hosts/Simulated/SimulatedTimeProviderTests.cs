using PatchKit.Hosts.Simulated;

namespace PatchKit.Tests.Hosts.Simulated;

public sealed class SimulatedTimeProviderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Delay_AutoAdvance_CompletesWithTheClockAtTheDueTime()
    {
        var clock = new SimulatedTimeProvider(T0);
        await Task.Delay(TimeSpan.FromDays(3), clock);
        Assert.Equal(T0.AddDays(3), clock.GetUtcNow());
    }

    [Fact]
    public void Advance_WithoutAutoAdvance_FiresDueTimersOnly()
    {
        var clock = new SimulatedTimeProvider(T0) { AutoAdvance = false };
        int fired = 0;
        using var timer = clock.CreateTimer(_ => Interlocked.Increment(ref fired), null, TimeSpan.FromHours(2), Timeout.InfiniteTimeSpan);
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, fired);
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, fired);
    }

    [Fact]
    public void AdvanceTo_Earlier_NeverGoesBack()
    {
        var clock = new SimulatedTimeProvider(T0);
        clock.AdvanceTo(T0.AddHours(-1));
        Assert.Equal(T0, clock.GetUtcNow());
    }
}
