using PatchKit.Lifecycle.Repair;
using PatchKit.Lifecycle.Report;
using PatchKit.Tests.Advisories.Versions;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Cli.Commands;

/// <summary>`patchkit plan` and `patchkit run` with `--advisories`: the Resolve stage reads real OSV records beside or instead of the
/// JSON catalog, through the real CLI process over a simulated fleet whose hosts list their OS and packages.</summary>
public sealed class AdvisoryRunTests
{
    // web1 has the nginx DSA-3029-1 fixes; jammy1 an openssh older than USN-6859-1's fix; noble1 the fixed openssh; esx01 lists no packages.
    private const string Fleet = """
        { "startTime": "2026-01-05T00:00:00+00:00",
          "hosts": [
            { "id": "esx01", "kind": "Esx", "version": "8.0.2", "build": "22380479", "cluster": "c1", "tags": ["prod"] },
            { "id": "web1", "kind": "Linux", "version": "3.2", "cluster": "c1", "tags": ["prod"], "os": { "id": "debian", "versionId": "7" },
              "packages": [ { "format": "Dpkg", "name": "nginx-full", "version": "1.2.1-2.2+wheezy2", "architecture": "amd64", "sourceName": "nginx" },
                            { "format": "Dpkg", "name": "zlib1g", "version": "1:1.2.7.dfsg-13", "architecture": "amd64", "sourceName": "zlib" } ] },
            { "id": "jammy1", "kind": "Linux", "version": "5.15", "cluster": "c1", "tags": ["prod"], "os": { "id": "ubuntu", "versionId": "22.04" },
              "packages": [ { "format": "Dpkg", "name": "openssh-server", "version": "1:8.9p1-3ubuntu0.9", "architecture": "amd64", "sourceName": "openssh" } ] },
            { "id": "noble1", "kind": "Linux", "version": "6.8", "cluster": "c1", "tags": ["prod"], "os": { "id": "ubuntu", "versionId": "24.04" },
              "packages": [ { "format": "Dpkg", "name": "openssh-server", "version": "1:9.6p1-3ubuntu13.3", "architecture": "amd64", "sourceName": "openssh" } ] }
          ] }
        """;

    private const string Policy = """
        { "approval": { "minimumSeverity": "None", "autoApproveAfterDays": 0 },
          "windows": [ { "days": [], "start": "22:00:00", "duration": "06:00:00", "timeZone": "Europe/Berlin" } ],
          "maxConcurrency": 2, "errorBudget": 1, "requireLab": false }
        """;

    private const string Web1Reason = "web1: nginx-full (source nginx) 1.2.1-2.2+wheezy2 installed is affected by DSA-3029-1 for Debian:7, fixed in 1.2.1-2.2+wheezy3";
    private const string Jammy1Reason = "jammy1: openssh-server (source openssh) 1:8.9p1-3ubuntu0.9 installed is affected by USN-6859-1 for Ubuntu:22.04:LTS, fixed in 1:8.9p1-3ubuntu0.10";

    private static TempDir Setup()
    {
        var dir = new TempDir();
        string advisories = Path.Combine(dir.Path, "adv");
        Directory.CreateDirectory(advisories);
        File.Copy(Corpus.Require("advisories/osv/debian/DSA-3029-1.json"), Path.Combine(advisories, "DSA-3029-1.json"));
        File.Copy(Corpus.Require("advisories/osv/ubuntu/USN-6859-1.json"), Path.Combine(advisories, "USN-6859-1.json"));
        File.WriteAllText(Path.Combine(dir.Path, "fleet.json"), Fleet);
        File.WriteAllText(Path.Combine(dir.Path, "policy.json"), Policy);
        return dir;
    }

    [CorpusFact("advisories/osv/ubuntu/USN-6859-1.json")]
    public void Run_AdvisoriesInsteadOfCatalog_PatchesWhatTheAdvisoriesSayIsMissingAndSaysWhy()
    {
        using TempDir dir = Setup();

        var (code, output, error) = CliRunner.RunProcess(dir.Path, "run", "-f", "fleet.json", "-a", "adv", "-p", "policy.json", "-r", "r1", "-q");

        Assert.True(code == 0, $"exit {code}: {error}");
        Assert.Contains("fixes: DSA-3029-1 (CVE-2014-3616) on " + Web1Reason + "\n", output, StringComparison.Ordinal);
        Assert.Contains("fixes: USN-6859-1 (CVE-2024-6387) on " + Jammy1Reason + "\n", output, StringComparison.Ordinal); // its upstream names UBUNTU-CVE-2024-6387: the CVE is taken from it
        var report = ReportRenderer.FromJson(File.ReadAllBytes(Path.Combine(dir.Path, "patchkit-reports", "patchkit-report-r1.json")));
        Assert.Equal(["DSA-3029-1"], Host(report, "web1").PatchesApplied);
        Assert.Equal(HostOutcomeState.Patched, Host(report, "web1").State);
        Assert.Equal(["USN-6859-1"], Host(report, "jammy1").PatchesApplied);
        Assert.Equal(HostOutcomeState.NotApplicable, Host(report, "noble1").State); // openssh already at the fixed version
        Assert.Equal(HostOutcomeState.NotApplicable, Host(report, "esx01").State); // lists no packages: no OSV record is for it
        Assert.Collection(report.Fixes,
            f =>
            {
                Assert.Equal("DSA-3029-1", f.PatchId);
                Assert.Equal(["CVE-2014-3616"], f.Cves);
                Assert.Equal([Web1Reason], f.Hosts);
            },
            f =>
            {
                Assert.Equal("USN-6859-1", f.PatchId);
                Assert.Equal(["CVE-2024-6387"], f.Cves);
                Assert.Equal([Jammy1Reason], f.Hosts);
            });
        string md = File.ReadAllText(Path.Combine(dir.Path, "patchkit-reports", "patchkit-report-r1.md"));
        Assert.Contains("| DSA-3029-1 | CVE-2014-3616 | " + Web1Reason + " |", md, StringComparison.Ordinal);
        string html = File.ReadAllText(Path.Combine(dir.Path, "patchkit-reports", "patchkit-report-r1.html"));
        Assert.Contains("<h2>Advisories fixed</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>USN-6859-1</td><td>CVE-2024-6387</td><td>" + System.Net.WebUtility.HtmlEncode(Jammy1Reason) + "</td></tr>", html, StringComparison.Ordinal);
    }

    [CorpusFact("advisories/osv/ubuntu/USN-6859-1.json")]
    public void Plan_CatalogAndAdvisories_BothSourcesPlannedAndTheAdvisoryExplained()
    {
        using TempDir dir = Setup();

        var (code, output, error) = CliRunner.RunProcess(dir.Path, "plan", "-f", "fleet.json", "-c", RepoFiles.Example("catalog.json"), "--advisories", "adv", "-p", "policy.json");

        Assert.True(code == 0, $"exit {code}: {error}");
        Assert.Contains("Advisories fixed:\n", output, StringComparison.Ordinal);
        Assert.Contains("    " + Web1Reason + "\n", output, StringComparison.Ordinal);
        Assert.Contains("    " + Jammy1Reason + "\n", output, StringComparison.Ordinal);
        Assert.Contains("ESXi80U2", output, StringComparison.Ordinal); // the JSON catalog's ESXi patch is planned for esx01
        Assert.DoesNotContain("noble1:", output, StringComparison.Ordinal);
    }

    [CorpusFact("advisories/osv/ubuntu/USN-6859-1.json")]
    public void Run_AdvisoriesFolderMissing_Exit2NamingIt()
    {
        using TempDir dir = Setup();

        var (code, output, error) = CliRunner.RunProcess(dir.Path, "run", "-f", "fleet.json", "-a", "no-such-folder", "-p", "policy.json", "-q");

        Assert.Equal(2, code);
        Assert.Contains("the advisories 'no-such-folder': no such file or folder", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, output);
    }

    [CorpusFact("advisories/broken/csaf/vulnerabilities-object.json")]
    public void Plan_BrokenAdvisory_Exit2NamingTheFileAndPath()
    {
        using TempDir dir = Setup();
        File.Copy(Corpus.Require("advisories/broken/csaf/vulnerabilities-object.json"), Path.Combine(dir.Path, "adv", "zz-broken.json"));

        var (code, _, error) = CliRunner.RunProcess(dir.Path, "plan", "-f", "fleet.json", "-a", "adv", "-p", "policy.json");

        Assert.Equal(2, code);
        Assert.Contains("zz-broken.json", error, StringComparison.Ordinal);
        Assert.Contains("$.vulnerabilities", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_NeitherCatalogNorAdvisories_Exit2()
    {
        using var dir = new TempDir();
        var (code, _, error) = CliRunner.RunProcess(dir.Path, "plan", "-f", RepoFiles.Example("fleet.json"), "-p", RepoFiles.Example("policy.json"));

        Assert.Equal(2, code);
        Assert.Contains("option '--catalog' or '--advisories' is required", error, StringComparison.Ordinal);
    }

    private static HostReport Host(PatchRunReport report, string id) => report.Hosts.Single(h => h.HostId == id);
}
