using System.Runtime.CompilerServices;
using PatchKit.Advisories.Csaf;
using PatchKit.Advisories.Cve;
using PatchKit.Advisories.Matching;
using PatchKit.Advisories.Osv;
using PatchKit.Advisories.Versions;
using PatchKit.Hosts;

namespace PatchKit.Advisories.Catalogs;

/// <summary>
/// A folder of OSV records, CSAF documents and VMware CVE records as an <see cref="IPatchCatalog"/>: each query reads the folder one file
/// at a time and yields the patches that can matter to what Reach saw. An OSV record is a patch for the Linux packages it names (ranges and
/// ordering per ecosystem); a CSAF document is a patch per document for the RPM and dpkg packages its <c>fixed</c> products name (fixed
/// version from the package URL) and one per Microsoft KB of its vendor fixes (for Windows hosts); a CVE record naming ESXi is a patch for
/// the ESXi release lines it names. A KB named by several documents is one patch with all their CVEs. A broken file stops the query with
/// its <see cref="AdvisoryFormatException"/>.
/// </summary>
public sealed class AdvisoryFolderCatalog : IPatchCatalog
{
    private readonly string _folder;

    /// <summary>Initializes a new instance of the <see cref="AdvisoryFolderCatalog"/> class.</summary>
    /// <param name="folder">The folder (sub-folders included) or one file.</param>
    public AdvisoryFolderCatalog(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        _folder = folder;
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<PatchDefinition> QueryAsync(PatchQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);

        // One KB fixes the CVEs of several documents (Microsoft publishes one per CVE): those patches are merged and come last.
        var kbs = new SortedDictionary<string, PatchDefinition>(StringComparer.Ordinal);
        await foreach (AdvisoryDocument doc in AdvisoryDocument.ReadFolderAsync(_folder, cancellationToken).ConfigureAwait(false))
        {
            if (doc.Error is { } error)
            {
                throw error;
            }

            foreach (PatchDefinition patch in PatchesOf(doc))
            {
                if (!query.Matches(patch))
                {
                    continue;
                }

                if (doc.Csaf is not null && patch.AppliesTo.Count > 0)
                {
                    kbs[patch.Id] = kbs.TryGetValue(patch.Id, out PatchDefinition? earlier)
                        ? earlier with { Cves = [.. earlier.Cves.Union(patch.Cves, StringComparer.Ordinal)] }
                        : patch;
                    continue;
                }

                yield return patch;
            }
        }

        foreach (PatchDefinition kb in kbs.Values)
        {
            yield return kb;
        }
    }

    /// <summary>The patches one document stands for.</summary>
    internal static IEnumerable<PatchDefinition> PatchesOf(AdvisoryDocument doc)
    {
        if (doc.Osv is { } osv)
        {
            return osv.Withdrawn is null ? [FromOsv(osv)] : [];
        }

        if (doc.Csaf is { } csaf)
        {
            return FromCsaf(csaf);
        }

        return doc.Cve is { } cve ? FromCve(cve) : [];
    }

    private static PatchDefinition FromOsv(OsvRecord record)
    {
        var packages = new List<AffectedPackage>();
        foreach (OsvAffected a in record.Affected ?? [])
        {
            if (a.Package?.Name is not { } name)
            {
                continue;
            }

            string ecosystem = a.Package.Ecosystem ?? string.Empty;
            foreach (OsvRange r in a.Ranges)
            {
                var ranges = new List<VersionRange>();
                string? introduced = null;
                foreach (OsvEvent e in r.Events)
                {
                    switch (e.Kind)
                    {
                        case OsvEventKind.Introduced:
                            if (introduced is not null)
                            {
                                ranges.Add(new VersionRange { Introduced = introduced });
                            }

                            introduced = e.Introduced;
                            break;
                        case OsvEventKind.Fixed when introduced is not null:
                            ranges.Add(new VersionRange { Introduced = introduced, Fixed = e.Fixed });
                            introduced = null;
                            break;
                        case OsvEventKind.LastAffected when introduced is not null:
                            ranges.Add(new VersionRange { Introduced = introduced, LastAffected = e.LastAffected });
                            introduced = null;
                            break;
                        default:
                            break;
                    }
                }

                if (introduced is not null)
                {
                    ranges.Add(new VersionRange { Introduced = introduced });
                }

                packages.Add(new AffectedPackage
                {
                    Format = FormatOf(ecosystem),
                    Name = name,
                    Ecosystem = ecosystem,
                    Purl = a.Package.Purl ?? string.Empty,
                    Scheme = OsvVersionSchemes.For(r.Type, ecosystem),
                    Ranges = ranges,
                });
            }
        }

        return new PatchDefinition
        {
            Id = record.Id,
            Title = record.Summary ?? string.Empty,
            AppliesTo = [],
            Cves = CvesOf(record),
            Packages = packages,
            Classification = PatchClassification.Security,
            ReleasedAt = record.Published ?? record.Modified ?? default,
        };
    }

    /// <summary>The CVE ids of a record: its <c>CVE-</c> aliases and upstream ids, and the CVE a distribution's own per-CVE record names
    /// (Ubuntu's USNs list <c>UBUNTU-CVE-2024-6387</c> as upstream, Debian's <c>DEBIAN-CVE-…</c>).</summary>
    internal static List<string> CvesOf(OsvRecord record) =>
        [.. record.Aliases.Concat(record.Upstream)
            .Select(static a => a.StartsWith("CVE-", StringComparison.Ordinal) ? a
                : a.IndexOf("-CVE-", StringComparison.Ordinal) is > 0 and var at && a[..at].All(char.IsAsciiLetterUpper) ? a[(at + 1)..] : null)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)];

    private static PackageFormat FormatOf(string ecosystem) => ecosystem.Split(':')[0] switch
    {
        "Debian" or "Ubuntu" => PackageFormat.Dpkg,
        "AlmaLinux" or "Rocky Linux" or "Red Hat" => PackageFormat.Rpm,
        "npm" => PackageFormat.Npm,
        "PyPI" => PackageFormat.PyPI,
        "NuGet" => PackageFormat.NuGet,
        _ => PackageFormat.Unknown,
    };

    private static IEnumerable<PatchDefinition> FromCsaf(CsafDocument doc)
    {
        var index = new CsafProductIndex(doc);
        string id = doc.Document?.Tracking?.Id is { Length: > 0 } t ? t : doc.Document?.Title ?? "(untitled CSAF document)";
        string[] cves = [.. doc.Vulnerabilities.Select(static v => v.Cve).OfType<string>().Distinct(StringComparer.Ordinal)];
        DateTimeOffset released = DateTimeOffset.TryParse(doc.Document?.Tracking?.InitialReleaseDate, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out DateTimeOffset initial) ? initial : default;
        var packages = new Dictionary<(string, string, string), AffectedPackage>();
        var kbs = new SortedSet<string>(StringComparer.Ordinal);
        foreach (CsafVulnerability v in doc.Vulnerabilities)
        {
            foreach (string pid in v.ProductStatus is { } s ? s.Fixed.Concat(s.FirstFixed) : [])
            {
                if (index.Find(pid) is { PurlName: { } name, PurlVersion: { } version, PurlType: "rpm" or "deb" } p && p.Arch != "src")
                {
                    // A Red Hat package is for the release its platform names (a RHEL 8 fix says nothing about RHEL 9 or Rocky).
                    string ecosystem = p.PurlNamespace == "redhat" ? PatchDefinition.RedHatEcosystemOf(p.Platform?.Cpe ?? p.Cpe) : string.Empty;
                    packages.TryAdd((name, version, ecosystem), new AffectedPackage
                    {
                        Format = p.PurlType == "rpm" ? PackageFormat.Rpm : PackageFormat.Dpkg,
                        Name = name,
                        Ecosystem = ecosystem,
                        Scheme = p.PurlType == "rpm" ? VersionScheme.Rpm : VersionScheme.Dpkg,
                        Ranges = [new VersionRange { Fixed = version }],
                    });
                }
            }

            foreach (CsafRemediation r in v.Remediations)
            {
                if (r.Category == "vendor_fix" && CsafProductIndex.KbOf(r) is { } kb)
                {
                    kbs.Add(kb);
                }
            }
        }

        if (packages.Count > 0)
        {
            yield return new PatchDefinition
            {
                Id = id,
                Title = doc.Document?.Title ?? string.Empty,
                AppliesTo = [],
                Cves = cves,
                Packages = [.. packages.Values],
                Classification = PatchClassification.Security,
                ReleasedAt = released,
            };
        }

        foreach (string kb in kbs)
        {
            yield return new PatchDefinition
            {
                Id = kb,
                Title = $"{kb} ({id})",
                AppliesTo = [new PatchAppliesTo { Kind = HostKind.Windows }],
                Cves = cves,
                Classification = PatchClassification.Security,
                ReleasedAt = released,
            };
        }
    }

    private static IEnumerable<PatchDefinition> FromCve(CveRecord record)
    {
        List<EsxiFix> fixes = EsxiAdvisoryMatcher.FixesOf(record);
        if (fixes.Count == 0)
        {
            yield break;
        }

        yield return new PatchDefinition
        {
            Id = record.Id,
            Title = $"{record.Id}: fixed in " + string.Join(", ", fixes.Select(static f => f.FixedIn ?? $"(no fix for {f.Line})")),
            AppliesTo = [.. fixes.Select(static f => f.Line).Distinct(StringComparer.Ordinal).Select(static l => new PatchAppliesTo { Kind = HostKind.Esx, VersionPrefix = l })],
            Cves = [record.Id],
            Classification = PatchClassification.Security,
        };
    }
}
