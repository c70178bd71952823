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

    public bool Connected => ConnectionState == "connected";
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

    public List<string> Datacenters { get; } = [];

    internal static readonly string[] HostPaths =
    [
        "name", "parent", "summary.config.product.version", "summary.config.product.build", "runtime.inMaintenanceMode",
        "runtime.connectionState", "runtime.bootTime", "summary.hardware.memorySize", "configManager.patchManager",
    ];

    internal static readonly string[] VmPaths =
    [
        "name", "parent", "resourcePool", "runtime.host", "runtime.powerState", "summary.config.memorySizeMB", "summary.config.guestId",
        "config.annotation", "config.template", "snapshot",
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
