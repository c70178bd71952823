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
        return info;
    }
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

    internal static readonly string[] HostPaths =
    [
        "name", "parent", "summary.config.product.version", "summary.config.product.build", "runtime.inMaintenanceMode",
        "runtime.connectionState", "runtime.bootTime", "summary.hardware.memorySize", "configManager.patchManager",
        "summary.hardware.cpuMhz", "summary.hardware.numCpuCores",
    ];

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
