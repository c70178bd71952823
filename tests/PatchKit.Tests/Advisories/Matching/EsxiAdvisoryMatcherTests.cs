using System.Text.Json;
using PatchKit.Advisories.Cve;
using PatchKit.Advisories.Matching;
using PatchKit.Hosts;

namespace PatchKit.Tests.Advisories.Matching;

/// <summary>The ESXi decisions table of vmware/esxi-builds.json (affected 51, fixed 76, not_affected 11, unknown 18) reproduced by the
/// matcher from the VMware CVE JSON 5 records themselves (structured <c>lessThan</c> entries and the older free-text versions), not from
/// the file's extracted rows; the rows the matcher reads are compared with the file's 36 <c>fixes</c> rows.</summary>
public sealed class EsxiAdvisoryMatcherTests
{
    private const string File = "advisories/vmware/esxi-builds.json";

    private static async Task<List<CveRecord>> RecordsAsync()
    {
        var records = new List<CveRecord>();
        foreach (string path in Directory.EnumerateFiles(Corpus.Require("advisories/vmware/cve"), "*.json").Order(StringComparer.Ordinal))
        {
            records.Add(await CveReader.ReadFileAsync(path));
        }

        return records;
    }

    [CorpusFact(File)]
    public async Task Fixes_ReadFromTheCveRecords_AreTheFilesRows()
    {
        var matcher = new EsxiAdvisoryMatcher(await RecordsAsync());
        using JsonDocument doc = JsonDocument.Parse(System.IO.File.ReadAllBytes(Corpus.Require(File)));
        var expected = doc.RootElement.GetProperty("fixes").EnumerateArray()
            .Select(static f => $"{f.GetProperty("cve").GetString()} {f.GetProperty("line").GetString()!.Trim()} {f.GetProperty("fixed_in").GetString() ?? "-"} {(f.GetProperty("default_status").ValueKind == JsonValueKind.Null ? "-" : f.GetProperty("default_status").GetString())}")
            .Order(StringComparer.Ordinal).ToList();
        var got = matcher.Fixes.Select(static f => $"{f.Cve} {f.Line} {f.FixedIn ?? "-"} {f.DefaultStatus ?? "-"}").Order(StringComparer.Ordinal).ToList();

        // The file leaves out the two records whose product is "VMware ESXi, VMware Cloud Foundation" (free text naming ESXi 7.0, 6.7, 6.5);
        // the matcher reads them too.
        var extra = got.Where(static g => g.StartsWith("CVE-2022-3169", StringComparison.Ordinal)).ToList();
        Assert.Equal(36, expected.Count);
        Assert.Equal(expected, got.Except(extra));
        Assert.Equal(
            ["CVE-2022-31696 6.5 ESXi650-202210101-SG -", "CVE-2022-31696 6.7 ESXi670-202210101-SG -", "CVE-2022-31696 7.0 ESXi70U3si-20841705 -",
             "CVE-2022-31699 6.5 ESXi650-202210101-SG -", "CVE-2022-31699 6.7 ESXi670-202210101-SG -", "CVE-2022-31699 7.0 ESXi70U3si-20841705 -"],
            extra);
    }

    [CorpusFact(File)]
    public async Task Match_EveryHostOfTheDecisionsTable_GivesTheExpectedDecisionWithAReason()
    {
        var matcher = new EsxiAdvisoryMatcher(await RecordsAsync());
        using JsonDocument doc = JsonDocument.Parse(System.IO.File.ReadAllBytes(Corpus.Require(File)));
        var counts = new Dictionary<MatchDecision, int>();
        var mismatches = new List<string>();
        var byHost = new Dictionary<string, HostMatchResult>(StringComparer.Ordinal);
        foreach (JsonElement d in doc.RootElement.GetProperty("decisions").EnumerateArray())
        {
            string cve = d.GetProperty("cve").GetString()!;
            string version = d.GetProperty("host_version").GetString()!;
            if (!byHost.TryGetValue(version, out HostMatchResult? result))
            {
                byHost[version] = result = matcher.Match(new HostRecord { Id = version, Kind = HostKind.Esx, Version = version });
            }

            PackageMatch m = result.Matches.Single(x => x.AdvisoryId == cve);
            Assert.Equal(15, result.Matches.Count); // 13 records of the table and CVE-2022-31696/-31699
            Assert.False(string.IsNullOrWhiteSpace(m.Reason));
            Assert.Contains(cve, m.Reason, StringComparison.Ordinal);
            counts[m.Decision] = counts.GetValueOrDefault(m.Decision) + 1;
            string expected = d.GetProperty("expect").GetString()!;
            string got = m.Decision switch
            {
                MatchDecision.Affected => "affected",
                MatchDecision.Fixed => "fixed",
                MatchDecision.NotAffected => "not_affected",
                _ => "unknown",
            };
            if (got != expected)
            {
                mismatches.Add($"{cve} on {version}: expected {expected} ({d.GetProperty("why").GetString()}), got {got}: {m.Reason}");
            }
        }

        Assert.True(mismatches.Count == 0, string.Join('\n', mismatches));
        Assert.Equal(51, counts[MatchDecision.Affected]);
        Assert.Equal(76, counts[MatchDecision.Fixed]);
        Assert.Equal(11, counts[MatchDecision.NotAffected]);
        Assert.Equal(18, counts[MatchDecision.Unknown]);
    }

    [CorpusFact(File)]
    public async Task Match_HostVersionAndBuildApart_ReadAsTheFullVersion()
    {
        var matcher = new EsxiAdvisoryMatcher(await RecordsAsync());

        // ESXi 8.0 U2 build 23305546 (8.0.2-0.30.23305546) against CVE-2024-22252: fixed in ESXi80U2sb-23305545 for update 2.
        HostMatchResult r = matcher.Match(new HostRecord { Id = "esx1", Kind = HostKind.Esx, Version = "8.0.2", Build = "23305546" });
        PackageMatch m = r.Matches.Single(x => x.AdvisoryId == "CVE-2024-22252");
        Assert.Equal(MatchDecision.Fixed, m.Decision);
        Assert.Equal("ESXi 8.0.2-0.0.23305546 installed >= ESXi80U2sb-23305545 fixed in CVE-2024-22252", m.Reason);
        Assert.Equal("VMware ESXi 8.0", m.Ecosystem);

        PackageMatch old = matcher.Match("esx2", "ESXi80U1c-22088125").Matches.Single(x => x.AdvisoryId == "CVE-2024-22252");
        Assert.Equal(MatchDecision.Affected, old.Decision);
        Assert.Equal("ESXi80U1d-23299997", old.FixedVersion);
    }
}
