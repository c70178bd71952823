using System.Globalization;

namespace PatchKit.Advisories.Csaf;

/// <summary>Where a CSAF document defines product ids and where it refers to them, each with its JSON path.</summary>
internal static class CsafProductIds
{
    /// <summary>Every product id definition: branch products (recursively), full product names and relationship products.</summary>
    public static IEnumerable<(string ProductId, string JsonPath)> Defined(CsafDocument doc)
    {
        if (doc.ProductTree is not { } tree)
        {
            yield break;
        }

        var stack = new Stack<(CsafBranch Branch, string Path)>();
        for (int i = tree.Branches.Count - 1; i >= 0; i--)
        {
            stack.Push((tree.Branches[i], P($"$.product_tree.branches[{i}]")));
        }

        while (stack.Count > 0)
        {
            (CsafBranch branch, string path) = stack.Pop();
            if (branch.Product?.ProductId is { } id)
            {
                yield return (id, path + ".product.product_id");
            }

            for (int i = branch.Branches.Count - 1; i >= 0; i--)
            {
                stack.Push((branch.Branches[i], P($"{path}.branches[{i}]")));
            }
        }

        for (int i = 0; i < tree.FullProductNames.Count; i++)
        {
            if (tree.FullProductNames[i].ProductId is { } id)
            {
                yield return (id, P($"$.product_tree.full_product_names[{i}].product_id"));
            }
        }

        for (int i = 0; i < tree.Relationships.Count; i++)
        {
            if (tree.Relationships[i].FullProductName?.ProductId is { } id)
            {
                yield return (id, P($"$.product_tree.relationships[{i}].full_product_name.product_id"));
            }
        }
    }

    /// <summary>Every reference to a product id, outside its definitions.</summary>
    public static IEnumerable<(string ProductId, string JsonPath)> Referenced(CsafDocument doc)
    {
        if (doc.ProductTree is { } tree)
        {
            for (int i = 0; i < tree.ProductGroups.Count; i++)
            {
                foreach ((string id, string path) in List(tree.ProductGroups[i].ProductIds, P($"$.product_tree.product_groups[{i}].product_ids")))
                {
                    yield return (id, path);
                }
            }

            for (int i = 0; i < tree.Relationships.Count; i++)
            {
                CsafRelationship r = tree.Relationships[i];
                if (r.ProductReference is { } a)
                {
                    yield return (a, P($"$.product_tree.relationships[{i}].product_reference"));
                }

                if (r.RelatesToProductReference is { } b)
                {
                    yield return (b, P($"$.product_tree.relationships[{i}].relates_to_product_reference"));
                }
            }
        }

        for (int v = 0; v < doc.Vulnerabilities.Count; v++)
        {
            CsafVulnerability vuln = doc.Vulnerabilities[v];
            string vp = P($"$.vulnerabilities[{v}]");
            if (vuln.ProductStatus is { } status)
            {
                foreach ((string name, IReadOnlyList<string> ids) in Statuses(status))
                {
                    foreach ((string id, string path) in List(ids, $"{vp}.product_status.{name}"))
                    {
                        yield return (id, path);
                    }
                }
            }

            for (int i = 0; i < vuln.Remediations.Count; i++)
            {
                foreach ((string id, string path) in List(vuln.Remediations[i].ProductIds, P($"{vp}.remediations[{i}].product_ids")))
                {
                    yield return (id, path);
                }
            }

            for (int i = 0; i < vuln.Scores.Count; i++)
            {
                foreach ((string id, string path) in List(vuln.Scores[i].Products, P($"{vp}.scores[{i}].products")))
                {
                    yield return (id, path);
                }
            }

            for (int i = 0; i < vuln.Threats.Count; i++)
            {
                foreach ((string id, string path) in List(vuln.Threats[i].ProductIds, P($"{vp}.threats[{i}].product_ids")))
                {
                    yield return (id, path);
                }
            }

            for (int i = 0; i < vuln.Flags.Count; i++)
            {
                foreach ((string id, string path) in List(vuln.Flags[i].ProductIds, P($"{vp}.flags[{i}].product_ids")))
                {
                    yield return (id, path);
                }
            }
        }
    }

    /// <summary>The eight product status lists with their JSON member names.</summary>
    public static IEnumerable<(string Name, IReadOnlyList<string> Ids)> Statuses(CsafProductStatus s)
    {
        yield return ("first_affected", s.FirstAffected);
        yield return ("first_fixed", s.FirstFixed);
        yield return ("fixed", s.Fixed);
        yield return ("known_affected", s.KnownAffected);
        yield return ("known_not_affected", s.KnownNotAffected);
        yield return ("last_affected", s.LastAffected);
        yield return ("recommended", s.Recommended);
        yield return ("under_investigation", s.UnderInvestigation);
    }

    public static string P(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static IEnumerable<(string, string)> List(IReadOnlyList<string> ids, string path)
    {
        for (int i = 0; i < ids.Count; i++)
        {
            yield return (ids[i], P($"{path}[{i}]"));
        }
    }
}
