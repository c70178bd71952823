using System.Text.Json;
using PatchKit.Advisories;
using PatchKit.Advisories.Osv;

namespace PatchKit.Tests.Advisories.Osv;

/// <summary>The linter against osv/osv-schema/expectations.json (what the OSV project's own linter tests expect).</summary>
public sealed class OsvLinterTests
{
    private const string Folder = "advisories/osv/osv-schema";

    public static TheoryData<string> LinterCases()
    {
        var data = new TheoryData<string>();
        string? path = Corpus.Find(Folder + "/expectations.json");
        if (path is not null)
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(path));
            foreach (JsonElement c in doc.RootElement.GetProperty("linter").EnumerateArray())
            {
                data.Add(c.GetProperty("file").GetString()!);
            }
        }

        return data;
    }

    [CorpusTheory(Folder + "/expectations.json")]
    [MemberData(nameof(LinterCases))]
    public async Task Lint_ExpectationsFile_FindsWhatTheOsvLinterFinds(string file)
    {
        (string check, string expect) = Expectation(file);
        string path = Corpus.Require(Path.Combine(Folder, file));
        OsvRecord record = await OsvReader.ReadFileAsync(path);
        IReadOnlyList<AdvisoryFinding> findings = OsvLinter.Lint(record, path);
        string shown = string.Join('\n', findings);
        if (expect.StartsWith("finding: [RNG:", StringComparison.Ordinal))
        {
            string code = expect[10..17];
            AdvisoryFinding f = Assert.Single(findings);
            Assert.Equal(code, f.Check);
            Assert.Equal(path, f.Document);
            Assert.StartsWith("$.affected[", f.JsonPath, StringComparison.Ordinal);
        }
        else if (expect.StartsWith("finding: Invalid Affected", StringComparison.Ordinal))
        {
            AdvisoryFinding f = Assert.Single(findings);
            Assert.Equal("RecordHasAffected", f.Check);
            Assert.Equal("$.affected", f.JsonPath);
            Assert.Contains(expect.Contains("no affected field", StringComparison.Ordinal) ? "no affected field" : "affected is empty", f.Message, StringComparison.Ordinal);
        }
        else
        {
            // "no findings", "valid", and registry checks (PackageExists, PKG:001) that an offline reader cannot make: no finding here.
            Assert.True(findings.Count == 0, $"{check}: {expect}\n{shown}");
        }
    }

    [CorpusFact("advisories/osv/osv-schema/linter/nondistinct-CVE-2018-5407.json")]
    public async Task Lint_NonDistinctGitRange_NamesTheRepeatedCommit()
    {
        string path = Corpus.Require(Folder + "/linter/nondistinct-CVE-2018-5407.json");
        AdvisoryFinding f = Assert.Single(OsvLinter.Lint(await OsvReader.ReadFileAsync(path), path));
        Assert.Equal("$.affected[6].ranges[1].events[1]", f.JsonPath);
        Assert.Contains("e818b74be2170fbe957a07b0da4401c2b694b3b8", f.Message, StringComparison.Ordinal);
    }

    private static (string Check, string Expect) Expectation(string file)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(Corpus.Require(Folder + "/expectations.json")));
        JsonElement c = doc.RootElement.GetProperty("linter").EnumerateArray().First(e => e.GetProperty("file").GetString() == file);
        return (c.GetProperty("check").GetString()!, c.GetProperty("expect").GetString()!);
    }
}
