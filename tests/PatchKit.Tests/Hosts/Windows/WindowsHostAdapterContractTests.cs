using PatchKit.Hosts;
using PatchKit.Hosts.Windows;
using static PatchKit.Tests.Hosts.Windows.WindowsFleet;

namespace PatchKit.Tests.Hosts.Windows;

/// <summary>The adapter contract on the WinRM fixture: real NTLM authentication and message sealing (Apache +
/// gss-ntlmssp), WS-Management answers replayed from a real Windows host, the adapter's scripts answered with canned
/// outputs (tests/fixtures/winrm/canned-patchkit.json) by a stateful per-machine replay (installed updates, boot time,
/// reboots). Every fleet uses fresh machines.</summary>
[Collection("winrm-reboot")]
public sealed class WindowsHostAdapterContractTests(WinRmFixture fx) : HostAdapterContractTests<WindowsHostAdapter>
{
    protected override Task<ContractFleet<WindowsHostAdapter>> CreateAsync()
    {
        if (WinRmFixture.Unavailable is { } why && !WinRmFactAttribute.InCi)
        {
            throw new InvalidOperationException(why);
        }

        var adapter = Adapter(Host(fx, "win1", NewMachine()), Down(fx, "down"), Host(fx, "noreturn", NewMachine("noreturn")));
        return Task.FromResult(new ContractFleet<WindowsHostAdapter>
        {
            Adapter = adapter,
            HostId = "win1",
            SnapshotHostId = "win1",
            HypervisorId = "win1",
            DownHostId = "down",
            NoReturnHostId = "noreturn",
            Install = new InstallRequest { PatchId = "KB5035010" },
            Secrets = [fx.Password],
        });
    }

    // Windows guests are snapshotted, cloned, evacuated and put in maintenance mode by their hypervisor's adapter (ESX,
    // KVM), not over WinRM: the contract's checks of those capabilities become checks that the adapter neither
    // implements nor advertises them, so the lifecycle never plans such a step for a Windows guest.
    [Fact]
    public override Task Snapshot_CreateTwiceWithOneName_OneSnapshot_FoundByNameAfterACrash_RemoveTwiceSucceeds() =>
        AssertNotOfferedAsync<ISnapshotCapability>(HostCapabilities.Snapshot);

    [Fact]
    public override Task MaintenanceMode_EnterAndExitAreIdempotent_AndTheQueryTellsTheTruth() =>
        AssertNotOfferedAsync<IMaintenanceModeCapability>(HostCapabilities.MaintenanceMode);

    [Fact]
    public override Task Evacuation_Twice_MovesEachGuestOnce_RebalanceBringsThemBack() =>
        AssertNotOfferedAsync<IEvacuationCapability>(HostCapabilities.Evacuation);

    [Fact]
    public override Task LabClone_CreateTwiceWithOneName_OneClone_ListedForItsSource_DestroyTwiceSucceeds() =>
        AssertNotOfferedAsync<ILabCloneCapability>(HostCapabilities.LabClone);

    private async Task AssertNotOfferedAsync<TCapability>(HostCapabilities flag)
    {
        await using var f = await CreateAsync();
        Assert.False(f.Adapter is TCapability, typeof(WindowsHostAdapter).Name + " implements " + typeof(TCapability).Name);
        var inventory = await f.Adapter.GetInventoryAsync(CancellationToken.None);
        Assert.NotEmpty(inventory.Hosts);
        Assert.All(inventory.Hosts, h => Assert.False(h.Capabilities.HasFlag(flag), h.Id + " advertises " + flag));
    }
}
