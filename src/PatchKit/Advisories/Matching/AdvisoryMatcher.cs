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

    // The decisions of the host being matched on this thread, before they are ordered (reused from host to host).
    [ThreadStatic]
    private static List<Decided>? t_decided;

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
        VersionScheme keyScheme = OsvVersionSchemes.For(OsvRangeType.Ecosystem, hostEcosystem);

        // The advisories that can name this host: its release, Ubuntu's LTS twin of it, and the distribution without a release.
        Dictionary<string, EntryList>? exact = _index.GetValueOrDefault(hostEcosystem);
        Dictionary<string, EntryList>? lts = hostEcosystem.StartsWith("Ubuntu:", StringComparison.Ordinal) ? _index.GetValueOrDefault(hostEcosystem + ":LTS") : null;
        Dictionary<string, EntryList>? bare = _index.GetValueOrDefault(family);
        if (exact is null && lts is null && bare is null)
        {
            return new HostMatchResult(hostId, hostEcosystem, []);
        }

        // The host's packages of the right format, each once (equal packages given twice are one), grouped by the name advisories use.
        var all = new List<InstalledPackage>();
        var byName = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (InstalledPackage package in packages)
        {
            if (format is { } f && package.Format != f)
            {
                continue;
            }

            // Debian and Ubuntu advisories name source packages.
            string key = format == PackageFormat.Dpkg && package.SourceName.Length > 0 ? package.SourceName : package.Name;
            if (!byName.TryGetValue(key, out var slots))
            {
                byName[key] = slots = [];
            }

            // The same object given twice is one package (one decision per advisory and package).
            bool seen = false;
            foreach (int slot in slots)
            {
                seen |= EqualityComparer<InstalledPackage>.Default.Equals(all[slot], package);
            }

            if (!seen)
            {
                slots.Add(all.Count);
                all.Add(package);
            }
        }

        // Decisions are kept as plain data (the entry, the package, the verdict) in a buffer the thread reuses; the PackageMatch objects
        // and their words are made when a decision is first read.
        List<Decided> decided = t_decided ??= [];
        decided.Clear();
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

            // Each installed version is read once per host (its sort key in the host's scheme), then compared with every bound's key.
            var versions = new InstalledVersion[installed.Count];
            for (int i = 0; i < versions.Length; i++)
            {
                versions[i] = new InstalledVersion(all[installed[i]].Version, keyScheme);
            }

            foreach (Entry entry in entries)
            {
                bool releaseMissing = string.Equals(entry.Ecosystem, family, StringComparison.Ordinal);
                for (int p = 0; p < versions.Length; p++)
                {
                    int slot = installed[p];
                    Verdict verdict = releaseMissing
                        ? new Verdict(MatchDecision.Unknown, null, OsvReason.ReleaseMissing, hostEcosystem)
                        : Decide(entry, in versions[p]);
                    var d = new Decided(entry, slot, in verdict);
                    if (distinct)
                    {
                        decided.Add(d);
                        continue;
                    }

                    // One decision per advisory id and package: the highest ranked, the first of equals.
                    kept ??= [];
                    InstalledPackage package = all[slot];
                    if (kept.TryGetValue((entry.Group, package), out int at))
                    {
                        if (Rank(verdict.Decision) > Rank(decided[at].Decision))
                        {
                            decided[at] = d;
                        }
                    }
                    else
                    {
                        kept[(entry.Group, package)] = decided.Count;
                        decided.Add(d);
                    }
                }
            }
        }

        if (decided.Count == 0)
        {
            return new HostMatchResult(hostId, hostEcosystem, []);
        }

        InstalledPackage[] packageArray = [.. all];
        return new HostMatchResult(hostId, hostEcosystem, new DecisionList(packageArray, Order(packageArray, decided)));
    }

    // Ordered by advisory id, package name, architecture; ties keep the order they were decided in. Usually as one 64-bit key per
    // decision (advisory id rank, the package's rank by name and architecture, the decision's index), sorted as plain numbers.
    private static Decided[] Order(InstalledPackage[] all, List<Decided> decided)
    {
        int count = decided.Count;
        var sorted = new Decided[count];
        int[] bySlot = new int[all.Length];
        for (int i = 0; i < bySlot.Length; i++)
        {
            bySlot[i] = i;
        }

        Array.Sort(bySlot, (x, y) =>
        {
            int c = string.CompareOrdinal(all[x].Name, all[y].Name);
            return c != 0 ? c : string.CompareOrdinal(all[x].Architecture, all[y].Architecture);
        });
        int[] packageRank = new int[all.Length];
        for (int i = 1; i < bySlot.Length; i++)
        {
            InstalledPackage previous = all[bySlot[i - 1]], current = all[bySlot[i]];
            bool same = string.Equals(previous.Name, current.Name, StringComparison.Ordinal) && string.Equals(previous.Architecture, current.Architecture, StringComparison.Ordinal);
            packageRank[bySlot[i]] = packageRank[bySlot[i - 1]] + (same ? 0 : 1);
        }

        const int IndexBits = 24, PackageBits = 18, IdBits = 21;
        int maxIdRank = 0;
        foreach (Decided d in decided)
        {
            maxIdRank = Math.Max(maxIdRank, d.Entry.IdRank);
        }

        if (count < 1 << IndexBits && all.Length < 1 << PackageBits && maxIdRank < 1 << IdBits)
        {
            long[] keys = System.Buffers.ArrayPool<long>.Shared.Rent(count);
            for (int i = 0; i < count; i++)
            {
                keys[i] = ((long)decided[i].Entry.IdRank << (IndexBits + PackageBits)) | ((long)packageRank[decided[i].Slot] << IndexBits) | (long)i;
            }

            Array.Sort(keys, 0, count);
            for (int i = 0; i < count; i++)
            {
                sorted[i] = decided[(int)(keys[i] & ((1 << IndexBits) - 1))];
            }

            System.Buffers.ArrayPool<long>.Shared.Return(keys);
            return sorted;
        }

        var order = new Ordered[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = new Ordered(decided[i].Entry.IdRank, i, all[decided[i].Slot]);
        }

        order.AsSpan().Sort();
        for (int i = 0; i < count; i++)
        {
            sorted[i] = decided[order[i].Index];
        }

        return sorted;
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


    private static Verdict Decide(Entry entry, in InstalledVersion v) =>

        // Most records give one range "introduced 0, fixed X" and no versions list: that range's one interval is the whole verdict.
        entry.OnlyRange is { } only
            ? Interval(only.Scheme, in v, only.Events[0].Bound, only.Events[1])
            : Judge(entry, in v);

    private static Verdict Judge(Entry entry, in InstalledVersion v)
    {
        Verdict best = default;
        bool any = false;
        foreach (CompiledRange range in entry.Ranges)
        {
            Verdict verdict = range.Scheme == VersionScheme.Unknown
                ? new Verdict(MatchDecision.Unknown, entry.FixedAny, OsvReason.NoOrdering, RangeTypeName(range.Type))
                : EvaluateRange(range, in v);
            Consider(ref best, ref any, verdict);
        }

        // A range that says affected gives the better reason (it names the fixed version); the versions list is exact, so it wins over the rest.
        if (!(any && best.Decision == MatchDecision.Affected))
        {
            if (entry.IsListed(v.Text))
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

    private static Verdict EvaluateRange(CompiledRange range, in InstalledVersion v)
    {
        VersionScheme scheme = range.Scheme;

        // Limits first: at or above a limit nothing in this range applies.
        foreach (Bound limit in range.Limits)
        {
            if (!TryOrder(scheme, in v, limit, out int c))
            {
                return Unordered(scheme, v.Text, limit.Version);
            }

            if (c >= 0)
            {
                return new Verdict(MatchDecision.NotAffected, null, OsvReason.AtOrAboveLimit, limit.Version);
            }
        }

        Verdict best = default;
        bool any = false;
        Bound introduced = default;
        bool open = false;
        foreach (CompiledEvent e in range.Events)
        {
            if (e.Kind == OsvEventKind.Introduced)
            {
                if (open)
                {
                    Consider(ref best, ref any, Interval(scheme, in v, introduced, default));
                }

                introduced = e.Bound;
                open = true;
            }
            else if (open)
            {
                Consider(ref best, ref any, Interval(scheme, in v, introduced, e));
                open = false;
            }
        }

        if (open)
        {
            Consider(ref best, ref any, Interval(scheme, in v, introduced, default));
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
    private static Verdict Interval(VersionScheme scheme, in InstalledVersion v, Bound start, CompiledEvent end)
    {
        if (start.Version != "0")
        {
            if (!TryOrder(scheme, in v, start, out int c))
            {
                return Unordered(scheme, v.Text, start.Version);
            }

            if (c < 0)
            {
                return new Verdict(MatchDecision.NotAffected, end.Kind == OsvEventKind.Fixed ? end.Bound.Version : null, OsvReason.BeforeIntroduced, start.Version);
            }
        }

        if (end.Kind == OsvEventKind.None)
        {
            return new Verdict(MatchDecision.Affected, null, OsvReason.AffectedOpen, start.Version);
        }

        string bound = end.Bound.Version;
        if (!TryOrder(scheme, in v, end.Bound, out int d))
        {
            return Unordered(scheme, v.Text, bound);
        }

        return end.Kind == OsvEventKind.Fixed
            ? d < 0
                ? new Verdict(MatchDecision.Affected, bound, OsvReason.BelowFixed, bound)
                : new Verdict(MatchDecision.Fixed, bound, OsvReason.AtOrAboveFixed, bound)
            : d <= 0
                ? new Verdict(MatchDecision.Affected, null, OsvReason.AtOrBelowLast, bound)
                : new Verdict(MatchDecision.NotAffected, null, OsvReason.AboveLast, bound);
    }

    // Both sides read once: their sort keys compare ordinally; without a key (another scheme, or a string the key cannot hold) the comparer decides.
    private static bool TryOrder(VersionScheme scheme, in InstalledVersion installed, Bound bound, out int result)
    {
        if (scheme == VersionScheme.Rpm && !installed.HasEpoch && bound.NonZeroEpoch)
        {
            result = 0;
            return false;
        }

        if (installed.Key is { } key && bound.Key is { } other && installed.KeyScheme == scheme)
        {
            result = Math.Sign(string.CompareOrdinal(key, other));
            return true;
        }

        return VersionComparer.TryCompare(scheme, installed.Text, bound.Version, out result);
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
        return colon > 0 && !VersionText.HasNonDigit(version.AsSpan(0, colon));
    }

    internal static bool HasNonZeroEpoch(string version)
    {
        if (!HasEpoch(version))
        {
            return false;
        }

        foreach (char c in version.AsSpan(0, version.IndexOf(':', StringComparison.Ordinal)))
        {
            if (c != '0')
            {
                return true;
            }
        }

        return false;
    }


    private static Verdict Unordered(VersionScheme scheme, string v, string other) =>
        scheme == VersionScheme.Rpm && !HasEpoch(v) && HasNonZeroEpoch(other)
            ? new Verdict(MatchDecision.Unknown, null, OsvReason.EpochMissing, other)
            : new Verdict(MatchDecision.Unknown, null, OsvReason.Unordered, other, (int)scheme);

    private readonly record struct Verdict(MatchDecision Decision, string? FixedVersion, OsvReason Kind, string? Operand, int Number = 0);

    private readonly record struct CompiledEvent(OsvEventKind Kind, Bound Bound);

    /// <summary>A version of a range read once: the text, its sort key in the range's scheme (or none) and whether it has a non-zero epoch.</summary>
    private readonly record struct Bound(string Version, string? Key, bool NonZeroEpoch)
    {
        public static Bound Of(VersionScheme scheme, string version) => new(version, VersionKey.For(scheme, version), HasNonZeroEpoch(version));
    }

    /// <summary>An installed version read once per host: its text, its sort key in the host's scheme (or none) and whether it has an epoch.</summary>
    private readonly struct InstalledVersion(string text, VersionScheme keyScheme)
    {
        public string Text { get; } = text;

        public VersionScheme KeyScheme { get; } = keyScheme;

        public string? Key { get; } = VersionKey.For(keyScheme, text);

        public bool HasEpoch { get; } = AdvisoryMatcher.HasEpoch(text);
    }

    /// <summary>A decision and its place in the host's order: advisory id, package name, architecture, then the order decided in.</summary>
    private readonly struct Ordered(int idRank, int index, InstalledPackage package) : IComparable<Ordered>
    {
        public int IdRank { get; } = idRank;

        public int Index { get; } = index;

        public InstalledPackage Package { get; } = package;

        public int CompareTo(Ordered other)
        {
            int c = IdRank.CompareTo(other.IdRank);
            if (c == 0)
            {
                c = string.CompareOrdinal(Package.Name, other.Package.Name);
                if (c == 0)
                {
                    c = string.CompareOrdinal(Package.Architecture, other.Package.Architecture);
                    if (c == 0)
                    {
                        c = Index.CompareTo(other.Index);
                    }
                }
            }

            return c;
        }
    }

    /// <summary>One decision as data: the advisory entry, the installed package (its place in the host's list) and the verdict.</summary>
    /// <remarks>The verdict's fields are laid out here rather than nested (40 bytes instead of 48): a host's decisions stay one small-object array.</remarks>
    private readonly struct Decided(Entry entry, int slot, in Verdict verdict)
    {
        public readonly Entry Entry = entry;
        public readonly string? FixedVersion = verdict.FixedVersion;
        public readonly string? Operand = verdict.Operand;
        public readonly int Slot = slot;
        public readonly int Number = verdict.Number;
        public readonly MatchDecision Decision = verdict.Decision;
        public readonly OsvReason Kind = verdict.Kind;
    }

    /// <summary>A host's decisions, each made into a <see cref="PackageMatch"/> when first read (and kept); the decision kinds are read
    /// without making any.</summary>
    private sealed class DecisionList(InstalledPackage[] packages, Decided[] items) : IReadOnlyList<PackageMatch>, IDecisionList
    {
        private PackageMatch?[]? _made;

        public int Count => items.Length;

        public PackageMatch this[int index]
        {
            get
            {
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)items.Length, nameof(index));
                PackageMatch?[] made = Volatile.Read(ref _made) ?? Interlocked.CompareExchange(ref _made, new PackageMatch?[items.Length], null) ?? _made!;
                if (Volatile.Read(ref made[index]) is { } known)
                {
                    return known;
                }

                ref readonly Decided d = ref items[index];
                var match = new PackageMatch(d.Entry.Id, d.Entry.Ecosystem, d.Entry.Name, packages[d.Slot], d.Decision, d.FixedVersion, d.Kind, d.Operand, d.Number);
                return Interlocked.CompareExchange(ref made[index], match, null) ?? match;
            }
        }

        public MatchDecision DecisionAt(int index) => items[index].Decision;

        public IEnumerator<PackageMatch> GetEnumerator()
        {
            for (int i = 0; i < items.Length; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>An ECOSYSTEM or SEMVER range ready to evaluate: its scheme, its limits (not <c>*</c>) and its introduced, fixed and
    /// last_affected events in order.</summary>
    private sealed class CompiledRange(OsvRangeType type, VersionScheme scheme, Bound[] limits, CompiledEvent[] events)
    {
        public OsvRangeType Type { get; } = type;

        public VersionScheme Scheme { get; } = scheme;

        public Bound[] Limits { get; } = limits;

        public CompiledEvent[] Events { get; } = events;
    }

    /// <summary>One affected entry of one record, compiled once.</summary>
    private sealed class Entry
    {
        private readonly HashSet<string>? _listed;

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

                VersionScheme scheme = OsvVersionSchemes.For(range.Type, ecosystem);
                var limits = new List<Bound>();
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
                            limits.Add(Bound.Of(scheme, e.Limit!));
                            break;
                        case OsvEventKind.Introduced:
                            events.Add(new CompiledEvent(OsvEventKind.Introduced, Bound.Of(scheme, e.Introduced!)));
                            break;
                        case OsvEventKind.Fixed:
                            events.Add(new CompiledEvent(OsvEventKind.Fixed, Bound.Of(scheme, e.Fixed!)));
                            break;
                        case OsvEventKind.LastAffected:
                            events.Add(new CompiledEvent(OsvEventKind.LastAffected, Bound.Of(scheme, e.LastAffected!)));
                            break;
                        default:
                            break;
                    }
                }

                ranges.Add(new CompiledRange(range.Type, scheme, [.. limits], [.. events]));
            }

            Ranges = [.. ranges];
            if (Ranges is [{ Scheme: not VersionScheme.Unknown, Limits: [], Events: [{ Kind: OsvEventKind.Introduced, Bound.Version: "0" }, { Kind: OsvEventKind.Fixed }] } one]
                && affected.Versions.Count == 0)
            {
                OnlyRange = one;
            }

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

        /// <summary>Gets the one range when it is all the entry says: known scheme, no limit, "introduced 0" then "fixed", no versions list.</summary>
        public CompiledRange? OnlyRange { get; }

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
