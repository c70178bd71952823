namespace PatchKit.Hosts.Simulated;

/// <summary>The mutable state of one simulated machine (persisted in the state file).</summary>
internal sealed class SimulatedMachine
{
    public string Id { get; set; } = string.Empty;

    public HostKind Kind { get; set; }

    public string Version { get; set; } = string.Empty;

    public string Build { get; set; } = string.Empty;

    public string Cluster { get; set; } = string.Empty;

    public string? ParentId { get; set; }

    public List<string> Tags { get; set; } = [];

    public HostCapabilities Capabilities { get; set; }

    public List<InstalledPatch> Installed { get; set; } = [];

    public OsIdentity? Os { get; set; }

    public List<InstalledPackage> Packages { get; set; } = [];

    public Dictionary<string, int> InstallCounts { get; set; } = [];

    public bool InMaintenanceMode { get; set; }

    public bool PendingReboot { get; set; }

    public bool Down { get; set; }

    public DateTimeOffset BootedAt { get; set; }

    public int Reboots { get; set; }

    public int GuestRestarts { get; set; }

    public bool PatchedThisRun { get; set; }

    public string? CloneOf { get; set; }

    public List<SimulatedSnapshot> Snapshots { get; set; } = [];

    public SimulatedHostFaults Faults { get; set; } = new();

    /// <summary>The largest fencing token a call about this machine carried (0: none yet).</summary>
    public long Fence { get; set; }

    /// <summary>The number of the last snapshot taken of this machine (a shared fleet numbers snapshots per machine).</summary>
    public long LastSnapshot { get; set; }

    /// <summary>The machine's place in the fleet's order (not persisted: given when the state is indexed), which keeps
    /// the indexes of the adapter in the order a walk over the whole fleet would give.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long Order { get; set; }
}
