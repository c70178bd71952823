using PatchKit.Hosts;
using PatchKit.Hosts.Simulated;
using PatchKit.Tests.Lifecycle;
using static PatchKit.Tests.Hosts.Windows.WindowsFleet;

namespace PatchKit.Tests.Hosts.Windows;

/// <summary>The simulated fleet's Windows guests answer as the Windows adapter does on the WinRM fixture: an update
/// that needs a restart is SucceededRebootRequired with code 3010 and a pending reboot in the inventory; installing it
/// again succeeds with nothing installed; a reboot clears the pending flag.</summary>
[Collection("winrm-reboot")]
public sealed class SimulatedWindowsAlignmentTests(WinRmFixture fx)
{
    private sealed record Seen(HostOperationStatus Status, string? ErrorCode, int Installed, bool PendingAfter);

    private static async Task<List<Seen>> ScenarioAsync(IHostAdapter adapter, IInstallCapability install, IRebootCapability reboot, string hostId, InstallRequest request)
    {
        async Task<bool> PendingAsync() => (await adapter.GetInventoryAsync(CancellationToken.None)).Hosts.Single(h => h.Id == hostId).PendingReboot;
        var seen = new List<Seen>();
        var first = await install.InstallAsync(Op(hostId), request);
        seen.Add(new Seen(first.Status, first.ErrorCode, first.Installed.Count, await PendingAsync()));
        var rebooted = await reboot.RebootAndWaitAsync(new HostOperation(hostId) { Timeout = TimeSpan.FromSeconds(60) });
        seen.Add(new Seen(rebooted.Status, rebooted.ErrorCode, 0, await PendingAsync()));
        var again = await install.InstallAsync(Op(hostId), request);
        seen.Add(new Seen(again.Status, again.ErrorCode, again.Installed.Count, await PendingAsync()));
        return seen;
    }

    [WinRmFact]
    public async Task RebootRequired3010_AlreadyInstalled_PendingReboot_SameOnBothAdapters()
    {
        var request = new InstallRequest
        {
            PatchId = "KB5035007",
            Reboot = RebootBehavior.Always,
            Payloads = [new InstallPayload { Kind = "msu", Location = @"C:\Updates\windows10.0-kb5035007-x64.msu" }],
        };
        await using var real = Adapter(Host(fx, "win1", NewMachine()));
        var onReal = await ScenarioAsync(real, real, real, "win1", request);

        await using var sim = new SimulatedHostAdapter(TestFleet.Fleet(TestFleet.Host("win1", HostKind.Windows)));
        var onSim = await ScenarioAsync(sim, sim, sim, "win1", request);

        Assert.Equal(new Seen(HostOperationStatus.SucceededRebootRequired, "3010", 1, true), onReal[0]);
        Assert.Equal(onReal, onSim);
    }
}
