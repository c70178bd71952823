using System.Security.Cryptography.X509Certificates;
using PatchKit.Advisories.Versions;
using PatchKit.Hosts;
using PatchKit.Hosts.Esx;
using PatchKit.Hosts.Esx.Soap;

namespace PatchKit.Tests.Hosts.Esx;

/// <summary>The ESX adapter and its vSphere client against the real simulator (tests/fixtures/vcsim). Where the
/// simulator lacks a method (RebootHost_Task, InstallHostPatchV2_Task) the fixture's launcher answers it with a stand-in
/// that records the call; the tests that use one say so.</summary>
[Collection("esx")]
public sealed class EsxHostAdapterTests(EsxServers servers)
{
    private static HostOperation Op(string id) => new(id);

    private EsxHostAdapterOptions Options(string? thumbprint = null, string? url = null) => new()
    {
        Endpoint = new Uri(url ?? servers.Vcenter.Url),
        UserName = servers.Vcenter.UserName,
        Password = Secret.FromDelegate("test", _ => ValueTask.FromResult(servers.Vcenter.Password)),
        ThumbprintSha256 = thumbprint,
    };

    [EsxFact]
    public async Task Inventory_HostsWithMixedBuildsClustersStatesAndVms_BuildsCompareAgainstAdvisoryRanges()
    {
        await using var adapter = servers.Adapter(withSsh: false);
        var inv = await adapter.GetInventoryAsync(CancellationToken.None);
        var hosts = inv.Hosts.Where(h => h.Kind == HostKind.Esx).ToList();
        Assert.Equal(servers.Vcenter.Hosts.Count(), hosts.Count);
        foreach (var expected in servers.Vcenter.Hosts)
        {
            var h = hosts.Single(x => x.Id == expected.Moref);
            Assert.Equal(expected.Name, h.Name);
            Assert.Equal(expected.Version, h.Version);
            Assert.Equal(expected.Version + "-0.0." + expected.Build, h.Build);
            Assert.Equal(expected.Parent.StartsWith("ClusterComputeResource", StringComparison.Ordinal) ? "DC0_C0" : string.Empty, h.Cluster);
        }

        Assert.Equal(HostStatus.Unreachable, hosts.Single(h => h.Name == "DC0_H0").Status);
        Assert.Contains("esx-install:none", hosts.Single(h => h.Name == "DC0_H2").Tags);
        Assert.True(hosts.Single(h => h.Name == "DC0_C0_H0").Capabilities.HasFlag(HostCapabilities.Evacuation));
        Assert.False(hosts.Single(h => h.Name == "DC0_H2").Capabilities.HasFlag(HostCapabilities.Evacuation));

        // 8.0.3 build 24674464 is below ESXi 8.0 U3f's build and above 8.0 U2's, by the core's EsxiBuild ordering.
        string b803 = hosts.First(h => h.Version == "8.0.3").Build;
        Assert.True(VersionComparer.TryCompare(VersionScheme.EsxiBuild, b803, "ESXi80U3f-24784735", out int c) && c < 0);
        Assert.True(VersionComparer.TryCompare(VersionScheme.EsxiBuild, b803, "8.0.2-0.0.22380479", out c) && c > 0);
        Assert.False(VersionComparer.TryCompare(VersionScheme.EsxiBuild, b803, "7.0.3-0.0.21930508", out _)); // builds compare within one major.minor only

        foreach (var vm in servers.Vcenter.Vms)
        {
            var g = inv.Hosts.Single(x => x.Id == vm.Moref);
            Assert.Equal(vm.Name, g.Name);
            Assert.True(g.Capabilities.HasFlag(HostCapabilities.Snapshot));
        }
    }

    [Fact]
    public void BuildNormalisation_SixToEightAndNine()
    {
        Assert.Equal("8.0.3-0.0.24674464", EsxBuild.Normalize("8.0.3", "24674464"));
        Assert.Equal("6.7.0-0.0.17167734", EsxBuild.Normalize("6.7.0", "17167734"));
        Assert.Equal("9.0.0-0.24755229", EsxBuild.Normalize("9.0.0", "24755229"));
        Assert.True(VersionComparer.TryCompare(VersionScheme.EsxiBuild, EsxBuild.Normalize("9.0.0", "24755229"), "9.0.0.0100.24813472", out int c) && c < 0);
        Assert.Equal(string.Empty, EsxBuild.Normalize("8.0.3", "Releasebuild-x"));
        Assert.Equal(string.Empty, EsxBuild.Normalize(string.Empty, "24674464"));
    }

    [EsxFact]
    public async Task Tls_WrongPinnedThumbprint_IsRefusedClearly_WithoutTheCredential()
    {
        await using var adapter = new EsxHostAdapter(Options(thumbprint: new string('A', 64)));
        var ex = await Assert.ThrowsAsync<HostAdapterException>(() => adapter.GetInventoryAsync(CancellationToken.None));
        Assert.Contains("TLS certificate", ex.Message, StringComparison.Ordinal);
        Assert.Contains(servers.Vcenter.Url, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(servers.Vcenter.Password, ex.Message, StringComparison.Ordinal);
    }

    [EsxFact]
    public async Task Tls_ValidationIsOnByDefault_SelfSignedRefused_TrustedRootAccepted()
    {
        await using (var plain = new EsxHostAdapter(Options()))
        {
            var ex = await Assert.ThrowsAsync<HostAdapterException>(() => plain.GetInventoryAsync(CancellationToken.None));
            Assert.Contains("not trusted", ex.Message, StringComparison.Ordinal);
        }

        var o = Options();
        o.TrustedCertificates.Add(X509Certificate2.CreateFromPem(servers.Vcenter.Ready.GetProperty("certificatePem").GetString()));
        await using var trusted = new EsxHostAdapter(o);
        Assert.NotEmpty((await trusted.GetInventoryAsync(CancellationToken.None)).Hosts);
    }

    [EsxFact]
    public async Task PlainHttp_OnlyByExplicitOption()
    {
        await using var sim = await VcsimServer.StartAsync("-mode", "esx", "-no-tls", "-username", "root", "-password", "Esx-Http-1!");
        Assert.StartsWith("http://", sim.Url, StringComparison.Ordinal);
        var o = new EsxHostAdapterOptions { Endpoint = new Uri(sim.Url), UserName = "root", Password = Secret.FromDelegate("t", _ => ValueTask.FromResult("Esx-Http-1!")) };
        var refused = Assert.Throws<HostAdapterException>(() => new EsxHostAdapter(o));
        Assert.Contains("plain HTTP", refused.Message, StringComparison.Ordinal);
        o.AllowPlainHttp = true;
        await using var adapter = new EsxHostAdapter(o);
        var inv = await adapter.GetInventoryAsync(CancellationToken.None);
        // esx mode: one host agent, no cluster, so no evacuation and no lab clones (vCenter features).
        var host = Assert.Single(inv.Hosts, h => h.Kind == HostKind.Esx);
        Assert.False(host.Capabilities.HasFlag(HostCapabilities.Evacuation));
        Assert.All(inv.Hosts.Where(h => h.Kind != HostKind.Esx), g => Assert.False(g.Capabilities.HasFlag(HostCapabilities.LabClone)));
    }

    [EsxFact]
    public async Task WrongPassword_ClearError_NamesEndpointAndUser_NotThePassword()
    {
        var o = Options(servers.Vcenter.ThumbprintSha256);
        o.Password = Secret.FromDelegate("test", _ => ValueTask.FromResult("Not-The-Password-42"));
        await using var adapter = new EsxHostAdapter(o);
        var ex = await Assert.ThrowsAsync<HostAdapterException>(() => adapter.GetInventoryAsync(CancellationToken.None));
        Assert.Contains("InvalidLogin", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'" + servers.Vcenter.UserName + "'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Not-The-Password-42", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionRefused_IsTransient_RetriedThenAClearError()
    {
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        int port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        using var client = new VimClient(new VimClientOptions { Endpoint = new Uri("https://127.0.0.1:" + port + "/sdk") });
        var ex = await Assert.ThrowsAsync<VimFaultException>(() => client.RetrieveServiceContentAsync(CancellationToken.None));
        Assert.Equal("ConnectionRefused", ex.FaultType);
        Assert.True(ex.IsTransient);
        Assert.Contains("127.0.0.1:" + port, ex.Message, StringComparison.Ordinal);
    }

    [EsxFact]
    public async Task Faults_CarryTheirType_UnknownMorefIsNotFound_TaskErrorsAreResults()
    {
        await using var adapter = servers.Adapter(withSsh: false);
        Assert.Null(await adapter.IdentifyAsync(Op("host-does-not-exist")));
        var sc = await adapter.SessionAsync(CancellationToken.None);
        var ex = await Assert.ThrowsAsync<VimFaultException>(() => adapter.Client.StartTaskAsync("PowerOnVM_Task", new ManagedObjectReference("VirtualMachine", "vm-nope"), null, CancellationToken.None));
        Assert.Equal("ManagedObjectNotFound", ex.FaultType);
        Assert.False(ex.IsTransient);
        Assert.Equal("vm-nope", ex.ObjectValue);
        Assert.True(sc.IsVCenter);
    }

    [EsxFact]
    public async Task Evacuation_VmsRunOnOtherClusterHostsWhileInMaintenance_ThenComeBack()
    {
        await using var adapter = servers.Adapter(withSsh: false);
        string host = servers.Vcenter.HostId("DC0_C0_H2");
        var guests = await adapter.ListGuestsAsync(Op(host));
        Assert.NotEmpty(guests);
        var evac = await adapter.EvacuateAsync(Op(host), guests);
        Assert.Equal(HostOperationStatus.Succeeded, evac.Status);
        Assert.Equal(guests.Count, evac.Moves.Count);
        Assert.True((await adapter.EnterMaintenanceModeAsync(Op(host))).Succeeded);
        var during = await adapter.GetInventoryAsync(CancellationToken.None);
        string[] others = [servers.Vcenter.HostId("DC0_C0_H0"), servers.Vcenter.HostId("DC0_C0_H1")];
        foreach (string g in guests)
        {
            Assert.Contains(during.Hosts.Single(h => h.Id == g).ParentId, others);
        }

        Assert.True(during.Hosts.Single(h => h.Id == host).InMaintenanceMode);
        Assert.True((await adapter.ExitMaintenanceModeAsync(Op(host))).Succeeded);
        var back = await adapter.RebalanceAsync(Op(host), guests);
        Assert.Equal(HostOperationStatus.Succeeded, back.Status);
        Assert.Equal(guests.Order(StringComparer.Ordinal), (await adapter.ListGuestsAsync(Op(host))).Order(StringComparer.Ordinal));
    }

    [EsxFact]
    public async Task Evacuation_NoOtherHostAvailable_RefusedWithTheReason_NothingMoves()
    {
        await using var adapter = servers.Adapter(withSsh: false);
        string host = servers.Vcenter.HostId("DC0_C0_H2");
        string[] others = [servers.Vcenter.HostId("DC0_C0_H0"), servers.Vcenter.HostId("DC0_C0_H1")];
        foreach (string o in others)
        {
            Assert.True((await adapter.EnterMaintenanceModeAsync(Op(o))).Succeeded);
        }

        try
        {
            var guests = await adapter.ListGuestsAsync(Op(host));
            var r = await adapter.EvacuateAsync(Op(host), guests);
            Assert.Equal(HostOperationStatus.Failed, r.Status);
            Assert.Empty(r.Moves);
            Assert.Equal(guests.Order(StringComparer.Ordinal), r.FailedGuests.Select(f => f.GuestId).Order(StringComparer.Ordinal));
            Assert.All(r.FailedGuests, f => Assert.Contains("out of maintenance mode", f.Reason, StringComparison.Ordinal));
            Assert.Equal(guests, await adapter.ListGuestsAsync(Op(host)));
        }
        finally
        {
            foreach (string o in others)
            {
                await adapter.ExitMaintenanceModeAsync(Op(o));
            }
        }
    }

    [EsxFact]
    public async Task Evacuation_NoTargetWithRoom_RefusedNamingTheMemory()
    {
        // Hosts of 16 MB cannot take a 32 MB VM.
        await using var sim = await VcsimServer.StartAsync("-mode", "vcenter", "-host-memory-mb", "16", "-vm", "3", "-username", "root", "-password", "Esx-Mem-1!");
        await using var adapter = new EsxHostAdapter(new EsxHostAdapterOptions
        {
            Endpoint = new Uri(sim.Url),
            UserName = "root",
            Password = Secret.FromDelegate("t", _ => ValueTask.FromResult("Esx-Mem-1!")),
            ThumbprintSha256 = sim.ThumbprintSha256,
        });
        string host = sim.Vms.Where(v => v.Name.StartsWith("DC0_C0", StringComparison.Ordinal)).GroupBy(v => v.Host).First().Key;
        var guests = await adapter.ListGuestsAsync(Op(host));
        var r = await adapter.EvacuateAsync(Op(host), guests);
        Assert.Equal(HostOperationStatus.Failed, r.Status);
        Assert.Empty(r.Moves);
        Assert.All(r.FailedGuests, f => Assert.Contains("has room for", f.Reason, StringComparison.Ordinal));
        Assert.Contains("Nothing was moved", r.Message, StringComparison.Ordinal);
    }

    [EsxFact]
    public async Task Components_InInventoryOverSsh_ComponentApplyInstallsOne_ThenListedAndInstalled()
    {
        // The sshd's esxcli is the fixture's stand-in: it answers component list/apply in esxcli's output format.
        await using var adapter = servers.Adapter();
        string host = servers.Vcenter.HostId(EsxServers.SshHostName);
        var before = (await adapter.GetInventoryAsync(CancellationToken.None)).Hosts.Single(h => h.Id == host);
        var esxi = Assert.Single(before.Packages, p => p.Format == PackageFormat.EsxiComponent && p.Name == "ESXi");
        Assert.Equal("8.0.2-0.0.22380479", esxi.Version);
        Assert.Equal("VMware, Inc.", esxi.Vendor);
        Assert.Contains(before.Packages, p => p.Format == PackageFormat.EsxiVib && p.Name == "esx-base");

        string name = "Acme-nic" + Guid.NewGuid().ToString("N")[..6];
        string id = name + "_1.2.3-1OEM.800.1.0.20613240";
        string bundle = "/vmfs/volumes/datastore1/" + id + "_22359898.zip";
        await File.WriteAllTextAsync(Path.Combine(servers.Ssh.FakeRoot, bundle.TrimStart('/')), "component bundle");
        var r = await adapter.InstallAsync(Op(host), new InstallRequest
        {
            PatchId = id,
            Payloads = [new InstallPayload { Kind = "esxi-component", Location = bundle }],
        });
        Assert.Equal(HostOperationStatus.SucceededRebootRequired, r.Status);
        Assert.Equal([id], r.Installed);
        Assert.Contains(File.ReadAllLines(servers.Ssh.CallLog), l => l.EndsWith(" esxcli software component apply -d " + bundle, StringComparison.Ordinal));

        var after = (await adapter.GetInventoryAsync(CancellationToken.None)).Hosts.Single(h => h.Id == host);
        Assert.Contains(after.InstalledPatches, p => p.PatchId == id);
        var added = Assert.Single(after.Packages, p => p.Format == PackageFormat.EsxiComponent && p.Name == name);
        Assert.Equal("Acme", added.Vendor);
        Assert.Equal("1.2.3-1OEM.800.1.0.20613240", added.Version);
    }

    [EsxFact]
    public async Task Snapshots_CreateRevertRemove_VisibleInInventoryWithTime()
    {
        await using var adapter = servers.Adapter(withSsh: false);
        string vm = servers.Vcenter.Vms.First(v => v.Name.StartsWith("DC0_H2", StringComparison.Ordinal)).Moref;
        var s = await adapter.CreateSnapshotAsync(Op(vm), "before-patch");
        Assert.StartsWith("snapshot-", s.SnapshotId, StringComparison.Ordinal);
        Assert.True(s.CreatedAt > DateTimeOffset.UnixEpoch); // the simulator sends 9 fractional digits
        Assert.True((await adapter.RevertSnapshotAsync(Op(vm), s.SnapshotId)).Succeeded);
        Assert.True((await adapter.RemoveSnapshotAsync(Op(vm), s.SnapshotId)).Succeeded);
        Assert.Empty(await adapter.ListSnapshotsAsync(Op(vm)));
        Assert.Equal(HostOperationStatus.Failed, (await adapter.RevertSnapshotAsync(Op(vm), s.SnapshotId)).Status);
    }

    [EsxFact]
    public async Task LabClone_IsPoweredOff_ItsNetworkCut_AnnotatedWithItsSource()
    {
        await using var adapter = servers.Adapter(withSsh: false);
        string vm = servers.Vcenter.Vms.First(v => v.Name.StartsWith("DC0_H2", StringComparison.Ordinal)).Moref;
        var snap = await adapter.CreateSnapshotAsync(Op(vm), "lab-source");
        var clone = await adapter.CreateLabCloneAsync(Op(vm), snap.SnapshotId, "lab-of-" + vm);
        try
        {
            var sc = await adapter.SessionAsync(CancellationToken.None);
            var props = (await adapter.Client.RetrieveObjectsAsync(sc.PropertyCollector, [new ManagedObjectReference("VirtualMachine", clone.CloneId)],
                ["config.hardware.device", "config.annotation", "runtime.powerState"], CancellationToken.None)).Single();
            Assert.Equal("poweredOff", props.Text("runtime.powerState"));
            Assert.Equal("patchkit-lab-source=" + vm, props.Text("config.annotation"));
            var nics = props.Node("config.hardware.device")!.Children.Where(d => d.XsiType is "VirtualE1000" or "VirtualVmxnet3" or "VirtualE1000e" or "VirtualPCNet32").ToList();
            Assert.NotEmpty(nics);
            Assert.All(nics, n =>
            {
                Assert.False(n.Child("connectable")!.ChildBool("connected"));
                Assert.False(n.Child("connectable")!.ChildBool("startConnected"));
            });
        }
        finally
        {
            Assert.True((await adapter.DestroyLabCloneAsync(Op(clone.CloneId))).Succeeded);
            await adapter.RemoveSnapshotAsync(Op(vm), snap.SnapshotId);
        }

        // Only lab clones are destroyed.
        Assert.Equal("NotALabClone", (await adapter.DestroyLabCloneAsync(Op(vm))).ErrorCode);
    }

    [EsxFact]
    public async Task PowerSteps_OffAndOn_Idempotent()
    {
        await using var adapter = servers.Adapter(withSsh: false);
        string vm = servers.Vcenter.Vms.Last(v => v.Name.StartsWith("DC0_H2", StringComparison.Ordinal)).Moref;
        Assert.True((await adapter.RunStepAsync(Op(vm), new HostStep { Name = "power-off" })).Succeeded);
        Assert.True((await adapter.RunStepAsync(Op(vm), new HostStep { Name = "power-off" })).Succeeded);
        Assert.Null(await adapter.IdentifyAsync(Op(vm)));
        Assert.True((await adapter.RunStepAsync(Op(vm), new HostStep { Name = "power-on" })).Succeeded);
        Assert.NotNull(await adapter.IdentifyAsync(Op(vm)));
    }

    [EsxFact]
    public async Task Reboot_WaitsForTheHostToGoAndReconnect_NotInMaintenanceIsRefused()
    {
        // RebootHost_Task is answered by the launcher's shim (the simulator has none): not responding for 1 s, then connected.
        await using var adapter = servers.Adapter(withSsh: false);
        string host = servers.Vcenter.HostId("DC0_C0_H0");
        var refused = await adapter.RebootAndWaitAsync(Op(host));
        Assert.Equal(HostOperationStatus.Failed, refused.Status);
        Assert.Equal("InvalidState", refused.ErrorCode);
        var before = (await adapter.IdentifyAsync(Op(host)))!.BootedAt;
        Assert.True((await adapter.EnterMaintenanceModeAsync(Op(host))).Succeeded);
        try
        {
            var r = await adapter.RebootAndWaitAsync(new HostOperation(host) { Timeout = TimeSpan.FromSeconds(30) });
            Assert.Equal(HostOperationStatus.Succeeded, r.Status);
            Assert.True((await adapter.IdentifyAsync(Op(host)))!.BootedAt > before);
        }
        finally
        {
            await adapter.ExitMaintenanceModeAsync(Op(host));
        }
    }

    [EsxFact]
    public async Task ApiInstall_EmbeddedHost_TaskCheckpointed_AResumedRunWaitsOnTheTaskInsteadOfStartingAgain()
    {
        // InstallHostPatchV2_Task is answered by the launcher's stand-in (the simulator has no HostPatchManager): it records
        // the call and returns a task that runs for 1 s.
        await using var adapter = servers.Adapter(withSsh: false, allowApiInstall: true);
        string host = servers.Vcenter.HostId("DC0_H2");
        var inv = await adapter.GetInventoryAsync(CancellationToken.None);
        Assert.Contains("esx-install:api", inv.Hosts.Single(h => h.Id == host).Tags);
        var request = new InstallRequest
        {
            PatchId = "ESXi-8.0U3b-24280767-standard",
            Payloads = [new InstallPayload { Kind = "vendor-bundle", Location = "https://depot.example.com/VMware-ESXi-8.0U3b-24280767-depot.zip" }],
            Reboot = RebootBehavior.Always,
        };
        int Calls() => File.Exists(servers.Vcenter.StandinLog) ? File.ReadAllLines(servers.Vcenter.StandinLog).Count(l => l.Contains(" " + host + " ", StringComparison.Ordinal)) : 0;
        int calls0 = Calls();

        var notInMaintenance = await adapter.InstallAsync(Op(host), request);
        Assert.Equal(HostOperationStatus.Failed, notInMaintenance.Status);
        Assert.Equal("InvalidState", notInMaintenance.ErrorCode);

        Assert.True((await adapter.EnterMaintenanceModeAsync(Op(host))).Succeeded);
        try
        {
            var checkpoints = new List<string>();
            var first = await adapter.InstallAsync(new HostOperation(host, (h, _) => { checkpoints.Add(h); return ValueTask.CompletedTask; }), request);
            Assert.Equal(HostOperationStatus.SucceededRebootRequired, first.Status);
            string cp = Assert.Single(checkpoints);
            Assert.StartsWith("vim-task:install:", cp, StringComparison.Ordinal);
            Assert.Equal(calls0 + 2, Calls());
            Assert.Contains(File.ReadAllLines(servers.Vcenter.StandinLog), l => l.Contains("bundle=" + request.Payloads[0].Location, StringComparison.Ordinal));

            var resumed = await adapter.InstallAsync(new HostOperation(host) { Checkpoint = cp }, request);
            Assert.Equal(HostOperationStatus.SucceededRebootRequired, resumed.Status);
            Assert.Equal(calls0 + 2, Calls()); // waited on the checkpointed task, started nothing
        }
        finally
        {
            await adapter.ExitMaintenanceModeAsync(Op(host));
        }
    }

    [EsxFact]
    public async Task TaskTimeout_IsTimedOut_NotFailed()
    {
        await using var adapter = servers.Adapter(withSsh: false, allowApiInstall: true);
        string host = servers.Vcenter.HostId("DC0_H2");
        Assert.True((await adapter.EnterMaintenanceModeAsync(Op(host))).Succeeded);
        try
        {
            // the stand-in's task runs for 1 s; a 1 s operation timeout passes while WaitForUpdatesEx still waits
            var request = new InstallRequest { PatchId = "p", Payloads = [new InstallPayload { Kind = "vendor-bundle", Location = "https://depot.example.com/x.zip" }] };
            var r = await adapter.InstallAsync(new HostOperation(host) { Timeout = TimeSpan.FromMilliseconds(1) }, request);
            Assert.Equal(HostOperationStatus.TimedOut, r.Status);
        }
        finally
        {
            await adapter.ExitMaintenanceModeAsync(Op(host));
        }
    }
}
