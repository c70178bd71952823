using System.Text.RegularExpressions;
using PatchKit.Advisories.Matching;
using PatchKit.Advisories.Osv;
using PatchKit.Hosts;
using PatchKit.Tests.Advisories.Versions;

namespace PatchKit.Tests.Advisories.Matching;

/// <summary>
/// The installed packages of the machine running the tests (dpkg-query, /etc/os-release) against advisories; every ordering a decision
/// rests on is checked with <c>dpkg --compare-versions</c>. Skipped on a machine without dpkg.
/// </summary>
public sealed partial class ThisMachineDifferentialTests
{
    [GeneratedRegex(@"^\S+(?: \(source \S+\))? (?<v>\S+) installed (?<op><=|>=|<|>) (?<w>\S+) (?<kind>fixed|introduced|last affected|limit of the range) in ")]
    private static partial Regex OrderedReason();

    private static (OsIdentity Os, List<InstalledPackage> Packages) ThisMachine()
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in File.ReadAllLines("/etc/os-release"))
        {
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                fields[line[..eq]] = line[(eq + 1)..].Trim('"');
            }
        }

        var os = new OsIdentity { Id = fields.GetValueOrDefault("ID", string.Empty), VersionId = fields.GetValueOrDefault("VERSION_ID", string.Empty) };
        (int code, string output, string error) = Proc.Run("dpkg-query", "/", "-W", "-f", "${Package}\t${Version}\t${Architecture}\t${source:Package}\n");
        Assert.True(code == 0, "dpkg-query failed: " + error);
        var packages = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('\t'))
            .Where(f => f.Length == 4 && f[1].Length > 0)
            .Select(f => new InstalledPackage { Format = PackageFormat.Dpkg, Name = f[0], Version = f[1], Architecture = f[2], SourceName = f[3] })
            .ToList();
        return (os, packages);
    }

    private static bool Holds(int order, string op) => op switch
    {
        "<" => order < 0,
        "<=" => order <= 0,
        ">" => order > 0,
        _ => order >= 0,
    };

    /// <summary>The Debian and Ubuntu records of the corpus, moved to this machine's ecosystem (their ranges kept), and one made-up
    /// record per installed source package whose introduced and fixed versions are real versions of other installed packages.</summary>
    [ReferenceToolFact("dpkg", "advisories/osv/debian")]
    public async Task Match_ThisMachinesPackages_EveryOrderingAgreesWithDpkg()
    {
        (OsIdentity os, List<InstalledPackage> packages) = ThisMachine();

        // A Debian derivative with an os-release id of its own is treated as Debian: the orderings are what is checked here.
        if (AdvisoryMatcher.EcosystemOf(os) is not { } known || !(known.StartsWith("Debian:", StringComparison.Ordinal) || known.StartsWith("Ubuntu:", StringComparison.Ordinal)))
        {
            os = new OsIdentity { Id = "debian", VersionId = "0" };
        }

        string ecosystem = AdvisoryMatcher.EcosystemOf(os)!;
        Assert.NotEmpty(packages);

        var records = new List<OsvRecord>();
        foreach (string folder in new[] { "debian", "ubuntu" })
        {
            await foreach (OsvReadResult read in OsvReader.ReadFolderAsync(Corpus.Require("advisories/osv/" + folder)))
            {
                OsvRecord record = read.Record!;
                records.Add(new OsvRecord
                {
                    Id = record.Id,
                    Affected = [.. (record.Affected ?? []).Select(a => new OsvAffected { Package = new OsvPackage { Ecosystem = ecosystem, Name = a.Package?.Name }, Ranges = a.Ranges, Versions = a.Versions })],
                });
            }
        }

        // Made-up ranges with real version strings: source package i gets introduced = version of package i+7, fixed = version of package i+13.
        List<InstalledPackage> sources = [.. packages.GroupBy(p => p.SourceName, StringComparer.Ordinal).Select(g => g.First())];
        var expected = new Dictionary<string, (string Introduced, string Fixed)>(StringComparer.Ordinal);
        for (int i = 0; i < sources.Count; i++)
        {
            string introduced = sources[(i + 7) % sources.Count].Version;
            string fixedVersion = sources[(i + 13) % sources.Count].Version;
            expected["SYN-" + i] = (introduced, fixedVersion);
            records.Add(new OsvRecord
            {
                Id = "SYN-" + i,
                Affected = [new OsvAffected
                {
                    Package = new OsvPackage { Ecosystem = ecosystem, Name = sources[i].SourceName },
                    Ranges = [new OsvRange { Type = OsvRangeType.Ecosystem, Events = [new OsvEvent { Introduced = introduced }, new OsvEvent { Fixed = fixedVersion }] }],
                }],
            });
        }

        HostMatchResult result = new AdvisoryMatcher(records).Match("this-machine", os, packages);
        Assert.Equal(packages.Count, result.Matches.Count(m => m.AdvisoryId.StartsWith("SYN-", StringComparison.Ordinal)));

        // Every reason that states an ordering is checked with dpkg, and the decision must follow from the relation it states.
        var checkedMatches = new List<(PackageMatch Match, string V, string Op, string W)>();
        foreach (PackageMatch match in result.Matches)
        {
            Match m = OrderedReason().Match(match.Reason);
            if (!m.Success)
            {
                Assert.Contains(match.Decision, new[] { MatchDecision.Affected, MatchDecision.Unknown });
                continue;
            }

            string kind = m.Groups["kind"].Value;
            string op = m.Groups["op"].Value;
            MatchDecision implied = (kind, op) switch
            {
                ("fixed", "<") => MatchDecision.Affected,
                ("fixed", ">=") => MatchDecision.Fixed,
                ("last affected", "<=") => MatchDecision.Affected,
                _ => MatchDecision.NotAffected,
            };
            Assert.Equal(implied, match.Decision);
            Assert.Equal(match.Package.Version, m.Groups["v"].Value);
            checkedMatches.Add((match, m.Groups["v"].Value, op, m.Groups["w"].Value));
        }

        int?[] dpkg = ReferenceTools.Dpkg([.. checkedMatches.Select(c => (c.V, c.W))]);
        for (int i = 0; i < checkedMatches.Count; i++)
        {
            (PackageMatch match, string v, string op, string w) = checkedMatches[i];
            Assert.True(dpkg[i] is { } order && Holds(order, op), $"dpkg does not agree: {match.Reason} (dpkg order of {v} and {w}: {dpkg[i]?.ToString() ?? "error"})");
        }

        // The made-up records, decided from dpkg alone: below introduced is not affected, then below fixed is affected, else fixed.
        var synthetic = result.Matches.Where(m => m.AdvisoryId.StartsWith("SYN-", StringComparison.Ordinal)).ToList();
        var pairs = synthetic.SelectMany(m => new[] { (m.Package.Version, expected[m.AdvisoryId].Introduced), (m.Package.Version, expected[m.AdvisoryId].Fixed) }).ToList();
        int?[] orders = ReferenceTools.Dpkg(pairs);
        for (int i = 0; i < synthetic.Count; i++)
        {
            MatchDecision want = orders[2 * i] is null || orders[(2 * i) + 1] is null ? MatchDecision.Unknown
                : orders[2 * i] < 0 ? MatchDecision.NotAffected
                : orders[(2 * i) + 1] < 0 ? MatchDecision.Affected
                : MatchDecision.Fixed;
            Assert.True(want == synthetic[i].Decision, $"expected {want} from dpkg: {synthetic[i].Reason}");
        }

        // The made-up ranges must exercise all three outcomes on a real system.
        Assert.Contains(synthetic, m => m.Decision == MatchDecision.Affected);
        Assert.Contains(synthetic, m => m.Decision == MatchDecision.Fixed);
        Assert.Contains(synthetic, m => m.Decision == MatchDecision.NotAffected);
    }
}
