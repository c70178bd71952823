using System.Xml;
using PatchKit.Hosts;
using PatchKit.Hosts.Esx;
using PatchKit.Hosts.Esx.Soap;

namespace PatchKit.Tests.Hosts.Esx;

/// <summary>A simulated vCenter (tests/fixtures/vcsim) of one cluster with three hosts, for DRS and room checks. The
/// cluster's DRS and HA settings are set by each test through ReconfigureComputeResource_Task, as an administrator
/// would; the launcher applies their DRS/HA parts (the simulator keeps only rules and overrides). The simulator moves no
/// VM when a host enters maintenance mode: with <c>-drs-standin</c> the launcher stands in for DRS there (moves are
/// recorded in its stand-in log), and one test runs without it to show what happens when DRS leaves guests behind.</summary>
public sealed class EsxRoomServers : IAsyncLifetime
{
    public VcsimServer Sim { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Sim = await VcsimServer.StartAsync("-mode", "vcenter", "-cluster", "1", "-host", "3", "-vm", "4", "-standalone-host", "0", "-drs-standin");

    public async Task DisposeAsync()
    {
        if (Sim is not null)
        {
            await Sim.DisposeAsync();
        }
    }
}

public sealed class EsxRoomAndDrsTests(EsxRoomServers servers) : IClassFixture<EsxRoomServers>
{
    private static HostOperation Op(string id) => new(id);

    internal static EsxHostAdapter Adapter(VcsimServer sim) => new(new EsxHostAdapterOptions
    {
        Endpoint = new Uri(sim.Url),
        UserName = sim.UserName.Length > 0 ? sim.UserName : "root",
        Password = Secret.FromDelegate("test", _ => ValueTask.FromResult(sim.Password.Length > 0 ? sim.Password : "any")),
        ThumbprintSha256 = sim.ThumbprintSha256,
    });

    private static string ClusterOf(VcsimServer sim) =>
        sim.Hosts.First(h => h.Parent.StartsWith("ClusterComputeResource:", StringComparison.Ordinal)).Parent["ClusterComputeResource:".Length..];

    /// <summary>The host of the cluster running the most powered-on VMs.</summary>
    private static async Task<(string Host, IReadOnlyList<string> Guests)> BusiestAsync(EsxHostAdapter adapter, VcsimServer sim)
    {
        var best = (Host: string.Empty, Guests: (IReadOnlyList<string>)[]);
        foreach (var h in sim.Hosts.Where(h => h.Parent.StartsWith("ClusterComputeResource:", StringComparison.Ordinal)))
        {
            var g = await adapter.ListGuestsAsync(Op(h.Moref));
            if (g.Count > best.Guests.Count)
            {
                best = (h.Moref, g);
            }
        }

        Assert.NotEmpty(best.Guests);
        return best;
    }

    /// <summary>ReconfigureComputeResource_Task with a ClusterConfigSpecEx (modify=true), the way vSphere clients set DRS
    /// and HA. <paramref name="policy"/> writes the admission control policy's own elements.</summary>
    internal static async Task ConfigureClusterAsync(EsxHostAdapter adapter, string cluster, bool drs, string drsBehavior, bool ha,
        string? policyType = null, Action<XmlWriter>? policy = null)
    {
        var sc = await adapter.SessionAsync(CancellationToken.None);
        const string ns = VimXml.VimNamespace;
        var task = await adapter.Client.StartTaskAsync("ReconfigureComputeResource_Task", new ManagedObjectReference("ClusterComputeResource", cluster), w =>
        {
            w.WriteStartElement("spec", ns);
            w.WriteAttributeString("type", VimXml.XsiNamespace, "ClusterConfigSpecEx");
            w.WriteStartElement("dasConfig", ns);
            w.WriteElementString("enabled", ns, ha ? "true" : "false");
            if (policyType is not null)
            {
                w.WriteStartElement("admissionControlPolicy", ns);
                w.WriteAttributeString("type", VimXml.XsiNamespace, policyType);
                policy?.Invoke(w);
                w.WriteEndElement();
            }

            w.WriteElementString("admissionControlEnabled", ns, policyType is null ? "false" : "true");
            w.WriteEndElement();
            w.WriteStartElement("drsConfig", ns);
            w.WriteElementString("enabled", ns, drs ? "true" : "false");
            w.WriteElementString("defaultVmBehavior", ns, drsBehavior);
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteElementString("modify", ns, "true");
        }, CancellationToken.None);
        var info = await adapter.Client.WaitForTaskAsync(sc.PropertyCollector, task, TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal("success", info.State);
    }

    private static async Task ReconfigureVmAsync(EsxHostAdapter adapter, string vm, Action<XmlWriter> spec)
    {
        var sc = await adapter.SessionAsync(CancellationToken.None);
        var task = await adapter.Client.StartTaskAsync("ReconfigVM_Task", new ManagedObjectReference("VirtualMachine", vm), w =>
        {
            w.WriteStartElement("spec", VimXml.VimNamespace);
            spec(w);
            w.WriteEndElement();
        }, CancellationToken.None);
        Assert.Equal("success", (await adapter.Client.WaitForTaskAsync(sc.PropertyCollector, task, TimeSpan.FromSeconds(30), CancellationToken.None)).State);
    }

    private static async Task BackAsync(EsxHostAdapter adapter, string host, IReadOnlyList<string> guests)
    {
        await adapter.ExitMaintenanceModeAsync(Op(host));
        var back = await adapter.RebalanceAsync(Op(host), guests);
        Assert.Equal(HostOperationStatus.Succeeded, back.Status);
    }

    [EsxFact]
    public async Task DrsFullyAutomated_PatchKitMovesNothing_MaintenanceModeEvacuates_AndTheGuestsAreSeenGone_NoMoveBackAfter()
    {
        await using var adapter = Adapter(servers.Sim);
        await ConfigureClusterAsync(adapter, ClusterOf(servers.Sim), drs: true, "fullyAutomated", ha: false);
        var (host, guests) = await BusiestAsync(adapter, servers.Sim);
        var inv = await adapter.GetInventoryAsync(CancellationToken.None);
        Assert.Contains("esx-evacuation:drs", inv.Hosts.Single(h => h.Id == host).Tags);
        try
        {
            var evac = await adapter.EvacuateAsync(Op(host), guests);
            Assert.Equal(HostOperationStatus.Succeeded, evac.Status);
            Assert.Empty(evac.Moves);
            Assert.Contains("DRS fully automated", evac.Message, StringComparison.Ordinal);
            Assert.Equal(guests.Order(StringComparer.Ordinal), (await adapter.ListGuestsAsync(Op(host))).Order(StringComparer.Ordinal));

            var mm = await adapter.EnterMaintenanceModeAsync(Op(host));
            Assert.True(mm.Succeeded, mm.Message);
            Assert.Contains("DRS", mm.Message, StringComparison.Ordinal);
            Assert.Empty(await adapter.ListGuestsAsync(Op(host)));
            string log = await File.ReadAllTextAsync(servers.Sim.StandinLog);
            Assert.All(guests, g => Assert.Contains("drs-standin " + g + " " + host + " -> ", log, StringComparison.Ordinal));

            // Back in service: DRS rebalances, PatchKit moves nothing back and says so.
            Assert.True((await adapter.ExitMaintenanceModeAsync(Op(host))).Succeeded);
            var back = await adapter.RebalanceAsync(Op(host), guests);
            Assert.Equal(HostOperationStatus.Succeeded, back.Status);
            Assert.Empty(back.Moves);
            Assert.Contains("has DRS fully automated: PatchKit moves none of the " + guests.Count + " guest(s) back to ", back.Message, StringComparison.Ordinal);
            Assert.Contains("DRS rebalances the cluster itself", back.Message, StringComparison.Ordinal);
            Assert.Empty(await adapter.ListGuestsAsync(Op(host)));
        }
        finally
        {
            // Tidy for the other tests: with DRS manual the guests are moved back by PatchKit.
            await ConfigureClusterAsync(adapter, ClusterOf(servers.Sim), drs: true, "manual", ha: false);
            await BackAsync(adapter, host, guests);
            Assert.Equal(guests.Order(StringComparer.Ordinal), (await adapter.ListGuestsAsync(Op(host))).Order(StringComparer.Ordinal));
        }
    }

    [EsxFact]
    public async Task DrsPartiallyAutomated_PatchKitMovesTheGuests_AndSaysWhy()
    {
        await using var adapter = Adapter(servers.Sim);
        await ConfigureClusterAsync(adapter, ClusterOf(servers.Sim), drs: true, "partiallyAutomated", ha: false);
        var (host, guests) = await BusiestAsync(adapter, servers.Sim);
        Assert.Contains("esx-evacuation:patchkit", (await adapter.GetInventoryAsync(CancellationToken.None)).Hosts.Single(h => h.Id == host).Tags);
        try
        {
            var evac = await adapter.EvacuateAsync(Op(host), guests);
            Assert.Equal(HostOperationStatus.Succeeded, evac.Status);
            Assert.Equal(guests.Count, evac.Moves.Count);
            Assert.Contains("DRS partiallyAutomated, so PatchKit moves them", evac.Message, StringComparison.Ordinal);
            Assert.Empty(await adapter.ListGuestsAsync(Op(host)));
            Assert.True((await adapter.EnterMaintenanceModeAsync(Op(host))).Succeeded);
        }
        finally
        {
            await BackAsync(adapter, host, guests);
        }
    }

    [EsxFact]
    public async Task DrsFullyAutomated_ButGuestsStayBehind_MaintenanceIsAFailureNamingThem()
    {
        // Without the launcher's DRS stand-in the simulator moves nothing, like a DRS that cannot place the VMs.
        await using var sim = await VcsimServer.StartAsync("-mode", "vcenter", "-cluster", "1", "-host", "2", "-vm", "2", "-standalone-host", "0");
        await using var adapter = Adapter(sim);
        await ConfigureClusterAsync(adapter, ClusterOf(sim), drs: true, "fullyAutomated", ha: false);
        var (host, guests) = await BusiestAsync(adapter, sim);
        Assert.True((await adapter.EvacuateAsync(Op(host), guests)).Succeeded);
        var mm = await adapter.EnterMaintenanceModeAsync(Op(host));
        Assert.Equal(HostOperationStatus.Failed, mm.Status);
        Assert.Equal("DrsDidNotEvacuate", mm.ErrorCode);
        Assert.All(guests, g => Assert.Contains(g, mm.Message, StringComparison.Ordinal));
        Assert.Contains("DRS (fully automated", mm.Message, StringComparison.Ordinal);
    }

    [EsxFact]
    public async Task CpuReservationAndVcpuCount_NoTarget_RefusedNamingTheHostAndTheCpu_NothingMoves()
    {
        await using var adapter = Adapter(servers.Sim);
        await ConfigureClusterAsync(adapter, ClusterOf(servers.Sim), drs: false, "manual", ha: false);
        var (host, guests) = await BusiestAsync(adapter, servers.Sim);
        string big = guests[0];
        // Simulated hosts have 2 cores of 2294 MHz: 5000 MHz reserved and 4 vCPUs fit none of them.
        await ReconfigureVmAsync(adapter, big, w =>
        {
            w.WriteElementString("numCPUs", VimXml.VimNamespace, "4");
            w.WriteStartElement("cpuAllocation", VimXml.VimNamespace);
            w.WriteElementString("reservation", VimXml.VimNamespace, "5000");
            w.WriteEndElement();
        });
        try
        {
            var r = await adapter.EvacuateAsync(Op(host), guests);
            Assert.Equal(HostOperationStatus.Failed, r.Status);
            Assert.Empty(r.Moves);
            var f = Assert.Single(r.FailedGuests);
            Assert.Equal(big, f.GuestId);
            Assert.Contains("5000 MHz CPU reserved", f.Reason, StringComparison.Ordinal);
            Assert.Contains("short of CPU (most unreserved: 4588 MHz) and cores (most: 2)", f.Reason, StringComparison.Ordinal);
            Assert.Contains("Refused to evacuate ", r.Message, StringComparison.Ordinal);
            Assert.Equal(guests.Order(StringComparer.Ordinal), (await adapter.ListGuestsAsync(Op(host))).Order(StringComparer.Ordinal));
        }
        finally
        {
            await ReconfigureVmAsync(adapter, big, w =>
            {
                w.WriteElementString("numCPUs", VimXml.VimNamespace, "1");
                w.WriteStartElement("cpuAllocation", VimXml.VimNamespace);
                w.WriteElementString("reservation", VimXml.VimNamespace, "0");
                w.WriteEndElement();
            });
        }
    }

    [EsxFact]
    public async Task HaFailoverLevel_TooFewHostsLeft_Refused_OneFailureTolerated_Moves()
    {
        await using var adapter = Adapter(servers.Sim);
        string cluster = ClusterOf(servers.Sim);
        var (host, guests) = await BusiestAsync(adapter, servers.Sim);
        await ConfigureClusterAsync(adapter, cluster, drs: false, "manual", ha: true, "ClusterFailoverLevelAdmissionControlPolicy",
            w => w.WriteElementString("failoverLevel", VimXml.VimNamespace, "2"));
        var r = await adapter.EvacuateAsync(Op(host), guests);
        Assert.Equal(HostOperationStatus.Failed, r.Status);
        Assert.Empty(r.Moves);
        Assert.All(r.FailedGuests, f => Assert.Contains("tolerates 2 host failure(s); with " + servers.Sim.Hosts.Single(h => h.Moref == host).Name + " in maintenance mode only 2 host(s) would remain", f.Reason, StringComparison.Ordinal));

        await ConfigureClusterAsync(adapter, cluster, drs: false, "manual", ha: true, "ClusterFailoverLevelAdmissionControlPolicy",
            w => w.WriteElementString("failoverLevel", VimXml.VimNamespace, "1"));
        try
        {
            var ok = await adapter.EvacuateAsync(Op(host), guests);
            Assert.Equal(HostOperationStatus.Succeeded, ok.Status);
            Assert.Equal(guests.Count, ok.Moves.Count);
            Assert.Contains("HA admission control tolerates 1 host failure(s)", ok.Message, StringComparison.Ordinal);
        }
        finally
        {
            await BackAsync(adapter, host, guests);
        }
    }

    [EsxFact]
    public async Task HaPercentageReserve_RestCannotCarryTheGuests_RefusedNamingMemoryAndCpuShort()
    {
        await using var adapter = Adapter(servers.Sim);
        var (host, guests) = await BusiestAsync(adapter, servers.Sim);
        await ConfigureClusterAsync(adapter, ClusterOf(servers.Sim), drs: false, "manual", ha: true, "ClusterFailoverResourcesAdmissionControlPolicy", w =>
        {
            w.WriteElementString("cpuFailoverResourcesPercent", VimXml.VimNamespace, "99");
            w.WriteElementString("memoryFailoverResourcesPercent", VimXml.VimNamespace, "99");
        });
        var r = await adapter.EvacuateAsync(Op(host), guests);
        Assert.Equal(HostOperationStatus.Failed, r.Status);
        Assert.Empty(r.Moves);
        string name = servers.Sim.Hosts.Single(h => h.Moref == host).Name;
        Assert.Contains("Refused to evacuate " + name, r.Message, StringComparison.Ordinal);
        Assert.Contains("keeps 99 % CPU and 99 % memory for failover; with " + name + " in maintenance mode the other hosts are short of", r.Message, StringComparison.Ordinal);
        Assert.Contains("MB of memory", r.Message, StringComparison.Ordinal);
        Assert.Contains("MHz of CPU", r.Message, StringComparison.Ordinal);
        Assert.Equal(guests.Order(StringComparer.Ordinal), (await adapter.ListGuestsAsync(Op(host))).Order(StringComparer.Ordinal));
    }
}
