using PatchKit.Hosts;
using PatchKit.Hosts.Esx;

namespace PatchKit.Tests.Hosts.Esx;

/// <summary>The adapter contract against the real vSphere simulator (vCenter mode) and the real sshd with the stand-in
/// esxcli. Each fleet installs its own VIB bundle, so the shared servers do not leak installs between the checks.</summary>
[Collection("esx")]
[EsxContractServers]
public sealed class EsxHostAdapterContractTests(EsxServers servers) : HostAdapterContractTests<EsxHostAdapter>
{
    protected override async Task<ContractFleet<EsxHostAdapter>> CreateAsync()
    {
        var vc = servers.Vcenter;
        string hypervisor = vc.Hosts.Where(h => h.Parent.StartsWith("ClusterComputeResource", StringComparison.Ordinal))
            .OrderByDescending(h => vc.Vms.Count(v => v.Host == h.Moref && v.PowerState == "poweredOn")).First().Moref;
        string vibName = "contract" + Guid.NewGuid().ToString("N")[..8];
        string bundle = "/vmfs/volumes/datastore1/PatchKit-" + vibName + "_1.0.0-1_100.zip";
        string local = Path.Combine(servers.Ssh.FakeRoot, bundle.TrimStart('/'));
        await File.WriteAllTextAsync(local, "bundle");
        var adapter = servers.Adapter();
        string noReturn = vc.HostId("DC0_H1");
        // RebootHost_Task without force needs maintenance mode, as on a real host.
        Assert.True((await adapter.EnterMaintenanceModeAsync(new HostOperation(noReturn))).Succeeded);
        return new ContractFleet<EsxHostAdapter>
        {
            Adapter = adapter,
            HostId = vc.HostId(EsxServers.SshHostName),
            SnapshotHostId = vc.Vms.First(v => v.Host == hypervisor).Moref,
            HypervisorId = hypervisor,
            DownHostId = vc.HostId("DC0_H0"),
            NoReturnHostId = noReturn,
            Install = new InstallRequest
            {
                PatchId = "PatchKit_bootbank_" + vibName + "_1.0.0-1",
                Payloads = [new InstallPayload { Kind = "esxi-vib", Location = bundle }],
                Reboot = RebootBehavior.May,
            },
            Secrets = [vc.Password, servers.Ssh.Password],
        };
    }
}

/// <summary>The ESX contract checks skip with the reason when the simulator or the sshd fixture cannot run here, unless
/// CI=true (like <see cref="EsxFactAttribute"/>).</summary>
public sealed class EsxContractServersAttribute : ContractServersAttribute
{
    public override string? SkipReason =>
        Environment.GetEnvironmentVariable("CI") == "true" ? null : EsxiSshServer.Missing() ?? VcsimServer.Missing();
}
