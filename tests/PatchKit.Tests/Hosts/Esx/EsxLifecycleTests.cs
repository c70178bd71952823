using PatchKit.Advisories;
using PatchKit.Hosts;
using PatchKit.Hosts.Esx;
using PatchKit.Lifecycle;
using PatchKit.Lifecycle.Repair;
using PatchKit.Lifecycle.Report;
using PatchKit.Lifecycle.Resolve;

namespace PatchKit.Tests.Hosts.Esx;

/// <summary>The whole lifecycle on a simulated vCenter (tests/fixtures/vcsim) with one real sshd per cluster host
/// (tests/fixtures/esxi-ssh, stand-in esxcli): hosts patched one at a time, each evacuated by vMotion, in maintenance
/// mode, installed over SSH, rebooted (the launcher's RebootHost_Task shim), VMs brought back. The stand-in esxcli
/// cannot see vCenter's maintenance state, so each sshd starts in (its own) maintenance mode.</summary>
public sealed class EsxLifecycleTests
{
    private static readonly PatchDefinition s_patch = new()
    {
        Id = "ESXi-8.0U3b-24280767-standard",
        Title = "VMware ESXi 8.0 Update 3b",
        AppliesTo = [new PatchAppliesTo { Kind = HostKind.Esx, VersionPrefix = "8.0" }],
        Severity = PatchSeverity.Critical,
        ReleasedAt = DateTimeOffset.UtcNow.AddDays(-30),
        RequiresReboot = true,
        Payload = new PatchPayload { Kind = PatchPayloadKind.VendorBundle, Uri = "https://depot.example.com/VMware-ESXi-8.0U3b-24280767-depot.zip" },
    };

    private static async Task<PatchRunResult> RunAsync(IHostAdapter adapter)
    {
        var repair = new RepairStageOptions { MaxConcurrency = 1, ErrorBudget = 10, HaltOnEarlyWaveFailure = false, CanaryFraction = 0 };
        var pipeline = new PatchPipelineBuilder { TimeProvider = TimeProvider.System }
            .AddReach()
            .AddResolve(new ResolveStageOptions { Catalog = new JsonPatchCatalog([s_patch]) })
            .AddRepair(repair)
            .AddReport(new ReportStageOptions())
            .Build();
        var run = new PatchRunOptions { RunId = "esx-e2e" };
        run.Adapters.Add(adapter);
        return await pipeline.ExecuteAsync(run, CancellationToken.None);
    }

    [EsxFact]
    public async Task Run_ClusterHostsPatchedOneAtATime_EvacuatedDuringMaintenance_InstalledOverSsh_VmsBack()
    {
        await using var sim = await VcsimServer.StartAsync("-mode", "vcenter", "-products", "8.0.2:22380479", "-vm", "4", "-standalone-host", "0",
            "-username", "root", "-password", "Esx-E2e-1!", "-reboot-seconds", "1");
        var hosts = sim.Hosts.ToList();
        var ssh = new List<EsxiSshServer>();
        try
        {
            foreach (var _ in hosts)
            {
                ssh.Add(await EsxiSshServer.StartAsync("--maintenance", "--version", "8.0.2", "--build", "22380479"));
            }

            var o = new EsxHostAdapterOptions
            {
                Endpoint = new Uri(sim.Url),
                UserName = "root",
                Password = Secret.FromDelegate("t", _ => ValueTask.FromResult("Esx-E2e-1!")),
                ThumbprintSha256 = sim.ThumbprintSha256,
                RebootPollInterval = TimeSpan.FromMilliseconds(250),
            };
            for (int i = 0; i < hosts.Count; i++)
            {
                o.Ssh[hosts[i].Name] = ssh[i].Options();
            }

            var placement = sim.Vms.ToDictionary(v => v.Moref, v => v.Host);
            await using var esx = new EsxHostAdapter(o);
            var observed = new List<string>();
            var adapter = new ObservingAdapter(esx)
            {
                BeforeInstall = async hostId =>
                {
                    // While a host is being patched: it is in maintenance mode, its VMs run elsewhere, and no other host is.
                    var inv = await esx.GetInventoryAsync(CancellationToken.None);
                    var esxHosts = inv.Hosts.Where(h => h.Kind == HostKind.Esx).ToList();
                    Assert.True(esxHosts.Single(h => h.Id == hostId).InMaintenanceMode);
                    Assert.Single(esxHosts, h => h.InMaintenanceMode);
                    Assert.DoesNotContain(inv.Hosts, g => g.Kind != HostKind.Esx && g.ParentId == hostId);
                    lock (observed)
                    {
                        observed.Add(hostId);
                    }
                },
            };

            var result = await RunAsync(adapter);
            var report = result.Report!;
            Assert.All(hosts, h =>
            {
                var hr = report.Hosts.Single(r => r.HostId == h.Moref);
                Assert.True(hr.State == HostOutcomeState.Patched, h.Name + ": " + hr.State + " " + hr.Message);
                Assert.Equal(RepairPath.Evacuate, hr.Path);
            });
            Assert.Equal(hosts.Select(h => h.Moref).Order(StringComparer.Ordinal), observed.Order(StringComparer.Ordinal));

            // Each host got the profile update over SSH and was rebooted through vCenter once.
            foreach (var s in ssh)
            {
                string[] calls = File.ReadAllLines(s.CallLog);
                Assert.Single(calls, l => l.Contains(" esxcli software profile update -p ESXi-8.0U3b-24280767-standard -d https://depot.example.com/", StringComparison.Ordinal));
            }

            // Every VM is back on the host it started on; no host is left in maintenance mode.
            var after = await esx.GetInventoryAsync(CancellationToken.None);
            foreach (var (vm, host) in placement)
            {
                Assert.Equal(host, after.Hosts.Single(g => g.Id == vm).ParentId);
            }

            Assert.DoesNotContain(after.Hosts, h => h.InMaintenanceMode);
        }
        finally
        {
            foreach (var s in ssh)
            {
                await s.DisposeAsync();
            }
        }
    }

    [EsxFact]
    public async Task Run_HostWhoseVmsCannotMove_IsRefusedWithTheReasonInTheReport_NotPatched()
    {
        // Hosts of 16 MB: no host has room for another 32 MB VM, so no host with a running VM can be evacuated.
        await using var sim = await VcsimServer.StartAsync("-mode", "vcenter", "-products", "8.0.2:22380479", "-vm", "2", "-standalone-host", "0",
            "-username", "root", "-password", "Esx-E2e-2!", "-host-memory-mb", "16");
        await using var esx = new EsxHostAdapter(new EsxHostAdapterOptions
        {
            Endpoint = new Uri(sim.Url),
            UserName = "root",
            Password = Secret.FromDelegate("t", _ => ValueTask.FromResult("Esx-E2e-2!")),
            ThumbprintSha256 = sim.ThumbprintSha256,
            AllowApiInstall = true,
        });
        var result = await RunAsync(esx);
        var withVms = sim.Vms.Select(v => v.Host).Distinct(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(withVms);
        foreach (string h in withVms)
        {
            var hr = result.Report!.Hosts.Single(r => r.HostId == h);
            Assert.Equal(HostOutcomeState.Failed, hr.State);
            Assert.Contains("has room for", hr.Message, StringComparison.Ordinal);
        }

        var inv = await esx.GetInventoryAsync(CancellationToken.None);
        Assert.DoesNotContain(inv.Hosts, h => h.InMaintenanceMode);
        foreach (var vm in sim.Vms)
        {
            Assert.Equal(vm.Host, inv.Hosts.Single(g => g.Id == vm.Moref).ParentId);
        }
    }

    /// <summary>Delegates to the ESX adapter and runs a check before each install.</summary>
    private sealed class ObservingAdapter(EsxHostAdapter inner) : IHostAdapter, IMaintenanceModeCapability, IEvacuationCapability, ISnapshotCapability,
        ILabCloneCapability, IInstallCapability, IRebootCapability, IHealthCheckCapability
    {
        public Func<string, Task>? BeforeInstall { get; init; }

        public string Name => inner.Name;

        public Task<FleetInventory> GetInventoryAsync(CancellationToken cancellationToken) => inner.GetInventoryAsync(cancellationToken);

        public Task<HostIdentity?> IdentifyAsync(HostOperation operation) => inner.IdentifyAsync(operation);

        public Task<HostStepResult> RunStepAsync(HostOperation operation, HostStep step) => inner.RunStepAsync(operation, step);

        public Task<HostStepResult> EnterMaintenanceModeAsync(HostOperation operation) => inner.EnterMaintenanceModeAsync(operation);

        public Task<HostStepResult> ExitMaintenanceModeAsync(HostOperation operation) => inner.ExitMaintenanceModeAsync(operation);

        public Task<bool> IsInMaintenanceModeAsync(HostOperation operation) => inner.IsInMaintenanceModeAsync(operation);

        public Task<IReadOnlyList<string>> ListGuestsAsync(HostOperation operation) => inner.ListGuestsAsync(operation);

        public Task<EvacuationResult> EvacuateAsync(HostOperation operation, IReadOnlyList<string> guestIds) => inner.EvacuateAsync(operation, guestIds);

        public Task<EvacuationResult> RebalanceAsync(HostOperation operation, IReadOnlyList<string> guestIds) => inner.RebalanceAsync(operation, guestIds);

        public Task<SnapshotInfo> CreateSnapshotAsync(HostOperation operation, string name) => inner.CreateSnapshotAsync(operation, name);

        public Task<IReadOnlyList<SnapshotInfo>> ListSnapshotsAsync(HostOperation operation) => inner.ListSnapshotsAsync(operation);

        public Task<HostStepResult> RevertSnapshotAsync(HostOperation operation, string snapshotId) => inner.RevertSnapshotAsync(operation, snapshotId);

        public Task<HostStepResult> RemoveSnapshotAsync(HostOperation operation, string snapshotId) => inner.RemoveSnapshotAsync(operation, snapshotId);

        public Task<LabClone> CreateLabCloneAsync(HostOperation operation, string snapshotId, string name) => inner.CreateLabCloneAsync(operation, snapshotId, name);

        public Task<IReadOnlyList<LabClone>> ListLabClonesAsync(HostOperation operation) => inner.ListLabClonesAsync(operation);

        public Task<HostStepResult> DestroyLabCloneAsync(HostOperation operation) => inner.DestroyLabCloneAsync(operation);

        public async Task<HostStepResult> InstallAsync(HostOperation operation, InstallRequest request)
        {
            if (BeforeInstall is { } check)
            {
                await check(operation.HostId);
            }

            return await inner.InstallAsync(operation, request);
        }

        public Task<HostStepResult> RebootAndWaitAsync(HostOperation operation) => inner.RebootAndWaitAsync(operation);

        public Task<HostStepResult> CheckHealthAsync(HostOperation operation) => inner.CheckHealthAsync(operation);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
