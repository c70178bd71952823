namespace PatchKit.Hosts.Simulated;

/// <summary>One machine of a simulated fleet description (JSON).</summary>
public sealed record SimulatedHostDescription
{
    /// <summary>Gets the id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the kind.</summary>
    public required HostKind Kind { get; init; }

    /// <summary>Gets the version.</summary>
    public string Version { get; set; } = string.Empty;

    /// <summary>Gets the build.</summary>
    public string Build { get; set; } = string.Empty;

    /// <summary>Gets the cluster.</summary>
    public string Cluster { get; set; } = string.Empty;

    /// <summary>Gets the host a guest runs on, or <see langword="null"/> for a hypervisor host.</summary>
    public string? ParentId { get; init; }

    /// <summary>Gets the tags.</summary>
    public IReadOnlyList<string> Tags { get; set; } = [];

    /// <summary>Gets the patches already installed, with the dates they were installed.</summary>
    public IReadOnlyList<InstalledPatch> InstalledPatches { get; set; } = [];

    /// <summary>Gets the operating system, as inventory reports it (<c>debian</c>/<c>12</c>), or <see langword="null"/>.</summary>
    public OsIdentity? Os { get; set; }

    /// <summary>Gets the installed packages inventory reports (matched against OSV and CSAF advisories).</summary>
    public IReadOnlyList<InstalledPackage> Packages { get; set; } = [];

    /// <summary>Gets the capabilities, or <see langword="null"/> for the defaults of the kind.</summary>
    public HostCapabilities? Capabilities { get; init; }

    /// <summary>Gets whether the machine is down from the start.</summary>
    public bool Down { get; init; }

    /// <summary>Gets the faults injected into this machine.</summary>
    public SimulatedHostFaults Faults { get; set; } = new();
}
