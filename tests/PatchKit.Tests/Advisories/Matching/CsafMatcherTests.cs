using System.Text;
using System.Text.Json;
using PatchKit.Advisories.Csaf;
using PatchKit.Advisories.Matching;
using PatchKit.Hosts;
using PatchKit.Tests.Advisories.Csaf;

namespace PatchKit.Tests.Advisories.Matching;

/// <summary>CSAF product_status matching on the corpus's real documents (Microsoft SharePoint with KB remediations, Red Hat errata with
/// relationships and package URLs, Red Hat VEX with known_affected source packages); each expected outcome is read off the document.</summary>
public sealed class CsafMatcherTests
{
    private const string Vendor = "advisories/csaf/vendor";

    private static HostRecord Host(string id, OsIdentity os, IReadOnlyList<InstalledPackage> packages, string[]? kbs = null, string[]? tags = null) =>
        new()
        {
            Id = id,
            Kind = os.Id == "windows" ? HostKind.Windows : HostKind.Linux,
            Os = os,
            Packages = packages,
            InstalledPatches = [.. (kbs ?? []).Select(static k => new InstalledPatch { PatchId = k })],
            Tags = tags ?? [],
        };

    private static InstalledPackage Rpm(string name, string version, string arch = "x86_64", string source = "") =>
        new() { Format = PackageFormat.Rpm, Name = name, Version = version, Architecture = arch, SourceName = source };

    private static InstalledPackage Software(string name, string version) =>
        new() { Format = PackageFormat.Unknown, Name = name, Version = version };

    [CorpusFact(Vendor + "/microsoft/msrc_cve-2025-49701.json")]
    public async Task Match_SharePointBelowTheRange_AffectedWithTheKbToInstall()
    {
        // msrc_cve-2025-49701: SharePoint Server 2019 known_affected <16.0.10417.20027, fixed 16.0.10417.20027 (product 11585), KB5002741.
        var matcher = new CsafMatcher([await CsafCorpus.ReadAsync("csaf/vendor/microsoft/msrc_cve-2025-49701.json")]);
        HostMatchResult r = matcher.Match(Host("sp1", new OsIdentity { Id = "windows" }, [Software("Microsoft SharePoint Server 2019", "16.0.10417.20020")]));

        PackageMatch m = Assert.Single(r.Matches);
        Assert.Equal(MatchDecision.Affected, m.Decision);
        Assert.Equal("CVE-2025-49701", m.Vulnerability);
        Assert.Equal("msrc_CVE-2025-49701", m.AdvisoryId);
        Assert.Equal("KB5002741 https://support.microsoft.com/help/5002741", m.Remediation);
        Assert.Equal("16.0.10417.20027", m.FixedVersion);
        Assert.Equal("Microsoft SharePoint Server 2019 16.0.10417.20020 installed < 16.0.10417.20027 fixed in msrc_CVE-2025-49701 (CVE-2025-49701); fix: KB5002741 is not installed", m.Reason);
    }

    [CorpusFact(Vendor + "/microsoft/msrc_cve-2025-49701.json")]
    public async Task Match_SharePointAtTheFixOrWithTheKb_Fixed()
    {
        var matcher = new CsafMatcher([await CsafCorpus.ReadAsync("csaf/vendor/microsoft/msrc_cve-2025-49701.json")],
            new Dictionary<string, IReadOnlyList<string>> { ["KB5002760"] = ["KB5002741"] });

        PackageMatch atFix = Assert.Single(matcher.Match(Host("sp1", new OsIdentity { Id = "windows" }, [Software("Microsoft SharePoint Server 2019", "16.0.10417.20027")])).Matches);
        Assert.Equal(MatchDecision.Fixed, atFix.Decision);
        Assert.StartsWith("Microsoft SharePoint Server 2019 16.0.10417.20027 installed >= 16.0.10417.20027 fixed", atFix.Reason, StringComparison.Ordinal);

        PackageMatch kb = Assert.Single(matcher.Match(Host("sp2", new OsIdentity { Id = "windows" }, [Software("Microsoft SharePoint Server 2019", "16.0.10417.20020")], ["KB5002741"])).Matches);
        Assert.Equal(MatchDecision.Fixed, kb.Decision);
        Assert.Contains("KB5002741 installed", kb.Reason, StringComparison.Ordinal);

        // KB5002760 (a later cumulative update, hypothetical) supersedes KB5002741: installed, it fixes the vulnerability too.
        PackageMatch superseded = Assert.Single(matcher.Match(Host("sp3", new OsIdentity { Id = "windows" }, [Software("Microsoft SharePoint Server 2019", "16.0.10417.20020")], ["KB5002760"])).Matches);
        Assert.Equal(MatchDecision.Fixed, superseded.Decision);

        // Another SharePoint edition is not this product; an unknown edition gives nothing.
        Assert.Empty(matcher.Match(Host("sp4", new OsIdentity { Id = "windows" }, [Software("Microsoft SharePoint Server 2013", "15.0.5589.1000")])).Matches);
    }

    // The corpus has no Windows OS advisory (its README says so); this document is written in the shape of MSRC's CSAF for Windows
    // (product_version_range "<build.UBR" per product, the fixed build as a product_version, the KB in the vendor_fix remediation).
    private const string WindowsAdvisory = """
        { "document": { "category": "csaf_security_advisory", "csaf_version": "2.0", "title": "Windows test advisory",
            "publisher": { "category": "vendor", "name": "Microsoft Security Response Center", "namespace": "https://msrc.microsoft.com" },
            "tracking": { "id": "msrc_CVE-2099-0001", "status": "final", "version": "1", "initial_release_date": "2025-07-08T07:00:00Z",
              "current_release_date": "2025-07-08T07:00:00Z", "revision_history": [ { "number": "1", "date": "2025-07-08T07:00:00Z", "summary": "x" } ] } },
          "product_tree": { "branches": [ { "category": "vendor", "name": "Microsoft", "branches": [
            { "category": "product_name", "name": "Windows Server 2022", "branches": [
              { "category": "product_version_range", "name": "<10.0.20348.3932", "product": { "product_id": "1", "name": "Windows Server 2022" } },
              { "category": "product_version", "name": "10.0.20348.3932", "product": { "product_id": "101", "name": "Windows Server 2022" } } ] },
            { "category": "product_name", "name": "Windows 11 Version 23H2 for x64-based Systems", "branches": [
              { "category": "product_version_range", "name": "<10.0.22631.5624", "product": { "product_id": "2", "name": "Windows 11 Version 23H2 for x64-based Systems" } },
              { "category": "product_version", "name": "10.0.22631.5624", "product": { "product_id": "102", "name": "Windows 11 Version 23H2 for x64-based Systems" } } ] } ] } ] },
          "vulnerabilities": [ { "cve": "CVE-2099-0001",
            "product_status": { "known_affected": [ "1", "2" ], "fixed": [ "101", "102" ] },
            "remediations": [
              { "category": "vendor_fix", "details": "Security Update", "url": "https://catalog.update.microsoft.com/v7/site/Search.aspx?q=KB5062572", "product_ids": [ "1" ] },
              { "category": "vendor_fix", "details": "Security Update", "url": "https://catalog.update.microsoft.com/v7/site/Search.aspx?q=KB5062552", "product_ids": [ "2" ] } ] } ] }
        """;

    [Theory]
    [InlineData("Microsoft Windows Server 2022 Datacenter", "10.0.20348.3807", "", "affected")]
    [InlineData("Microsoft Windows Server 2022 Standard", "10.0.20348.3932", "", "fixed")]
    [InlineData("Microsoft Windows Server 2022 Datacenter", "10.0.20348.3807", "KB5062572", "fixed")]
    [InlineData("Microsoft Windows Server 2022 Datacenter", "10.0.20348.3807", "KB5065432", "fixed")] // supersedes KB5062572 (the test's map)
    [InlineData("Microsoft Windows 11 Pro", "10.0.22631.5472", "", "affected")]
    [InlineData("Microsoft Windows 11 Pro", "10.0.22621.5472", "", "none")] // 22H2 is not 23H2
    [InlineData("Microsoft Windows Server 2019 Datacenter", "10.0.17763.7009", "", "none")]
    public void Match_WindowsHostByCaptionAndBuildUbr_AgainstTheKbRemediation(string caption, string build, string kb, string expected)
    {
        CsafDocument doc = CsafReader.Parse(Encoding.UTF8.GetBytes(WindowsAdvisory), "windows.json");
        var matcher = new CsafMatcher([doc], new Dictionary<string, IReadOnlyList<string>> { ["KB5065432"] = ["KB5063880"], ["KB5063880"] = ["KB5062572"] });
        var os = new OsIdentity { Id = "windows", VersionId = build[..build.LastIndexOf('.')], Build = build, PrettyName = caption };
        HostHostMatch(matcher.Match(Host("w1", os, [], kb.Length > 0 ? [kb] : null)), expected, caption, build);
    }

    // A vers range of two intervals (the vers specification's comparators in version order), in a document written for the case: no
    // vendor document of the corpus has one.
    private const string TwoIntervalAdvisory = """
        { "document": { "category": "csaf_security_advisory", "csaf_version": "2.0", "title": "Two intervals",
            "publisher": { "category": "vendor", "name": "Example", "namespace": "https://example.org" },
            "tracking": { "id": "EX-2099-1", "status": "final", "version": "1", "initial_release_date": "2099-01-01T00:00:00Z",
              "current_release_date": "2099-01-01T00:00:00Z", "revision_history": [ { "number": "1", "date": "2099-01-01T00:00:00Z", "summary": "x" } ] } },
          "product_tree": { "branches": [ { "category": "vendor", "name": "Example", "branches": [
            { "category": "product_name", "name": "libfoo", "branches": [
              { "category": "product_version_range", "name": "vers:deb/>=2.0|<2.3|<1.2|>=1.0", "product": { "product_id": "1", "name": "libfoo" } } ] } ] } ] },
          "vulnerabilities": [ { "cve": "CVE-2099-0002", "product_status": { "known_affected": [ "1" ] } } ] }
        """;

    [Theory]
    [InlineData("0.9-1", "NotAffected", "1.2")]
    [InlineData("1.0", "Affected", "1.2")]
    [InlineData("1.1-1", "Affected", "1.2")]
    [InlineData("1.5-1", "NotAffected", "1.2")]
    [InlineData("2.1-1", "Affected", "2.3")]
    [InlineData("2.3", "NotAffected", "2.3")]
    [InlineData("3.0-1", "NotAffected", "2.3")]
    public void Match_VersRangeOfTwoIntervals_InsideEitherIsAffected(string version, string decision, string fixedVersion)
    {
        CsafDocument doc = CsafReader.Parse(Encoding.UTF8.GetBytes(TwoIntervalAdvisory), "two-intervals.json");
        var os = new OsIdentity { Id = "debian", VersionId = "12" };
        var package = new InstalledPackage { Format = PackageFormat.Dpkg, Name = "libfoo", Version = version };
        PackageMatch m = Assert.Single(new CsafMatcher([doc]).Match(Host("d1", os, [package])).Matches);
        Assert.Equal(decision, m.Decision.ToString());
        Assert.Equal(fixedVersion, m.FixedVersion);
        Assert.Contains($"libfoo {version} installed is {(decision == "Affected" ? "in" : "outside")} the known_affected range vers:deb/", m.Reason, StringComparison.Ordinal);
    }

    private static void HostHostMatch(HostMatchResult r, string expected, string caption, string build)
    {
        if (expected == "none")
        {
            Assert.Empty(r.Matches);
            return;
        }

        PackageMatch m = Assert.Single(r.Matches);
        Assert.Equal(expected, m.Decision == MatchDecision.Affected ? "affected" : m.Decision == MatchDecision.Fixed ? "fixed" : m.Decision.ToString());
        Assert.Equal(caption, m.Package.Name);
        Assert.Equal(build, m.Package.Version);
        Assert.Matches("^KB50625(72|52) https://catalog", m.Remediation!);
    }

    [CorpusFact(Vendor + "/redhat/rhsa-2024_4420.json")]
    public async Task Match_RhelQemuKvmBelowTheErrata_AffectedThroughTheRelationship()
    {
        // RHSA-2024:4420: qemu-kvm 15:6.2.0-50.module+el8.10.0+22027+db0a70a4 (x86_64) as a default_component_of AppStream-8.10.0.Z.MAIN.EUS
        // (cpe:/a:redhat:enterprise_linux:8::appstream).
        var matcher = new CsafMatcher([await CsafCorpus.ReadAsync("csaf/vendor/redhat/rhsa-2024_4420.json")]);
        var rhel8 = new OsIdentity { Id = "rhel", VersionId = "8.10" };

        HostMatchResult old = matcher.Match(Host("kvm1", rhel8, [Rpm("qemu-kvm", "15:6.2.0-49.module+el8.10.0+21533+1bd8a7a8"), Rpm("bash", "4.4.20-5.el8")]));
        PackageMatch m = Assert.Single(old.Matches);
        Assert.Equal(MatchDecision.Affected, m.Decision);
        Assert.Equal("15:6.2.0-50.module+el8.10.0+22027+db0a70a4", m.FixedVersion);
        Assert.Equal("https://access.redhat.com/errata/RHSA-2024:4420", m.Remediation);
        Assert.Equal("Red Hat Enterprise Linux AppStream (v. 8)", m.Ecosystem);
        Assert.Equal("qemu-kvm (x86_64) 15:6.2.0-49.module+el8.10.0+21533+1bd8a7a8 installed < 15:6.2.0-50.module+el8.10.0+22027+db0a70a4 fixed in RHSA-2024:4420 (CVE-2024-4467) for Red Hat Enterprise Linux AppStream (v. 8)", m.Reason);

        Assert.Equal(MatchDecision.Fixed, Assert.Single(matcher.Match(Host("kvm2", rhel8, [Rpm("qemu-kvm", "15:6.2.0-50.module+el8.10.0+22027+db0a70a4")])).Matches).Decision);

        // rpm -qa without the epoch: no order against 15:…, said so.
        PackageMatch noEpoch = Assert.Single(matcher.Match(Host("kvm3", rhel8, [Rpm("qemu-kvm", "6.2.0-49.module+el8.10.0+21533+1bd8a7a8")])).Matches);
        Assert.Equal(MatchDecision.Unknown, noEpoch.Decision);
        Assert.Contains("must give the epoch", noEpoch.Reason, StringComparison.Ordinal);

        // Another release or another distribution is not this errata's platform.
        Assert.Empty(matcher.Match(Host("kvm4", new OsIdentity { Id = "rhel", VersionId = "9.4" }, [Rpm("qemu-kvm", "17:8.2.0-11.el9_4")])).Matches);
        Assert.Empty(matcher.Match(Host("kvm5", new OsIdentity { Id = "rocky", VersionId = "8.10" }, [Rpm("qemu-kvm", "15:6.2.0-49.module+el8.10.0+21533+1bd8a7a8")])).Matches);
    }

    [CorpusFact(Vendor + "/redhat-vex/cve-2024-50602.json")]
    public async Task Match_RedHatVex_KnownAffectedSourceFixedStreamsAndEus()
    {
        // CVE-2024-50602 (expat): known_affected red_hat_enterprise_linux_7:expat (a source package, no version); fixed
        // BaseOS-9.5.0.Z.MAIN expat-0:2.5.0-3.el9_5.1 (enterprise_linux:9) and BaseOS-9.4.0.Z.EUS expat-0:2.5.0-2.el9_4.2 (rhel_eus:9.4).
        var matcher = new CsafMatcher([await CsafCorpus.ReadAsync("csaf/vendor/redhat-vex/cve-2024-50602.json")]);

        PackageMatch el7 = Assert.Single(matcher.Match(Host("h7", new OsIdentity { Id = "rhel", VersionId = "7.9" }, [Rpm("expat", "2.1.0-15.el7_9", source: "expat")])).Matches);
        Assert.Equal(MatchDecision.Affected, el7.Decision);
        Assert.Contains("known_affected with no version given", el7.Reason, StringComparison.Ordinal);

        Assert.Equal(MatchDecision.Fixed, Assert.Single(matcher.Match(Host("h95", new OsIdentity { Id = "rhel", VersionId = "9.5" }, [Rpm("expat", "2.5.0-3.el9_5.1")])).Matches).Decision);

        // 9.4 with the EUS build: affected against the main stream's fix unless the host is on EUS.
        var rhel94 = new OsIdentity { Id = "rhel", VersionId = "9.4" };
        Assert.Equal(MatchDecision.Affected, Assert.Single(matcher.Match(Host("h94", rhel94, [Rpm("expat", "2.5.0-2.el9_4.2")])).Matches).Decision);
        PackageMatch eus = Assert.Single(matcher.Match(Host("h94e", rhel94, [Rpm("expat", "2.5.0-2.el9_4.2")], tags: ["rhel_eus"])).Matches);
        Assert.Equal(MatchDecision.Affected, eus.Decision); // the 9.5 main-stream fix also names this 9.4 host (9.x); Affected wins
    }

    [CorpusFact(Vendor + "/index.json")]
    public async Task ProductIndex_EveryVendorDocument_ResolvesEveryProductIdOfItsStatuses()
    {
        using JsonDocument index = JsonDocument.Parse(File.ReadAllBytes(Corpus.Require(Vendor + "/index.json")));
        var unresolved = new List<string>();
        int documents = 0;
        foreach (JsonElement row in index.RootElement.GetProperty("documents").EnumerateArray())
        {
            string file = row.GetProperty("file").GetString()!;
            CsafDocument doc = await CsafCorpus.ReadAsync(file);
            var products = new CsafProductIndex(doc);

            // Some real documents name product ids they never define (rhsa-2023_4378's NFV …src, a 6.1.1 failure); those cannot resolve.
            var defined = new HashSet<string>(StringComparer.Ordinal);
            CollectProductIds(JsonSerializer.SerializeToElement(doc.ProductTree, CsafJsonContext.Default.CsafProductTree), defined);
            Assert.Equal(row.GetProperty("product_ids_in_tree").GetInt32(), products.Count);
            foreach (CsafVulnerability v in doc.Vulnerabilities)
            {
                CsafProductStatus? s = v.ProductStatus;
                foreach (string id in s is null ? [] : s.Fixed.Concat(s.KnownAffected).Concat(s.KnownNotAffected).Concat(s.FirstFixed).Concat(s.UnderInvestigation))
                {
                    if (products.Find(id) is null && defined.Contains(id))
                    {
                        unresolved.Add($"{file}: {id}");
                    }
                }
            }

            documents++;
        }

        Assert.Equal(31, documents);
        Assert.True(unresolved.Count == 0, string.Join("\n", unresolved.Take(10)));
    }

    private static void CollectProductIds(JsonElement e, HashSet<string> ids)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty p in e.EnumerateObject())
            {
                if (p.Name == "product_id" && p.Value.ValueKind == JsonValueKind.String)
                {
                    ids.Add(p.Value.GetString()!);
                }
                else
                {
                    CollectProductIds(p.Value, ids);
                }
            }
        }
        else if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement x in e.EnumerateArray())
            {
                CollectProductIds(x, ids);
            }
        }
    }
}
