using System.Text.Json;
using PatchKit.Advisories.Versions;

namespace PatchKit.Tests.Advisories.Versions;

/// <summary>
/// Our dpkg and rpm orderings against the real tools on this machine, on seeded generated pairs and on real version strings
/// (installed Debian packages, apt's package lists, AlmaLinux/Rocky fixed versions from the corpus). Each tool runs once per test.
/// </summary>
public sealed class DifferentialTests
{
    private const int Seed = 20_2026;

    [ReferenceToolFact("dpkg")]
    public void Dpkg_GeneratedPairs_AgreeWithDpkgCompareVersions()
    {
        var rnd = new Random(Seed);
        string[] pieces = ["0", "1", "2", "9", "10", "01", "00", "a", "b", "z", "A", "Z", "~", "~~", "+", ".", "-", ":", "1:", "0:",
            "+dfsg", "~bpo11+1", "ubuntu0.1", "-1", "+deb12u1", "~rc1", "p1", ".el8", "_", "%"];
        var pairs = new List<(string, string)>();
        for (int i = 0; i < 500; i++)
        {
            string a = Generate(rnd, pieces);
            string b = rnd.Next(4) == 0 ? Mutate(rnd, a, pieces) : Generate(rnd, pieces);
            pairs.Add((a, b));
        }

        AssertDpkg(pairs);
    }

    [ReferenceToolFact("dpkg")]
    public void Dpkg_RealVersionStrings_AgreeWithDpkgCompareVersions()
    {
        var versions = new SortedSet<string>(StringComparer.Ordinal);
        (int code, string output) = RunCapture("dpkg-query", "-W", "-f=${Version}\n");
        if (code == 0)
        {
            versions.UnionWith(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }

        // apt's package lists, when present (after apt-get update): a seeded sample of their Version: fields.
        if (Directory.Exists("/var/lib/apt/lists"))
        {
            var fromLists = new List<string>();
            foreach (string file in Directory.EnumerateFiles("/var/lib/apt/lists", "*_Packages").Order(StringComparer.Ordinal))
            {
                foreach (string line in File.ReadLines(file))
                {
                    if (line.StartsWith("Version: ", StringComparison.Ordinal))
                    {
                        fromLists.Add(line[9..]);
                    }
                }
            }

            var rnd = new Random(Seed);
            for (int i = 0; i < 400 && fromLists.Count > 0; i++)
            {
                versions.Add(fromLists[rnd.Next(fromLists.Count)]);
            }
        }

        Assert.True(versions.Count >= 50, $"only {versions.Count} real Debian versions found on this machine");
        AssertDpkg(RealPairs([.. versions]));
    }

    [ReferenceToolFact("python3-rpm")]
    public void Rpm_GeneratedPairs_AgreeWithLabelCompare()
    {
        var rnd = new Random(Seed);
        string[] pieces = ["0", "1", "2", "9", "10", "01", "a", "b", "z", "A", "~", "^", "+", ".", "_", "-", "1:", "p1", "el8", ".el9_4", "rc", "~rc1", "^post1", ".module+el8.10.0+21533+73236039", "..", "%"];
        var bare = new List<(string, string)>();
        var evr = new List<(string, string)>();
        for (int i = 0; i < 1500; i++)
        {
            string a = Generate(rnd, pieces);
            string b = rnd.Next(4) == 0 ? Mutate(rnd, a, pieces) : Generate(rnd, pieces);
            (i % 2 == 0 ? bare : evr).Add((a, b));
        }

        int?[] wantBare = ReferenceTools.RpmLabelCompare(bare, bare: true);
        int?[] wantEvr = ReferenceTools.RpmLabelCompare(evr, bare: false);
        var failures = new List<string>();
        for (int i = 0; i < bare.Count; i++)
        {
            int? got = bare[i].Item1.Length == 0 || bare[i].Item2.Length == 0 ? null : RpmVersionComparer.RpmVerCmp(bare[i].Item1, bare[i].Item2);
            if (got != wantBare[i])
            {
                failures.Add($"rpmvercmp '{bare[i].Item1}' '{bare[i].Item2}': librpm {wantBare[i]}, ours {got}");
            }
        }

        for (int i = 0; i < evr.Count; i++)
        {
            int? got = VersionComparer.TryCompare(VersionScheme.Rpm, evr[i].Item1, evr[i].Item2, out int r) ? r : null;
            if (got != wantEvr[i])
            {
                failures.Add($"labelCompare '{evr[i].Item1}' '{evr[i].Item2}': librpm {wantEvr[i]}, ours {got}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {bare.Count + evr.Count} disagree:\n" + string.Join('\n', failures.Take(50)));
    }

    [ReferenceToolFact("python3-rpm", "advisories/osv/almalinux")]
    public void Rpm_RealAlmaAndRockyVersions_AgreeWithLabelCompare()
    {
        var versions = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string folder in new[] { "advisories/osv/almalinux", "advisories/osv/rocky", "advisories/osv/redhat" })
        {
            foreach (string file in Directory.EnumerateFiles(Corpus.Require(folder), "*.json"))
            {
                using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(file));
                foreach (JsonElement affected in doc.RootElement.GetProperty("affected").EnumerateArray())
                {
                    if (!affected.TryGetProperty("ranges", out JsonElement ranges))
                    {
                        continue;
                    }

                    foreach (JsonElement range in ranges.EnumerateArray())
                    {
                        foreach (JsonElement ev in range.GetProperty("events").EnumerateArray())
                        {
                            if (ev.TryGetProperty("fixed", out JsonElement f))
                            {
                                versions.Add(f.GetString()!);
                            }
                        }
                    }
                }
            }
        }

        Assert.True(versions.Count >= 200, $"only {versions.Count} fixed versions read");
        List<(string A, string B)> pairs = RealPairs([.. versions]);
        int?[] want = ReferenceTools.RpmLabelCompare(pairs, bare: false);
        var failures = new List<string>();
        for (int i = 0; i < pairs.Count; i++)
        {
            int? got = VersionComparer.TryCompare(VersionScheme.Rpm, pairs[i].A, pairs[i].B, out int r) ? r : null;
            if (got != want[i])
            {
                failures.Add($"'{pairs[i].A}' '{pairs[i].B}': librpm {want[i]}, ours {got}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {pairs.Count} disagree:\n" + string.Join('\n', failures.Take(50)));
    }

    [ReferenceToolFact("node-semver")]
    public void SemVer_GeneratedValidPairs_AgreeWithNodeSemver()
    {
        var rnd = new Random(Seed);
        string[] ids = ["alpha", "beta", "rc", "0", "1", "2", "10", "11", "x-y", "-", "a1", "1a", "A", "Z", "zz", "999999"];
        string Make()
        {
            string v = $"{rnd.Next(3)}.{rnd.Next(12)}.{rnd.Next(3)}";
            if (rnd.Next(3) > 0)
            {
                v += "-" + string.Join('.', Enumerable.Range(0, rnd.Next(1, 4)).Select(_ => ids[rnd.Next(ids.Length)]));
            }

            return rnd.Next(4) == 0 ? v + "+build." + rnd.Next(100).ToString(System.Globalization.CultureInfo.InvariantCulture) : v;
        }

        var pairs = new List<(string A, string B)>();
        while (pairs.Count < 1500)
        {
            string a = Make();
            string b = rnd.Next(5) == 0 ? a : Make();
            Assert.True(VersionComparer.IsValid(VersionScheme.SemVer, a), a);
            pairs.Add((a, b));
        }

        int[] want = ReferenceTools.NodeSemverCompare(pairs);
        var failures = new List<string>();
        for (int i = 0; i < pairs.Count; i++)
        {
            int got = VersionComparer.TryCompare(VersionScheme.SemVer, pairs[i].A, pairs[i].B, out int r) ? r : 99;
            if (got != want[i])
            {
                failures.Add($"'{pairs[i].A}' '{pairs[i].B}': node-semver {want[i]}, ours {got}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {pairs.Count} disagree:\n" + string.Join('\n', failures.Take(50)));
    }

    /// <summary>Neighbours in ordinal order (the close calls) plus seeded random pairs.</summary>
    private static List<(string A, string B)> RealPairs(string[] versions)
    {
        var pairs = new List<(string, string)>();
        for (int i = 1; i < versions.Length; i++)
        {
            pairs.Add((versions[i - 1], versions[i]));
        }

        var rnd = new Random(Seed);
        for (int i = 0; i < versions.Length; i++)
        {
            pairs.Add((versions[rnd.Next(versions.Length)], versions[rnd.Next(versions.Length)]));
        }

        return pairs;
    }

    private static void AssertDpkg(List<(string A, string B)> pairs)
    {
        int?[] want = ReferenceTools.Dpkg(pairs);
        var failures = new List<string>();
        for (int i = 0; i < pairs.Count; i++)
        {
            int? got = VersionComparer.TryCompare(VersionScheme.Dpkg, pairs[i].A, pairs[i].B, out int r) ? r : null;
            if (got != want[i])
            {
                failures.Add($"'{pairs[i].A}' '{pairs[i].B}': dpkg {want[i]?.ToString() ?? "error"}, ours {got?.ToString() ?? "unknown"}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {pairs.Count} disagree:\n" + string.Join('\n', failures.Take(50)));
    }

    private static string Generate(Random rnd, string[] pieces)
    {
        int n = rnd.Next(1, 6);
        string s = rnd.Next(3) == 0 ? string.Empty : rnd.Next(1, 12).ToString(System.Globalization.CultureInfo.InvariantCulture);
        for (int i = 0; i < n; i++)
        {
            s += pieces[rnd.Next(pieces.Length)];
        }

        return s;
    }

    private static string Mutate(Random rnd, string s, string[] pieces) => rnd.Next(3) switch
    {
        0 => s + pieces[rnd.Next(pieces.Length)],
        1 when s.Length > 1 => s[..^1],
        _ => pieces[rnd.Next(pieces.Length)] + s,
    };

    private static (int Code, string Output) RunCapture(string exe, params string[] args)
    {
        try
        {
            var psi = new System.Diagnostics.ProcessStartInfo(exe) { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (string a in args)
            {
                psi.ArgumentList.Add(a);
            }

            using var p = System.Diagnostics.Process.Start(psi)!;
            string output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (-1, string.Empty);
        }
    }
}
