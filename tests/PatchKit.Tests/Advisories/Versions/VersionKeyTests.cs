using System.Globalization;
using System.Text.Json;
using PatchKit.Advisories.Versions;

namespace PatchKit.Tests.Advisories.Versions;

/// <summary>
/// The sort keys the OSV matcher compares instead of version strings (<see cref="VersionKey"/>) against the comparers they stand for
/// (which <see cref="DifferentialTests"/> and <see cref="VersionVectorTests"/> prove against dpkg 1.21 and librpm 4.18): the ordinal
/// order of two keys is the comparer's answer, and a pair the comparer cannot order has no key on one side.
/// </summary>
public sealed class VersionKeyTests
{
    private const int Seed = 2026_1206;

    [CorpusFact("advisories/versions/debian.json")]
    public void Dpkg_CorpusVectorPairs_KeysOrderAsTheComparer()
    {
        List<(string, string)> pairs = VectorPairs("debian.json", "pairs");
        Assert.Equal(2 * 497, pairs.Count); // each pair both ways
        AssertAgree(VersionScheme.Dpkg, pairs);
    }

    [CorpusFact("advisories/versions/rpm.json")]
    public void Rpm_CorpusVectorPairs_KeysOrderAsTheComparer()
    {
        List<(string, string)> pairs = [.. VectorPairs("rpm.json", "evr"), .. VectorPairs("rpm.json", "vercmp")];
        Assert.Equal(2 * (454 + 372), pairs.Count); // each pair both ways
        AssertAgree(VersionScheme.Rpm, pairs);
    }

    [Fact]
    public void Dpkg_GeneratedPairs_KeysOrderAsTheComparer()
    {
        string[] pieces = ["0", "1", "2", "9", "10", "01", "00", "000", "a", "b", "z", "A", "Z", "~", "~~", "+", ".", "-", ":", "1:", "0:", "00:",
            "+dfsg", "~bpo11+1", "ubuntu0.1", "-1", "-0", "+deb12u1", "~rc1", "p1", ".el8", "_", "%", "é", "0.0", ".0"];
        AssertAgree(VersionScheme.Dpkg, Generated(pieces, 40_000));
    }

    [Fact]
    public void Rpm_GeneratedPairs_KeysOrderAsTheComparer()
    {
        string[] pieces = ["0", "1", "2", "9", "10", "01", "00", "a", "b", "z", "A", "~", "^", "+", ".", "_", "-", "1:", "0:", ":", "p1", "el8",
            ".el9_4", "rc", "~rc1", "^post1", ".module+el8.10.0+21533+73236039", "..", "%", "é", "~~", "^^", "-0"];
        AssertAgree(VersionScheme.Rpm, Generated(pieces, 40_000));
    }

    [CorpusFact("advisories/osv")]
    public void RealVersions_CorpusFixedVersionsAndAptLists_KeysOrderAsTheComparer()
    {
        var dpkg = new SortedSet<string>(StringComparer.Ordinal);
        var rpm = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(Corpus.Require("advisories/osv"), "*.json", SearchOption.AllDirectories))
        {
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(File.ReadAllBytes(file));
            }
            catch (JsonException)
            {
                continue;
            }

            using (doc)
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("affected", out JsonElement affected) || affected.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (JsonElement a in affected.EnumerateArray())
                {
                    string ecosystem = a.TryGetProperty("package", out JsonElement p) && p.TryGetProperty("ecosystem", out JsonElement e) ? e.GetString() ?? string.Empty : string.Empty;
                    SortedSet<string>? into = ecosystem.StartsWith("Debian", StringComparison.Ordinal) || ecosystem.StartsWith("Ubuntu", StringComparison.Ordinal) ? dpkg
                        : ecosystem.StartsWith("AlmaLinux", StringComparison.Ordinal) || ecosystem.StartsWith("Rocky", StringComparison.Ordinal) || ecosystem.StartsWith("Red Hat", StringComparison.Ordinal) ? rpm
                        : null;
                    if (into is null || !a.TryGetProperty("ranges", out JsonElement ranges))
                    {
                        continue;
                    }

                    foreach (JsonElement range in ranges.EnumerateArray())
                    {
                        foreach (JsonElement ev in range.GetProperty("events").EnumerateArray())
                        {
                            foreach (JsonProperty prop in ev.EnumerateObject())
                            {
                                if (prop.Value.ValueKind == JsonValueKind.String)
                                {
                                    into.Add(prop.Value.GetString()!);
                                }
                            }
                        }
                    }
                }
            }
        }

        // This machine's installed Debian packages, and apt's package lists when present (uncompressed): a seeded sample of their Version: fields.
        try
        {
            var psi = new System.Diagnostics.ProcessStartInfo("dpkg-query") { RedirectStandardOutput = true, UseShellExecute = false };
            psi.ArgumentList.Add("-W");
            psi.ArgumentList.Add("-f=${Version}\n");
            using var query = System.Diagnostics.Process.Start(psi)!;
            dpkg.UnionWith(query.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries));
            query.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Not a Debian system: the corpus's versions alone.
        }

        if (Directory.Exists("/var/lib/apt/lists"))
        {
            var fromLists = new List<string>();
            foreach (string file in Directory.EnumerateFiles("/var/lib/apt/lists", "*_Packages").Order(StringComparer.Ordinal))
            {
                fromLists.AddRange(File.ReadLines(file).Where(l => l.StartsWith("Version: ", StringComparison.Ordinal)).Select(l => l[9..]));
            }

            var rnd = new Random(Seed);
            for (int i = 0; i < 3000 && fromLists.Count > 0; i++)
            {
                dpkg.Add(fromLists[rnd.Next(fromLists.Count)]);
            }
        }

        Assert.True(dpkg.Count > 10, $"{dpkg.Count} dpkg versions");
        Assert.True(rpm.Count > 200, $"{rpm.Count} rpm versions");
        AssertAgree(VersionScheme.Dpkg, Pairs([.. dpkg]));
        AssertAgree(VersionScheme.Rpm, Pairs([.. rpm]));
    }

    [Theory]
    [InlineData(VersionScheme.Dpkg, "1.0\u0001-1")]
    [InlineData(VersionScheme.Dpkg, "1.0\uFFF0-1")]
    public void Key_StringTheKeyCannotHold_HasNoKeyButTheComparerStillOrdersIt(VersionScheme scheme, string version)
    {
        Assert.Null(VersionKey.For(scheme, version));
        Assert.True(VersionComparer.TryCompare(scheme, version, "1.0-1", out int r));
        Assert.Equal(1, r);
    }

    [Fact]
    public void Key_LongDigitRun_HasNoKey()
    {
        string version = "1." + new string('7', 5000);
        Assert.Null(VersionKey.Dpkg(version));
        Assert.Null(VersionKey.Rpm(version));
        Assert.NotNull(VersionKey.Dpkg("1." + new string('7', 4000)));
    }

    [Theory]
    [InlineData(VersionScheme.Dpkg, "1.0", "1.00")]
    [InlineData(VersionScheme.Dpkg, "0:1.0-0", "1.0")]
    [InlineData(VersionScheme.Dpkg, "1.0.", "1.0.0")]
    [InlineData(VersionScheme.Rpm, "0:1.0-1", "1.0-1")]
    [InlineData(VersionScheme.Rpm, "1.0.", "1_0")]
    public void Key_VersionsTheComparerCallsEqual_ShareOneKey(VersionScheme scheme, string a, string b)
    {
        Assert.True(VersionComparer.TryCompare(scheme, a, b, out int r));
        Assert.Equal(0, r);
        Assert.Equal(VersionKey.For(scheme, a), VersionKey.For(scheme, b));
    }

    [Theory]
    [InlineData(VersionScheme.Dpkg, "")]
    [InlineData(VersionScheme.Dpkg, "1:")]
    [InlineData(VersionScheme.Dpkg, "a b")]
    [InlineData(VersionScheme.Rpm, "")]
    [InlineData(VersionScheme.Rpm, "1:")]
    [InlineData(VersionScheme.SemVer, "1.0.0")]
    public void Key_UnorderedStringOrSchemeWithoutKeys_IsNull(VersionScheme scheme, string version)
    {
        Assert.Null(VersionKey.For(scheme, version));
    }

    private static void AssertAgree(VersionScheme scheme, List<(string A, string B)> pairs)
    {
        var failures = new List<string>();
        int keyed = 0;
        foreach (var (a, b) in pairs)
        {
            bool ordered = VersionComparer.TryCompare(scheme, a, b, out int want);
            string? ka = VersionKey.For(scheme, a), kb = VersionKey.For(scheme, b);
            if (ka is null || kb is null)
            {
                // No key: the matcher asks the comparer, so only a key for a string the comparer cannot read would be wrong.
                if ((ka is not null && !VersionComparer.TryCompare(scheme, a, a, out _)) || (kb is not null && !VersionComparer.TryCompare(scheme, b, b, out _)))
                {
                    failures.Add($"'{a}' '{b}': a key for a string the comparer cannot order");
                }

                continue;
            }

            keyed++;
            int got = Math.Sign(string.CompareOrdinal(ka, kb));
            if (!ordered || got != want)
            {
                failures.Add($"'{a}' '{b}': comparer {(ordered ? want.ToString(CultureInfo.InvariantCulture) : "unknown")}, keys {got}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {pairs.Count} disagree:\n" + string.Join('\n', failures.Take(40)));
        Assert.True(keyed > pairs.Count / 2, $"only {keyed} of {pairs.Count} pairs had keys on both sides");
    }

    private static List<(string, string)> VectorPairs(string file, string property)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(Corpus.Require(Path.Combine("advisories/versions", file))));
        return [.. doc.RootElement.GetProperty(property).EnumerateArray().SelectMany(p =>
        {
            string a = p.GetProperty("a").GetString()!, b = p.GetProperty("b").GetString()!;
            return new[] { (a, b), (b, a) };
        })];
    }

    // Seeded pairs made of the pieces versions are made of; a quarter are one string and a small change of it (the close calls).
    private static List<(string, string)> Generated(string[] pieces, int count)
    {
        var rnd = new Random(Seed);
        string Make()
        {
            string s = rnd.Next(3) == 0 ? string.Empty : rnd.Next(0, 12).ToString(CultureInfo.InvariantCulture);
            for (int i = rnd.Next(1, 7); i > 0; i--)
            {
                s += pieces[rnd.Next(pieces.Length)];
            }

            return s;
        }

        var pairs = new List<(string, string)>(count);
        while (pairs.Count < count)
        {
            string a = Make();
            string b = rnd.Next(4) switch
            {
                0 => a + pieces[rnd.Next(pieces.Length)],
                1 when a.Length > 1 => a[..^1],
                2 => pieces[rnd.Next(pieces.Length)] + a,
                _ => Make(),
            };
            pairs.Add((a, b));
        }

        return pairs;
    }

    // Neighbours in ordinal order (the close calls) and seeded random pairs.
    private static List<(string, string)> Pairs(string[] versions)
    {
        var pairs = new List<(string, string)>();
        for (int i = 1; i < versions.Length; i++)
        {
            pairs.Add((versions[i - 1], versions[i]));
            pairs.Add((versions[i], versions[i - 1]));
        }

        var rnd = new Random(Seed);
        for (int i = 0; i < versions.Length * 4; i++)
        {
            pairs.Add((versions[rnd.Next(versions.Length)], versions[rnd.Next(versions.Length)]));
        }

        return pairs;
    }
}
