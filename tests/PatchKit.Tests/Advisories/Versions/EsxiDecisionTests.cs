using System.Globalization;
using System.Text.Json;
using PatchKit.Advisories.Versions;

namespace PatchKit.Tests.Advisories.Versions;

/// <summary>
/// The ESXi orderings put to use: vmware/esxi-builds.json's 156 per-host decisions (affected 51, fixed 76, not_affected 11, unknown 18),
/// derived from its fixed-release rows by the rules written in the file, reproduced here with the <see cref="VersionScheme.EsxiRelease"/>
/// comparer. This is a proof of the comparer, not the matcher: the rules are applied in the test as the file states them.
/// </summary>
public sealed class EsxiDecisionTests
{
    private const string File = "advisories/vmware/esxi-builds.json";

    [CorpusFact(File)]
    public void Decisions_FromFixRowsAndReleaseOrder_MatchEveryExpectedOutcome()
    {
        using JsonDocument doc = JsonDocument.Parse(System.IO.File.ReadAllBytes(Corpus.Require(File)));
        var fixes = doc.RootElement.GetProperty("fixes").EnumerateArray().Select(static f => (
            Cve: f.GetProperty("cve").GetString()!,
            Line: f.GetProperty("line").GetString()!.Trim(),   // CVE-2024-22252/-22255 write "8.0 " (trailing space)
            FixedIn: f.GetProperty("fixed_in").GetString(),
            DefaultStatus: f.GetProperty("default_status").ValueKind == JsonValueKind.Null ? null : f.GetProperty("default_status").GetString())).ToList();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var mismatches = new List<string>();
        foreach (JsonElement d in doc.RootElement.GetProperty("decisions").EnumerateArray())
        {
            string cve = d.GetProperty("cve").GetString()!;
            string host = d.GetProperty("host_version").GetString()!;
            string expected = d.GetProperty("expect").GetString()!;
            string got = Decide([.. fixes.Where(f => f.Cve == cve).Select(static f => (f.Line, f.FixedIn, f.DefaultStatus))], host);
            counts[got] = counts.GetValueOrDefault(got) + 1;
            if (got != expected)
            {
                mismatches.Add($"{cve} on {host}: expected {expected} ({d.GetProperty("why").GetString()}), got {got}");
            }
        }

        Assert.True(mismatches.Count == 0, string.Join('\n', mismatches));
        Assert.Equal(51, counts["affected"]);
        Assert.Equal(76, counts["fixed"]);
        Assert.Equal(11, counts["not_affected"]);
        Assert.Equal(18, counts["unknown"]);
    }

    private static string Decide(List<(string Line, string? FixedIn, string? DefaultStatus)> rows, string host)
    {
        Assert.True(EsxiVersion.TryParse(host, out EsxiVersion h), host);
        string line = string.Create(CultureInfo.InvariantCulture, $"{h.Major}.{h.Minor}");
        var onLine = rows.Where(r => r.Line == line).ToList();
        if (onLine.Count == 0)
        {
            // A line the record does not name: unaffected by default, or unknown when the record has no defaultStatus.
            return rows.All(static r => r.DefaultStatus == "unaffected") ? "not_affected" : "unknown";
        }

        if (onLine.Any(static r => r.FixedIn is null))
        {
            return "affected";
        }

        var fixesByUpdate = onLine.Select(static r => (Fix: r.FixedIn!, Parsed: Parse(r.FixedIn!))).ToList();
        var sameLine = fixesByUpdate.Where(f => f.Parsed.Update == h.Update).ToList();
        if (sameLine.Count > 0)
        {
            // Fixed when the host is at or past the fix of its own update line (release order: same line, so build decides).
            Assert.True(VersionComparer.TryCompare(VersionScheme.EsxiRelease, host, sameLine[0].Fix, out int order));
            return order >= 0 ? "fixed" : "affected";
        }

        return fixesByUpdate.Any(f => f.Parsed.Update > h.Update) ? "affected" : "fixed";
    }

    private static EsxiVersion Parse(string s)
    {
        Assert.True(EsxiVersion.TryParse(s, out EsxiVersion v), s);
        return v;
    }
}
