using PatchKit.Advisories.Osv;
using PatchKit.Advisories.Versions;
using PatchKit.Hosts;

namespace PatchKit.Advisories.Matching;

/// <summary>
/// Decides which OSV advisories apply to a host's installed packages and says why, one <see cref="PackageMatch"/> per installed package
/// and advisory entry that name each other. Decisions are never guesses: an ecosystem with no version ordering, a version the scheme
/// cannot read, or an advisory that names no release gives <see cref="MatchDecision.Unknown"/>.
/// </summary>
/// <remarks>
/// <para>The host's ecosystem comes from its <see cref="OsIdentity"/>: <c>debian</c> 12 is <c>Debian:12</c>, <c>ubuntu</c> 22.04 matches
/// <c>Ubuntu:22.04</c> and <c>Ubuntu:22.04:LTS</c> (not the <c>Ubuntu:Pro:</c> ecosystems, which apply only to hosts with Ubuntu Pro),
/// <c>almalinux</c> 9.4 is <c>AlmaLinux:9</c>, <c>rocky</c> 9.4 is <c>Rocky Linux:9</c>, <c>alpine</c> 3.19.1 is <c>Alpine:v3.19</c>.
/// Advisories of another release never match: a Debian 11 fixed version says nothing about Debian 12. An advisory that names the
/// distribution without a release (<c>Debian</c>) gives <see cref="MatchDecision.Unknown"/>.</para>
/// <para>Debian and Ubuntu advisories name source packages, so a dpkg package matches by <see cref="InstalledPackage.SourceName"/> (its
/// <see cref="InstalledPackage.Name"/> when no source is given); RPM advisories name binary packages. Versions are compared with the
/// ecosystem's ordering (<see cref="OsvVersionSchemes"/>), epochs included. An RPM version without an epoch (as <c>rpm -qa</c> prints it) against a
/// version with a non-zero epoch (<c>15:4.2.0-59.module_el8…</c>) is <see cref="MatchDecision.Unknown"/>: the inventory may have dropped it. Withdrawn records are skipped; GIT ranges are not evaluated.</para>
/// </remarks>
public sealed class AdvisoryMatcher
{
    // Every affected entry, by ecosystem as written, then by the package name it names, in record order, compiled once: a host looks up
    // its own ecosystems (its release, Ubuntu's ":LTS" twin of it, the distribution without a release) and its own package names only.
    private readonly Dictionary<string, Dictionary<string, EntryList>> _index = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="AdvisoryMatcher"/> class.</summary>
    /// <param name="records">The advisories; withdrawn ones are ignored.</param>
    /// <exception cref="ArgumentNullException"><paramref name="records"/> is <see langword="null"/>.</exception>
    public AdvisoryMatcher(IEnumerable<OsvRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        List<OsvRecord> kept = [.. records.Where(r => r is not null && r.Withdrawn is null)];

        // Decisions are kept per (advisory id, installed package) and ordered by advisory id: every id gets the number of its first record
        // (two records with one id are one advisory) and its place in ordinal order.
        var groups = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < kept.Count; i++)
        {
            groups.TryAdd(kept[i].Id, i);
        }

        string[] ids = [.. groups.Keys];
        Array.Sort(ids, StringComparer.Ordinal);
        var idRank = new Dictionary<string, int>(ids.Length, StringComparer.Ordinal);
        for (int i = 0; i < ids.Length; i++)
        {
            idRank[ids[i]] = i;
        }

        var building = new Dictionary<string, Dictionary<string, List<Entry>>>(StringComparer.Ordinal);
        int seq = 0;
        foreach (OsvRecord record in kept)
        {
            foreach (OsvAffected affected in record.Affected ?? [])
            {
                if (affected.Package?.Name is { } name && affected.Package.Ecosystem is { } ecosystem)
                {
                    if (!building.TryGetValue(ecosystem, out var byName))
                    {
                        building[ecosystem] = byName = new(StringComparer.Ordinal);
                    }

                    if (!byName.TryGetValue(name, out var list))
                    {
                        byName[name] = list = [];
                    }

                    list.Add(new Entry(seq++, groups[record.Id], idRank[record.Id], record.Id, ecosystem, name, affected));
                }
            }
        }

        foreach (var (ecosystem, byName) in building)
        {
            var lists = new Dictionary<string, EntryList>(byName.Count, StringComparer.Ordinal);
            foreach (var (name, list) in byName)
            {
                lists[name] = new EntryList([.. list]);
            }

            _index[ecosystem] = lists;
        }
    }

    /// <summary>Returns the OSV ecosystem of an operating system (<c>Debian:12</c>, <c>Ubuntu:22.04</c>, <c>AlmaLinux:9</c>), or
    /// <see langword="null"/> when there is none this library knows or the version is missing.</summary>
    /// <param name="os">The operating system.</param>
    /// <returns>The ecosystem, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="os"/> is <see langword="null"/>.</exception>
    public static string? EcosystemOf(OsIdentity os)
    {
        ArgumentNullException.ThrowIfNull(os);
        string version = os.VersionId.Trim();
        if (version.Length == 0)
        {
            return null;
        }

        string major = version.Split('.')[0];
        string[] parts = version.Split('.');
        return os.Id.Trim().ToLowerInvariant() switch
        {
            "debian" => "Debian:" + major,
            "ubuntu" => "Ubuntu:" + version,
            "almalinux" => "AlmaLinux:" + major,
            "rocky" => "Rocky Linux:" + major,
            "alpine" when parts.Length >= 2 => "Alpine:v" + parts[0] + "." + parts[1],
            _ => null,
        };
    }


    /// <summary>Matches one host's installed packages against the advisories. Safe to call from several threads at once.</summary>
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
        string? hostEcosystem = EcosystemOf(os);
        if (hostEcosystem is null)
        {
            return new HostMatchResult(hostId, null, []);
        }

        string family = FamilyOf(hostEcosystem);
        PackageFormat? format = FormatOf(family);

        // The advisories that can name this host: its release, Ubuntu's LTS twin of it, and the distribution without a release.
        Dictionary<string, EntryList>? exact = _index.GetValueOrDefault(hostEcosystem);
        Dictionary<string, EntryList>? lts = hostEcosystem.StartsWith("Ubuntu:", StringComparison.Ordinal) ? _index.GetValueOrDefault(hostEcosystem + ":LTS") : null;
        Dictionary<string, EntryList>? bare = _index.GetValueOrDefault(family);
        if (exact is null && lts is null && bare is null)
        {
            return new HostMatchResult(hostId, hostEcosystem, []);
        }

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

            // The same object given twice is one package (one decision per advisory and package).
            if (list.Count == 0 || !list.Contains(package))
            {
                list.Add(package);
            }
        }

        var matches = new List<PackageMatch>();
        var idRanks = new List<int>();
        Dictionary<(int Group, InstalledPackage Package), int>? kept = null;
        foreach (var (name, installed) in byName)
        {
            EntryList? a = exact?.GetValueOrDefault(name), b = lts?.GetValueOrDefault(name), c = bare?.GetValueOrDefault(name);
            Entry[] entries;
            bool distinct;
            if ((a is null ? 0 : 1) + (b is null ? 0 : 1) + (c is null ? 0 : 1) > 1)
            {
                // Entries of several ecosystems: back into record order, as one list.
                entries = [.. a?.Entries ?? [], .. b?.Entries ?? [], .. c?.Entries ?? []];
                Array.Sort(entries, static (x, y) => x.Seq.CompareTo(y.Seq));
                distinct = false;
            }
            else if ((a ?? b ?? c) is { } only)
            {
                entries = only.Entries;
                distinct = only.DistinctGroups;
            }
            else
            {
                continue;
            }

            foreach (Entry entry in entries)
            {
                bool releaseMissing = string.Equals(entry.Ecosystem, family, StringComparison.Ordinal);
                foreach (InstalledPackage package in installed)
                {
                    PackageMatch match = releaseMissing
                        ? new PackageMatch(entry.Id, entry.Ecosystem, name, package, MatchDecision.Unknown, null, OsvReason.ReleaseMissing, hostEcosystem, 0)
                        : Decide(entry, package);
                    if (distinct)
                    {
                        matches.Add(match);
                        idRanks.Add(entry.IdRank);
                        continue;
                    }

                    // One decision per advisory id and package: the highest ranked, the first of equals.
                    kept ??= [];
                    if (kept.TryGetValue((entry.Group, package), out int at))
                    {
                        if (Rank(match.Decision) > Rank(matches[at].Decision))
                        {
                            matches[at] = match;
                        }
                    }
                    else
                    {
                        kept[(entry.Group, package)] = matches.Count;
                        matches.Add(match);
                        idRanks.Add(entry.IdRank);
                    }
                }
            }
        }

        // Ordered by advisory id, package name, architecture; ties keep the order they were decided in.
        var order = new Ordered[matches.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = new Ordered(idRanks[i], i, matches[i]);
        }

        order.AsSpan().Sort();
        var sorted = new PackageMatch[order.Length];
        for (int i = 0; i < order.Length; i++)
        {
            sorted[i] = order[i].Match;
        }

        return new HostMatchResult(hostId, hostEcosystem, sorted);
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

    // Which decision wins when one advisory has several entries or ranges for the same package.
    internal static int Rank(MatchDecision decision) => decision switch
    {
        MatchDecision.Affected => 3,
        MatchDecision.Unknown => 2,
        MatchDecision.Fixed => 1,
        _ => 0,
    };


    private static PackageMatch Decide(Entry entry, InstalledPackage package)
    {
        // A fleet has few distinct versions of a package: each entry remembers its verdict per installed version string.
        string v = package.Version;
        if (!entry.TryRecall(v, out Verdict verdict))
        {
            verdict = Judge(entry, v);
            entry.Remember(v, verdict);
        }

        return new PackageMatch(entry.Id, entry.Ecosystem, entry.Name, package, verdict.Decision, verdict.FixedVersion, verdict.Kind, verdict.Operand, verdict.Number);
    }

    private static Verdict Judge(Entry entry, string v)
    {
        Verdict best = default;
        bool any = false;
        foreach (CompiledRange range in entry.Ranges)
        {
            Verdict verdict = range.Scheme == VersionScheme.Unknown
                ? new Verdict(MatchDecision.Unknown, entry.FixedAny, OsvReason.NoOrdering, RangeTypeName(range.Type))
                : EvaluateRange(range, v);
            Consider(ref best, ref any, verdict);
        }

        // A range that says affected gives the better reason (it names the fixed version); the versions list is exact, so it wins over the rest.
        if (!(any && best.Decision == MatchDecision.Affected))
        {
            if (entry.IsListed(v))
            {
                best = new Verdict(MatchDecision.Affected, entry.FixedAny, OsvReason.Listed, null);
            }
            else if (!any)
            {
                int count = entry.Affected.Versions.Count;
                best = count > 0
                    ? new Verdict(MatchDecision.NotAffected, null, OsvReason.NotListed, null, count)
                    : new Verdict(MatchDecision.Unknown, null, OsvReason.NoRange, null);
            }
        }

        return best;
    }

    private static string RangeTypeName(OsvRangeType type) => type == OsvRangeType.Semver ? "SEMVER" : "ECOSYSTEM";

    private static Verdict EvaluateRange(CompiledRange range, string v)
    {
        VersionScheme scheme = range.Scheme;

        // Limits first: at or above a limit nothing in this range applies.
        foreach (string limit in range.Limits)
        {
            if (!TryOrder(scheme, v, limit, out int c))
            {
                return Unordered(scheme, v, limit);
            }

            if (c >= 0)
            {
                return new Verdict(MatchDecision.NotAffected, null, OsvReason.AtOrAboveLimit, limit);
            }
        }

        Verdict best = default;
        bool any = false;
        string? introduced = null;
        bool open = false;
        foreach (CompiledEvent e in range.Events)
        {
            if (e.Kind == OsvEventKind.Introduced)
            {
                if (open)
                {
                    Consider(ref best, ref any, Interval(scheme, v, introduced!, default));
                }

                introduced = e.Version;
                open = true;
            }
            else if (open)
            {
                Consider(ref best, ref any, Interval(scheme, v, introduced!, e));
                open = false;
            }
        }

        if (open)
        {
            Consider(ref best, ref any, Interval(scheme, v, introduced!, default));
        }

        return any ? best : new Verdict(MatchDecision.Unknown, null, OsvReason.NoIntroduced, null);
    }

    // The first of the highest ranked wins.
    private static void Consider(ref Verdict best, ref bool any, Verdict verdict)
    {
        if (!any || Rank(verdict.Decision) > Rank(best.Decision))
        {
            best = verdict;
            any = true;
        }
    }

    // One interval from start to end: end is a fixed or last_affected event, or default (kind None) when the interval has no end.
    private static Verdict Interval(VersionScheme scheme, string v, string start, CompiledEvent end)
    {
        if (start != "0")
        {
            if (!TryOrder(scheme, v, start, out int c))
            {
                return Unordered(scheme, v, start);
            }

            if (c < 0)
            {
                return new Verdict(MatchDecision.NotAffected, end.Kind == OsvEventKind.Fixed ? end.Version : null, OsvReason.BeforeIntroduced, start);
            }
        }

        if (end.Kind == OsvEventKind.None)
        {
            return new Verdict(MatchDecision.Affected, null, OsvReason.AffectedOpen, start);
        }

        string bound = end.Version;
        if (!TryOrder(scheme, v, bound, out int d))
        {
            return Unordered(scheme, v, bound);
        }

        return end.Kind == OsvEventKind.Fixed
            ? d < 0
                ? new Verdict(MatchDecision.Affected, bound, OsvReason.BelowFixed, bound)
                : new Verdict(MatchDecision.Fixed, bound, OsvReason.AtOrAboveFixed, bound)
            : d <= 0
                ? new Verdict(MatchDecision.Affected, null, OsvReason.AtOrBelowLast, bound)
                : new Verdict(MatchDecision.NotAffected, null, OsvReason.AboveLast, bound);
    }

    // An RPM version without an epoch (rpm -qa prints none) against one with a non-zero epoch: the inventory may have dropped it, so no order.
    internal static bool TryOrder(VersionScheme scheme, string installed, string bound, out int result)
    {
        if (scheme == VersionScheme.Rpm && !HasEpoch(installed) && HasNonZeroEpoch(bound))
        {
            result = 0;
            return false;
        }

        return VersionComparer.TryCompare(scheme, installed, bound, out result);
    }

    internal static bool HasEpoch(string version)
    {
        int colon = version.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && version.AsSpan(0, colon).IndexOfAnyExceptInRange('0', '9') < 0;
    }

    internal static bool HasNonZeroEpoch(string version) =>
        HasEpoch(version) && version.AsSpan(0, version.IndexOf(':', StringComparison.Ordinal)).IndexOfAnyExcept('0') >= 0;


    private static Verdict Unordered(VersionScheme scheme, string v, string other) =>
        scheme == VersionScheme.Rpm && !HasEpoch(v) && HasNonZeroEpoch(other)
            ? new Verdict(MatchDecision.Unknown, null, OsvReason.EpochMissing, other)
            : new Verdict(MatchDecision.Unknown, null, OsvReason.Unordered, other, (int)scheme);

    private readonly record struct Verdict(MatchDecision Decision, string? FixedVersion, OsvReason Kind, string? Operand, int Number = 0);

    private readonly record struct CompiledEvent(OsvEventKind Kind, string Version);

    /// <summary>A decision and its place in the host's order: advisory id, package name, architecture, then the order decided in.</summary>
    private readonly struct Ordered(int idRank, int index, PackageMatch match) : IComparable<Ordered>
    {
        public int IdRank { get; } = idRank;

        public int Index { get; } = index;

        public PackageMatch Match { get; } = match;

        public int CompareTo(Ordered other)
        {
            int c = IdRank.CompareTo(other.IdRank);
            if (c == 0)
            {
                c = string.CompareOrdinal(Match.Package.Name, other.Match.Package.Name);
                if (c == 0)
                {
                    c = string.CompareOrdinal(Match.Package.Architecture, other.Match.Package.Architecture);
                    if (c == 0)
                    {
                        c = Index.CompareTo(other.Index);
                    }
                }
            }

            return c;
        }
    }

    /// <summary>An ECOSYSTEM or SEMVER range ready to evaluate: its scheme, its limits (not <c>*</c>) and its introduced, fixed and
    /// last_affected events in order.</summary>
    private sealed class CompiledRange(OsvRangeType type, VersionScheme scheme, string[] limits, CompiledEvent[] events)
    {
        public OsvRangeType Type { get; } = type;

        public VersionScheme Scheme { get; } = scheme;

        public string[] Limits { get; } = limits;

        public CompiledEvent[] Events { get; } = events;
    }

    /// <summary>One affected entry of one record, compiled once.</summary>
    private sealed class Entry
    {
        // At most this many installed versions are remembered per entry (a bound on memory and on the scan, not on correctness).
        private const int RememberedVersions = 16;
        private readonly HashSet<string>? _listed;

        // The verdicts of the installed versions seen so far; replaced whole (copy on write), so readers never lock.
        private (string Version, Verdict Verdict)[] _verdicts = [];

        public Entry(int seq, int group, int idRank, string id, string ecosystem, string name, OsvAffected affected)
        {
            Seq = seq;
            Group = group;
            IdRank = idRank;
            Id = id;
            Ecosystem = ecosystem;
            Name = name;
            Affected = affected;
            var ranges = new List<CompiledRange>();
            foreach (OsvRange range in affected.Ranges)
            {
                if (range.Type is not (OsvRangeType.Ecosystem or OsvRangeType.Semver))
                {
                    continue;
                }

                var limits = new List<string>();
                var events = new List<CompiledEvent>();
                foreach (OsvEvent e in range.Events)
                {
                    // The last fixed version of any evaluable range is the one named when no range decides.
                    if (e.Fixed is not null)
                    {
                        FixedAny = e.Fixed;
                    }

                    switch (e.Kind)
                    {
                        case OsvEventKind.Limit when e.Limit != "*":
                            limits.Add(e.Limit!);
                            break;
                        case OsvEventKind.Introduced:
                            events.Add(new CompiledEvent(OsvEventKind.Introduced, e.Introduced!));
                            break;
                        case OsvEventKind.Fixed:
                            events.Add(new CompiledEvent(OsvEventKind.Fixed, e.Fixed!));
                            break;
                        case OsvEventKind.LastAffected:
                            events.Add(new CompiledEvent(OsvEventKind.LastAffected, e.LastAffected!));
                            break;
                        default:
                            break;
                    }
                }

                ranges.Add(new CompiledRange(range.Type, OsvVersionSchemes.For(range.Type, ecosystem), [.. limits], [.. events]));
            }

            Ranges = [.. ranges];
            if (affected.Versions.Count > 8)
            {
                _listed = new HashSet<string>(affected.Versions, StringComparer.Ordinal);
            }
        }

        public int Seq { get; }

        public int Group { get; }

        public int IdRank { get; }

        public string Id { get; }

        public string Ecosystem { get; }

        public string Name { get; }

        public OsvAffected Affected { get; }

        public string? FixedAny { get; }

        public CompiledRange[] Ranges { get; }

        public bool TryRecall(string version, out Verdict verdict)
        {
            foreach (var (known, v) in Volatile.Read(ref _verdicts))
            {
                if (string.Equals(known, version, StringComparison.Ordinal))
                {
                    verdict = v;
                    return true;
                }
            }

            verdict = default;
            return false;
        }

        public void Remember(string version, Verdict verdict)
        {
            while (true)
            {
                (string Version, Verdict Verdict)[] known = Volatile.Read(ref _verdicts);
                if (known.Length >= RememberedVersions || Array.Exists(known, k => string.Equals(k.Version, version, StringComparison.Ordinal)))
                {
                    return;
                }

                (string Version, Verdict Verdict)[] next = [.. known, (version, verdict)];
                if (ReferenceEquals(Interlocked.CompareExchange(ref _verdicts, next, known), known))
                {
                    return;
                }
            }
        }

        public bool IsListed(string version)
        {
            if (_listed is not null)
            {
                return _listed.Contains(version);
            }

            foreach (string listed in Affected.Versions)
            {
                if (string.Equals(listed, version, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>The entries of one ecosystem and package name, and whether no two of them belong to one advisory id.</summary>
    private sealed class EntryList
    {
        public EntryList(Entry[] entries)
        {
            Entries = entries;
            var groups = new HashSet<int>();
            bool distinct = true;
            foreach (Entry e in entries)
            {
                distinct &= groups.Add(e.Group);
            }

            DistinctGroups = distinct;
        }

        public Entry[] Entries { get; }

        public bool DistinctGroups { get; }
    }
}
