using System.Globalization;
using System.Text;
using PatchKit.Advisories;
using PatchKit.Advisories.Matching;
using PatchKit.Advisories.Osv;
using PatchKit.Hosts;

namespace PatchKit.Tests.Advisories.Matching;

/// <summary>
/// The compiled <see cref="AdvisoryMatcher"/> against the straightforward one it replaced (<see cref="ReferenceOsvMatcher"/>): every OSV
/// record of the corpus plus records written here for the cases the corpus lacks (limits, last_affected, several intervals, versions
/// lists, SEMVER and GIT ranges, a distribution without a release, Ubuntu's LTS twin, two records with one id, withdrawn, epochs, no
/// ordering), and a generated fleet (fixed seed) whose versions sit around every bound. Same decisions, same order, same words.
/// </summary>
public sealed class AdvisoryMatcherEquivalenceTests
{
    private static readonly string[] s_synthetic =
    [
        """{"id":"SYN-1","modified":"2026-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"Debian:12","name":"syn-a"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"1.0-1"},{"fixed":"1.2-1"},{"introduced":"2.0-1"},{"last_affected":"2.3-1"},{"limit":"3.0-1"}]}],"versions":["0.5-1","0.6-1","0.7-1","0.8-1","0.9-1","0.9-2","0.9-3","0.9-4","0.9-5","5.0-1"]}]}""",
        """{"id":"SYN-2","modified":"2026-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"Debian:12","name":"syn-a"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.5.0"}]},{"type":"GIT","repo":"https://example.org/x","events":[{"introduced":"0"},{"fixed":"abc"}]}]}]}""",
        """{"id":"SYN-1","modified":"2026-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"Debian:12","name":"syn-a"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.1-1"}]}]}]}""",
        """{"id":"SYN-3","modified":"2026-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"Debian","name":"syn-a"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.1-1"}]}]},{"package":{"ecosystem":"Debian:12","name":"syn-a"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"0.1-1"}]}]}]}""",
        """{"id":"SYN-4","modified":"2026-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"Ubuntu:22.04","name":"syn-b"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.0-1ubuntu1"}]}]},{"package":{"ecosystem":"Ubuntu:22.04:LTS","name":"syn-b"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.0-1ubuntu3"}]}]},{"package":{"ecosystem":"Ubuntu","name":"syn-b"},"versions":["1.0-1"]}]}""",
        """{"id":"SYN-5","modified":"2026-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"AlmaLinux:9","name":"syn-c"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"2:1.0-1.el9"},{"limit":"*"}]}]}]}""",
        """{"id":"SYN-6","modified":"2026-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"Debian:12","name":"syn-a"},"ranges":[{"type":"ECOSYSTEM","events":[{"fixed":"1.1-1"}]}]}]}""",
        """{"id":"SYN-7","modified":"2026-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"Debian:12","name":"syn-a"},"versions":["1.0-1","2.2-1"]}]}""",
        """{"id":"SYN-8","modified":"2026-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"Alpine:v3.19","name":"syn-d"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.2.3-r1"}]}]}]}""",
        """{"id":"SYN-9","modified":"2026-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"Debian:12","name":"syn-a"}}]}""",
        """{"id":"SYN-10","modified":"2026-01-01T00:00:00Z","withdrawn":"2026-02-01T00:00:00Z","affected":[{"package":{"ecosystem":"Debian:12","name":"syn-a"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}]}]}""",
        """{"id":"SYN-11","modified":"2026-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"Debian:12","name":"syn-a"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"2.0-1"},{"introduced":"2.2-1"}]}]}]}""",
        """{"id":"SYN-0","modified":"2026-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"Debian:12","name":"syn-a"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.2-1"}]},{"type":"ECOSYSTEM","events":[{"introduced":"2.0-1"},{"fixed":"2.2-1"}]}]},{"package":{"ecosystem":"Debian:12","name":"syn-a"},"versions":["2.4-1"]}]}""",
    ];

    [CorpusFact("advisories/osv")]
    public void Match_CorpusAndGeneratedFleet_SameDecisionsOrderAndReasonsAsTheReference()
    {
        var records = new List<OsvRecord>();
        foreach (string file in Directory.EnumerateFiles(Corpus.Require("advisories/osv"), "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            try
            {
                records.Add(OsvReader.Parse(File.ReadAllBytes(file), file));
            }
            catch (AdvisoryFormatException)
            {
                // Broken documents of the corpus (the reader's own tests cover them).
            }
        }

        int real = records.Count;
        records.AddRange(s_synthetic.Select(json => OsvReader.Parse(Encoding.UTF8.GetBytes(json), "synthetic")));
        var fast = new AdvisoryMatcher(records);
        var reference = new ReferenceOsvMatcher(records);

        var decisions = new Dictionary<MatchDecision, int>();
        int hosts = 0;
        foreach (var (os, packages) in Fleet(records))
        {
            hosts++;
            HostMatchResult expected = reference.Match("h", os, packages);
            HostMatchResult actual = fast.Match("h", os, packages);
            Assert.Equal(expected.Ecosystem, actual.Ecosystem);
            Assert.Equal(expected.Matches.Select(Describe), actual.Matches.Select(Describe));
            for (int i = 0; i < expected.Matches.Count; i++)
            {
                Assert.Same(expected.Matches[i].Package, actual.Matches[i].Package);
                Assert.Equal(expected.Matches[i], actual.Matches[i]);
                decisions[actual.Matches[i].Decision] = decisions.GetValueOrDefault(actual.Matches[i].Decision) + 1;
            }
        }

        // Not a vacuous comparison: real records were read, and every kind of decision was made many times.
        Assert.True(real > 300, $"{real} corpus records");
        Assert.True(hosts > 100, $"{hosts} hosts");
        foreach (MatchDecision d in Enum.GetValues<MatchDecision>())
        {
            Assert.True(decisions.GetValueOrDefault(d) > 20, $"{d}: {decisions.GetValueOrDefault(d)} decisions");
        }
    }

    /// <summary>The fleet the benchmark matches, at a smaller scale: advisories copied from the shapes of the corpus's real records
    /// (ecosystem, package, fixed version; name variants, the last number moved, now and then an epoch, a second interval or a limit),
    /// hosts drawing many versions of each name (so every bound meets versions below, at and above it), fixed seed.</summary>
    [CorpusFact("advisories/osv")]
    public void Match_BenchmarkShapedFleet_SameDecisionsOrderAndReasonsAsTheReference()
    {
        var shapes = new List<(string Ecosystem, string Name, string Fixed)>();
        foreach (string folder in (string[])["almalinux", "rocky", "ubuntu", "debian"])
        {
            foreach (string file in Directory.EnumerateFiles(Corpus.Require("advisories/osv/" + folder), "*.json").Order(StringComparer.Ordinal))
            {
                OsvRecord r = OsvReader.Parse(File.ReadAllBytes(file), file);
                foreach (OsvAffected a in r.Affected ?? [])
                {
                    string? fix = a.Ranges.SelectMany(static x => x.Events).Select(static e => e.Fixed).LastOrDefault(static f => f is not null);
                    if (a.Package?.Ecosystem is { } eco && a.Package.Name is { } name && fix is not null && !eco.Contains("Pro", StringComparison.Ordinal))
                    {
                        shapes.Add((eco, name, fix));
                    }
                }
            }
        }

        var random = new Random(20261207);
        var records = new List<OsvRecord>();
        var byEcosystem = new Dictionary<string, List<(string Name, string Version)>>(StringComparer.Ordinal);
        for (int i = 0; i < 4000; i++)
        {
            var (eco, name, fix) = shapes[random.Next(shapes.Count)];
            string variant = name + "-v" + random.Next(3).ToString(CultureInfo.InvariantCulture);
            string moved = Vary(fix, random);
            bool rpm = !eco.StartsWith("Debian", StringComparison.Ordinal) && !eco.StartsWith("Ubuntu", StringComparison.Ordinal);
            if (rpm && random.Next(10) == 0 && !moved.Contains(':', StringComparison.Ordinal))
            {
                moved = "1:" + moved;
            }

            string events = random.Next(8) switch
            {
                0 => $$"""{"introduced":"{{Vary(fix, random)}}"},{"fixed":"{{moved}}"}""",
                1 => $$"""{"introduced":"0"},{"fixed":"{{moved}}"},{"introduced":"{{Vary(fix, random)}}"},{"last_affected":"{{Vary(fix, random)}}"}""",
                2 => $$"""{"introduced":"0"},{"fixed":"{{moved}}"},{"limit":"{{Vary(fix, random)}}"}""",
                _ => $$"""{"introduced":"0"},{"fixed":"{{moved}}"}""",
            };
            string id = "BENCH-" + random.Next(3500).ToString(CultureInfo.InvariantCulture);
            records.Add(OsvReader.Parse(Encoding.UTF8.GetBytes(
                $$"""{"id":"{{id}}","modified":"2026-12-05T00:00:00Z","affected":[{"package":{"ecosystem":"{{eco}}","name":"{{variant}}"},"ranges":[{"type":"ECOSYSTEM","events":[{{events}}]}]}]}"""), "generated"));
            if (!byEcosystem.TryGetValue(eco, out var list))
            {
                byEcosystem[eco] = list = [];
            }

            list.Add((variant, moved));
        }

        var fast = new AdvisoryMatcher(records);
        var reference = new ReferenceOsvMatcher(records);
        var decisions = new Dictionary<MatchDecision, int>();
        string[] ecosystems = [.. byEcosystem.Keys.Order(StringComparer.Ordinal)];
        for (int h = 0; h < 150; h++)
        {
            string eco = ecosystems[h % ecosystems.Length];
            var pool = byEcosystem[eco];
            bool dpkg = eco.StartsWith("Debian", StringComparison.Ordinal) || eco.StartsWith("Ubuntu", StringComparison.Ordinal);
            var packages = new List<InstalledPackage>();
            for (int p = 0; p < 80; p++)
            {
                var (name, version) = pool[random.Next(pool.Count)];
                packages.Add(new InstalledPackage
                {
                    Format = dpkg ? PackageFormat.Dpkg : PackageFormat.Rpm,
                    Name = name,
                    Version = random.Next(6) == 0 && !dpkg ? "1:" + Vary(version, random) : Vary(version, random),
                    Architecture = random.Next(3) == 0 ? "noarch" : "x86_64",
                });
            }

            OsIdentity os = OsOf(eco)!;
            HostMatchResult expected = reference.Match("h", os, packages);
            HostMatchResult actual = fast.Match("h", os, packages);
            Assert.Equal(expected.Matches.Select(Describe), actual.Matches.Select(Describe));
            for (int i = 0; i < expected.Matches.Count; i++)
            {
                Assert.Same(expected.Matches[i].Package, actual.Matches[i].Package);
                decisions[actual.Matches[i].Decision] = decisions.GetValueOrDefault(actual.Matches[i].Decision) + 1;
            }
        }

        Assert.True(decisions.GetValueOrDefault(MatchDecision.Affected) > 1000, $"affected: {decisions.GetValueOrDefault(MatchDecision.Affected)}");
        Assert.True(decisions.GetValueOrDefault(MatchDecision.Fixed) > 1000, $"fixed: {decisions.GetValueOrDefault(MatchDecision.Fixed)}");
        Assert.True(decisions.GetValueOrDefault(MatchDecision.NotAffected) > 100, $"not affected: {decisions.GetValueOrDefault(MatchDecision.NotAffected)}");
        Assert.True(decisions.GetValueOrDefault(MatchDecision.Unknown) > 100, $"unknown: {decisions.GetValueOrDefault(MatchDecision.Unknown)}");
    }

    private static string Describe(PackageMatch m) =>
        $"{m.AdvisoryId} | {m.Ecosystem} | {m.AdvisoryPackage} | {m.Package.Name} {m.Package.Architecture} {m.Package.Version} | {m.Decision} | {m.FixedVersion} | {m.Reason}";

    /// <summary>Hosts of every ecosystem the records name (and the synthetic hosts), with packages at and around every version the records
    /// give, binary packages of source packages, an epoch dropped, an unreadable version, and one package object given twice.</summary>
    private static IEnumerable<(OsIdentity Os, List<InstalledPackage> Packages)> Fleet(List<OsvRecord> records)
    {
        var random = new Random(20261206);
        var byEcosystem = new Dictionary<string, List<(string Name, List<string> Versions)>>(StringComparer.Ordinal);
        foreach (OsvRecord record in records)
        {
            foreach (OsvAffected a in record.Affected ?? [])
            {
                if (a.Package?.Ecosystem is not { } eco || a.Package.Name is not { } name || OsOf(eco) is null)
                {
                    continue;
                }

                string key = string.Join(':', eco.Split(':').Take(2));
                if (!byEcosystem.TryGetValue(key, out var list))
                {
                    byEcosystem[key] = list = [];
                }

                List<string> versions = [.. a.Ranges.SelectMany(r => r.Events).Select(e => e.Version).OfType<string>().Where(v => v != "0"), .. a.Versions];
                list.Add((name, versions.Count > 0 ? versions : ["1.0-1"]));
            }
        }

        foreach (var (ecosystem, pool) in byEcosystem.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            OsIdentity os = OsOf(ecosystem)!;
            bool dpkg = ecosystem.StartsWith("Debian", StringComparison.Ordinal) || ecosystem.StartsWith("Ubuntu", StringComparison.Ordinal);
            for (int h = 0; h < 12; h++)
            {
                var packages = new List<InstalledPackage>();
                for (int p = 0; p < Math.Min(60, pool.Count * 3); p++)
                {
                    var (name, versions) = pool[random.Next(pool.Count)];
                    string version = Vary(versions[random.Next(versions.Count)], random);
                    string binary = dpkg && random.Next(3) == 0 ? "lib" + name + random.Next(2).ToString(CultureInfo.InvariantCulture) : name;
                    var package = new InstalledPackage
                    {
                        Format = dpkg ? PackageFormat.Dpkg : PackageFormat.Rpm,
                        Name = binary,
                        Version = version,
                        Architecture = random.Next(4) == 0 ? "i686" : "x86_64",
                        SourceName = dpkg && random.Next(2) == 0 ? name : string.Empty,
                    };
                    packages.Add(package);
                    if (random.Next(20) == 0)
                    {
                        packages.Add(package);
                    }
                }

                // A package of the other format never matches.
                packages.Add(new InstalledPackage { Format = dpkg ? PackageFormat.Rpm : PackageFormat.Dpkg, Name = pool[0].Name, Version = "1" });
                yield return (os, packages);
            }
        }
    }

    private static OsIdentity? OsOf(string ecosystem)
    {
        string[] p = ecosystem.Split(':');
        string release = p.Length > 1 ? p[1] : "12";
        return p[0] switch
        {
            "Debian" => new OsIdentity { Id = "debian", VersionId = release },
            "Ubuntu" => new OsIdentity { Id = "ubuntu", VersionId = p.Length > 1 ? release : "22.04" },
            "AlmaLinux" => new OsIdentity { Id = "almalinux", VersionId = release + ".2" },
            "Rocky Linux" => new OsIdentity { Id = "rocky", VersionId = release + ".4" },
            "Alpine" when p.Length > 1 => new OsIdentity { Id = "alpine", VersionId = release.TrimStart('v') + ".1" },
            _ => null,
        };
    }

    // The version as given, its last number moved by -1..1, its epoch dropped, or a string no scheme reads.
    private static string Vary(string version, Random random)
    {
        switch (random.Next(8))
        {
            case 0:
                return version;
            case 1:
                int colon = version.IndexOf(':', StringComparison.Ordinal);
                return colon > 0 ? version[(colon + 1)..] : version;
            case 2:
                return random.Next(10) == 0 ? "x:not-a-version" : version + "~bpo1";
            default:
                int end = version.Length;
                while (end > 0 && !char.IsAsciiDigit(version[end - 1]))
                {
                    end--;
                }

                int start = end;
                while (start > 0 && char.IsAsciiDigit(version[start - 1]))
                {
                    start--;
                }

                if (start == end || end - start > 9)
                {
                    return version;
                }

                long n = Math.Max(0, long.Parse(version.AsSpan(start, end - start), CultureInfo.InvariantCulture) + random.Next(-1, 2));
                return string.Concat(version.AsSpan(0, start), n.ToString(CultureInfo.InvariantCulture), version.AsSpan(end));
        }
    }
}
