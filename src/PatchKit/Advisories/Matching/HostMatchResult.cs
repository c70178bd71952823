namespace PatchKit.Advisories.Matching;

/// <summary>What applies to one host: one <see cref="PackageMatch"/> per installed package and advisory that name each other.</summary>
/// <param name="HostId">The host id given to the matcher.</param>
/// <param name="Ecosystem">The host's OSV ecosystem (<c>Debian:12</c>, <c>AlmaLinux:9</c>, <c>Ubuntu:22.04</c>), or <see langword="null"/>
/// when its operating system has none this library knows.</param>
/// <param name="Matches">The decisions, ordered by advisory id, then package name.</param>
public sealed record HostMatchResult(string HostId, string? Ecosystem, IReadOnlyList<PackageMatch> Matches)
{
    /// <summary>Gets whether any decision is <see cref="MatchDecision.Affected"/>.</summary>
    public bool IsAffected => Matches.Any(m => m.Decision == MatchDecision.Affected);
}
