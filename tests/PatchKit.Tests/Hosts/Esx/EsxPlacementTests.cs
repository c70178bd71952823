using System.Xml;
using PatchKit.Hosts;
using PatchKit.Hosts.Esx;
using PatchKit.Hosts.Esx.Soap;

namespace PatchKit.Tests.Hosts.Esx;

/// <summary>vMotion compatibility and the cluster's rules before an evacuation target is chosen, against the real vSphere
/// simulator (tests/fixtures/vcsim), one small vCenter (one cluster of three hosts) per test. Datastores, port groups,
/// NICs, storage relocation and the cluster's VM-VM and VM-host rules are made by each test through the SOAP API as an
/// administrator would (CreateLocalDatastore, AddPortGroup, ReconfigVM_Task, RelocateVM_Task,
/// ReconfigureComputeResource_Task). The simulator has no CPU model and no EVC manager, so the EVC facts a vCenter
/// reports (a host's maxEVCModeKey, a cluster's EVC mode, a VM's minRequiredEVCModeKey) are set by the launcher's
/// <c>-host-evc</c> / <c>-cluster-evc</c> flags.</summary>
public sealed class EsxPlacementTests
{
    private const string Ns = VimXml.VimNamespace;

    private static HostOperation Op(string id) => new(id);

    private static Task<VcsimServer> StartAsync(params string[] extra) =>
        VcsimServer.StartAsync([.. (string[])["-mode", "vcenter", "-cluster", "1", "-host", "3", "-vm", "4", "-standalone-host", "0"], .. extra]);

    private static string Cluster(VcsimServer sim) =>
        sim.Hosts.First(h => h.Parent.StartsWith("ClusterComputeResource:", StringComparison.Ordinal)).Parent["ClusterComputeResource:".Length..];

    /// <summary>A powered-on VM on the named host, and the ids of everything on it.</summary>
    private static (string Host, string Vm, string VmName, IReadOnlyList<string> Guests) On(VcsimServer sim, string hostName)
    {
        string host = sim.HostId(hostName);
        var guests = sim.Vms.Where(v => v.Host == host && v.PowerState == "poweredOn").OrderBy(v => v.Name, StringComparer.Ordinal).ToList();
        Assert.NotEmpty(guests);
        return (host, guests[0].Moref, guests[0].Name, [.. guests.Select(g => g.Moref)]);
    }

    private static async Task TaskAsync(EsxHostAdapter adapter, string method, ManagedObjectReference self, Action<XmlWriter> args)
    {
        var sc = await adapter.SessionAsync(CancellationToken.None);
        var task = await adapter.Client.StartTaskAsync(method, self, args, CancellationToken.None);
        var info = await adapter.Client.WaitForTaskAsync(sc.PropertyCollector, task, TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.True(info.State == "success", method + ": " + info.ErrorType + " " + info.ErrorMessage);
    }

    private static async Task<ManagedObjectReference> ConfigManagerAsync(EsxHostAdapter adapter, string host, string which)
    {
        var sc = await adapter.SessionAsync(CancellationToken.None);
        var o = Assert.Single(await adapter.Client.RetrieveObjectsAsync(sc.PropertyCollector, [new ManagedObjectReference("HostSystem", host)], ["configManager." + which], CancellationToken.None));
        return o.Moref("configManager." + which) ?? throw new InvalidOperationException("no " + which);
    }

    /// <summary>ReconfigureComputeResource_Task with rules and groups added (operation add).</summary>
    private static Task AddRulesAsync(EsxHostAdapter adapter, VcsimServer sim, Action<XmlWriter> rulesAndGroups) =>
        TaskAsync(adapter, "ReconfigureComputeResource_Task", new ManagedObjectReference("ClusterComputeResource", Cluster(sim)), w =>
        {
            w.WriteStartElement("spec", Ns);
            w.WriteAttributeString("type", VimXml.XsiNamespace, "ClusterConfigSpecEx");
            rulesAndGroups(w);
            w.WriteEndElement();
            w.WriteElementString("modify", Ns, "true");
        });

    /// <summary>A rule of the cluster's configuration (<c>rulesSpec</c>, operation add, enabled).</summary>
    private static void Rule(XmlWriter w, string type, string name, Action members)
    {
        w.WriteStartElement("rulesSpec", Ns);
        w.WriteElementString("operation", Ns, "add");
        w.WriteStartElement("info", Ns);
        w.WriteAttributeString("type", VimXml.XsiNamespace, type);
        w.WriteElementString("enabled", Ns, "true");
        w.WriteElementString("name", Ns, name);
        members();
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void VmVmRule(XmlWriter w, string type, string name, params string[] vms) => Rule(w, type, name, () =>
    {
        foreach (var vm in vms)
        {
            VimClient.WriteMoref(w, "vm", new ManagedObjectReference("VirtualMachine", vm));
        }
    });

    /// <summary>A VM-host rule: the VMs of <paramref name="vmGroup"/> must (mandatory) or should run on the hosts of
    /// <paramref name="hostGroup"/>.</summary>
    private static void VmHostRule(XmlWriter w, string name, bool mandatory, string vmGroup, string hostGroup) =>
        Rule(w, "ClusterVmHostRuleInfo", name, () =>
        {
            w.WriteElementString("mandatory", Ns, mandatory ? "true" : "false");
            w.WriteElementString("vmGroupName", Ns, vmGroup);
            w.WriteElementString("affineHostGroupName", Ns, hostGroup);
        });

    private static void Group(XmlWriter w, string type, string name, string member, string memberType, params string[] ids)
    {
        w.WriteStartElement("groupSpec", Ns);
        w.WriteElementString("operation", Ns, "add");
        w.WriteStartElement("info", Ns);
        w.WriteAttributeString("type", VimXml.XsiNamespace, type);
        w.WriteElementString("name", Ns, name);
        foreach (var id in ids)
        {
            VimClient.WriteMoref(w, member, new ManagedObjectReference(memberType, id));
        }

        w.WriteEndElement();
        w.WriteEndElement();
    }

    /// <summary>The evacuation was refused as a whole (no move made); the failure of <paramref name="vm"/>.</summary>
    private static GuestMoveFailure Refused(EvacuationResult r, string vm)
    {
        Assert.Equal(HostOperationStatus.Failed, r.Status);
        Assert.Empty(r.Moves);
        return r.FailedGuests.Single(g => g.GuestId == vm);
    }

    private static async Task<string> PlannedEvacuationAsync(EsxHostAdapter adapter, string host) =>
        (await adapter.DescribeHostsAsync(CancellationToken.None)).Single(f => f.Id == host).Evacuation;

    [Theory]
    [InlineData("intel-skylake", "intel-haswell", true)]
    [InlineData("intel-haswell", "intel-skylake", false)]
    [InlineData("amd-zen3", "amd-zen", true)]
    [InlineData("amd-zen4", "intel-merom", false)]
    [InlineData("vendor-future", "vendor-future", true)]
    [InlineData("vendor-future", "intel-merom", false)]
    public void EvcModes_NewerBaselineOfTheSameVendorCoversOlder(string offered, string needed, bool covers) =>
        Assert.Equal(covers, EvcModes.Covers(offered, needed));

    [EsxFact]
    public async Task Evc_OtherHostsOfferAnOlderOrOtherVendorsCpu_RefusedNamingTheVmAndTheModes_ClusterEvcLetsItMove()
    {
        string[] cpus = ["-host-evc", "DC0_C0_H0=intel-skylake,DC0_C0_H1=intel-haswell,DC0_C0_H2=amd-zen2"];
        await using (var sim = await StartAsync(cpus))
        {
            await using var adapter = EsxRoomAndDrsTests.Adapter(sim);
            var (host, vm, vmName, guests) = On(sim, "DC0_C0_H0");
            var r = await adapter.EvacuateAsync(Op(host), guests);
            var f = Refused(r, vm);
            Assert.Contains(vmName + " (" + vm + ") cannot move: no other host of cluster DC0_C0 fits it", f.Reason, StringComparison.Ordinal);
            Assert.Contains("DC0_C0_H1 offers CPU baseline intel-haswell but " + vmName + " needs intel-skylake", f.Reason, StringComparison.Ordinal);
            Assert.Contains("DC0_C0_H2 offers CPU baseline amd-zen2 but " + vmName + " needs intel-skylake", f.Reason, StringComparison.Ordinal);
            Assert.Contains("REFUSED: " + vmName, await PlannedEvacuationAsync(adapter, host), StringComparison.Ordinal);
            Assert.Equal(guests.Order(StringComparer.Ordinal), (await adapter.ListGuestsAsync(Op(host))).Order(StringComparer.Ordinal));
        }

        // Intel CPUs of two generations under the cluster's EVC mode intel-haswell: every VM needs only that baseline.
        await using (var sim = await StartAsync(["-host-evc", "DC0_C0_H0=intel-skylake,DC0_C0_H1=intel-haswell,DC0_C0_H2=intel-haswell", "-cluster-evc", "DC0_C0=intel-haswell"]))
        {
            await using var adapter = EsxRoomAndDrsTests.Adapter(sim);
            var (host, vm, _, guests) = On(sim, "DC0_C0_H0");
            var r = await adapter.EvacuateAsync(Op(host), guests);
            Assert.True(r.Status == HostOperationStatus.Succeeded, r.Message);
            Assert.Contains(r.Moves, m => m.GuestId == vm);
            Assert.Empty(await adapter.ListGuestsAsync(Op(host)));
        }
    }

    [EsxFact]
    public async Task DatastoreAndNetworkOnlyTheSourceSees_Refused_NamingBoth_NothingMoves()
    {
        await using var sim = await StartAsync();
        await using var adapter = EsxRoomAndDrsTests.Adapter(sim);
        var (host, vm, vmName, guests) = On(sim, "DC0_C0_H0");

        // A local datastore on H0 only, and the VM's files relocated onto it (storage vMotion).
        string dir = Directory.CreateTempSubdirectory("pk-localds-").FullName;
        try
        {
            var dss = await ConfigManagerAsync(adapter, host, "datastoreSystem");
            var created = await adapter.Client.InvokeAsync("CreateLocalDatastore", dss, w =>
            {
                w.WriteElementString("name", Ns, "h0-local");
                w.WriteElementString("path", Ns, dir);
            }, idempotent: false, CancellationToken.None);
            var ds = Assert.Single(created).AsMoref();
            await TaskAsync(adapter, "RelocateVM_Task", new ManagedObjectReference("VirtualMachine", vm), w =>
            {
                w.WriteStartElement("spec", Ns);
                VimClient.WriteMoref(w, "datastore", ds);
                w.WriteEndElement();
            });

            // A port group on H0's vSwitch0 only, and a NIC of the VM on it.
            var ns = await ConfigManagerAsync(adapter, host, "networkSystem");
            await adapter.Client.InvokeAsync("AddPortGroup", ns, w =>
            {
                w.WriteStartElement("portgrp", Ns);
                w.WriteElementString("name", Ns, "h0-only");
                w.WriteElementString("vlanId", Ns, "0");
                w.WriteElementString("vswitchName", Ns, "vSwitch0");
                w.WriteStartElement("policy", Ns);
                w.WriteEndElement();
                w.WriteEndElement();
            }, idempotent: false, CancellationToken.None);
            await TaskAsync(adapter, "ReconfigVM_Task", new ManagedObjectReference("VirtualMachine", vm), w =>
            {
                w.WriteStartElement("spec", Ns);
                w.WriteStartElement("deviceChange", Ns);
                w.WriteElementString("operation", Ns, "add");
                w.WriteStartElement("device", Ns);
                w.WriteAttributeString("type", VimXml.XsiNamespace, "VirtualE1000");
                w.WriteElementString("key", Ns, "-1");
                w.WriteStartElement("backing", Ns);
                w.WriteAttributeString("type", VimXml.XsiNamespace, "VirtualEthernetCardNetworkBackingInfo");
                w.WriteElementString("deviceName", Ns, "h0-only");
                w.WriteEndElement();
                w.WriteEndElement();
                w.WriteEndElement();
                w.WriteEndElement();
            });

            var r = await adapter.EvacuateAsync(Op(host), guests);
            var f = Refused(r, vm);
            foreach (var other in (string[])["DC0_C0_H1", "DC0_C0_H2"])
            {
                Assert.Contains(other + " does not see datastore h0-local, does not see network h0-only", f.Reason, StringComparison.Ordinal);
            }

            Assert.StartsWith(vmName + " (" + vm + ") cannot move", f.Reason, StringComparison.Ordinal);
            Assert.Contains("Refused to evacuate DC0_C0_H0", r.Message, StringComparison.Ordinal);
            Assert.Equal(guests.Order(StringComparer.Ordinal), (await adapter.ListGuestsAsync(Op(host))).Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [EsxFact]
    public async Task VmVmRules_AntiAffinityAndAffinityChooseTheTarget_OrRefuseNamingTheRule()
    {
        await using var sim = await StartAsync();
        await using var adapter = EsxRoomAndDrsTests.Adapter(sim);
        var (host, vm, _, guests) = On(sim, "DC0_C0_H0");
        var (_, onH1, _, _) = On(sim, "DC0_C0_H1");

        // Without rules H2 (one VM, the most free memory) would take it; affinity with a VM on H1 sends it there.
        Assert.Contains("to DC0_C0_H2 (", await PlannedEvacuationAsync(adapter, host), StringComparison.Ordinal);
        await AddRulesAsync(adapter, sim, w => VmVmRule(w, "ClusterAffinityRuleSpec", "with-h1", vm, onH1));
        Assert.Contains("to DC0_C0_H1 (", await PlannedEvacuationAsync(adapter, host), StringComparison.Ordinal);
        var ok = await adapter.EvacuateAsync(Op(host), guests);
        Assert.True(ok.Status == HostOperationStatus.Succeeded, ok.Message);
        Assert.Equal(sim.HostId("DC0_C0_H1"), ok.Moves.Single(m => m.GuestId == vm).ToHostId);
        Assert.Contains(vm, await adapter.ListGuestsAsync(Op(sim.HostId("DC0_C0_H1"))));

        // A fresh cluster: anti-affinity with the VM on H2 leaves H1; a second one with the VM on H1 leaves nothing,
        // and the refusal names each host's rule.
        await using var sim2 = await StartAsync();
        await using var adapter2 = EsxRoomAndDrsTests.Adapter(sim2);
        var (host2, vm2, vm2Name, guests2) = On(sim2, "DC0_C0_H0");
        var (_, onH1b, onH1bName, _) = On(sim2, "DC0_C0_H1");
        var (_, onH2, onH2Name, _) = On(sim2, "DC0_C0_H2");
        await AddRulesAsync(adapter2, sim2, w => VmVmRule(w, "ClusterAntiAffinityRuleSpec", "apart-h2", vm2, onH2));
        Assert.Contains("to DC0_C0_H1 (", await PlannedEvacuationAsync(adapter2, host2), StringComparison.Ordinal);
        await AddRulesAsync(adapter2, sim2, w => VmVmRule(w, "ClusterAntiAffinityRuleSpec", "apart-h1", vm2, onH1b));
        var r = await adapter2.EvacuateAsync(Op(host2), guests2);
        var f = Refused(r, vm2);
        Assert.Contains(vm2Name + " (" + vm2 + ") cannot move: no other host of cluster DC0_C0 fits it", f.Reason, StringComparison.Ordinal);
        Assert.Contains("DC0_C0_H1 runs " + onH1bName + " (anti-affinity rule 'apart-h1')", f.Reason, StringComparison.Ordinal);
        Assert.Contains("DC0_C0_H2 runs " + onH2Name + " (anti-affinity rule 'apart-h2')", f.Reason, StringComparison.Ordinal);
        Assert.Equal(guests2.Order(StringComparer.Ordinal), (await adapter2.ListGuestsAsync(Op(host2))).Order(StringComparer.Ordinal));
    }

    [EsxFact]
    public async Task VmHostRules_MustRunOnItsHostGroup_Refused_ShouldRulePreferred()
    {
        await using var sim = await StartAsync();
        await using var adapter = EsxRoomAndDrsTests.Adapter(sim);
        var (host, vm, vmName, guests) = On(sim, "DC0_C0_H0");
        string h1 = sim.HostId("DC0_C0_H1");

        // "Should run on H1": PatchKit prefers H1 although H2 has more free memory.
        await AddRulesAsync(adapter, sim, w =>
        {
            VmHostRule(w, "prefer-h1", mandatory: false, "the-vm", "h1-only");
            Group(w, "ClusterVmGroup", "the-vm", "vm", "VirtualMachine", vm);
            Group(w, "ClusterHostGroup", "h1-only", "host", "HostSystem", h1);
            Group(w, "ClusterHostGroup", "h0-only", "host", "HostSystem", host);
        });
        Assert.Contains("to DC0_C0_H1 (", await PlannedEvacuationAsync(adapter, host), StringComparison.Ordinal);

        // "Must run on H0": nowhere to go.
        await AddRulesAsync(adapter, sim, w => VmHostRule(w, "pinned-h0", mandatory: true, "the-vm", "h0-only"));
        var r = await adapter.EvacuateAsync(Op(host), guests);
        var f = Refused(r, vm);
        Assert.Contains(vmName + " (" + vm + ") cannot move", f.Reason, StringComparison.Ordinal);
        Assert.Contains("DC0_C0_H1 is not in host group h0-only (VM-host rule 'pinned-h0': must run on)", f.Reason, StringComparison.Ordinal);
        Assert.Contains("DC0_C0_H2 is not in host group h0-only (VM-host rule 'pinned-h0': must run on)", f.Reason, StringComparison.Ordinal);
        Assert.Equal(guests.Order(StringComparer.Ordinal), (await adapter.ListGuestsAsync(Op(host))).Order(StringComparer.Ordinal));
    }
}
