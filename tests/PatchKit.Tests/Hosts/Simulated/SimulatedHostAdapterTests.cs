using PatchKit.Hosts;
using PatchKit.Hosts.Simulated;
using PatchKit.Tests.Infrastructure;
using PatchKit.Tests.Lifecycle;

namespace PatchKit.Tests.Hosts.Simulated;

public sealed class SimulatedHostAdapterTests
{
    [Fact]
    public async Task GetInventoryAsync_GuestsListedUnderTheirHost()
    {
        var adapter = new SimulatedHostAdapter(TestFleet.Standard());
        var inv = await adapter.GetInventoryAsync(CancellationToken.None);
        Assert.Equal(7, inv.Hosts.Count);
        Assert.Equal(["win1"], inv.Hosts.Single(h => h.Id == "esx1").Guests);
        Assert.Equal("kvm1", inv.Hosts.Single(h => h.Id == "lin1").ParentId);
        Assert.True((inv.Hosts.Single(h => h.Id == "kvm1").Capabilities & HostCapabilities.LiveUpdate) != 0);
    }

    [Fact]
    public async Task GetInventoryAsync_DownHost_ReportedUnreachableNotThrown()
    {
        var adapter = new SimulatedHostAdapter(TestFleet.Fleet(TestFleet.Host("w", HostKind.Windows) with { Down = true }));
        var inv = await adapter.GetInventoryAsync(CancellationToken.None);
        Assert.Equal(HostStatus.Unreachable, inv.Hosts[0].Status);
        Assert.Null(await adapter.IdentifyAsync(Op("w")));
    }

    [Fact]
    public async Task IdentifyAsync_UnknownHost_ThrowsHostAdapterExceptionWithHostId()
    {
        var adapter = new SimulatedHostAdapter(TestFleet.Standard());
        var ex = await Assert.ThrowsAsync<HostAdapterException>(() => adapter.IdentifyAsync(Op("nope")));
        Assert.Equal("nope", ex.HostId);
        Assert.Contains("'nope'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatePath_ChangesSurviveANewAdapter()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "state.json");
        var first = new SimulatedHostAdapter(TestFleet.Standard(), new() { StatePath = path });
        await first.InstallAsync(Op("lin1"), new InstallRequest { PatchId = "ossl-1", Reboot = RebootBehavior.Never });
        await first.EnterMaintenanceModeAsync(Op("esx1"));
        var second = new SimulatedHostAdapter(TestFleet.Standard(), new() { StatePath = path });
        var inv = await second.GetInventoryAsync(CancellationToken.None);
        Assert.True(inv.Hosts.Single(h => h.Id == "lin1").IsInstalled("ossl-1"));
        Assert.True(await second.IsInMaintenanceModeAsync(Op("esx1")));
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public async Task CrashAtPoint_CallsCrashBeforeOrAfterAChange()
    {
        int crashes = 0;
        var adapter = new SimulatedHostAdapter(TestFleet.Standard(), new() { Faults = new SimulatedFaultOptions { CrashAtPoint = 2, Crash = () => crashes++ } });
        await adapter.EnterMaintenanceModeAsync(Op("esx1"));
        Assert.Equal(1, crashes);
        Assert.Equal(2, adapter.CrashPointsPassed);
    }

    [Fact]
    public async Task EvacuateAsync_MovesGuestsToTheLeastLoadedHostOfTheCluster()
    {
        var adapter = new SimulatedHostAdapter(TestFleet.Standard());
        var r = await adapter.EvacuateAsync(Op("esx1"), ["win1"]);
        Assert.True(r.Succeeded);
        var move = Assert.Single(r.Moves);
        Assert.Equal(("win1", "esx1", "esx2"), (move.GuestId, move.FromHostId, move.ToHostId));
        Assert.Empty(await adapter.ListGuestsAsync(Op("esx1")));
        var back = await adapter.RebalanceAsync(Op("esx1"), ["win1"]);
        Assert.Single(back.Moves);
        Assert.Equal(["win1"], await adapter.ListGuestsAsync(Op("esx1")));
    }

    [Fact]
    public async Task CreateSnapshotAsync_SameNameTwice_ReturnsTheSameSnapshot()
    {
        var adapter = new SimulatedHostAdapter(TestFleet.Standard());
        var a = await adapter.CreateSnapshotAsync(Op("win1"), "s");
        var b = await adapter.CreateSnapshotAsync(Op("win1"), "s");
        Assert.Equal(a.SnapshotId, b.SnapshotId);
        Assert.Single(await adapter.ListSnapshotsAsync(Op("win1")));
    }

    private static HostOperation Op(string hostId) => new(hostId);

    [Fact]
    public void Generate_SameSeed_SameFleet()
    {
        var a = SimulatedFleetGenerator.Generate(7, 10, 3).ToJson();
        var b = SimulatedFleetGenerator.Generate(7, 10, 3).ToJson();
        Assert.Equal(a, b);
        var fleet = SimulatedFleetDescription.Parse(a);
        Assert.Equal(40, fleet.Hosts.Count);
        Assert.Contains(fleet.Hosts, h => h.Tags.Contains("lab"));
        Assert.Contains(fleet.Hosts, h => h.Tags.Contains("canary"));
    }
}
