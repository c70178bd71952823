namespace PatchKit.Advisories.Csaf;

/// <summary>Product ids and groups: 6.1.1 to 6.1.6, 6.1.27.9, 6.1.27.10, 6.1.33.</summary>
public static partial class CsafValidator
{
    private static void ProductTests(CsafDocument doc, Findings findings)
    {
        // 6.1.2 Multiple Definition of Product ID; 6.1.1 Missing Definition of Product ID.
        var defined = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string id, string path) in CsafProductIds.Defined(doc))
        {
            if (!defined.TryAdd(id, path))
            {
                findings.Add("6.1.2", path, $"product id \"{id}\" is defined more than once (first at {defined[id]})");
            }
        }

        foreach ((string id, string path) in CsafProductIds.Referenced(doc))
        {
            if (!defined.ContainsKey(id))
            {
                findings.Add("6.1.1", path, $"product id \"{id}\" is used but not defined in the product tree");
            }
        }

        // 6.1.3 Circular Definition of Product ID: a relationship's product must not be built from itself, directly or through others.
        if (doc.ProductTree is { } tree)
        {
            var parts = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (CsafRelationship r in tree.Relationships)
            {
                if (r.FullProductName?.ProductId is { } id)
                {
                    if (!parts.TryGetValue(id, out List<string>? list))
                    {
                        parts[id] = list = [];
                    }

                    list.AddRange(new[] { r.ProductReference, r.RelatesToProductReference }.OfType<string>());
                }
            }

            for (int i = 0; i < tree.Relationships.Count; i++)
            {
                if (tree.Relationships[i].FullProductName?.ProductId is { } id && Reaches(parts, id))
                {
                    findings.Add("6.1.3", P($"$.product_tree.relationships[{i}].full_product_name.product_id"), $"product id \"{id}\" is defined from itself");
                }
            }

            // 6.1.5 Multiple Definition of Product Group ID.
            var groups = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < tree.ProductGroups.Count; i++)
            {
                if (tree.ProductGroups[i].GroupId is { } g && !groups.TryAdd(g, i))
                {
                    findings.Add("6.1.5", P($"$.product_tree.product_groups[{i}].group_id"), $"product group id \"{g}\" is defined more than once (first at product_groups[{groups[g]}])");
                }
            }
        }

        // 6.1.4 Missing Definition of Product Group ID.
        HashSet<string> groupIds = [.. (doc.ProductTree?.ProductGroups ?? []).Select(static g => g.GroupId).OfType<string>()];
        for (int v = 0; v < doc.Vulnerabilities.Count; v++)
        {
            CsafVulnerability vuln = doc.Vulnerabilities[v];
            foreach ((IReadOnlyList<string> ids, string path) in GroupRefs(vuln, v))
            {
                for (int i = 0; i < ids.Count; i++)
                {
                    if (!groupIds.Contains(ids[i]))
                    {
                        findings.Add("6.1.4", P($"{path}[{i}]"), $"product group id \"{ids[i]}\" is used but not defined in product_groups");
                    }
                }
            }
        }

        // 6.1.6 Contradicting Product Status.
        for (int v = 0; v < doc.Vulnerabilities.Count; v++)
        {
            if (doc.Vulnerabilities[v].ProductStatus is not { } s)
            {
                continue;
            }

            var seen = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach ((string name, IReadOnlyList<string> ids) in CsafProductIds.Statuses(s))
            {
                string? group = name switch
                {
                    "first_affected" or "known_affected" or "last_affected" => "affected",
                    "known_not_affected" => "not affected",
                    "first_fixed" or "fixed" => "fixed",
                    "under_investigation" => "under investigation",
                    _ => null,
                };
                if (group is null)
                {
                    continue;
                }

                for (int i = 0; i < ids.Count; i++)
                {
                    if (seen.TryGetValue(ids[i], out string? other) && other != group)
                    {
                        findings.Add("6.1.6", P($"$.vulnerabilities[{v}].product_status.{name}[{i}]"), $"product \"{ids[i]}\" is both {other} and {group}");
                    }
                    else
                    {
                        seen[ids[i]] = group;
                    }
                }
            }
        }
    }

    private static bool Reaches(Dictionary<string, List<string>> parts, string start)
    {
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(parts[start]);
        while (stack.Count > 0)
        {
            string id = stack.Pop();
            if (id == start)
            {
                return true;
            }

            if (visited.Add(id) && parts.TryGetValue(id, out List<string>? next))
            {
                foreach (string n in next)
                {
                    stack.Push(n);
                }
            }
        }

        return false;
    }

    private static IEnumerable<(IReadOnlyList<string> Ids, string Path)> GroupRefs(CsafVulnerability vuln, int v)
    {
        for (int i = 0; i < vuln.Remediations.Count; i++)
        {
            yield return (vuln.Remediations[i].GroupIds, P($"$.vulnerabilities[{v}].remediations[{i}].group_ids"));
        }

        for (int i = 0; i < vuln.Threats.Count; i++)
        {
            yield return (vuln.Threats[i].GroupIds, P($"$.vulnerabilities[{v}].threats[{i}].group_ids"));
        }

        for (int i = 0; i < vuln.Flags.Count; i++)
        {
            yield return (vuln.Flags[i].GroupIds, P($"$.vulnerabilities[{v}].flags[{i}].group_ids"));
        }
    }

    /// <summary>The product ids a list of product ids and group ids covers.</summary>
    private static HashSet<string> Covered(CsafDocument doc, IReadOnlyList<string> productIds, IReadOnlyList<string> groupIds)
    {
        HashSet<string> set = new(productIds, StringComparer.Ordinal);
        foreach (string g in groupIds)
        {
            foreach (CsafProductGroup group in doc.ProductTree?.ProductGroups ?? [])
            {
                if (group.GroupId == g)
                {
                    set.UnionWith(group.ProductIds);
                }
            }
        }

        return set;
    }
}
