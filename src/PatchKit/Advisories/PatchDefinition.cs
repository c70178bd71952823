namespace PatchKit.Advisories;

/// <summary>A patch as the catalog describes it.</summary>
public sealed record PatchDefinition
{
    /// <summary>Gets the stable id (<c>ESXi80U2-202401</c>, <c>KB5034439</c>, <c>qemu-8.2.1-cve-2024-1234</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Gets a one-line title.</summary>
    /// <value>The default value is the empty string.</value>
    public string Title { get; set; } = string.Empty;

    /// <summary>Gets the machines it applies to (any rule matching is enough).</summary>
    public required IReadOnlyList<PatchAppliesTo> AppliesTo { get; init; }

    /// <summary>Gets the severity.</summary>
    public PatchSeverity Severity { get; init; }

    /// <summary>Gets the classification.</summary>
    public PatchClassification Classification { get; init; }

    /// <summary>Gets when the vendor released it.</summary>
    public DateTimeOffset ReleasedAt { get; init; }

    /// <summary>Gets whether installing it needs a reboot (unless applied live).</summary>
    public bool RequiresReboot { get; init; }

    /// <summary>Gets whether it can be applied live (QEMU live update, kernel live patch) without restarting guests.</summary>
    public bool LivePatchable { get; init; }

    /// <summary>Gets the advisories it fixes (CVE ids), if known.</summary>
    public IReadOnlyList<string> Cves { get; set; } = [];

    /// <summary>Gets what to install.</summary>
    public PatchPayload Payload { get; set; } = new();

    /// <summary>Returns whether any rule of <see cref="AppliesTo"/> matches the host.</summary>
    /// <param name="host">The host as inventoried.</param>
    /// <returns><see langword="true"/> when the patch is for this host.</returns>
    public bool AppliesToHost(Hosts.HostRecord host)
    {
        foreach (var rule in AppliesTo)
        {
            if (rule.Matches(host))
            {
                return true;
            }
        }

        return false;
    }
}
