using PatchKit.Advisories.Osv;
using PatchKit.Advisories.Versions;

namespace PatchKit.Tests.Advisories.Osv;

public sealed class OsvVersionSchemesTests
{
    [Theory]
    [InlineData(OsvRangeType.Ecosystem, "Debian:12", VersionScheme.Dpkg)]
    [InlineData(OsvRangeType.Ecosystem, "Ubuntu:Pro:22.04:LTS", VersionScheme.Dpkg)]
    [InlineData(OsvRangeType.Ecosystem, "AlmaLinux:8", VersionScheme.Rpm)]
    [InlineData(OsvRangeType.Ecosystem, "Rocky Linux:9", VersionScheme.Rpm)]
    [InlineData(OsvRangeType.Ecosystem, "npm", VersionScheme.SemVer)]
    [InlineData(OsvRangeType.Semver, "Go", VersionScheme.SemVer)]
    [InlineData(OsvRangeType.Ecosystem, "PyPI", VersionScheme.Unknown)]
    [InlineData(OsvRangeType.Ecosystem, "Maven", VersionScheme.Unknown)]
    [InlineData(OsvRangeType.Ecosystem, "Alpine:v3.16", VersionScheme.Unknown)]
    [InlineData(OsvRangeType.Ecosystem, "not a supported ecosystem", VersionScheme.Unknown)]
    [InlineData(OsvRangeType.Git, "Debian:12", VersionScheme.Unknown)]
    [InlineData(OsvRangeType.Ecosystem, null, VersionScheme.Unknown)]
    public void For_RangeTypeAndEcosystem_NamesTheScheme(OsvRangeType type, string? ecosystem, VersionScheme expected)
    {
        Assert.Equal(expected, OsvVersionSchemes.For(type, ecosystem));
    }

    /// <summary>Real data: in every range whose scheme is known, each event version reads, and each introduced version (other than 0) sorts below the fixed
    /// (or at most the last_affected) version that follows it.</summary>
    [CorpusFact("advisories/osv/index.json")]
    public async Task Ranges_CorpusRecords_IntroducedSortsBelowFixed()
    {
        int checkedPairs = 0;
        int readVersions = 0;
        var problems = new List<string>();
        foreach (string folder in new[] { "almalinux", "rocky", "redhat", "ubuntu", "debian", "go", "ghsa", "other" })
        {
            await foreach (OsvReadResult result in OsvReader.ReadFolderAsync(Corpus.Require("advisories/osv/" + folder)))
            {
                Assert.True(result.Succeeded, result.Error?.Message);
                foreach (OsvAffected affected in result.Record.Affected ?? [])
                {
                    foreach (OsvRange range in affected.Ranges)
                    {
                        VersionScheme scheme = OsvVersionSchemes.For(range.Type, affected.Package?.Ecosystem);
                        if (scheme == VersionScheme.Unknown)
                        {
                            continue;
                        }

                        string? introduced = null;
                        foreach (OsvEvent e in range.Events)
                        {
                            if (e.Version is { } v && v != "0")
                            {
                                readVersions++;
                                if (!VersionComparer.TryCompare(scheme, v, v, out _))
                                {
                                    problems.Add($"{result.Document}: {scheme} cannot read {e.Kind} {v}");
                                }
                            }

                            if (e.Kind == OsvEventKind.Introduced)
                            {
                                introduced = e.Version == "0" ? null : e.Version;
                                continue;
                            }

                            if (introduced is null || e.Kind is not (OsvEventKind.Fixed or OsvEventKind.LastAffected))
                            {
                                continue;
                            }

                            checkedPairs++;
                            bool ok = VersionComparer.TryCompare(scheme, introduced, e.Version, out int order)
                                && (order < 0 || (order == 0 && e.Kind == OsvEventKind.LastAffected));
                            if (!ok)
                            {
                                problems.Add($"{result.Document}: {scheme} {introduced} then {e.Kind} {e.Version}");
                            }
                        }
                    }
                }
            }
        }

        Assert.True(checkedPairs >= 50 && readVersions >= 1000, $"only {checkedPairs} introduced/fixed pairs and {readVersions} versions checked");
        Assert.True(problems.Count == 0, $"{problems.Count} of {checkedPairs}:\n" + string.Join('\n', problems.Take(30)));
    }
}
