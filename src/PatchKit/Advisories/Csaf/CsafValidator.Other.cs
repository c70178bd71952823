namespace PatchKit.Advisories.Csaf;

/// <summary>6.1.13 (package URLs), 6.1.23 to 6.1.25 (duplicates), 6.1.29 and 6.1.32 (product references), 6.1.31 (version ranges), 6.1.33 (flags per product).</summary>
public static partial class CsafValidator
{
    private static readonly string[] s_rangeWords = ["after", "all", "before", "earlier", "later", "prior", "versions"];

    private static void OtherTests(CsafDocument doc, Findings findings)
    {
        // 6.1.13 PURL; 6.1.25 Multiple Use of Same Hash Algorithm; 6.1.31 Version Range in Product Version.
        foreach ((CsafFullProductName product, string path) in Products(doc))
        {
            if (product.ProductIdentificationHelper is not { } helper)
            {
                continue;
            }

            if (helper.Purl is { } purl && !IsValidPurl(purl))
            {
                findings.Add("6.1.13", path + ".product_identification_helper.purl", $"\"{purl}\" is not a valid package URL");
            }

            for (int h = 0; h < helper.Hashes.Count; h++)
            {
                var algorithms = new HashSet<string>(StringComparer.Ordinal);
                IReadOnlyList<CsafFileHash> hashes = helper.Hashes[h].FileHashes;
                for (int i = 0; i < hashes.Count; i++)
                {
                    if (hashes[i].Algorithm is { } a && !algorithms.Add(a))
                    {
                        findings.Add("6.1.25", P($"{path}.product_identification_helper.hashes[{h}].file_hashes[{i}].algorithm"), $"hash algorithm \"{a}\" is used more than once for one file");
                    }
                }
            }
        }

        foreach ((CsafBranch branch, string path) in Branches(doc))
        {
            if (branch.Category == "product_version" && branch.Name is { } name && IsRange(name))
            {
                findings.Add("6.1.31", path + ".name", $"the product version \"{name}\" is a version range (use product_version_range)");
            }
        }

        // 6.1.23 Multiple Use of Same CVE.
        var cves = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int v = 0; v < doc.Vulnerabilities.Count; v++)
        {
            CsafVulnerability vuln = doc.Vulnerabilities[v];
            string vp = P($"$.vulnerabilities[{v}]");
            if (vuln.Cve is { } cve && !cves.TryAdd(cve, v))
            {
                findings.Add("6.1.23", vp + ".cve", $"{cve} is used by vulnerabilities[{cves[cve]}] too");
            }

            // 6.1.24 Multiple Definition in Involvements.
            var involvements = new HashSet<(string?, string?)>();
            for (int i = 0; i < vuln.Involvements.Count; i++)
            {
                if (!involvements.Add((vuln.Involvements[i].Party, vuln.Involvements[i].Date)))
                {
                    findings.Add("6.1.24", P($"{vp}.involvements[{i}]"), $"party \"{vuln.Involvements[i].Party}\" has two involvements dated {vuln.Involvements[i].Date}");
                }
            }

            // 6.1.29 Remediation without Product Reference.
            for (int i = 0; i < vuln.Remediations.Count; i++)
            {
                if (vuln.Remediations[i].ProductIds.Count == 0 && vuln.Remediations[i].GroupIds.Count == 0)
                {
                    findings.Add("6.1.29", P($"{vp}.remediations[{i}]"), "the remediation names no product_ids and no group_ids");
                }
            }

            // 6.1.32 Flag without Product Reference; 6.1.33 Multiple Flags with VEX Justification Codes per Product.
            var flagged = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < vuln.Flags.Count; i++)
            {
                CsafFlag flag = vuln.Flags[i];
                if (flag.ProductIds.Count == 0 && flag.GroupIds.Count == 0)
                {
                    findings.Add("6.1.32", P($"{vp}.flags[{i}]"), "the flag names no product_ids and no group_ids");
                }

                foreach (string id in Covered(doc, flag.ProductIds, flag.GroupIds))
                {
                    if (!flagged.TryAdd(id, i) && flagged[id] != i)
                    {
                        findings.Add("6.1.33", P($"{vp}.flags[{i}]"), $"product \"{id}\" has more than one flag (also flags[{flagged[id]}])");
                    }
                }
            }
        }
    }

    private static IEnumerable<(CsafBranch Branch, string Path)> Branches(CsafDocument doc)
    {
        var stack = new Stack<(CsafBranch, string)>();
        IReadOnlyList<CsafBranch> top = doc.ProductTree?.Branches ?? [];
        for (int i = top.Count - 1; i >= 0; i--)
        {
            stack.Push((top[i], P($"$.product_tree.branches[{i}]")));
        }

        while (stack.Count > 0)
        {
            (CsafBranch branch, string path) = stack.Pop();
            yield return (branch, path);
            for (int i = branch.Branches.Count - 1; i >= 0; i--)
            {
                stack.Push((branch.Branches[i], P($"{path}.branches[{i}]")));
            }
        }
    }

    private static IEnumerable<(CsafFullProductName Product, string Path)> Products(CsafDocument doc)
    {
        foreach ((CsafBranch branch, string path) in Branches(doc))
        {
            if (branch.Product is { } p)
            {
                yield return (p, path + ".product");
            }
        }

        IReadOnlyList<CsafFullProductName> names = doc.ProductTree?.FullProductNames ?? [];
        for (int i = 0; i < names.Count; i++)
        {
            yield return (names[i], P($"$.product_tree.full_product_names[{i}]"));
        }

        IReadOnlyList<CsafRelationship> relationships = doc.ProductTree?.Relationships ?? [];
        for (int i = 0; i < relationships.Count; i++)
        {
            if (relationships[i].FullProductName is { } p)
            {
                yield return (p, P($"$.product_tree.relationships[{i}].full_product_name"));
            }
        }
    }

    private static bool IsRange(string name)
    {
        if (name.Contains('<', StringComparison.Ordinal) || name.Contains('>', StringComparison.Ordinal))
        {
            return true;
        }

        foreach (string word in name.Split([' ', '\t', ',', ';', '(', ')'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (s_rangeWords.Contains(word.ToLowerInvariant()))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Package URL syntax: <c>pkg:type/[namespace/]name[@version][?qualifiers][#subpath]</c> with a type and a non-empty name.</summary>
    private static bool IsValidPurl(string purl)
    {
        if (!purl.StartsWith("pkg:", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string rest = purl[4..].TrimStart('/');
        int cut = rest.IndexOfAny(['?', '#']);
        if (cut >= 0)
        {
            rest = rest[..cut];
        }

        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return false;
        }

        string type = rest[..slash];
        if (!char.IsAsciiLetter(type[0]) || type.Any(static c => !char.IsAsciiLetterOrDigit(c) && c is not ('.' or '-' or '+')))
        {
            return false;
        }

        string path = rest[(slash + 1)..];
        int at = path.LastIndexOf('@');
        if (at >= 0)
        {
            if (at == path.Length - 1)
            {
                return false;
            }

            path = path[..at];
        }

        string[] segments = path.TrimEnd('/').Split('/');
        return segments.Length > 0 && segments[^1].Length > 0 && segments.All(static s => s.Length > 0);
    }
}
