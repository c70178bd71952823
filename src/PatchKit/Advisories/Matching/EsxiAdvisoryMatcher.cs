using System.Globalization;
using System.Text.RegularExpressions;
using PatchKit.Advisories.Cve;
using PatchKit.Advisories.Versions;
using PatchKit.Hosts;

namespace PatchKit.Advisories.Matching;

/// <summary>One fixed ESXi release a CVE record names for a release line (<c>8.0</c> fixed in <c>ESXi80U3d-24585383</c>), or a line it
/// names as affected with no fix (<see cref="FixedIn"/> <see langword="null"/>).</summary>
/// <param name="Cve">The CVE id.</param>
/// <param name="Line">The release line (<c>8.0</c>, <c>7.0</c>, <c>6.7</c>).</param>
/// <param name="FixedIn">The first fixed release of the line (<c>lessThan</c>, or the free text's <c>before</c>/<c>prior to</c>), or <see langword="null"/>.</param>
/// <param name="LastAffected">Whether <see cref="FixedIn"/> is a last affected release (<c>lessThanOrEqual</c>) rather than the fix.</param>
/// <param name="DefaultStatus">The entry's <c>defaultStatus</c> (<c>unaffected</c>), or <see langword="null"/> when the record gives none.</param>
/// <param name="Source">Where in the record it was read (<c>containers.cna.affected[0].versions[1]</c>).</param>
public sealed record EsxiFix(string Cve, string Line, string? FixedIn, bool LastAffected, string? DefaultStatus, string Source);

/// <summary>
/// Decides which VMware CVE records (CVE JSON 5) apply to an ESXi host from the fixed releases they name, with the reason in words. Per
/// record: a host on a release line the record names with no fixed release is affected; with fixed releases (one per update line) a host is
/// fixed at or past the fix of its own update line, affected on an earlier update line than a listed fix, fixed on a later one than every
/// listed fix; a line the record does not name is not affected when every ESXi entry says <c>defaultStatus: unaffected</c>, unknown when
/// the record gives no <c>defaultStatus</c> (older records, whose versions are free text such as
/// <c>7.0 before ESXi70U1c-17325551</c>, are read too).
/// </summary>
public sealed partial class EsxiAdvisoryMatcher
{
    private readonly Dictionary<string, List<EsxiFix>> _fixes = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="EsxiAdvisoryMatcher"/> class.</summary>
    /// <param name="records">The CVE records; records without an ESXi product are ignored.</param>
    /// <exception cref="ArgumentNullException"><paramref name="records"/> is <see langword="null"/>.</exception>
    public EsxiAdvisoryMatcher(IEnumerable<CveRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (CveRecord record in records)
        {
            List<EsxiFix> fixes = FixesOf(record);
            if (fixes.Count > 0)
            {
                _fixes[record.Id] = fixes;
            }
        }
    }

    /// <summary>Gets the fixed releases read from the records, per CVE in record order.</summary>
    public IEnumerable<EsxiFix> Fixes => _fixes.Values.SelectMany(static f => f);

    /// <summary>Reads the ESXi fixed releases of one record.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The fixes, in the order the record lists them.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    public static List<EsxiFix> FixesOf(CveRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var fixes = new List<EsxiFix>();
        List<CveAffected> affected = record.Containers?.Cna?.Affected ?? [];
        for (int a = 0; a < affected.Count; a++)
        {
            CveAffected entry = affected[a];
            if (!IsEsxi(entry.Product))
            {
                continue;
            }

            List<CveVersion> versions = entry.Versions ?? [];
            for (int v = 0; v < versions.Count; v++)
            {
                CveVersion version = versions[v];
                if (version.Status != "affected" || version.Version is not { } text)
                {
                    continue;
                }

                string source = $"containers.cna.affected[{a}].versions[{v}]";
                string line = text.Trim();
                if (LinePattern().IsMatch(line))
                {
                    string? end = version.LessThan ?? version.LessThanOrEqual;
                    fixes.Add(new EsxiFix(record.Id, line, end?.Trim(), version.LessThan is null && version.LessThanOrEqual is not null, entry.DefaultStatus, source));
                    continue;
                }

                // Older records: "VMware ESXi (7.0 before ESXi_7.0.1-0.0.16850804, 6.7 before ESXi670-202010401-SG, …)".
                foreach (Match m in FreeTextPattern().Matches(text))
                {
                    fixes.Add(new EsxiFix(record.Id, m.Groups[1].Value, m.Groups[2].Value, false, entry.DefaultStatus, source + ".version (free text)"));
                }
            }
        }

        return fixes;
    }

    /// <summary>Matches one ESXi host against the records.</summary>
    /// <param name="host">The host: <see cref="HostRecord.Version"/> as a release name or full version (<c>ESXi80U3f-24784735</c>,
    /// <c>8.0.3-0.70.24674464</c>), or <c>8.0.3</c> with <see cref="HostRecord.Build"/> <c>24674464</c>.</param>
    /// <returns>One decision per record that names ESXi, ordered by CVE id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="host"/> is <see langword="null"/>.</exception>
    public HostMatchResult Match(HostRecord host)
    {
        ArgumentNullException.ThrowIfNull(host);
        string version = host.Version;
        if (!EsxiVersion.TryParse(version, out _) && host.Build.Length > 0 && EsxiVersion.TryParse($"{host.Version}-0.0.{host.Build}", out _))
        {
            version = $"{host.Version}-0.0.{host.Build}";
        }

        return Match(host.Id, version);
    }

    /// <summary>Matches one ESXi version against the records.</summary>
    /// <param name="hostId">The host id, copied to the result.</param>
    /// <param name="esxiVersion">The host's version (<c>ESXi80U3f-24784735</c>, <c>8.0.3-0.70.24674464</c>, <c>9.0.0.0100</c>).</param>
    /// <returns>One decision per record that names ESXi, ordered by CVE id.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public HostMatchResult Match(string hostId, string esxiVersion)
    {
        ArgumentNullException.ThrowIfNull(hostId);
        ArgumentNullException.ThrowIfNull(esxiVersion);
        var installed = new InstalledPackage { Format = PackageFormat.EsxiComponent, Name = "ESXi", Version = esxiVersion };
        var matches = new List<PackageMatch>();
        foreach (var (cve, fixes) in _fixes.OrderBy(static f => f.Key, StringComparer.Ordinal))
        {
            matches.Add(Decide(cve, fixes, installed));
        }

        return new HostMatchResult(hostId, "VMware ESXi", matches);
    }

    private static bool IsEsxi(string? product) =>
        product is not null && product.Split(',').Any(static p => p.Trim() is "ESXi" or "VMware ESXi");

    private static PackageMatch Decide(string cve, List<EsxiFix> fixes, InstalledPackage installed)
    {
        string v = installed.Version;
        PackageMatch Result(MatchDecision d, string? fixedIn, string reason, string ecosystem) =>
            new(cve, ecosystem, "ESXi", installed, d, fixedIn, reason) { Vulnerability = cve, Remediation = fixedIn };

        if (!EsxiVersion.TryParse(v, out EsxiVersion host))
        {
            return Result(MatchDecision.Unknown, null, $"ESXi {v} installed is not an ESXi version this library reads ({cve})", "VMware ESXi");
        }

        string line = string.Create(CultureInfo.InvariantCulture, $"{host.Major}.{host.Minor}");
        string ecosystem = "VMware ESXi " + line;
        var onLine = fixes.Where(f => f.Line == line).ToList();
        if (onLine.Count == 0)
        {
            return fixes.All(static f => f.DefaultStatus == "unaffected")
                ? Result(MatchDecision.NotAffected, null, $"ESXi {v} installed: {cve} does not name ESXi {line} and says every other version is unaffected", ecosystem)
                : Result(MatchDecision.Unknown, null, $"ESXi {v} installed: {cve} does not name ESXi {line} and gives no defaultStatus", ecosystem);
        }

        if (onLine.FirstOrDefault(static f => f.FixedIn is null) is not null)
        {
            return Result(MatchDecision.Affected, null, $"ESXi {v} installed: {cve} names ESXi {line} as affected with no fixed release", ecosystem);
        }

        var parsed = new List<(EsxiFix Fix, EsxiVersion Version)>();
        foreach (EsxiFix f in onLine)
        {
            if (!EsxiVersion.TryParse(f.FixedIn, out EsxiVersion fv))
            {
                return Result(MatchDecision.Unknown, f.FixedIn, $"ESXi {v} installed: {cve} names {f.FixedIn}, which is not an ESXi version this library reads", ecosystem);
            }

            parsed.Add((f, fv));
        }

        var sameUpdate = parsed.Where(p => p.Version.Form != EsxiVersionForm.PatchId && p.Version.Update == host.Update).ToList();
        if (sameUpdate.Count > 0 || parsed.All(static p => p.Version.Form == EsxiVersionForm.PatchId))
        {
            EsxiFix fix = sameUpdate.Count > 0 ? sameUpdate[0].Fix : parsed[0].Fix;
            if (!VersionComparer.TryCompare(VersionScheme.EsxiRelease, v, fix.FixedIn!, out int order))
            {
                return Result(MatchDecision.Unknown, fix.FixedIn, $"ESXi {v} installed cannot be ordered against {fix.FixedIn} ({cve})", ecosystem);
            }

            return fix.LastAffected
                ? order <= 0
                    ? Result(MatchDecision.Affected, null, $"ESXi {v} installed <= {fix.FixedIn} last affected in {cve}", ecosystem)
                    : Result(MatchDecision.Fixed, null, $"ESXi {v} installed > {fix.FixedIn} last affected in {cve}", ecosystem)
                : order >= 0
                    ? Result(MatchDecision.Fixed, fix.FixedIn, $"ESXi {v} installed >= {fix.FixedIn} fixed in {cve}", ecosystem)
                    : Result(MatchDecision.Affected, fix.FixedIn, $"ESXi {v} installed < {fix.FixedIn} fixed in {cve}", ecosystem);
        }

        var later = parsed.Where(p => p.Version.Update > host.Update).OrderBy(static p => p.Version.Update).ToList();
        if (later.Count > 0)
        {
            string fixedIn = later[0].Fix.FixedIn!;
            return Result(MatchDecision.Affected, fixedIn,
                $"ESXi {v} installed is on update line {host.Update}, which {cve} gives no fix for; the fix is in {fixedIn} (a later update line)", ecosystem);
        }

        string last = parsed.OrderBy(static p => p.Version.Update).Last().Fix.FixedIn!;
        return Result(MatchDecision.Fixed, last, $"ESXi {v} installed is on update line {host.Update}, later than every fix {cve} lists (last {last})", ecosystem);
    }

    [GeneratedRegex(@"^\d+\.\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex LinePattern();

    [GeneratedRegex(@"(\d+\.\d+)\s+(?:before|prior to)\s+(ESXi[A-Za-z0-9_.\-]+?)(?=[,)\s]|$)", RegexOptions.CultureInvariant)]
    private static partial Regex FreeTextPattern();
}
