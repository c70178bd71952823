namespace PatchKit.Advisories.Matching;

/// <summary>What applies to one host: one <see cref="PackageMatch"/> per installed package and advisory that name each other.</summary>
/// <param name="HostId">The host id given to the matcher.</param>
/// <param name="Ecosystem">The host's OSV ecosystem (<c>Debian:12</c>, <c>AlmaLinux:9</c>, <c>Ubuntu:22.04</c>), or <see langword="null"/>
/// when its operating system has none this library knows.</param>
/// <param name="Matches">The decisions, ordered by advisory id, then package name.</param>
/// <remarks>The OSV matcher keeps its decisions as data and makes each <see cref="PackageMatch"/> when it is first read;
/// <see cref="CountOf"/> and <see cref="IsAffected"/> read the decisions without making them.</remarks>
public sealed record HostMatchResult(string HostId, string? Ecosystem, IReadOnlyList<PackageMatch> Matches)
{
    /// <summary>Gets whether any decision is <see cref="MatchDecision.Affected"/>.</summary>
    public bool IsAffected => CountOf(MatchDecision.Affected) > 0;

    /// <summary>Counts the decisions of one kind.</summary>
    /// <param name="decision">The kind of decision.</param>
    /// <returns>How many of <see cref="Matches"/> have that decision.</returns>
    public int CountOf(MatchDecision decision)
    {
        int count = 0;
        if (Matches is IDecisionList list)
        {
            for (int i = 0; i < Matches.Count; i++)
            {
                count += list.DecisionAt(i) == decision ? 1 : 0;
            }

            return count;
        }

        foreach (PackageMatch m in Matches)
        {
            count += m.Decision == decision ? 1 : 0;
        }

        return count;
    }
}
