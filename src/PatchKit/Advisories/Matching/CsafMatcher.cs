using PatchKit.Advisories.Csaf;
using PatchKit.Advisories.Versions;
using PatchKit.Hosts;

namespace PatchKit.Advisories.Matching;

/// <summary>
/// Decides which CSAF 2.0 advisories apply to a host and says why: each vulnerability's <c>product_status</c> (<c>known_affected</c>,
/// <c>fixed</c>, <c>first_fixed</c>, <c>known_not_affected</c>, <c>last_affected</c>, <c>under_investigation</c>) read through the product tree
/// (branches with <c>product_version</c> and <c>product_version_range</c>, <c>vers:</c> ranges, relationships such as
/// <c>default_component_of</c>, product groups) against the host's installed software, with the vendor fix (KB number, errata URL) named.
/// </summary>
/// <remarks>
/// <para>What a product is matched with: a product with a package URL (<c>pkg:rpm/redhat/qemu-kvm@…?arch=x86_64&amp;epoch=15</c>) is an installed
/// package of that format, name and architecture (source packages are not matched); a Red Hat package URL only on a <c>rhel</c> host, and only
/// when the platform its relationship names has a CPE whose version is the host's release (<c>enterprise_linux:8</c> for 8.10, not
/// <c>rhel_eus:8.6</c>; an extended-support stream such as <c>rhel_eus</c> only on a host tagged with that name). A source package without a
/// version (a VEX document's component) stands for the installed packages built from it. A product without a package URL is matched by its product name with an installed package of that name or with the
/// host's operating system name (<see cref="OsIdentity.PrettyName"/>, version <see cref="OsIdentity.Build"/>: Windows' build.UBR).</para>
/// <para>Decisions: at or above a <c>fixed</c> version is <see cref="MatchDecision.Fixed"/>, below it <see cref="MatchDecision.Affected"/>
/// (unless the remediation's KB, or a KB that supersedes it, is installed); inside a <c>known_affected</c> range is Affected, outside it
/// NotAffected; <c>known_not_affected</c> is NotAffected; <c>under_investigation</c>, a version the scheme cannot read and a <c>fixed</c>
/// product without a version are <see cref="MatchDecision.Unknown"/>. When several products of one vulnerability name the same installed
/// package, Affected wins over Unknown, Unknown over Fixed, Fixed over NotAffected (as in <see cref="AdvisoryMatcher"/>).</para>
/// <para>Versions of RPM and dpkg packages use those orderings; named products with three or four numeric parts (<c>16.0.5508.1000</c>,
/// <c>10.0.20348.2966</c>) are ordered numerically; anything else is Unknown. A <c>vers:</c> range is read as the intervals its
/// comparators make in version order (<c>&gt;=1.0|&lt;1.2|&gt;=2.0|&lt;2.3</c> is two intervals), with its <c>=</c> versions in and its
/// <c>!=</c> versions out.</para>
/// </remarks>
public sealed class CsafMatcher
{
    private readonly List<(CsafDocument Document, string Id, CsafProductIndex Index)> _documents;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _supersedes;

    /// <summary>Initializes a new instance of the <see cref="CsafMatcher"/> class.</summary>
    /// <param name="documents">The CSAF documents.</param>
    /// <param name="supersedes">For each patch id (a KB number), the ids it supersedes, directly; followed transitively. May be <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="documents"/> is <see langword="null"/>.</exception>
    public CsafMatcher(IEnumerable<CsafDocument> documents, IReadOnlyDictionary<string, IReadOnlyList<string>>? supersedes = null)
    {
        ArgumentNullException.ThrowIfNull(documents);
        _documents = [.. documents.Where(static d => d is not null).Select(static d => (d, IdOf(d), new CsafProductIndex(d)))];
        _supersedes = supersedes ?? new Dictionary<string, IReadOnlyList<string>>();
    }

    /// <summary>Gets the number of documents.</summary>
    public int DocumentCount => _documents.Count;

    /// <summary>Matches one host's installed software against the documents.</summary>
    /// <param name="host">The host as inventoried (<see cref="HostRecord.Os"/>, <see cref="HostRecord.Packages"/>, <see cref="HostRecord.InstalledPatches"/>).</param>
    /// <returns>The decisions, ordered by advisory id, vulnerability, then package name.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="host"/> is <see langword="null"/>.</exception>
    public HostMatchResult Match(HostRecord host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var byName = new Dictionary<string, List<InstalledPackage>>(StringComparer.OrdinalIgnoreCase);
        foreach (InstalledPackage p in host.Packages)
        {
            if (!byName.TryGetValue(p.Name, out var list))
            {
                byName[p.Name] = list = [];
            }

            list.Add(p);
        }

        InstalledPackage? osItem = host.Os is { PrettyName.Length: > 0 } os
            ? new InstalledPackage { Format = PackageFormat.Unknown, Name = os.PrettyName, Version = os.Build.Length > 0 ? os.Build : host.Build }
            : null;
        HashSet<string> kbs = InstalledKbs(host);
        var decided = new Dictionary<(string, string, InstalledPackage), PackageMatch>();
        foreach (var (document, id, index) in _documents)
        {
            foreach (CsafVulnerability vulnerability in document.Vulnerabilities)
            {
                if (vulnerability.ProductStatus is not { } status)
                {
                    continue;
                }

                string cve = vulnerability.Cve ?? vulnerability.Ids.FirstOrDefault()?.Text ?? id;
                var fixes = FixesOf(vulnerability, index);
                foreach (var (kind, productId) in Statuses(status))
                {
                    if (index.Find(productId) is not { } product)
                    {
                        continue;
                    }

                    foreach (InstalledPackage installed in Candidates(product, host, byName, osItem))
                    {
                        // The vendor fix names the affected products (Microsoft) or the fixed ones (Red Hat); either way it is the product's fix.
                        var fix = fixes.TryGetValue(productId, out var f) ? f : fixes.GetValueOrDefault("name:" + product.Name);
                        PackageMatch? m = Decide(id, cve, kind, product, installed, fix, kbs);
                        if (m is null)
                        {
                            continue;
                        }

                        var key = (id, cve, installed);
                        if (!decided.TryGetValue(key, out PackageMatch? previous) || AdvisoryMatcher.Rank(m.Decision) > AdvisoryMatcher.Rank(previous.Decision)
                            || (AdvisoryMatcher.Rank(m.Decision) == AdvisoryMatcher.Rank(previous.Decision) && previous.Remediation is null && m.Remediation is not null))
                        {
                            decided[key] = m;
                        }
                    }
                }
            }
        }

        List<PackageMatch> matches = [.. decided.Values
            .OrderBy(m => m.AdvisoryId, StringComparer.Ordinal)
            .ThenBy(m => m.Vulnerability, StringComparer.Ordinal)
            .ThenBy(m => m.Package.Name, StringComparer.Ordinal)
            .ThenBy(m => m.Package.Architecture, StringComparer.Ordinal)];
        return new HostMatchResult(host.Id, host.Os is null ? null : AdvisoryMatcher.EcosystemOf(host.Os), matches);
    }

    private static string IdOf(CsafDocument d) =>
        d.Document?.Tracking?.Id is { Length: > 0 } id ? id : d.Document?.Title ?? "(untitled CSAF document)";

    private HashSet<string> InstalledKbs(HostRecord host)
    {
        var kbs = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var queue = new Queue<string>(host.InstalledPatches.Select(static p => p.PatchId));
        while (queue.TryDequeue(out string? kb))
        {
            if (kbs.Add(kb) && _supersedes.TryGetValue(kb, out IReadOnlyList<string>? older))
            {
                foreach (string o in older)
                {
                    queue.Enqueue(o);
                }
            }
        }

        return kbs;
    }

    private static IEnumerable<(string Kind, string ProductId)> Statuses(CsafProductStatus s)
    {
        foreach (string p in s.Fixed)
        {
            yield return ("fixed", p);
        }

        foreach (string p in s.FirstFixed)
        {
            yield return ("first_fixed", p);
        }

        foreach (string p in s.KnownAffected)
        {
            yield return ("known_affected", p);
        }

        foreach (string p in s.FirstAffected)
        {
            yield return ("first_affected", p);
        }

        foreach (string p in s.LastAffected)
        {
            yield return ("last_affected", p);
        }

        foreach (string p in s.KnownNotAffected)
        {
            yield return ("known_not_affected", p);
        }

        foreach (string p in s.UnderInvestigation)
        {
            yield return ("under_investigation", p);
        }
    }

    /// <summary>The vendor fix per product id: its KB number (Microsoft) and URL.</summary>
    private static Dictionary<string, (string? Kb, string? Url)> FixesOf(CsafVulnerability vulnerability, CsafProductIndex index)
    {
        var fixes = new Dictionary<string, (string?, string?)>(StringComparer.Ordinal);
        foreach (CsafRemediation r in vulnerability.Remediations)
        {
            if (r.Category != "vendor_fix")
            {
                continue;
            }

            string? kb = CsafProductIndex.KbOf(r);
            foreach (string pid in index.Expand(r.ProductIds, r.GroupIds))
            {
                fixes.TryAdd(pid, (kb, r.Url));
                if (index.Find(pid) is { PurlName: null } named)
                {
                    fixes.TryAdd("name:" + named.Name, (kb, r.Url));
                }
            }
        }

        return fixes;
    }

    private static IEnumerable<InstalledPackage> Candidates(CsafProduct product, HostRecord host, Dictionary<string, List<InstalledPackage>> byName, InstalledPackage? osItem)
    {
        if (product.PurlName is { } name)
        {
            PackageFormat? format = product.PurlType switch
            {
                "rpm" => PackageFormat.Rpm,
                "deb" => PackageFormat.Dpkg,
                _ => null,
            };
            if (format is null || !PlatformMatches(product, host))
            {
                yield break;
            }

            if (product.Arch == "src")
            {
                // A source package without a version (a VEX document's component) stands for every binary built from it; with a version
                // (an errata's .src.rpm) the binaries have entries of their own.
                if (product.PurlVersion is null)
                {
                    foreach (InstalledPackage p in host.Packages)
                    {
                        if (p.Format == format && (string.Equals(p.SourceName, name, StringComparison.Ordinal)
                            || (p.SourceName.Length == 0 && string.Equals(p.Name, name, StringComparison.Ordinal))))
                        {
                            yield return p;
                        }
                    }
                }

                yield break;
            }

            if (!byName.TryGetValue(name, out var list))
            {
                yield break;
            }

            foreach (InstalledPackage p in list)
            {
                if (p.Format == format && string.Equals(p.Name, name, StringComparison.Ordinal)
                    && (product.Arch is null or "noarch" || p.Architecture.Length == 0 || p.Architecture == product.Arch))
                {
                    yield return p;
                }
            }

            yield break;
        }

        if (byName.TryGetValue(product.Name, out var named))
        {
            foreach (InstalledPackage p in named)
            {
                yield return p;
            }
        }

        if (osItem is not null && (string.Equals(osItem.Name, product.Name, StringComparison.OrdinalIgnoreCase)
            || (host.Os is { } os && WindowsProductMatches(product.Name, os))))
        {
            yield return osItem;
        }
    }

    /// <summary>Microsoft's product names (<c>Windows Server 2022</c>, <c>Windows 11 Version 23H2 for x64-based Systems</c>) against what a
    /// Windows host reports: its caption (<c>Microsoft Windows Server 2022 Datacenter</c>, <c>Microsoft Windows 11 Pro</c>) without the vendor and
    /// the edition, and its build number for the feature version (22631 is 23H2). The architecture is not checked (the inventory has none);
    /// Server Core products are matched only by a caption that says so.</summary>
    internal static bool WindowsProductMatches(string productName, OsIdentity os)
    {
        if (!string.Equals(os.Id, "windows", StringComparison.OrdinalIgnoreCase) || os.PrettyName.Length == 0)
        {
            return false;
        }

        string product = productName.ToLowerInvariant();
        foreach (string suffix in (string[])[" for x64-based systems", " for arm64-based systems", " for 32-bit systems", " for itanium-based systems"])
        {
            if (product.EndsWith(suffix, StringComparison.Ordinal))
            {
                product = product[..^suffix.Length];
            }
        }

        string caption = os.PrettyName.ToLowerInvariant().Trim();
        if (caption.StartsWith("microsoft ", StringComparison.Ordinal))
        {
            caption = caption["microsoft ".Length..];
        }

        bool core = product.Contains("(server core installation)", StringComparison.Ordinal);
        product = product.Replace(" (server core installation)", string.Empty, StringComparison.Ordinal).Trim();
        if (core != caption.Contains("core", StringComparison.Ordinal))
        {
            return false;
        }

        string? feature = null;
        int at = product.IndexOf(" version ", StringComparison.Ordinal);
        if (at > 0)
        {
            feature = product[(at + " version ".Length)..].Trim();
            product = product[..at];
        }

        if (!(caption == product || caption.StartsWith(product + " ", StringComparison.Ordinal)))
        {
            return false;
        }

        if (feature is null)
        {
            return true;
        }

        string build = os.Build.Length > 0 ? os.Build : os.VersionId;
        string[] parts = build.Split('.');
        string number = parts.Length >= 3 ? parts[2] : parts[0];
        string? hostFeature = (product, number) switch
        {
            ("windows 10", "19044") => "21h2",
            ("windows 10", "19045") => "22h2",
            ("windows 11", "22000") => "21h2",
            ("windows 11", "22621") => "22h2",
            ("windows 11", "22631") => "23h2",
            ("windows 11", "26100") => "24h2",
            ("windows 11", "26200") => "25h2",
            _ => null,
        };
        return hostFeature == feature;
    }

    /// <summary>A Red Hat package only on RHEL, and only on the release its platform's CPE names; a Debian or Ubuntu package on that distribution.</summary>
    private static bool PlatformMatches(CsafProduct product, HostRecord host)
    {
        OsIdentity? os = host.Os;
        if (os is null)
        {
            return false;
        }

        string osId = os.Id.Trim().ToLowerInvariant();
        switch (product.PurlNamespace?.ToLowerInvariant())
        {
            case "redhat":
                if (osId != "rhel")
                {
                    return false;
                }

                break;
            case "debian" or "ubuntu":
                if (osId != product.PurlNamespace.ToLowerInvariant())
                {
                    return false;
                }

                break;
            default:
                break;
        }

        string? cpe = product.Platform?.Cpe ?? product.Cpe;
        if (cpe is null)
        {
            return true;
        }

        // cpe:/a:redhat:enterprise_linux:8::appstream or cpe:2.3:a:redhat:enterprise_linux:8:*:…
        string[] f = RedHatCpe.Fields(cpe);
        if (f.Length < 4 || f[3].Length == 0 || f[3] == "*")
        {
            return true;
        }

        // Extended-support streams (rhel_eus:9.4, rhel_aus, rhel_e4s, rhel_tus) are for hosts subscribed to them: tagged with the CPE product name.
        if (RedHatCpe.IsExtendedSupportStream(f[2]) && !host.HasTag(f[2]))
        {
            return false;
        }

        string release = f[3];
        string version = os.VersionId.Trim();
        return version == release || version.StartsWith(release + ".", StringComparison.Ordinal);
    }

    private static VersionScheme SchemeOf(CsafProduct product, string version) => product.PurlType switch
    {
        "rpm" => VersionScheme.Rpm,
        "deb" => VersionScheme.Dpkg,
        _ when VersionComparer.TryCompare(VersionScheme.WindowsBuild, version, version, out _) => VersionScheme.WindowsBuild,
        _ => VersionScheme.Unknown,
    };

    private static PackageMatch? Decide(string id, string cve, string kind, CsafProduct product, InstalledPackage installed,
        (string? Kb, string? Url) fix, HashSet<string> kbs)
    {
        string v = installed.Version;
        string label = installed.Architecture.Length > 0 ? $"{installed.Name} ({installed.Architecture})" : installed.Name;
        string where = $"in {id} ({cve})" + (product.Platform is { } pl ? $" for {pl.Name}" : string.Empty);
        string ecosystem = product.Platform?.Name ?? product.Name;
        string? remedy = fix.Kb is { } k ? (fix.Url is { } u ? $"{k} {u}" : k) : fix.Url;
        PackageMatch Result(MatchDecision d, string? fixedVersion, string reason) =>
            new(id, ecosystem, product.PurlName ?? product.Name, installed, d, fixedVersion, reason) { Vulnerability = cve, Remediation = remedy };

        string? exact = product.PurlName is not null ? product.PurlVersion : product.Version; // with a package URL, a branch name is not a version ("expat")
        string? range = product.Range;
        if (kind == "under_investigation")
        {
            return Result(MatchDecision.Unknown, null, $"{label} {v} installed: {product.Name} is under investigation {where}");
        }

        if (exact is null && range is null)
        {
            return kind switch
            {
                "known_affected" or "first_affected" or "last_affected" => Result(MatchDecision.Affected, null, $"{label} {v} installed: {product.Name} is known_affected with no version given {where}"),
                "known_not_affected" => Result(MatchDecision.NotAffected, null, $"{label} {v} installed: {product.Name} is known_not_affected {where}"),
                _ => Result(MatchDecision.Unknown, null, $"{label} {v} installed: {product.Name} is listed as {kind} without a version, so the installed version cannot be judged {where}"),
            };
        }

        if (range is not null)
        {
            if (!TryContains(range, product, v, out bool inside, out string? upper))
            {
                return Result(MatchDecision.Unknown, null, $"{label} {v} installed cannot be ordered against the range {range} {where}");
            }

            return kind switch
            {
                "known_affected" or "first_affected" or "last_affected" when inside => Installed(Result(MatchDecision.Affected, upper, $"{label} {v} installed is in the known_affected range {range} {where}")),
                "known_affected" or "first_affected" or "last_affected" => Result(MatchDecision.NotAffected, upper, $"{label} {v} installed is outside the known_affected range {range} {where}"),
                "fixed" or "first_fixed" when inside => Result(MatchDecision.Fixed, null, $"{label} {v} installed is in the fixed range {range} {where}"),
                "known_not_affected" when inside => Result(MatchDecision.NotAffected, null, $"{label} {v} installed is in the known_not_affected range {range} {where}"),
                _ => null,
            };
        }

        VersionScheme scheme = SchemeOf(product, exact!);
        if (scheme == VersionScheme.Unknown || !AdvisoryMatcher.TryOrder(scheme, v, exact!, out int c))
        {
            return scheme == VersionScheme.Rpm && !AdvisoryMatcher.HasEpoch(v) && AdvisoryMatcher.HasNonZeroEpoch(exact!)
                ? Result(MatchDecision.Unknown, exact, $"{label} {v} installed has no epoch and {exact} has one: the inventory must give the epoch (%{{EPOCH}}:%{{VERSION}}-%{{RELEASE}}) {where}")
                : Result(MatchDecision.Unknown, kind.Contains("fixed", StringComparison.Ordinal) ? exact : null, $"{label} {v} installed cannot be ordered against {exact} ({kind}) {where}");
        }

        return kind switch
        {
            "fixed" or "first_fixed" when c >= 0 => Result(MatchDecision.Fixed, exact, $"{label} {v} installed >= {exact} fixed {where}"),
            "fixed" or "first_fixed" => Installed(Result(MatchDecision.Affected, exact, $"{label} {v} installed < {exact} fixed {where}")),
            "known_affected" when c == 0 => Installed(Result(MatchDecision.Affected, null, $"{label} {v} installed is the known_affected version {where}")),
            "first_affected" when c >= 0 => Installed(Result(MatchDecision.Affected, null, $"{label} {v} installed >= {exact} first affected {where}")),
            "last_affected" when c <= 0 => Installed(Result(MatchDecision.Affected, null, $"{label} {v} installed <= {exact} last affected {where}")),
            "last_affected" => Result(MatchDecision.NotAffected, null, $"{label} {v} installed > {exact} last affected {where}"),
            "known_not_affected" when c == 0 => Result(MatchDecision.NotAffected, null, $"{label} {v} installed is the known_not_affected version {where}"),
            _ => null,
        };

        // An affected version with the vendor fix's KB (or a KB superseding it) installed is fixed: the KB is the stronger statement.
        PackageMatch Installed(PackageMatch affected)
        {
            if (fix.Kb is { } kb && kbs.Contains(kb))
            {
                return affected with
                {
                    Decision = MatchDecision.Fixed,
                    Reason = $"{label} {v} installed with {kb} installed (or an update that supersedes it), the fix {where}",
                };
            }

            return fix.Kb is { } missing ? affected with { Reason = affected.Reason + $"; fix: {missing} is not installed" } : affected;
        }
    }

    /// <summary>Reads <c>&lt;16.0.5508.1000</c>, <c>&gt;=1.0|&lt;1.2</c> or <c>vers:rpm/&gt;=1.0|&lt;1.2</c> and decides whether a version is inside.</summary>
    private static bool TryContains(string range, CsafProduct product, string version, out bool inside, out string? upper)
    {
        inside = false;
        upper = null;
        string body = range.Trim();
        VersionScheme? scheme = null;
        if (body.StartsWith("vers:", StringComparison.Ordinal))
        {
            int slash = body.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                return false;
            }

            scheme = body[5..slash] switch
            {
                "rpm" => VersionScheme.Rpm,
                "deb" => VersionScheme.Dpkg,
                "semver" or "npm" => VersionScheme.SemVer,
                _ => null,
            };
            body = body[(slash + 1)..];
        }

        string[] constraints = [.. body.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        if (constraints.Length == 0)
        {
            return false;
        }

        var bounds = new List<(string Op, string Bound, int Order, VersionScheme Scheme)>();
        foreach (string constraint in constraints)
        {
            string op = constraint.StartsWith(">=", StringComparison.Ordinal) || constraint.StartsWith("<=", StringComparison.Ordinal) || constraint.StartsWith("!=", StringComparison.Ordinal)
                ? constraint[..2]
                : constraint[0] is '<' or '>' or '=' ? constraint[..1] : string.Empty;
            string bound = constraint[op.Length..].Trim();
            if (bound == "*")
            {
                continue;
            }

            VersionScheme s = scheme ?? SchemeOf(product, bound);
            if (s == VersionScheme.Unknown || !AdvisoryMatcher.TryOrder(s, version, bound, out int c))
            {
                return false;
            }

            switch (op)
            {
                case "" or "=":
                    if (c == 0)
                    {
                        inside = true;
                    }

                    break;
                case "!=" when c == 0:
                    inside = false;
                    return true;
                case "!=":
                    break;
                case "<" or "<=" or ">" or ">=":
                    bounds.Add((op, bound, c, s));
                    break;
                default:
                    return false;
            }
        }

        if (inside || bounds.Count == 0)
        {
            return true;
        }

        // The comparators in version order make intervals (vers: ">=1.0|<1.2|>=2.0|<2.3" is two): a leading "<" or "<=" is open below,
        // a trailing ">" or ">=" open above, and each ">"/">=" followed by "<"/"<=" closes one.
        bounds.Sort((x, y) => VersionComparer.TryCompare(x.Scheme, x.Bound, y.Bound, out int r) ? r : 0);
        static bool Holds(string op, int c) => op switch { "<" => c < 0, "<=" => c <= 0, ">" => c > 0, _ => c >= 0 };
        static bool IsUpper(string op) => op[0] == '<';
        string? firstUpper = null, upperBelow = null;
        for (int i = 0; i < bounds.Count; i++)
        {
            var (op, bound, c, _) = bounds[i];
            if (op == "<")
            {
                firstUpper ??= bound;
                if (c >= 0)
                {
                    upperBelow = bound;
                }
            }

            bool closes = !IsUpper(op) && i + 1 < bounds.Count && IsUpper(bounds[i + 1].Op);
            if ((i == 0 && IsUpper(op) && Holds(op, c))
                || (i == bounds.Count - 1 && !IsUpper(op) && Holds(op, c))
                || (closes && Holds(op, c) && Holds(bounds[i + 1].Op, bounds[i + 1].Order)))
            {
                inside = true;
                upper = IsUpper(op) ? (op == "<" ? bound : null) : closes && bounds[i + 1].Op == "<" ? bounds[i + 1].Bound : null;
                return true;
            }
        }

        // Outside every interval: the fix that left the interval below, else the end of the first one.
        upper = upperBelow ?? firstUpper;
        return true;
    }
}
