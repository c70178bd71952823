using System.Text.Json;
using PatchKit.Tests.Advisories.Versions;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Cli.Commands;

/// <summary>`patchkit scan` through the real process: output, exit codes for CI, messages for bad input.</summary>
public sealed class ScanCommandTests
{
    private const string Inventory = """
        { "hosts": [
          { "id": "web1", "os": { "id": "debian", "versionId": "7" },
            "packages": [ { "format": "dpkg", "name": "nginx-full", "version": "1.2.1-2.2+wheezy2", "arch": "amd64", "source": "nginx" },
                          { "format": "dpkg", "name": "zlib1g", "version": "1:1.2.7.dfsg-13", "arch": "amd64", "source": "zlib" } ] },
          { "id": "jammy1", "os": { "id": "ubuntu", "versionId": "22.04" },
            "packages": [ { "format": "dpkg", "name": "openssh-server", "version": "1:8.9p1-3ubuntu0.10", "arch": "amd64", "source": "openssh" } ] }
        ] }
        """;

    private static TempDir Setup(string inventory)
    {
        var dir = new TempDir();
        string advisories = Path.Combine(dir.Path, "adv");
        Directory.CreateDirectory(advisories);
        File.Copy(Corpus.Require("advisories/osv/debian/DSA-3029-1.json"), Path.Combine(advisories, "DSA-3029-1.json"));
        File.Copy(Corpus.Require("advisories/osv/ubuntu/USN-6859-1.json"), Path.Combine(advisories, "USN-6859-1.json"));
        File.WriteAllText(Path.Combine(dir.Path, "inv.json"), inventory);
        return dir;
    }

    private static (int ExitCode, string Output, string Error) Scan(string dir, params string[] args) =>
        Proc.Run("dotnet", dir, [CliRunner.CliDll, "scan", .. args]);

    [CorpusFact("advisories/osv/ubuntu/USN-6859-1.json")]
    public void Scan_OneHostAffected_TableReasonsAndExit1()
    {
        using TempDir dir = Setup(Inventory);

        var (code, output, error) = Scan(dir.Path, "--inventory", "inv.json", "--advisories", "adv");

        Assert.True(code == 1, $"exit {code}: {error}");
        string[] lines = output.Split('\n');
        Assert.Equal("HOST    PACKAGE         INSTALLED            FIXED                ADVISORY    DECISION", lines[0]);
        Assert.Equal("web1    nginx-full      1.2.1-2.2+wheezy2    1.2.1-2.2+wheezy3    DSA-3029-1  affected", lines[1]);
        Assert.Equal("jammy1  openssh-server  1:8.9p1-3ubuntu0.10  1:8.9p1-3ubuntu0.10  USN-6859-1  fixed", lines[2]);
        Assert.Contains("web1: affected: nginx-full (source nginx) 1.2.1-2.2+wheezy2 installed < 1.2.1-2.2+wheezy3 fixed in DSA-3029-1 for Debian:7\n", output, StringComparison.Ordinal);
        Assert.Contains("jammy1: fixed: openssh-server (source openssh) 1:8.9p1-3ubuntu0.10 installed >= 1:8.9p1-3ubuntu0.10 fixed in USN-6859-1 for Ubuntu:22.04:LTS\n", output, StringComparison.Ordinal);
        Assert.EndsWith("2 host(s), 2 advisories, 1 affected, 0 unknown, 1 host(s) affected\n", output, StringComparison.Ordinal);
        Assert.Equal(string.Empty, error);
    }

    [CorpusFact("advisories/osv/ubuntu/USN-6859-1.json")]
    public void Scan_NothingAffected_Exit0()
    {
        using TempDir dir = Setup(Inventory.Replace("1.2.1-2.2+wheezy2", "1.2.1-2.2+wheezy3", StringComparison.Ordinal));

        var (code, output, error) = Scan(dir.Path, "-i", "inv.json", "-a", "adv");

        Assert.True(code == 0, $"exit {code}: {error}");
        Assert.EndsWith("2 host(s), 2 advisories, 0 affected, 0 unknown, 0 host(s) affected\n", output, StringComparison.Ordinal);
    }

    [CorpusFact("advisories/osv/ubuntu/USN-6859-1.json")]
    public void Scan_Json_DecisionsPerHost()
    {
        using TempDir dir = Setup(Inventory);

        var (code, output, error) = Scan(dir.Path, "-i", "inv.json", "-a", "adv", "--json");

        Assert.True(code == 1, $"exit {code}: {error}");
        using JsonDocument doc = JsonDocument.Parse(output);
        JsonElement root = doc.RootElement;
        Assert.True(root.GetProperty("affected").GetBoolean());
        Assert.Equal(2, root.GetProperty("advisories").GetInt32());
        JsonElement web1 = root.GetProperty("hosts")[0];
        Assert.Equal("web1", web1.GetProperty("id").GetString());
        Assert.Equal("Debian:7", web1.GetProperty("ecosystem").GetString());
        JsonElement decision = Assert.Single(web1.GetProperty("decisions").EnumerateArray());
        Assert.Equal("affected", decision.GetProperty("decision").GetString());
        Assert.Equal("nginx", decision.GetProperty("advisoryPackage").GetString());
        Assert.Equal("1.2.1-2.2+wheezy3", decision.GetProperty("fixed").GetString());
        Assert.Equal("nginx-full (source nginx) 1.2.1-2.2+wheezy2 installed < 1.2.1-2.2+wheezy3 fixed in DSA-3029-1 for Debian:7", decision.GetProperty("reason").GetString());
        JsonElement jammy = root.GetProperty("hosts")[1];
        Assert.False(jammy.GetProperty("affected").GetBoolean());
        Assert.Equal("fixed", Assert.Single(jammy.GetProperty("decisions").EnumerateArray()).GetProperty("decision").GetString());
    }

    [CorpusTheory("advisories/osv/ubuntu/USN-6859-1.json")]
    [InlineData("""{"hosts":[{"id":"x","os":{"id":"debian"},"packages":[{"format":"dpkg","name":"a","version":3}]}]}""", "patchkit: inv.json: $.hosts[0].packages[0].version: expected a string, found a number")]
    [InlineData("""{"hosts":[{"id":"x","packages":[]}]}""", "patchkit: inv.json: $.hosts[0].os: required member is missing")]
    [InlineData("""{"hosts":[{"id":"x","os":{"id":"debian"},"packages":[{"format":"msi","name":"a","version":"1"}]}]}""", "patchkit: inv.json: $.hosts[0].packages[0].format: 'msi' is not one of dpkg, rpm, apk, unknown")]
    [InlineData("{\"hosts\":[\n  {\"id\": }", "patchkit: inv.json: invalid JSON at line 2, byte 10")]
    public void Scan_BadInventory_Exit2NamingFileAndPath(string inventory, string message)
    {
        using TempDir dir = Setup(inventory);

        var (code, output, error) = Scan(dir.Path, "-i", "inv.json", "-a", "adv");

        Assert.Equal(2, code);
        Assert.Equal(message + "\n", error);
        Assert.Equal(string.Empty, output);
    }

    [CorpusFact("advisories/osv/ubuntu/USN-6859-1.json")]
    public void Scan_BrokenAdvisory_Exit2NamingTheFileWithoutAStackTrace()
    {
        using TempDir dir = Setup(Inventory);
        File.WriteAllText(Path.Combine(dir.Path, "adv", "zz-broken.json"), "{\"id\": \"X\", \"modified\": 5}");

        var (code, _, error) = Scan(dir.Path, "-i", "inv.json", "-a", "adv");

        Assert.Equal(2, code);
        Assert.StartsWith("patchkit: ", error, StringComparison.Ordinal);
        Assert.Contains("zz-broken.json", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [CorpusFact("advisories/osv/ubuntu/USN-6859-1.json")]
    public void Scan_NeitherInventoryNorThisMachine_Exit2()
    {
        using TempDir dir = Setup(Inventory);

        var (code, _, error) = Scan(dir.Path, "-a", "adv");

        Assert.Equal(2, code);
        Assert.StartsWith("patchkit scan: give either '--inventory FILE' or '--from-this-machine'\n", error, StringComparison.Ordinal);
    }

    [ReferenceToolFact("dpkg", "advisories/osv/debian")]
    public void Scan_FromThisMachine_OneHostScanned()
    {
        using TempDir dir = Setup(Inventory);

        var (code, output, error) = Scan(dir.Path, "--from-this-machine", "-a", "adv", "--json");

        Assert.True(code is 0 or 1, $"exit {code}: {error}");
        using JsonDocument doc = JsonDocument.Parse(output);
        JsonElement host = Assert.Single(doc.RootElement.GetProperty("hosts").EnumerateArray());
        Assert.Equal(Environment.MachineName, host.GetProperty("id").GetString());
        Assert.Equal(code == 1, host.GetProperty("affected").GetBoolean());
    }

    private const string MixedInventory = """
        { "hosts": [
          { "id": "esx1", "kind": "esx", "version": "ESXi80U2e-24789317", "os": { "id": "esxi" } },
          { "id": "sp1", "os": { "id": "windows", "name": "Microsoft Windows Server 2019 Datacenter", "build": "10.0.17763.7009" },
            "packages": [ { "format": "unknown", "name": "Microsoft SharePoint Server 2019", "version": "16.0.10417.20020" } ], "kbs": [ "KB5002700" ] },
          { "id": "kvm1", "os": { "id": "rhel", "versionId": "8.10" },
            "packages": [ { "format": "rpm", "name": "qemu-kvm", "version": "15:6.2.0-50.module+el8.10.0+22027+db0a70a4", "arch": "x86_64" } ] }
        ] }
        """;

    [CorpusFact("advisories/vmware/cve/CVE-2025-41236.json")]
    public void Scan_EsxiWindowsAndRhelFromCveCsafAndErrata_OneReportWithRemediations()
    {
        using var dir = new TempDir();
        string adv = Path.Combine(dir.Path, "adv");
        Directory.CreateDirectory(adv);
        File.Copy(Corpus.Require("advisories/vmware/cve/CVE-2025-41236.json"), Path.Combine(adv, "CVE-2025-41236.json"));
        File.Copy(Corpus.Require("advisories/csaf/vendor/microsoft/msrc_cve-2025-49701.json"), Path.Combine(adv, "msrc_cve-2025-49701.json"));
        File.Copy(Corpus.Require("advisories/csaf/vendor/redhat/rhsa-2024_4420.json"), Path.Combine(adv, "rhsa-2024_4420.json"));
        File.WriteAllText(Path.Combine(dir.Path, "inv.json"), MixedInventory);

        var (code, output, error) = Scan(dir.Path, "--inventory", "inv.json", "--advisories", "adv");

        Assert.True(code == 1, $"exit {code}: {error}");
        Assert.Contains("esx1: fixed: ESXi ESXi80U2e-24789317 installed >= ESXi80U2e-24789317 fixed in CVE-2025-41236\n", output, StringComparison.Ordinal);
        Assert.Contains("sp1: affected: Microsoft SharePoint Server 2019 16.0.10417.20020 installed < 16.0.10417.20027 fixed in msrc_CVE-2025-49701 (CVE-2025-49701); fix: KB5002741 is not installed (fix: KB5002741 https://support.microsoft.com/help/5002741)\n", output, StringComparison.Ordinal);
        Assert.Contains("kvm1: fixed: qemu-kvm (x86_64) 15:6.2.0-50.module+el8.10.0+22027+db0a70a4 installed >= 15:6.2.0-50.module+el8.10.0+22027+db0a70a4 fixed in RHSA-2024:4420 (CVE-2024-4467) for Red Hat Enterprise Linux AppStream (v. 8)\n", output, StringComparison.Ordinal);
        Assert.EndsWith("3 host(s), 3 advisories, 1 affected, 0 unknown, 1 host(s) affected\n", output, StringComparison.Ordinal);

        var (jsonCode, json, _) = Scan(dir.Path, "--inventory", "inv.json", "--advisories", "adv", "--json");
        Assert.Equal(1, jsonCode);
        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement sp = doc.RootElement.GetProperty("hosts").EnumerateArray().Single(static h => h.GetProperty("id").GetString() == "sp1");
        JsonElement d = Assert.Single(sp.GetProperty("decisions").EnumerateArray());
        Assert.Equal("CVE-2025-49701", d.GetProperty("vulnerability").GetString());
        Assert.Equal("KB5002741 https://support.microsoft.com/help/5002741", d.GetProperty("remediation").GetString());
    }

    [Fact]
    public void Scan_UnknownHostKind_Exit2NamesThePath()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(Path.Combine(dir.Path, "adv"));
        File.WriteAllText(Path.Combine(dir.Path, "inv.json"), """{ "hosts": [ { "id": "x", "kind": "mainframe", "os": { "id": "zos" } } ] }""");

        var (code, _, error) = Scan(dir.Path, "--inventory", "inv.json", "--advisories", "adv");

        Assert.Equal(2, code);
        Assert.Equal("patchkit: inv.json: $.hosts[0].kind: 'mainframe' is not one of linux, kvm, windows, esx\n", error);
    }
}
