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
            if (!EcosystemMatches(affected.Ecosystem, host))
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
    /// on either side (<c>AlmaLinux:9</c> against <c>9.4</c>) matches on the major version. The distribution names OSV and CSAF use are
    /// mapped to os-release ids: <c>Rocky Linux</c> is <c>rocky</c>, <c>AlmaLinux</c> <c>almalinux</c>, <c>Alpine:v3.19</c> is
    /// <c>alpine</c> 3.19, and <c>Red Hat:enterprise_linux:9::appstream</c> (OSV's Red Hat ecosystems, the CPE of a CSAF product's
    /// platform) is <c>rhel</c> 9; an extended-support stream (<c>Red Hat:rhel_eus:9.4::baseos</c>, <c>rhel_aus</c>, <c>rhel_e4s</c>,
    /// <c>rhel_tus</c>) only for a host tagged with the stream's name, as the CSAF matcher does.</summary>
    private static bool EcosystemMatches(string ecosystem, Hosts.HostRecord host)
    {
        Hosts.OsIdentity? os = host.Os;
        if (ecosystem.Length == 0 || os is null)
        {
            return true;
        }

        string[] parts = ecosystem.Split(':');
        string? osId = parts[0] switch
        {
            "Debian" => "debian",
            "Ubuntu" => "ubuntu",
            "AlmaLinux" => "almalinux",
            "Rocky Linux" => "rocky",
            "Red Hat" => "rhel",
            "Alpine" => "alpine",
            _ => null,
        };
        if (!string.Equals(osId ?? parts[0], os.Id.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string release;
        if (osId == "rhel")
        {
            // Red Hat:<CPE product>:<release>::<stream>; extended-support streams are for hosts subscribed to them.
            if (parts.Length > 1 && RedHatCpe.IsExtendedSupportStream(parts[1]) && !host.HasTag(parts[1]))
            {
                return false;
            }

            release = parts.Length > 2 ? parts[2] : string.Empty;
        }
        else
        {
            // Ubuntu's Ubuntu:22.04:LTS names the release 22.04; the Ubuntu:Pro: ecosystems are for hosts with Ubuntu Pro only (as the matcher).
            release = parts.Length > 1 ? parts[1] : string.Empty;
            if (release == "Pro")
            {
                return false;
            }

            if (osId == "alpine" && release.StartsWith('v'))
            {
                release = release[1..];
            }
        }

        string version = os.VersionId.Trim();
        if (release.Length == 0 || version.Length == 0)
        {
            return true;
        }

        return string.Equals(release, version, StringComparison.Ordinal)
            || version.StartsWith(release + ".", StringComparison.Ordinal)
            || release.StartsWith(version + ".", StringComparison.Ordinal);
    }

    /// <summary>The ecosystem of a Red Hat package of a CSAF document, from its platform's CPE (<c>cpe:/a:redhat:enterprise_linux:9::appstream</c>
    /// is <c>Red Hat:enterprise_linux:9::appstream</c>, OSV's name for it), or empty when the CPE names no Red Hat release.</summary>
    internal static string RedHatEcosystemOf(string? cpe)
    {
        if (cpe is null)
        {
            return string.Empty;
        }

        string[] f = RedHatCpe.Fields(cpe);
        if (f.Length < 4 || f[1] != "redhat" || f[3].Length == 0 || f[3] == "*")
        {
            return string.Empty;
        }

        string stream = f.Length > 5 && f[5] != "*" ? f[5] : string.Empty;
        return $"Red Hat:{f[2]}:{f[3]}::{stream}";
    }
}
