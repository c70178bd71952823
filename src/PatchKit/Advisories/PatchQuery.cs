using PatchKit.Hosts;

namespace PatchKit.Advisories;

/// <summary>What Reach saw, for a catalog to answer with only the patches that can matter: the kinds of machines and
/// the names of the packages installed on them. A catalog may return more; it must not return less.</summary>
public sealed class PatchQuery
{
    /// <summary>Gets the kinds of machines in the fleet.</summary>
    public IReadOnlyCollection<HostKind> HostKinds { get; init; } = [];

    /// <summary>Gets the names of the packages installed anywhere in the fleet (binary and source names).</summary>
    public IReadOnlyCollection<string> PackageNames { get; init; } = [];

    /// <summary>Gets a query that matches everything.</summary>
    public static PatchQuery All { get; } = new() { HostKinds = Enum.GetValues<HostKind>() };

    /// <summary>Returns whether a patch can matter to the fleet this query describes.</summary>
    /// <param name="patch">The patch.</param>
    /// <returns><see langword="true"/> when it can.</returns>
    public bool Matches(PatchDefinition patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        foreach (var rule in patch.AppliesTo)
        {
            if (HostKinds.Contains(rule.Kind))
            {
                return true;
            }
        }

        foreach (var p in patch.Packages)
        {
            if (PackageNames.Contains(p.Name))
            {
                return true;
            }
        }

        return false;
    }
}
