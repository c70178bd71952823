using System.Text.RegularExpressions;
using PatchKit.Advisories.Csaf;

namespace PatchKit.Advisories.Matching;

/// <summary>One product of a CSAF product tree, resolved: its name, version or range, package URL parts and the platform a relationship
/// puts it on.</summary>
internal sealed class CsafProduct
{
    public required string Id { get; init; }

    /// <summary>The nearest <c>product_name</c> branch, or the full product name.</summary>
    public required string Name { get; init; }

    /// <summary>A <c>product_version</c> branch's name.</summary>
    public string? Version { get; init; }

    /// <summary>A <c>product_version_range</c> branch's name (<c>&lt;16.0.5508.1000</c>, <c>vers:rpm/&gt;=1.0|&lt;1.2</c>).</summary>
    public string? Range { get; init; }

    public string? PurlType { get; init; }

    public string? PurlNamespace { get; init; }

    public string? PurlName { get; init; }

    /// <summary>The package URL's version with its epoch qualifier (<c>15:6.2.0-50.module+el8…</c>), or <see langword="null"/>.</summary>
    public string? PurlVersion { get; init; }

    public string? Arch { get; init; }

    public string? Cpe { get; init; }

    /// <summary>The platform of a relationship (<c>Red Hat Enterprise Linux AppStream (v. 8)</c>), or <see langword="null"/>.</summary>
    public CsafProduct? Platform { get; init; }
}

/// <summary>The products of one CSAF document by id, relationships resolved, and the vendor fixes per product.</summary>
internal sealed partial class CsafProductIndex
{
    private readonly Dictionary<string, CsafProduct> _products = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _groups = new(StringComparer.Ordinal);

    public CsafProductIndex(CsafDocument document)
    {
        CsafProductTree? tree = document.ProductTree;
        if (tree is null)
        {
            return;
        }

        foreach (CsafBranch b in tree.Branches)
        {
            Walk(b, null);
        }

        foreach (CsafFullProductName p in tree.FullProductNames)
        {
            Add(p, p.Name ?? p.ProductId ?? string.Empty, null, null);
        }

        // Relationships can refer to products defined by other relationships; two passes resolve the usual depth.
        for (int pass = 0; pass < 2; pass++)
        {
            foreach (CsafRelationship r in tree.Relationships)
            {
                if (r.FullProductName?.ProductId is not { } id || _products.ContainsKey(id)
                    || r.ProductReference is null || !_products.TryGetValue(r.ProductReference, out CsafProduct? component))
                {
                    continue;
                }

                _products.TryGetValue(r.RelatesToProductReference ?? string.Empty, out CsafProduct? platform);
                _products[id] = new CsafProduct
                {
                    Id = id,
                    Name = component.Name,
                    Version = component.Version,
                    Range = component.Range,
                    PurlType = component.PurlType,
                    PurlNamespace = component.PurlNamespace,
                    PurlName = component.PurlName,
                    PurlVersion = component.PurlVersion,
                    Arch = component.Arch,
                    Cpe = component.Cpe,
                    Platform = platform,
                };
            }
        }

        foreach (CsafProductGroup g in tree.ProductGroups)
        {
            if (g.GroupId is { } gid)
            {
                _groups[gid] = [.. g.ProductIds];
            }
        }
    }

    public int Count => _products.Count;

    public CsafProduct? Find(string id) => _products.GetValueOrDefault(id);

    public IEnumerable<string> Expand(IEnumerable<string> productIds, IEnumerable<string> groupIds) =>
        productIds.Concat(groupIds.SelectMany(g => _groups.GetValueOrDefault(g) ?? []));

    private void Walk(CsafBranch branch, string? productName)
    {
        string? name = branch.Category == "product_name" ? branch.Name : productName;
        if (branch.Product is { } p)
        {
            Add(p, name ?? branch.Name ?? p.Name ?? string.Empty,
                branch.Category == "product_version" ? branch.Name : null,
                branch.Category == "product_version_range" ? branch.Name : null);
        }

        foreach (CsafBranch child in branch.Branches)
        {
            Walk(child, name);
        }
    }

    private void Add(CsafFullProductName p, string name, string? version, string? range)
    {
        if (p.ProductId is not { } id || _products.ContainsKey(id))
        {
            return;
        }

        string? purl = p.ProductIdentificationHelper?.Purl;
        Purl? parsed = purl is null ? null : Purl.TryParse(purl);
        _products[id] = new CsafProduct
        {
            Id = id,
            Name = name,
            Version = version,
            Range = range,
            PurlType = parsed?.Type,
            PurlNamespace = parsed?.Namespace,
            PurlName = parsed?.Name,
            PurlVersion = parsed?.Version,
            Arch = parsed?.Arch,
            Cpe = p.ProductIdentificationHelper?.Cpe,
        };
    }

    /// <summary>The KB number in a Microsoft remediation's URL or details (<c>https://support.microsoft.com/help/5002744</c> is KB5002744).</summary>
    public static string? KbOf(CsafRemediation remediation)
    {
        foreach (string? text in (string?[])[remediation.Url, remediation.Details])
        {
            if (text is null)
            {
                continue;
            }

            Match m = KbPattern().Match(text);
            if (m.Success)
            {
                return "KB" + m.Groups[1].Value;
            }
        }

        return null;
    }

    [GeneratedRegex(@"(?:\bKB|support\.microsoft\.com/(?:[a-z-]+/)?help/|[?&]q=KB)(\d{6,7})\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KbPattern();

    /// <summary>A package URL's parts (<c>pkg:rpm/redhat/qemu-kvm@6.2.0-50.el8?arch=x86_64&amp;epoch=15</c>).</summary>
    internal sealed record Purl(string Type, string? Namespace, string Name, string? Version, string? Arch)
    {
        public static Purl? TryParse(string purl)
        {
            if (!purl.StartsWith("pkg:", StringComparison.Ordinal))
            {
                return null;
            }

            string rest = purl[4..];
            int hash = rest.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0)
            {
                rest = rest[..hash];
            }

            string? query = null;
            int q = rest.IndexOf('?', StringComparison.Ordinal);
            if (q >= 0)
            {
                query = rest[(q + 1)..];
                rest = rest[..q];
            }

            string? version = null;
            int at = rest.LastIndexOf('@');
            if (at >= 0)
            {
                version = Uri.UnescapeDataString(rest[(at + 1)..]);
                rest = rest[..at];
            }

            string[] parts = rest.Split('/');
            if (parts.Length < 2 || parts[0].Length == 0 || parts[^1].Length == 0)
            {
                return null;
            }

            string? arch = null;
            string? epoch = null;
            foreach (string kv in (query ?? string.Empty).Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                int eq = kv.IndexOf('=', StringComparison.Ordinal);
                if (eq < 0)
                {
                    continue;
                }

                string key = kv[..eq];
                string value = Uri.UnescapeDataString(kv[(eq + 1)..]);
                if (key == "arch")
                {
                    arch = value;
                }
                else if (key == "epoch")
                {
                    epoch = value;
                }
            }

            if (version is not null && epoch is not null && epoch != "0" && !version.Contains(':', StringComparison.Ordinal))
            {
                version = epoch + ":" + version;
            }

            string ns = parts.Length > 2 ? string.Join('/', parts[1..^1].Select(Uri.UnescapeDataString)) : null!;
            return new Purl(parts[0].ToLowerInvariant(), ns, Uri.UnescapeDataString(parts[^1]), version, arch);
        }
    }
}
