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

    /// <summary>Gets the packages the patch fixes, with their affected version ranges (from OSV or CSAF). When both
    /// the patch and the host list packages, they decide whether the patch applies.</summary>
    public IReadOnlyList<AffectedPackage> Packages { get; set; } = [];

    /// <summary>Gets the ids of earlier patches this one replaces (cumulative ESXi rollups, Windows cumulative
    /// updates): a host with this patch installed does not lack them, and they are not installed beside it.</summary>
    public IReadOnlyList<string> Supersedes { get; set; } = [];

    /// <summary>Gets whether installing needs a reboot; <see cref="Hosts.RebootBehavior.Unknown"/> falls back to
    /// <see cref="RequiresReboot"/>.</summary>
    public Hosts.RebootBehavior Reboot { get; init; }

    /// <summary>Gets the payloads when there are several (an ESXi bulletin's VIBs, one .msu per architecture); empty
    /// means <see cref="Payload"/> alone.</summary>
    public IReadOnlyList<PatchPayload> Payloads { get; set; } = [];

    /// <summary>Returns whether the patch is for this host: a rule of <see cref="AppliesTo"/> matches it and, when
    /// both the patch and the host list packages, an installed package of the patch's ecosystem is in an affected
    /// range (a version the ordering cannot read does not make the patch apply). A patch with packages and no rule
    /// applies to no host that lists no packages.</summary>
    /// <param name="host">The host as inventoried.</param>
    /// <returns><see langword="true"/> when the patch is for this host.</returns>
    public bool AppliesToHost(Hosts.HostRecord host)
    {
        ArgumentNullException.ThrowIfNull(host);
        bool ruled = AppliesTo.Count == 0;
        foreach (var rule in AppliesTo)
        {
            ruled |= rule.Matches(host);
        }

        if (!ruled || Packages.Count == 0)
        {
            return ruled;
        }

        if (host.Packages.Count == 0)
        {
            // A patch of packages alone (an OSV record) is for hosts that list packages, not for every machine.
            return AppliesTo.Count > 0;
        }

        return FirstAffected(host) is not null;
    }

    /// <summary>Why the patch is for this host, in words: the first installed package in an affected range
    /// (<c>nginx-full 1.2.1-2.2+wheezy2 installed is affected by DSA-3029-1 for Debian:7, fixed in 1.2.1-2.2+wheezy3</c>),
    /// or the rule of <see cref="AppliesTo"/> that matched; <see langword="null"/> when it is not for the host.</summary>
    /// <param name="host">The host as inventoried.</param>
    internal string? ReasonFor(Hosts.HostRecord host)
    {
        if (!AppliesToHost(host))
        {
            return null;
        }

        if (FirstAffected(host) is not var (affected, installed))
        {
            var rule = AppliesTo.FirstOrDefault(r => r.Matches(host));
            return rule is null ? "applies to every host" : $"applies to {rule.Kind} hosts" + (rule.VersionPrefix is { Length: > 0 } v ? " of " + v : string.Empty);
        }

        string name = installed.SourceName.Length > 0 && installed.SourceName != installed.Name ? $"{installed.Name} (source {installed.SourceName})" : installed.Name;
        string[] fixes = [.. affected.Ranges.Select(static r => r.Fixed).OfType<string>().Distinct(StringComparer.Ordinal)];
        return $"{name} {installed.Version} installed is affected by {Id}"
            + (affected.Ecosystem.Length > 0 ? " for " + affected.Ecosystem : string.Empty)
            + (fixes.Length > 0 ? ", fixed in " + string.Join(" or ", fixes) : ", no fixed version named");
    }

    private (AffectedPackage Affected, Hosts.InstalledPackage Installed)? FirstAffected(Hosts.HostRecord host)
    {
        foreach (var affected in Packages)
        {
            if (!EcosystemMatches(affected.Ecosystem, host.Os))
            {
                continue;
            }

            foreach (var installed in host.Packages)
            {
                if (affected.Names(installed) && affected.Evaluate(installed.Version) == VersionMatch.Affected)
                {
                    return (affected, installed);
                }
            }
        }

        return null;
    }

    /// <summary>OSV's <c>Debian:12</c> against os-release's <c>debian</c>/<c>12</c>; a release given with more detail
    /// on either side (<c>AlmaLinux:9</c> against <c>9.4</c>) matches on the major version.</summary>
    private static bool EcosystemMatches(string ecosystem, Hosts.OsIdentity? os)
    {
        if (ecosystem.Length == 0 || os is null)
        {
            return true;
        }

        int colon = ecosystem.IndexOf(':', StringComparison.Ordinal);
        string name = colon < 0 ? ecosystem : ecosystem[..colon];
        if (!string.Equals(name, os.Id, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (colon < 0 || os.VersionId.Length == 0)
        {
            return true;
        }

        // Ubuntu's Ubuntu:22.04:LTS names the release 22.04; the Ubuntu:Pro: ecosystems are for hosts with Ubuntu Pro only (as the matcher).
        string[] parts = ecosystem[(colon + 1)..].Split(':');
        if (parts[0] == "Pro")
        {
            return false;
        }

        string release = parts[0];
        return string.Equals(release, os.VersionId, StringComparison.Ordinal)
            || os.VersionId.StartsWith(release + ".", StringComparison.Ordinal)
            || release.StartsWith(os.VersionId + ".", StringComparison.Ordinal);
    }
}
