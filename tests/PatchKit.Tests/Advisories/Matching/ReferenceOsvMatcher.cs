using PatchKit.Advisories.Matching;
using PatchKit.Advisories.Osv;
using PatchKit.Advisories.Versions;
using PatchKit.Hosts;

namespace PatchKit.Tests.Advisories.Matching;

/// <summary>
/// The OSV matcher as it was before it was compiled for speed (every entry walked per host, every reason written at once, LINQ
/// ordering), kept unchanged as the oracle the fast <see cref="AdvisoryMatcher"/> must agree with decision for decision and word for word.
/// </summary>
internal sealed class ReferenceOsvMatcher
{
    private readonly List<OsvRecord> _records;

    // Every affected entry by the package name it names, in record order: a host looks up its own package names only.
    private readonly Dictionary<string, List<(OsvRecord Record, OsvAffected Affected)>> _byPackage = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="ReferenceOsvMatcher"/> class.</summary>
    /// <param name="records">The advisories; withdrawn ones are ignored.</param>
    /// <exception cref="ArgumentNullException"><paramref name="records"/> is <see langword="null"/>.</exception>
    public ReferenceOsvMatcher(IEnumerable<OsvRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        _records = [.. records.Where(r => r is not null && r.Withdrawn is null)];
        foreach (OsvRecord record in _records)
        {
            foreach (OsvAffected affected in record.Affected ?? [])
            {
                if (affected.Package?.Name is { } name && affected.Package.Ecosystem is not null)
                {
                    if (!_byPackage.TryGetValue(name, out var list))
                    {
                        _byPackage[name] = list = [];
                    }

                    list.Add((record, affected));
                }
            }
        }
    }

    /// <summary>Matches one host's installed packages against the advisories.</summary>
    /// <param name="hostId">The host id, copied to the result.</param>
    /// <param name="os">The host's operating system.</param>
    /// <param name="packages">The installed packages.</param>
    /// <returns>The decisions, ordered by advisory id, then installed package name.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public HostMatchResult Match(string hostId, OsIdentity os, IEnumerable<InstalledPackage> packages)
    {
        ArgumentNullException.ThrowIfNull(hostId);
        ArgumentNullException.ThrowIfNull(os);
        ArgumentNullException.ThrowIfNull(packages);
        string? hostEcosystem = AdvisoryMatcher.EcosystemOf(os);
        if (hostEcosystem is null)
        {
            return new HostMatchResult(hostId, null, []);
        }

        string family = FamilyOf(hostEcosystem);
        PackageFormat? format = FormatOf(family);
        var byName = new Dictionary<string, List<InstalledPackage>>(StringComparer.Ordinal);
        foreach (InstalledPackage package in packages)
        {
            if (format is { } f && package.Format != f)
            {
                continue;
            }

            // Debian and Ubuntu advisories name source packages.
            string key = format == PackageFormat.Dpkg && package.SourceName.Length > 0 ? package.SourceName : package.Name;
            if (!byName.TryGetValue(key, out var list))
            {
                byName[key] = list = [];
            }

            list.Add(package);
        }

        var decided = new Dictionary<(string Advisory, InstalledPackage Package), PackageMatch>();
        foreach (var (name, installed) in byName)
        {
            if (!_byPackage.TryGetValue(name, out var entries))
            {
                continue;
            }

            foreach (var (record, affected) in entries)
            {
                string ecosystem = affected.Package!.Ecosystem!;
                bool releaseMissing = ecosystem == family;
                if (!releaseMissing && !SameEcosystem(hostEcosystem, ecosystem))
                {
                    continue;
                }

                foreach (InstalledPackage package in installed)
                {
                    PackageMatch match = releaseMissing
                        ? new PackageMatch(record.Id, ecosystem, name, package, MatchDecision.Unknown, null,
                            $"{Label(package, name)} {package.Version} installed: {record.Id} names {ecosystem} without a release, so it may be about another release than {hostEcosystem}")
                        : Decide(record.Id, ecosystem, name, affected, package);
                    var key = (record.Id, package);
                    if (!decided.TryGetValue(key, out PackageMatch? previous) || AdvisoryMatcher.Rank(match.Decision) > AdvisoryMatcher.Rank(previous.Decision))
                    {
                        decided[key] = match;
                    }
                }
            }
        }

        List<PackageMatch> matches = [.. decided.Values
            .OrderBy(m => m.AdvisoryId, StringComparer.Ordinal)
            .ThenBy(m => m.Package.Name, StringComparer.Ordinal)
            .ThenBy(m => m.Package.Architecture, StringComparer.Ordinal)];
        return new HostMatchResult(hostId, hostEcosystem, matches);
    }

    private static string FamilyOf(string ecosystem)
    {
        int colon = ecosystem.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? ecosystem : ecosystem[..colon];
    }

    private static PackageFormat? FormatOf(string family) => family switch
    {
        "Debian" or "Ubuntu" => PackageFormat.Dpkg,
        "AlmaLinux" or "Rocky Linux" => PackageFormat.Rpm,
        _ => null,
    };

    private static bool SameEcosystem(string host, string advisory) =>
        string.Equals(host, advisory, StringComparison.Ordinal)
        || (host.StartsWith("Ubuntu:", StringComparison.Ordinal) && string.Equals(host + ":LTS", advisory, StringComparison.Ordinal));

    private static string Label(InstalledPackage package, string advisoryName) =>
        package.Name == advisoryName ? package.Name : $"{package.Name} (source {advisoryName})";

    private static PackageMatch Decide(string id, string ecosystem, string name, OsvAffected affected, InstalledPackage package)
    {
        string label = Label(package, name);
        string v = package.Version;
        string where = $"in {id} for {ecosystem}";
        PackageMatch Result(MatchDecision decision, string? fixedVersion, string reason) =>
            new(id, ecosystem, name, package, decision, fixedVersion, reason);

        string? fixedAny = affected.Ranges.Where(r => r.Type is OsvRangeType.Ecosystem or OsvRangeType.Semver)
            .SelectMany(r => r.Events).Select(e => e.Fixed).LastOrDefault(f => f is not null);
        bool listed = affected.Versions.Contains(v, StringComparer.Ordinal);
        var ranges = affected.Ranges.Where(r => r.Type is OsvRangeType.Ecosystem or OsvRangeType.Semver).ToList();
        PackageMatch? best = null;
        foreach (OsvRange range in ranges)
        {
            VersionScheme scheme = OsvVersionSchemes.For(range.Type, ecosystem);
            PackageMatch match = scheme == VersionScheme.Unknown
                ? Result(MatchDecision.Unknown, fixedAny, $"{label} {v} installed: no version ordering is known for {ecosystem} {RangeTypeName(range.Type)} ranges ({id})")
                : EvaluateRange(range, scheme, label, v, where, Result);
            if (best is null || AdvisoryMatcher.Rank(match.Decision) > AdvisoryMatcher.Rank(best.Decision))
            {
                best = match;
            }
        }

        // A range that says affected gives the better reason (it names the fixed version); the versions list is exact, so it wins over the rest.
        if (best?.Decision == MatchDecision.Affected)
        {
            return best;
        }

        if (listed)
        {
            return Result(MatchDecision.Affected, fixedAny, $"{label} {v} installed is listed as affected {where}");
        }

        if (best is not null)
        {
            return best;
        }

        return affected.Versions.Count > 0
            ? Result(MatchDecision.NotAffected, null, $"{label} {v} installed is not among the {affected.Versions.Count} versions listed as affected {where}")
            : Result(MatchDecision.Unknown, null, $"{label} {v} installed: {id} gives no version range for {ecosystem} that can be evaluated");
    }

    private static string RangeTypeName(OsvRangeType type) => type == OsvRangeType.Semver ? "SEMVER" : "ECOSYSTEM";

    private static PackageMatch EvaluateRange(
        OsvRange range, VersionScheme scheme, string label, string v, string where, Func<MatchDecision, string?, string, PackageMatch> result)
    {
        // Limits first: at or above a limit nothing in this range applies.
        foreach (OsvEvent e in range.Events)
        {
            if (e.Kind == OsvEventKind.Limit && e.Limit != "*")
            {
                if (!AdvisoryMatcher.TryOrder(scheme, v, e.Limit!, out int c))
                {
                    return Unordered(scheme, label, v, e.Limit!, where, result);
                }

                if (c >= 0)
                {
                    return result(MatchDecision.NotAffected, null, $"{label} {v} installed >= {e.Limit} limit of the range {where}");
                }
            }
        }

        PackageMatch? best = null;
        string? introduced = null;
        bool open = false;
        void Consider(PackageMatch m)
        {
            if (best is null || AdvisoryMatcher.Rank(m.Decision) > AdvisoryMatcher.Rank(best.Decision))
            {
                best = m;
            }
        }

        PackageMatch? Interval(string start, OsvEvent? end)
        {
            if (start != "0")
            {
                if (!AdvisoryMatcher.TryOrder(scheme, v, start, out int c))
                {
                    return Unordered(scheme, label, v, start, where, result);
                }

                if (c < 0)
                {
                    return result(MatchDecision.NotAffected, end?.Fixed, $"{label} {v} installed < {start} introduced {where}");
                }
            }

            if (end is null)
            {
                string since = start == "0" ? "all versions" : $">= {start} introduced";
                return result(MatchDecision.Affected, null, $"{label} {v} installed is affected ({since}, no fixed version) {where}");
            }

            string bound = end.Version!;
            if (!AdvisoryMatcher.TryOrder(scheme, v, bound, out int d))
            {
                return Unordered(scheme, label, v, bound, where, result);
            }

            return end.Kind == OsvEventKind.Fixed
                ? d < 0
                    ? result(MatchDecision.Affected, bound, $"{label} {v} installed < {bound} fixed {where}")
                    : result(MatchDecision.Fixed, bound, $"{label} {v} installed >= {bound} fixed {where}")
                : d <= 0
                    ? result(MatchDecision.Affected, null, $"{label} {v} installed <= {bound} last affected {where}")
                    : result(MatchDecision.NotAffected, null, $"{label} {v} installed > {bound} last affected {where}");
        }

        foreach (OsvEvent e in range.Events)
        {
            switch (e.Kind)
            {
                case OsvEventKind.Introduced:
                    if (open)
                    {
                        Consider(Interval(introduced!, null)!);
                    }

                    introduced = e.Introduced;
                    open = true;
                    break;
                case OsvEventKind.Fixed or OsvEventKind.LastAffected when open:
                    Consider(Interval(introduced!, e)!);
                    open = false;
                    break;
                default:
                    break;
            }
        }

        if (open)
        {
            Consider(Interval(introduced!, null)!);
        }

        return best ?? result(MatchDecision.Unknown, null, $"{label} {v} installed: the range {where} has no introduced event");
    }

    private static PackageMatch Unordered(
        VersionScheme scheme, string label, string v, string other, string where, Func<MatchDecision, string?, string, PackageMatch> result) =>
        scheme == VersionScheme.Rpm && !AdvisoryMatcher.HasEpoch(v) && AdvisoryMatcher.HasNonZeroEpoch(other)
            ? result(MatchDecision.Unknown, null, $"{label} {v} installed has no epoch and {other} has one: the inventory must give the epoch (%{{EPOCH}}:%{{VERSION}}-%{{RELEASE}}) {where}")
            : result(MatchDecision.Unknown, null, $"{label} {v} installed cannot be ordered against {other} as a {scheme} version {where}");
}
