using PatchKit.Hosts;
using PatchKit.Hosts.Kvm;

namespace PatchKit.Tests.Hosts.Kvm;

/// <summary>The host contract against real QEMU guests (tests/fixtures/qemu): every check runs on the real processes.
/// The install is a unified diff that creates a file on the guest's data disk, unique per fleet.</summary>
[Collection(KvmFleetCollection.Name)]
public sealed class KvmHostAdapterContractTests(KvmFleetFixture fleet) : HostAdapterContractTests<KvmHostAdapter>
{
    protected override Task<ContractFleet<KvmHostAdapter>> CreateAsync()
    {
        if (fleet.Error is not null && !KvmFixtures.InCi)
        {
            Assert.Fail("needs QEMU: " + fleet.Error);
        }

        string id = "contract-" + Guid.NewGuid().ToString("N")[..8];
        string diff = Path.Combine(fleet.Root, id + ".diff");
        File.WriteAllText(diff, "--- /dev/null\n+++ b/mnt/data/" + id + ".txt\n@@ -0,0 +1 @@\n+installed by " + id + "\n");
        return Task.FromResult(new ContractFleet<KvmHostAdapter>
        {
            Adapter = fleet.CreateAdapter(),
            HostId = "prod",
            SnapshotHostId = "prod",
            HypervisorId = "kvm-a",
            DownHostId = "down",
            NoReturnHostId = "stuck",
            Install = new InstallRequest { PatchId = id, Payloads = [new InstallPayload { Kind = "unified-diff", Location = diff }], Reboot = RebootBehavior.Never },
        });
    }
}
