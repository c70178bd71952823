using PatchKit.Hosts.Esx.Soap;

namespace PatchKit.Hosts.Esx;

internal sealed class EsxHostInfo
{
    public required ManagedObjectReference Moref { get; init; }

    public string Name { get; init; } = string.Empty;

    public ManagedObjectReference? Parent { get; init; }

    /// <summary>The cluster's name when the parent is a ClusterComputeResource, else empty.</summary>
    public string Cluster { get; set; } = string.Empty;

    public string Version { get; init; } = string.Empty;

    public string ProductBuild { get; init; } = string.Empty;

    public bool InMaintenanceMode { get; init; }

    public string ConnectionState { get; init; } = string.Empty;

    public DateTimeOffset? BootTime { get; init; }

    public long MemoryBytes { get; init; }

    public ManagedObjectReference? PatchManager { get; init; }

    /// <summary>Speed of one core (summary.hardware.cpuMhz).</summary>
    public long CpuMhz { get; init; }

    /// <summary>Physical cores (summary.hardware.numCpuCores).</summary>
    public int CpuCores { get; init; }

    /// <summary>Datastores the host sees (morefs); filled only by a placement load.</summary>
    public HashSet<string> Datastores { get; } = new(StringComparer.Ordinal);

    /// <summary>Networks the host sees (morefs, standard and distributed port groups); filled only by a placement load.</summary>
    public HashSet<string> Networks { get; } = new(StringComparer.Ordinal);

    /// <summary>The highest EVC mode the host's CPU supports (summary.maxEVCModeKey), empty when unknown.</summary>
    public string MaxEvcMode { get; set; } = string.Empty;

    /// <summary>The EVC mode the host runs under (summary.currentEVCModeKey: its cluster's), empty when none.</summary>
    public string CurrentEvcMode { get; set; } = string.Empty;

    /// <summary>The CPU baseline a VM arriving here gets: the EVC mode it runs under, else all its CPU supports.</summary>
    public string EvcOffered => CurrentEvcMode.Length > 0 ? CurrentEvcMode : MaxEvcMode;

    public long MemoryMB => MemoryBytes / (1024 * 1024);

    public long CpuCapacityMhz => CpuMhz * CpuCores;

    public bool Connected => ConnectionState == "connected";
}

/// <summary>What a cluster's configurationEx says about DRS and HA admission control.</summary>
internal sealed class EsxClusterInfo
{
    public required ManagedObjectReference Moref { get; init; }

    public string Name { get; init; } = string.Empty;

    public bool DrsEnabled { get; init; }

    /// <summary>manual, partiallyAutomated or fullyAutomated (empty when the server does not say).</summary>
    public string DrsBehavior { get; init; } = string.Empty;

    public bool HaEnabled { get; init; }

    public bool AdmissionControl { get; init; }

    /// <summary>The host failures HA tolerates (ClusterFailoverLevelAdmissionControlPolicy, or the older failoverLevel).</summary>
    public int FailoverLevel { get; init; }

    /// <summary>Percent of the cluster's CPU kept for failover (ClusterFailoverResourcesAdmissionControlPolicy).</summary>
    public int CpuFailoverPercent { get; init; }

    /// <summary>Percent of the cluster's memory kept for failover.</summary>
    public int MemoryFailoverPercent { get; init; }

    /// <summary>Dedicated failover hosts (ClusterFailoverHostAdmissionControlPolicy): they take no VMs.</summary>
    public List<string> FailoverHosts { get; } = [];

    /// <summary>The cluster's EVC mode (summary.currentEVCModeKey), empty when EVC is off or not loaded.</summary>
    public string EvcMode { get; set; } = string.Empty;

    /// <summary>The enabled VM-VM and VM-host rules of the cluster (configurationEx.rule).</summary>
    public List<EsxClusterRule> Rules { get; } = [];

    /// <summary>VM groups and host groups by name (configurationEx.group): member morefs.</summary>
    public Dictionary<string, HashSet<string>> Groups { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether DRS itself moves a host's VMs when the host enters maintenance mode.</summary>
    public bool DrsEvacuates => DrsEnabled && DrsBehavior == "fullyAutomated";

    /// <summary>Whether HA admission control keeps capacity in reserve that evacuation must respect.</summary>
    public bool HaReserves => HaEnabled && AdmissionControl;

    public string DrsText => !DrsEnabled ? "DRS off" : "DRS " + (DrsBehavior.Length > 0 ? DrsBehavior : "on (automation level not reported)");

    public static EsxClusterInfo From(ObjectContent o)
    {
        var cfg = o.Node("configurationEx");
        var drs = cfg?.Child("drsConfig");
        var das = cfg?.Child("dasConfig");
        var policy = das?.Child("admissionControlPolicy");
        int level = 0, cpuPct = 0, memPct = 0;
        var failoverHosts = new List<string>();
        switch (policy?.XsiType)
        {
            case "ClusterFailoverLevelAdmissionControlPolicy":
                level = (int)(policy.ChildLong("failoverLevel") ?? 0);
                break;
            case "ClusterFailoverResourcesAdmissionControlPolicy":
                cpuPct = (int)(policy.ChildLong("cpuFailoverResourcesPercent") ?? 0);
                memPct = (int)(policy.ChildLong("memoryFailoverResourcesPercent") ?? 0);
                break;
            case "ClusterFailoverHostAdmissionControlPolicy":
                failoverHosts.AddRange(policy.ChildrenNamed("failoverHosts").Select(h => h.Text));
                break;
            default:
                level = (int)(das?.ChildLong("failoverLevel") ?? 0);
                break;
        }

        var info = new EsxClusterInfo
        {
            Moref = o.Obj,
            Name = o.Text("name") ?? o.Obj.Value,
            DrsEnabled = drs?.ChildBool("enabled") ?? false,
            DrsBehavior = drs?.ChildText("defaultVmBehavior") ?? string.Empty,
            HaEnabled = das?.ChildBool("enabled") ?? false,
            AdmissionControl = das?.ChildBool("admissionControlEnabled") ?? false,
            FailoverLevel = level,
            CpuFailoverPercent = cpuPct,
            MemoryFailoverPercent = memPct,
        };
        info.FailoverHosts.AddRange(failoverHosts);
        foreach (var g in cfg?.ChildrenNamed("group") ?? [])
        {
            if (g.ChildText("name") is { Length: > 0 } name)
            {
                info.Groups[name] = [.. g.Children.Where(c => c.Name is "vm" or "host").Select(c => c.Text)];
            }
        }

        foreach (var r in cfg?.ChildrenNamed("rule") ?? [])
        {
            if (r.ChildText("enabled") == "false")
            {
                continue;
            }

            var kind = r.XsiType switch
            {
                "ClusterAffinityRuleSpec" => EsxRuleKind.Together,
                "ClusterAntiAffinityRuleSpec" => EsxRuleKind.Apart,
                "ClusterVmHostRuleInfo" => EsxRuleKind.VmHost,
                _ => (EsxRuleKind?)null,
            };
            if (kind is { } k)
            {
                var rule = new EsxClusterRule
                {
                    Kind = k,
                    Name = r.ChildText("name") ?? string.Empty,
                    Mandatory = k != EsxRuleKind.VmHost || r.ChildBool("mandatory"),
                    VmGroup = r.ChildText("vmGroupName") ?? string.Empty,
                    AffineHostGroup = r.ChildText("affineHostGroupName") ?? string.Empty,
                    AntiAffineHostGroup = r.ChildText("antiAffineHostGroupName") ?? string.Empty,
                };
                rule.Vms.UnionWith(r.ChildrenNamed("vm").Select(v => v.Text));
                info.Rules.Add(rule);
            }
        }

        return info;
    }
}

internal enum EsxRuleKind
{
    /// <summary>VM-VM affinity: the VMs run on one host.</summary>
    Together,

    /// <summary>VM-VM anti-affinity: no two of the VMs on one host.</summary>
    Apart,

    /// <summary>VM-host: the VMs of a group run (or do not run) on the hosts of a group.</summary>
    VmHost,
}

/// <summary>One enabled DRS rule of a cluster.</summary>
internal sealed class EsxClusterRule
{
    public EsxRuleKind Kind { get; init; }

    public string Name { get; init; } = string.Empty;

    /// <summary>VM-host rules: "must" (true) or "should"; VM-VM rules always bind.</summary>
    public bool Mandatory { get; init; }

    /// <summary>VM-VM rules: the member VMs (morefs).</summary>
    public HashSet<string> Vms { get; } = new(StringComparer.Ordinal);

    public string VmGroup { get; init; } = string.Empty;

    public string AffineHostGroup { get; init; } = string.Empty;

    public string AntiAffineHostGroup { get; init; } = string.Empty;
}

internal sealed class EsxVmInfo
{
    public required ManagedObjectReference Moref { get; init; }

    public string Name { get; init; } = string.Empty;

    public ManagedObjectReference? Host { get; init; }

    public ManagedObjectReference? Folder { get; init; }

    public ManagedObjectReference? Pool { get; init; }

    public string PowerState { get; init; } = string.Empty;

    public long MemoryMB { get; init; }

    public int NumCpu { get; init; }

    public long CpuReservationMhz { get; init; }

    public long MemoryReservationMB { get; init; }

    /// <summary>Memory overhead as the server reports it (summary.quickStats.consumedOverheadMemory), 0 when not.</summary>
    public long OverheadMB { get; init; }

    /// <summary>The memory a host must have for this VM: its configured memory (or its reservation, when larger) and
    /// its overhead. PatchKit does not plan on overcommitted memory.</summary>
    public long MemoryNeedMB => Math.Max(MemoryMB, MemoryReservationMB) + OverheadMB;

    public string GuestId { get; init; } = string.Empty;

    /// <summary>Datastores of the VM's files (morefs); filled only by a placement load.</summary>
    public HashSet<string> Datastores { get; } = new(StringComparer.Ordinal);

    /// <summary>Networks of the VM's NICs (morefs); filled only by a placement load.</summary>
    public HashSet<string> Networks { get; } = new(StringComparer.Ordinal);

    /// <summary>The EVC mode the running VM needs (runtime.minRequiredEVCModeKey), empty when not reported.</summary>
    public string MinRequiredEvcMode { get; set; } = string.Empty;

    public string Annotation { get; init; } = string.Empty;

    public bool Template { get; init; }

    public List<SnapshotInfo> Snapshots { get; init; } = [];

    public bool PoweredOn => PowerState == "poweredOn";
}

internal sealed class EsxInventory
{
    public List<EsxHostInfo> Hosts { get; } = [];

    public List<EsxVmInfo> Vms { get; } = [];

    public Dictionary<string, string> Clusters { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, EsxClusterInfo> ClusterConfigs { get; } = new(StringComparer.Ordinal);

    public List<string> Datacenters { get; } = [];

    /// <summary>Whether datastores, networks and EVC modes of the hosts and the moving VMs were loaded.</summary>
    public bool PlacementLoaded { get; set; }

    /// <summary>Names of the datastores and networks the moving VMs use, by moref (for messages).</summary>
    public Dictionary<string, string> Names { get; } = new(StringComparer.Ordinal);

    internal static readonly string[] HostPaths =
    [
        "name", "parent", "summary.config.product.version", "summary.config.product.build", "runtime.inMaintenanceMode",
        "runtime.connectionState", "runtime.bootTime", "summary.hardware.memorySize", "configManager.patchManager",
        "summary.hardware.cpuMhz", "summary.hardware.numCpuCores",
    ];

    internal static readonly string[] HostPlacementPaths = ["datastore", "network", "summary.maxEVCModeKey", "summary.currentEVCModeKey"];

    internal static readonly string[] VmPlacementPaths = ["datastore", "network", "runtime.minRequiredEVCModeKey"];

    internal static readonly string[] ClusterPaths = ["name", "configurationEx"];

    internal static readonly string[] VmPaths =
    [
        "name", "parent", "resourcePool", "runtime.host", "runtime.powerState", "summary.config.memorySizeMB", "summary.config.guestId",
        "config.annotation", "config.template", "snapshot", "summary.config.numCpu", "config.cpuAllocation.reservation",
        "config.memoryAllocation.reservation", "summary.quickStats.consumedOverheadMemory",
    ];

    internal static EsxHostInfo Host(ObjectContent o) => new()
    {
        Moref = o.Obj,
        Name = o.Text("name") ?? o.Obj.Value,
        Parent = o.Moref("parent"),
        Version = o.Text("summary.config.product.version") ?? string.Empty,
        ProductBuild = o.Text("summary.config.product.build") ?? string.Empty,
        InMaintenanceMode = o.Bool("runtime.inMaintenanceMode"),
        ConnectionState = o.Text("runtime.connectionState") ?? string.Empty,
        BootTime = VimNode.ParseTime(o.Text("runtime.bootTime")),
        MemoryBytes = o.Long("summary.hardware.memorySize") ?? 0,
        PatchManager = o.Moref("configManager.patchManager"),
        CpuMhz = o.Long("summary.hardware.cpuMhz") ?? 0,
        CpuCores = (int)(o.Long("summary.hardware.numCpuCores") ?? 0),
    };

    internal static EsxVmInfo Vm(ObjectContent o)
    {
        var vm = new EsxVmInfo
        {
            Moref = o.Obj,
            Name = o.Text("name") ?? o.Obj.Value,
            Host = o.Moref("runtime.host"),
            Folder = o.Moref("parent"),
            Pool = o.Moref("resourcePool"),
            PowerState = o.Text("runtime.powerState") ?? string.Empty,
            MemoryMB = o.Long("summary.config.memorySizeMB") ?? 0,
            GuestId = o.Text("summary.config.guestId") ?? string.Empty,
            Annotation = o.Text("config.annotation") ?? string.Empty,
            Template = o.Bool("config.template"),
            NumCpu = (int)(o.Long("summary.config.numCpu") ?? 0),
            CpuReservationMhz = o.Long("config.cpuAllocation.reservation") ?? 0,
            MemoryReservationMB = o.Long("config.memoryAllocation.reservation") ?? 0,
            OverheadMB = o.Long("summary.quickStats.consumedOverheadMemory") ?? 0,
        };
        if (o.Node("snapshot") is { } snap)
        {
            foreach (var root in snap.ChildrenNamed("rootSnapshotList"))
            {
                AddSnapshots(root, vm.Snapshots);
            }
        }

        return vm;
    }

    private static void AddSnapshots(VimNode tree, List<SnapshotInfo> into)
    {
        if (tree.Child("snapshot") is { } s)
        {
            into.Add(new SnapshotInfo
            {
                SnapshotId = s.Text,
                Name = tree.ChildText("name") ?? string.Empty,
                CreatedAt = tree.ChildTime("createTime") ?? default,
            });
        }

        foreach (var child in tree.ChildrenNamed("childSnapshotList"))
        {
            AddSnapshots(child, into);
        }
    }
}
