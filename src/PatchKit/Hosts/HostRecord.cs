namespace PatchKit.Hosts;

/// <summary>One machine in the inventory: a hypervisor host or a guest.</summary>
public sealed class HostRecord
{
    /// <summary>Gets the stable id of the host (unique across the fleet).</summary>
    public required string Id { get; init; }

    /// <summary>Gets the display name.</summary>
    /// <value>The default value is the empty string.</value>
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets what the host is.</summary>
    public required HostKind Kind { get; init; }

    /// <summary>Gets the product version (for example <c>8.0.2</c> or <c>10.0.20348</c>).</summary>
    /// <value>The default value is the empty string.</value>
    public string Version { get; set; } = string.Empty;

    /// <summary>Gets the build number, when the product has one.</summary>
    /// <value>The default value is the empty string.</value>
    public string Build { get; set; } = string.Empty;

    /// <summary>Gets the cluster the host belongs to, or the empty string.</summary>
    /// <value>The default value is the empty string.</value>
    public string Cluster { get; set; } = string.Empty;

    /// <summary>Gets the hypervisor host a guest runs on, or <see langword="null"/> for a host.</summary>
    public string? ParentId { get; init; }

    /// <summary>Gets the ids of the guests running on this host (empty for a guest).</summary>
    public IReadOnlyList<string> Guests { get; set; } = [];

    /// <summary>Gets free-form tags (<c>lab</c>, <c>canary</c>, <c>prod</c>, ...).</summary>
    public IReadOnlyList<string> Tags { get; set; } = [];

    /// <summary>Gets the patches installed, oldest first.</summary>
    public IReadOnlyList<InstalledPatch> InstalledPatches { get; set; } = [];

    /// <summary>Gets the operating system as advisories name it, or <see langword="null"/> when the adapter could not tell.</summary>
    public OsIdentity? Os { get; init; }

    /// <summary>Gets the installed software (packages, VIBs and components, Windows updates), as the host reports it.</summary>
    public IReadOnlyList<InstalledPackage> Packages { get; init; } = [];

    /// <summary>Gets, for a guest, the version of the emulator process it runs in as that process was started (QEMU's
    /// <c>query-version</c>), or the empty string. A guest keeps running the old binary after its host's package is
    /// upgraded: compared with the host's installed package, it tells whether a live update is due.</summary>
    /// <value>The default value is the empty string.</value>
    public string RunningEmulatorVersion { get; init; } = string.Empty;

    /// <summary>Gets whether the host answered.</summary>
    public HostStatus Status { get; init; }

    /// <summary>Gets whether the host is in maintenance mode now.</summary>
    public bool InMaintenanceMode { get; init; }

    /// <summary>Gets whether an installed patch waits for a reboot.</summary>
    public bool PendingReboot { get; init; }

    /// <summary>Gets what this host supports (see <see cref="HostCapabilities"/>).</summary>
    public HostCapabilities Capabilities { get; init; }

    /// <summary>Returns whether the host has the tag (ordinal, case-insensitive).</summary>
    /// <param name="tag">The tag to look for.</param>
    /// <returns><see langword="true"/> when the host carries the tag.</returns>
    public bool HasTag(string tag)
    {
        foreach (string t in Tags)
        {
            if (string.Equals(t, tag, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Returns whether the patch is installed.</summary>
    /// <param name="patchId">The catalog id of the patch.</param>
    /// <returns><see langword="true"/> when the host reports the patch installed.</returns>
    public bool IsInstalled(string patchId)
    {
        foreach (var p in InstalledPatches)
        {
            if (string.Equals(p.PatchId, patchId, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
