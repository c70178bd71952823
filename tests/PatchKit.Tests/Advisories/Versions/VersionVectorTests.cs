using System.Text.Json;
using PatchKit.Advisories.Versions;

namespace PatchKit.Tests.Advisories.Versions;

/// <summary>Every vector of ../shared/corpus/advisories/versions, judged by dpkg 1.21, librpm 4.18 and node-semver: 100 % agreement.</summary>
public sealed class VersionVectorTests
{
    private const string Folder = "advisories/versions";

    [CorpusFact(Folder + "/debian.json")]
    public void Dpkg_AllCorpusPairs_AgreeWithDpkg()
    {
        AssertPairs(Load("debian.json").GetProperty("pairs"), "order", VersionComparer.For(VersionScheme.Dpkg).TryCompare, expectedCount: 497);
    }

    [CorpusFact(Folder + "/debian.json")]
    public void Dpkg_WarnedStrings_AreNotValid()
    {
        foreach (JsonElement s in Load("debian.json").GetProperty("warned").EnumerateArray())
        {
            Assert.False(VersionComparer.IsValid(VersionScheme.Dpkg, s.GetString()), s.GetString());
        }
    }

    [CorpusFact(Folder + "/rpm.json")]
    public void RpmVerCmp_AllCorpusPairs_AgreeWithLibrpm()
    {
        AssertPairs(Load("rpm.json").GetProperty("vercmp"), "order", static (a, b, out r) =>
        {
            r = RpmVersionComparer.RpmVerCmp(a, b);
            return true;
        }, expectedCount: 372);
    }

    [CorpusFact(Folder + "/rpm.json")]
    public void Rpm_AllCorpusEvrPairs_AgreeWithLabelCompare()
    {
        AssertPairs(Load("rpm.json").GetProperty("evr"), "order", VersionComparer.For(VersionScheme.Rpm).TryCompare, expectedCount: 454);
    }

    [CorpusFact(Folder + "/semver.json")]
    public void SemVer_AllCorpusPairs_AgreeWithNodeSemver()
    {
        AssertPairs(Load("semver.json").GetProperty("pairs"), "order", VersionComparer.For(VersionScheme.SemVer).TryCompare, expectedCount: 288);
    }

    [CorpusFact(Folder + "/semver.json")]
    public void SemVer_ValidAndInvalidLists_AreReadAsListed()
    {
        JsonElement root = Load("semver.json");
        foreach (JsonElement s in root.GetProperty("valid").EnumerateArray())
        {
            Assert.True(VersionComparer.IsValid(VersionScheme.SemVer, s.GetString()), "valid: " + s.GetString());
        }

        foreach (JsonElement s in root.GetProperty("invalid").EnumerateArray())
        {
            Assert.False(VersionComparer.IsValid(VersionScheme.SemVer, s.GetString()), "invalid: " + s.GetString());
            Assert.False(VersionComparer.TryCompare(VersionScheme.SemVer, s.GetString(), "1.0.0", out _), "compared: " + s.GetString());
        }
    }

    [CorpusFact(Folder + "/esxi.json")]
    public void EsxiRelease_AllCorpusPairs_AgreeWithReleaseOrder()
    {
        JsonElement root = Load("esxi.json");
        AssertPairs(root.GetProperty("pairs"), "release_order", VersionComparer.For(VersionScheme.EsxiRelease).TryCompare, expectedCount: 192);
        AssertPairs(root.GetProperty("pairs_9x"), "release_order", VersionComparer.For(VersionScheme.EsxiRelease).TryCompare, expectedCount: 30);
    }

    [CorpusFact(Folder + "/esxi.json")]
    public void EsxiBuild_AllCorpusPairs_AgreeWithBuildOrderAndNullIsUnknown()
    {
        AssertPairs(Load("esxi.json").GetProperty("pairs"), "build_order", VersionComparer.For(VersionScheme.EsxiBuild).TryCompare, expectedCount: 192);
    }

    private delegate bool TryCompareFn(ReadOnlySpan<char> a, ReadOnlySpan<char> b, out int result);

    private static void AssertPairs(JsonElement pairs, string field, TryCompareFn compare, int expectedCount)
    {
        var failures = new List<string>();
        int count = 0;
        foreach (JsonElement p in pairs.EnumerateArray())
        {
            count++;
            string a = p.GetProperty("a").GetString()!;
            string b = p.GetProperty("b").GetString()!;
            string? want = p.GetProperty(field).GetString();
            string got = compare(a, b, out int r) ? Name(r) : "unknown";
            string gotReverse = compare(b, a, out int rr) ? Name(rr) : "unknown";
            string wantReverse = want switch { "lt" => "gt", "gt" => "lt", null => "unknown", _ => want };
            if (got != (want ?? "unknown") || gotReverse != wantReverse)
            {
                failures.Add($"{a} vs {b}: want {want ?? "unknown"}, got {got} (reverse {gotReverse})");
            }
        }

        Assert.Equal(expectedCount, count);
        Assert.True(failures.Count == 0, $"{failures.Count} of {count} disagree:\n" + string.Join('\n', failures));
    }

    private static string Name(int r) => r < 0 ? "lt" : r > 0 ? "gt" : "eq";

    private static JsonElement Load(string name)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(Corpus.Require(Path.Combine(Folder, name))));
        return doc.RootElement.Clone();
    }
}
