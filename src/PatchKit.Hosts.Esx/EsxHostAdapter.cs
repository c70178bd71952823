using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PatchKit.Hosts.Esx.Soap;
using PatchKit.Hosts.Esx.Ssh;

namespace PatchKit.Hosts.Esx;

/// <summary>
/// VMware ESX/ESXi through the vSphere Web Services API (a vCenter, or one host's own API) and, where configured, esxcli
/// over SSH. Hosts are <c>HostSystem</c> morefs (<c>host-34</c>), guests are <c>VirtualMachine</c> morefs (<c>vm-63</c>).
/// Maintenance mode with vMotion evacuation, VM snapshots, lab clones with their network cut, host reboot with a wait
/// for reconnection, and installs by esxcli (SSH) or HostPatchManager (hosts without a shell).
/// </summary>
public sealed partial class EsxHostAdapter : IHostAdapter, IMaintenanceModeCapability, IEvacuationCapability, ISnapshotCapability,
    ILabCloneCapability, IInstallCapability, IRebootCapability, IHealthCheckCapability
{
    private readonly EsxHostAdapterOptions _options;
    private readonly VimClient _client;
    private readonly SemaphoreSlim _sessionGate = new(1, 1);
    private readonly SemaphoreSlim _waitGate = new(1, 1);
    private readonly ILogger _logger;
    private VimServiceContent? _service;

    /// <summary>Initializes a new instance of the <see cref="EsxHostAdapter"/> class. Nothing is contacted until the
    /// first call.</summary>
    /// <param name="options">The endpoint, credentials and per-host SSH access.</param>
    public EsxHostAdapter(EsxHostAdapterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Endpoint);
        ArgumentException.ThrowIfNullOrEmpty(options.UserName);
        ArgumentNullException.ThrowIfNull(options.Password);
        _options = options;
        _logger = options.LoggerFactory?.CreateLogger("PatchKit.Hosts.Esx") ?? NullLogger.Instance;
        try
        {
            _client = new VimClient(new VimClientOptions
            {
                Endpoint = options.Endpoint,
                ThumbprintSha256 = options.ThumbprintSha256,
                TrustedCertificates = [.. options.TrustedCertificates],
                AllowPlainHttp = options.AllowPlainHttp,
                RequestTimeout = options.RequestTimeout,
                TimeProvider = options.TimeProvider,
            });
        }
        catch (VimFaultException ex)
        {
            throw new HostAdapterException(ex.Message);
        }
    }

    /// <inheritdoc />
    public string Name => "esx";

    internal VimClient Client => _client;

    internal async Task<VimServiceContent> SessionAsync(CancellationToken cancellationToken)
    {
        if (_service is { } s && _client.HasSession)
        {
            return s;
        }

        await _sessionGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_service is { } again && _client.HasSession)
            {
                return again;
            }

            var sc = await _client.RetrieveServiceContentAsync(cancellationToken).ConfigureAwait(false);
            if (sc.ApiVersion.Length > 0)
            {
                _client.SoapAction = "urn:vim25/" + sc.ApiVersion;
            }

            string password = await _options.Password.RevealAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await _client.LoginAsync(sc.SessionManager, _options.UserName, password, cancellationToken).ConfigureAwait(false);
            }
            catch (VimFaultException ex) when (ex.FaultType is "InvalidLogin" or "NoPermission")
            {
                throw new HostAdapterException("vSphere login at " + _options.Endpoint + " as '" + _options.UserName + "' was refused (" + ex.FaultType + "): check the user name and the password in " + _options.Password.Source + ".");
            }

            Log.SessionOpened(_logger, _options.Endpoint.ToString(), sc.ApiType, sc.ApiVersion);
            _service = sc;
            return sc;
        }
        catch (VimFaultException ex)
        {
            throw new HostAdapterException(ex.Message);
        }
        finally
        {
            _sessionGate.Release();
        }
    }

    /// <summary>Runs a call with a session; a session that expired (NotAuthenticated) is opened again once.</summary>
    internal async Task<T> CallAsync<T>(Func<VimServiceContent, Task<T>> call, CancellationToken cancellationToken)
    {
        var sc = await SessionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await call(sc).ConfigureAwait(false);
        }
        catch (VimFaultException ex) when (ex.FaultType == "NotAuthenticated")
        {
            _client.ForgetSession();
            sc = await SessionAsync(cancellationToken).ConfigureAwait(false);
            return await call(sc).ConfigureAwait(false);
        }
    }

    internal Task<EsxInventory> LoadInventoryAsync(CancellationToken cancellationToken) => CallAsync(async sc =>
    {
        var inv = new EsxInventory();
        var view = await _client.CreateContainerViewAsync(sc.ViewManager, sc.RootFolder, ["HostSystem", "VirtualMachine", "ComputeResource", "Datacenter"], cancellationToken).ConfigureAwait(false);
        try
        {
            await _client.RetrieveViewAsync(sc.PropertyCollector, view,
                [("HostSystem", EsxInventory.HostPaths), ("VirtualMachine", EsxInventory.VmPaths), ("ComputeResource", ["name"]), ("ClusterComputeResource", EsxInventory.ClusterPaths), ("Datacenter", ["name"])],
                _options.PageSize,
                o =>
                {
                    switch (o.Obj.Type)
                    {
                        case "HostSystem":
                            inv.Hosts.Add(EsxInventory.Host(o));
                            break;
                        case "VirtualMachine":
                            inv.Vms.Add(EsxInventory.Vm(o));
                            break;
                        case "ClusterComputeResource":
                            inv.Clusters[o.Obj.Value] = o.Text("name") ?? o.Obj.Value;
                            inv.ClusterConfigs[o.Obj.Value] = EsxClusterInfo.From(o);
                            break;
                        case "Datacenter":
                            inv.Datacenters.Add(o.Text("name") ?? o.Obj.Value);
                            break;
                    }
                },
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            try
            {
                await _client.DestroyViewAsync(view, CancellationToken.None).ConfigureAwait(false);
            }
            catch (VimFaultException)
            {
                // the view goes with the session
            }
        }

        foreach (var h in inv.Hosts)
        {
            if (h.Parent is { Type: "ClusterComputeResource" } p && inv.Clusters.TryGetValue(p.Value, out string? cluster))
            {
                h.Cluster = cluster;
            }
        }

        return inv;
    }, cancellationToken);

    /// <summary>What vMotion needs to know to place guests: the datastores, networks and EVC modes of the given hosts,
    /// the datastores, networks and required EVC mode of the given VMs, the clusters' EVC modes, and the names of the
    /// VMs' datastores and networks (for messages). Four small reads, only for the objects asked.</summary>
    internal Task LoadPlacementAsync(EsxInventory inv, IReadOnlyList<EsxHostInfo> hosts, IReadOnlyList<EsxVmInfo> vms, CancellationToken cancellationToken) => CallAsync(async sc =>
    {
        static IEnumerable<string> Refs(ObjectContent o, string path) =>
            o.Node(path) is { } n ? n.Children.Where(c => c.IsMoref).Select(c => c.Text) : [];

        var hostById = hosts.ToDictionary(h => h.Moref.Value, StringComparer.Ordinal);
        foreach (var o in await _client.RetrieveObjectsAsync(sc.PropertyCollector, [.. hosts.Select(h => h.Moref)], EsxInventory.HostPlacementPaths, cancellationToken).ConfigureAwait(false))
        {
            if (hostById.TryGetValue(o.Obj.Value, out var h))
            {
                h.Datastores.UnionWith(Refs(o, "datastore"));
                h.Networks.UnionWith(Refs(o, "network"));
                h.MaxEvcMode = o.Text("summary.maxEVCModeKey") ?? string.Empty;
                h.CurrentEvcMode = o.Text("summary.currentEVCModeKey") ?? string.Empty;
            }
        }

        var vmById = vms.ToDictionary(v => v.Moref.Value, StringComparer.Ordinal);
        var named = new List<ManagedObjectReference>();
        foreach (var o in await _client.RetrieveObjectsAsync(sc.PropertyCollector, [.. vms.Select(v => v.Moref)], EsxInventory.VmPlacementPaths, cancellationToken).ConfigureAwait(false))
        {
            if (vmById.TryGetValue(o.Obj.Value, out var v))
            {
                v.Datastores.UnionWith(Refs(o, "datastore"));
                v.Networks.UnionWith(Refs(o, "network"));
                v.MinRequiredEvcMode = o.Text("runtime.minRequiredEVCModeKey") ?? string.Empty;
                foreach (string path in (string[])["datastore", "network"])
                {
                    named.AddRange(o.Node(path)?.Children.Where(c => c.IsMoref).Select(c => c.AsMoref()) ?? []);
                }
            }
        }

        var clusters = hosts.Select(h => h.Parent).OfType<ManagedObjectReference>().Where(p => p.Type == "ClusterComputeResource").Distinct().ToList();
        foreach (var o in await _client.RetrieveObjectsAsync(sc.PropertyCollector, clusters, ["summary.currentEVCModeKey"], cancellationToken).ConfigureAwait(false))
        {
            if (inv.ClusterConfigs.TryGetValue(o.Obj.Value, out var c))
            {
                c.EvcMode = o.Text("summary.currentEVCModeKey") ?? string.Empty;
            }
        }

        foreach (var o in await _client.RetrieveObjectsAsync(sc.PropertyCollector, [.. named.Distinct()], ["name"], cancellationToken).ConfigureAwait(false))
        {
            if (o.Text("name") is { } name)
            {
                inv.Names[o.Obj.Value] = name;
            }
        }

        inv.PlacementLoaded = true;
        return true;
    }, cancellationToken);

    internal async Task<EsxHostInfo?> GetHostAsync(string hostId, CancellationToken cancellationToken)
    {
        var r = await CallAsync(sc => _client.RetrieveObjectsAsync(sc.PropertyCollector, [new ManagedObjectReference("HostSystem", hostId)], EsxInventory.HostPaths, cancellationToken), cancellationToken).ConfigureAwait(false);
        return r.FirstOrDefault(o => o.Properties.Count > 0) is { } o ? EsxInventory.Host(o) : null;
    }

    internal async Task<EsxClusterInfo?> GetClusterAsync(ManagedObjectReference? parent, CancellationToken cancellationToken)
    {
        if (parent is not { Type: "ClusterComputeResource" } cluster)
        {
            return null;
        }

        var r = await CallAsync(sc => _client.RetrieveObjectsAsync(sc.PropertyCollector, [cluster], EsxInventory.ClusterPaths, cancellationToken), cancellationToken).ConfigureAwait(false);
        return r.FirstOrDefault(o => o.Properties.Count > 0) is { } o ? EsxClusterInfo.From(o) : null;
    }

    internal async Task<EsxVmInfo?> GetVmAsync(string vmId, CancellationToken cancellationToken)
    {
        var r = await CallAsync(sc => _client.RetrieveObjectsAsync(sc.PropertyCollector, [new ManagedObjectReference("VirtualMachine", vmId)], EsxInventory.VmPaths, cancellationToken), cancellationToken).ConfigureAwait(false);
        return r.FirstOrDefault(o => o.Properties.Count > 0) is { } o ? EsxInventory.Vm(o) : null;
    }

    /// <inheritdoc />
    public async Task<FleetInventory> GetInventoryAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        EsxInventory inv;
        try
        {
            inv = await LoadInventoryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (VimFaultException ex)
        {
            throw new HostAdapterException(ex.Message);
        }

        bool vCenter = _service?.IsVCenter ?? false;
        var records = new List<HostRecord>();
        var software = await ReadInstalledSoftwareAsync(inv.Hosts, cancellationToken).ConfigureAwait(false);
        // One pass over the VMs (not one per host: 1,000 hosts x 10,000 VMs was 10 million comparisons).
        var vmsByHost = inv.Vms.Where(v => v.Host is not null).ToLookup(v => v.Host!.Value.Value, StringComparer.Ordinal);
        foreach (var h in inv.Hosts)
        {
            string path = InstallPath(h);
            var caps = HostCapabilities.MaintenanceMode | HostCapabilities.Reboot | HostCapabilities.HealthCheck;
            if (vCenter && h.Cluster.Length > 0)
            {
                caps |= HostCapabilities.Evacuation;
            }

            if (path != "none")
            {
                caps |= HostCapabilities.Install;
            }

            software.TryGetValue(h.Moref.Value, out var sw);
            var hostVibs = sw.Vibs;
            var hostComponents = sw.Components ?? [];
            records.Add(new HostRecord
            {
                Id = h.Moref.Value,
                Name = h.Name,
                Kind = HostKind.Esx,
                Version = h.Version,
                Build = EsxBuild.Normalize(h.Version, h.ProductBuild) is { Length: > 0 } b ? b : h.ProductBuild,
                Cluster = h.Cluster,
                Guests = [.. vmsByHost[h.Moref.Value].Select(v => v.Moref.Value)],
                Tags = h.Parent is { Type: "ClusterComputeResource" } cp && inv.ClusterConfigs.TryGetValue(cp.Value, out var cc)
                    ? ["esx-install:" + path, "esx-evacuation:" + (cc.DrsEvacuates ? "drs" : "patchkit")]
                    : ["esx-install:" + path],
                Status = h.Connected ? HostStatus.Reachable : HostStatus.Unreachable,
                InMaintenanceMode = h.InMaintenanceMode,
                Capabilities = caps,
                Packages = hostVibs is null ? [] :
                [
                    .. hostVibs.Select(v => new InstalledPackage { Format = PackageFormat.EsxiVib, Name = v.Name, Version = v.Version, Vendor = v.Vendor, AcceptanceLevel = v.Acceptance }),
                    .. hostComponents.Select(c => new InstalledPackage { Format = PackageFormat.EsxiComponent, Name = c.Name, Version = c.Version, Vendor = c.Vendor, AcceptanceLevel = c.Acceptance }),
                ],
                InstalledPatches = hostVibs is null ? [] :
                [
                    .. hostVibs.Select(v => new InstalledPatch { PatchId = VibId(v.Vendor, v.Name, v.Version) }),
                    .. hostComponents.Select(c => new InstalledPatch { PatchId = c.Name + "_" + c.Version }),
                ],
            });
        }

        var hostsById = inv.Hosts.ToDictionary(h => h.Moref.Value, StringComparer.Ordinal);
        foreach (var vm in inv.Vms.Where(v => !v.Template))
        {
            bool hostUp = vm.Host is { } hr && hostsById.TryGetValue(hr.Value, out var host) && host.Connected;
            records.Add(new HostRecord
            {
                Id = vm.Moref.Value,
                Name = vm.Name,
                Kind = vm.GuestId.StartsWith("windows", StringComparison.OrdinalIgnoreCase) ? HostKind.Windows : HostKind.Linux,
                ParentId = vm.Host?.Value,
                Cluster = vm.Host is { } h2 && hostsById.TryGetValue(h2.Value, out var hh) ? hh.Cluster : string.Empty,
                Tags = vm.Annotation.StartsWith(LabAnnotationPrefix, StringComparison.Ordinal) ? ["esx-lab-clone"] : [],
                Status = hostUp ? HostStatus.Reachable : HostStatus.Unreachable,
                Capabilities = HostCapabilities.Snapshot | (vCenter ? HostCapabilities.LabClone : HostCapabilities.None),
            });
        }

        return new FleetInventory { Hosts = records, TakenAt = _options.TimeProvider.GetUtcNow() };
    }

    internal static string VibId(string vendor, string name, string version) => vendor + "_bootbank_" + name + "_" + version;

    /// <summary>How a host installs patches, a planning fact: <c>ssh</c> (esxcli), <c>api</c> (HostPatchManager,
    /// for hosts without a shell) or <c>none</c>.</summary>
    internal string InstallPath(EsxHostInfo host) =>
        SshFor(host) is not null ? "ssh" : _options.AllowApiInstall && host.PatchManager is not null ? "api" : "none";

    internal EsxSshOptions? SshFor(EsxHostInfo host) =>
        _options.Ssh.TryGetValue(host.Name, out var o) || _options.Ssh.TryGetValue(host.Moref.Value, out o) ? o : null;

    /// <summary>Per host reachable by SSH: <c>esxcli software vib list</c> and <c>software component list</c> (the
    /// components are null on hosts older than 7.0, which have none).</summary>
    private async Task<Dictionary<string, (List<(string Name, string Version, string Vendor, string Acceptance)>? Vibs, List<(string Name, string DisplayName, string Version, string DisplayVersion, string Vendor, string Acceptance)>? Components)>> ReadInstalledSoftwareAsync(List<EsxHostInfo> hosts, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, (List<(string, string, string, string)>?, List<(string, string, string, string, string, string)>?)>(StringComparer.Ordinal);
        using var limit = new SemaphoreSlim(8);
        await Task.WhenAll(hosts.Where(h => h.Connected && SshFor(h) is not null).Select(async h =>
        {
            await limit.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var client = new EsxcliClient(SshFor(h)!);
                var (exit, output) = await client.RunAsync(["software", "vib", "list"], cancellationToken).ConfigureAwait(false);
                if (exit != 0)
                {
                    return;
                }

                var vibs = EsxcliResult.ParseVibList(output);
                List<(string, string, string, string, string, string)>? components = null;
                if (!h.Version.StartsWith('6') && !h.Version.StartsWith('5'))
                {
                    var (cexit, coutput) = await client.RunAsync(["software", "component", "list"], cancellationToken).ConfigureAwait(false);
                    components = cexit == 0 ? EsxcliResult.ParseComponentList(coutput) : null;
                }

                lock (result)
                {
                    result[h.Moref.Value] = (vibs, components);
                }
            }
            catch (HostAdapterException ex)
            {
                Log.VibListFailed(_logger, h.Name, ex.Message);
            }
            finally
            {
                limit.Release();
            }
        })).ConfigureAwait(false);
        return result;
    }

    /// <inheritdoc />
    public async Task<HostIdentity?> IdentifyAsync(HostOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var ct = operation.CancellationToken;
        ct.ThrowIfCancellationRequested();
        try
        {
            if (await GetHostAsync(operation.HostId, ct).ConfigureAwait(false) is { } h)
            {
                await FenceAsync(operation, h.Moref, ct).ConfigureAwait(false); // a new lease announces itself here
                return h.Connected
                    ? new HostIdentity { HostId = h.Moref.Value, Kind = HostKind.Esx, Version = h.Version, Build = EsxBuild.Normalize(h.Version, h.ProductBuild), BootedAt = h.BootTime ?? default }
                    : null;
            }

            if (await GetVmAsync(operation.HostId, ct).ConfigureAwait(false) is { } vm)
            {
                await FenceAsync(operation, vm.Moref, ct).ConfigureAwait(false);
                return vm.PoweredOn
                    ? new HostIdentity { HostId = vm.Moref.Value, Kind = vm.GuestId.StartsWith("windows", StringComparison.OrdinalIgnoreCase) ? HostKind.Windows : HostKind.Linux }
                    : null;
            }

            return null;
        }
        catch (VimFaultException ex) when (ex.FaultType == "ManagedObjectNotFound")
        {
            return null;
        }
        catch (VimFaultException ex)
        {
            throw new HostAdapterException(operation.HostId, ex.Message, null);
        }
    }

    /// <inheritdoc />
    public async Task<HostStepResult> RunStepAsync(HostOperation operation, HostStep step)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(step);
        operation.CancellationToken.ThrowIfCancellationRequested();
        return step.Name switch
        {
            "power-on" => await PowerAsync(operation, on: true).ConfigureAwait(false),
            "power-off" => await PowerAsync(operation, on: false).ConfigureAwait(false),
            _ => new HostStepResult { Status = HostOperationStatus.NotApplicable, Message = "The ESX adapter has no step '" + step.Name + "'." },
        };
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_service is { } sc && _client.HasSession)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _client.LogoutAsync(sc.SessionManager, cts.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is VimFaultException or OperationCanceledException)
            {
                // the session expires on its own
            }
        }

        _client.Dispose();
        _sessionGate.Dispose();
        _waitGate.Dispose();
    }
}
