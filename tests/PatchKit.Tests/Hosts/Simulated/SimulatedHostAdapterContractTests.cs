using PatchKit.Hosts;
using PatchKit.Hosts.Simulated;
using PatchKit.Tests.Lifecycle;

namespace PatchKit.Tests.Hosts.Simulated;

/// <summary>The adapter contract on the simulated fleet.</summary>
public sealed class SimulatedHostAdapterContractTests : HostAdapterContractTests<SimulatedHostAdapter>
{
    protected override Task<ContractFleet<SimulatedHostAdapter>> CreateAsync()
    {
        var fleet = TestFleet.Fleet(
            TestFleet.Host("esx1", HostKind.Esx),
            TestFleet.Host("esx2", HostKind.Esx),
            TestFleet.Host("win1", HostKind.Windows, "esx1"),
            TestFleet.Host("win2", HostKind.Windows, "esx1"),
            TestFleet.Host("lin1", HostKind.Linux),
            TestFleet.Host("down", HostKind.Linux) with { Down = true },
            TestFleet.Host("gone", HostKind.Linux) with { Faults = new SimulatedHostFaults { NoReturnAfterReboot = true } });
        return Task.FromResult(new ContractFleet<SimulatedHostAdapter>
        {
            Adapter = new SimulatedHostAdapter(fleet, new() { TimeProvider = new SimulatedTimeProvider(TestFleet.Start) }),
            HostId = "lin1",
            SnapshotHostId = "win1",
            HypervisorId = "esx1",
            DownHostId = "down",
            NoReturnHostId = "gone",
            Install = new InstallRequest { PatchId = "contract-p1", Reboot = RebootBehavior.Never },
        });
    }
}
