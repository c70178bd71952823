using System.Runtime.CompilerServices;
using PatchKit.Advisories;
using PatchKit.Advisories.Catalogs;
using PatchKit.Advisories.Versions;
using PatchKit.Hosts;
using PatchKit.Lifecycle;
using PatchKit.Lifecycle.Repair;
using PatchKit.Lifecycle.Resolve;
using PatchKit.Tests.Lifecycle;

namespace PatchKit.Tests.Advisories;

/// <summary>The patch model: version prefixes and builds read as versions, package ranges decided by the scheme's
/// ordering, supersedence, and catalogs queried with what Reach saw and composed.</summary>
public sealed class PatchModelTests
{
    private static HostRecord Host(HostKind kind, string version = "", string build = "", OsIdentity? os = null, params InstalledPackage[] packages) =>
        new() { Id = "h", Kind = kind, Version = version, Build = build, Os = os, Packages = packages, Status = HostStatus.Reachable };

    [Theory]
    [InlineData("8.0", "8.0", true)]
    [InlineData("8.0", "8.0.2", true)]
    [InlineData("8.0", "8.01", false)]
    [InlineData("8.0", "8.0U2", true)]
    [InlineData("7", "70", false)]
    public void VersionPrefix_MatchesWholeComponentsOnly(string prefix, string version, bool expected) =>
        Assert.Equal(expected, new PatchAppliesTo { Kind = HostKind.Esx, VersionPrefix = prefix }.Matches(Host(HostKind.Esx, version)));

    [Theory]
    [InlineData("20348.2227", 20348L, 20348L, true)]
    [InlineData("20348.2227", 20349L, null, false)]
    [InlineData("23305546", 23000000L, 24000000L, true)]
    [InlineData("", 1L, null, false)]
    public void Builds_WindowsBuildDotUbr_ReadAsItsBuildNumber(string build, long min, long? max, bool expected) =>
        Assert.Equal(expected, new PatchAppliesTo { Kind = HostKind.Windows, MinBuild = min, MaxBuild = max }.Matches(Host(HostKind.Windows, build: build)));

    [Fact]
    public void AffectedPackage_DpkgRanges_DecidedByDpkgOrdering_UnknownSchemeNeverGuesses()
    {
        var openssl = new AffectedPackage
        {
            Format = PackageFormat.Dpkg, Name = "openssl", Ecosystem = "Debian:12", Scheme = VersionScheme.Dpkg,
            Ranges = [new VersionRange { Introduced = "0", Fixed = "3.0.13-1~deb12u1" }],
        };
        Assert.Equal(VersionMatch.Affected, openssl.Evaluate("3.0.11-1~deb12u1"));
        Assert.Equal(VersionMatch.Affected, openssl.Evaluate("3.0.13-1~deb12u0"));
        Assert.Equal(VersionMatch.NotAffected, openssl.Evaluate("3.0.13-1~deb12u1"));
        Assert.Equal(VersionMatch.NotAffected, openssl.Evaluate("1:1.0-1")); // an epoch sorts after every version without one
        var lastAffected = new AffectedPackage
        {
            Format = PackageFormat.Rpm, Name = "qemu-kvm", Scheme = VersionScheme.Rpm, Ranges = [new VersionRange { Introduced = "15:8.2.0-1.el9", LastAffected = "15:8.2.0-11.el9" }],
        };
        Assert.Equal(VersionMatch.Affected, lastAffected.Evaluate("15:8.2.0-11.el9"));
        Assert.Equal(VersionMatch.NotAffected, lastAffected.Evaluate("15:8.2.0-11.el9_4.1"));
        Assert.Equal(VersionMatch.NotAffected, lastAffected.Evaluate("15:8.1.0-1.el9"));
        Assert.Equal(VersionMatch.Unknown, new AffectedPackage { Format = PackageFormat.Npm, Name = "x", Ranges = openssl.Ranges }.Evaluate("1.0.0"));
        Assert.Equal(VersionMatch.Unknown, openssl.Evaluate("not a version!"));
    }

    [Fact]
    public void AppliesToHost_PackageIdentity_SourceNameAndEcosystem()
    {
        var patch = new PatchDefinition
        {
            Id = "DSA-5678-1",
            AppliesTo = [new PatchAppliesTo { Kind = HostKind.Linux }],
            Packages = [new AffectedPackage { Format = PackageFormat.Dpkg, Name = "openssl", Ecosystem = "Debian:12", Scheme = VersionScheme.Dpkg, Ranges = [new VersionRange { Fixed = "3.0.13-1~deb12u1" }] }],
        };
        var bookworm = new OsIdentity { Id = "debian", VersionId = "12" };
        var libssl = new InstalledPackage { Format = PackageFormat.Dpkg, Name = "libssl3", SourceName = "openssl", Version = "3.0.11-1~deb12u2" };
        Assert.True(patch.AppliesToHost(Host(HostKind.Linux, os: bookworm, packages: libssl)));
        Assert.False(patch.AppliesToHost(Host(HostKind.Linux, os: bookworm, packages: new InstalledPackage { Format = PackageFormat.Dpkg, Name = "libssl3", SourceName = "openssl", Version = "3.0.13-1~deb12u1" })));
        Assert.False(patch.AppliesToHost(Host(HostKind.Linux, os: new OsIdentity { Id = "debian", VersionId = "11" }, packages: libssl)));
        Assert.False(patch.AppliesToHost(Host(HostKind.Linux, os: new OsIdentity { Id = "almalinux", VersionId = "9.4" }, packages: libssl)));
        Assert.False(patch.AppliesToHost(Host(HostKind.Windows, os: bookworm, packages: libssl)));
    }

    [Fact]
    public void AppliesToHost_PackagesAndNoRule_OnlyHostsThatListPackagesAndExplainsWhy()
    {
        var patch = new PatchDefinition
        {
            Id = "DSA-5678-1",
            AppliesTo = [],
            Packages = [new AffectedPackage { Format = PackageFormat.Dpkg, Name = "openssl", Ecosystem = "Debian:12", Scheme = VersionScheme.Dpkg, Ranges = [new VersionRange { Introduced = "0", Fixed = "3.0.13-1~deb12u1" }] }],
        };
        var libssl = new InstalledPackage { Format = PackageFormat.Dpkg, Name = "libssl3", SourceName = "openssl", Version = "3.0.11-1~deb12u2" };
        var bookworm = Host(HostKind.Linux, os: new OsIdentity { Id = "debian", VersionId = "12" }, packages: libssl);

        Assert.False(patch.AppliesToHost(Host(HostKind.Esx, "8.0.2")));
        Assert.Null(patch.ReasonFor(Host(HostKind.Esx, "8.0.2")));
        Assert.True(patch.AppliesToHost(bookworm));
        Assert.Equal("libssl3 (source openssl) 3.0.11-1~deb12u2 installed is affected by DSA-5678-1 for Debian:12, fixed in 3.0.13-1~deb12u1", patch.ReasonFor(bookworm));
    }

    [Fact]
    public async Task Resolve_CumulativeRollups_InstalledNovemberCoversSeptember_MissingBothInstallsOnlyTheNewest()
    {
        var sep = TestFleet.Patch("ESXi80U2-sep", HostKind.Esx, daysOld: 90);
        var oct = TestFleet.Patch("ESXi80U2-oct", HostKind.Esx, daysOld: 60) with { Supersedes = ["ESXi80U2-sep"] };
        var nov = TestFleet.Patch("ESXi80U2-nov", HostKind.Esx, daysOld: 30) with { Supersedes = ["ESXi80U2-oct"] };
        var fleet = TestFleet.Fleet(
            TestFleet.Host("esx1", HostKind.Esx) with { InstalledPatches = [new InstalledPatch { PatchId = "ESXi80U2-nov", InstalledAt = TestFleet.Start.AddDays(-3) }] },
            TestFleet.Host("esx2", HostKind.Esx));
        var (result, _) = TestFleet.Run(fleet, [sep, oct, nov], dryRun: true);
        var a1 = result.Context.Assessment!.Hosts.Single(h => h.HostId == "esx1");
        Assert.Empty(a1.Applicable);
        var a2 = result.Context.Assessment.Hosts.Single(h => h.HostId == "esx2");
        Assert.Equal(["ESXi80U2-nov"], a2.Applicable);
        Assert.Contains(a2.Held, h => h.PatchId == "ESXi80U2-sep" && h.Reason == "superseded by ESXi80U2-nov");
        Assert.Contains(a2.Held, h => h.PatchId == "ESXi80U2-oct" && h.Reason == "superseded by ESXi80U2-nov");
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Resolve_AsksEveryCatalogWithWhatReachSaw_FirstCatalogToNameAnIdWins()
    {
        var first = new RecordingCatalog([TestFleet.Patch("p1", HostKind.Linux) with { Title = "from the first" }]);
        var second = new RecordingCatalog([TestFleet.Patch("p1", HostKind.Linux) with { Title = "from the second" }, TestFleet.Patch("p2", HostKind.Linux, reboot: false)]);
        var clock = new PatchKit.Hosts.Simulated.SimulatedTimeProvider(TestFleet.Start);
        var adapter = new PatchKit.Hosts.Simulated.SimulatedHostAdapter(TestFleet.Fleet(TestFleet.Host("lin1", HostKind.Linux)), new() { TimeProvider = clock });
        var pipeline = new PatchPipelineBuilder { TimeProvider = clock, SimulatedTimeline = true }
            .AddReach()
            .AddResolve(new ResolveStageOptions { Catalogs = { first, second } })
            .Build();
        var run = new PatchRunOptions { RunId = "catalogs" };
        run.Adapters.Add(adapter);
        var result = await pipeline.ExecuteAsync(run);
        Assert.Equal("from the first", result.Context.Assessment!.Patches["p1"].Title);
        Assert.Contains("p2", result.Context.Assessment.Patches.Keys);
        var q = Assert.Single(first.Queries);
        Assert.Equal([HostKind.Linux], q.HostKinds);
        Assert.Single(second.Queries);
    }

    [Fact]
    public void JsonCatalog_NewFieldsRoundTrip_AndAbsentOnesAreEmptyNotNull()
    {
        var catalog = JsonPatchCatalog.Parse("""
            { "patches": [
              { "id": "old", "appliesTo": [ { "kind": "Esx" } ] },
              { "id": "new", "appliesTo": [ { "kind": "Esx" } ], "supersedes": ["old"], "reboot": "May",
                "packages": [ { "format": "Dpkg", "name": "openssl", "ecosystem": "Debian:12", "scheme": "Dpkg", "ranges": [ { "fixed": "3.0.13-1~deb12u1" } ] } ] }
            ] }
            """u8);
        var all = catalog.QueryAsync(PatchQuery.All, CancellationToken.None).ToBlockingEnumerable().ToDictionary(p => p.Id);
        Assert.Empty(all["old"].Packages);
        Assert.Empty(all["old"].Supersedes);
        Assert.Empty(all["old"].Payloads);
        Assert.Equal(["old"], all["new"].Supersedes);
        Assert.Equal(RebootBehavior.May, all["new"].Reboot);
        var pkg = Assert.Single(all["new"].Packages);
        Assert.Equal(VersionMatch.Affected, pkg.Evaluate("3.0.11-1~deb12u2"));
        Assert.Equal(VersionMatch.NotAffected, pkg.Evaluate("3.0.13-1~deb12u1"));
    }

    private sealed class RecordingCatalog(IReadOnlyList<PatchDefinition> patches) : IPatchCatalog
    {
        public List<PatchQuery> Queries { get; } = [];

        public async IAsyncEnumerable<PatchDefinition> QueryAsync(PatchQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Queries.Add(query);
            foreach (var p in patches)
            {
                await Task.Yield();
                if (query.Matches(p))
                {
                    yield return p;
                }
            }
        }
    }

    private static async Task<PatchDefinition> PatchOfAsync(string corpusFile) =>
        Assert.Single(AdvisoryFolderCatalog.PatchesOf(await AdvisoryDocument.ReadFileAsync(Corpus.Require(corpusFile))));

    private static HostRecord RpmHost(string osId, string versionId, string name, string version, params string[] tags) => new()
    {
        Id = "h",
        Kind = HostKind.Linux,
        Os = new OsIdentity { Id = osId, VersionId = versionId },
        Packages = [new InstalledPackage { Format = PackageFormat.Rpm, Name = name, Version = version, Architecture = "x86_64" }],
        Tags = tags,
        Status = HostStatus.Reachable,
    };

    [CorpusFact("advisories/osv/rocky/RLSA-2024_3671.json")]
    public async Task AppliesToHost_RockyLinuxOsvRecord_RockyHostsOfThatMajorRelease()
    {
        // Rocky's own record names the ecosystem "Rocky Linux:9"; os-release says rocky 9.4.
        PatchDefinition patch = await PatchOfAsync("advisories/osv/rocky/RLSA-2024_3671.json");
        Assert.Contains(patch.Packages, static p => p.Ecosystem == "Rocky Linux:9" && p.Name == "ruby");
        const string Old = "0:3.3.0-1.module+el9.4.0+20700+aaaaaaaa";
        Assert.True(patch.AppliesToHost(RpmHost("rocky", "9.4", "ruby", Old)));
        Assert.True(patch.AppliesToHost(RpmHost("rocky", "9", "ruby", Old)));
        Assert.Equal($"ruby {Old} installed is affected by RLSA-2024:3671 for Rocky Linux:9, fixed in 0:3.3.1-2.module+el9.4.0+20787+4c237fd3",
            patch.ReasonFor(RpmHost("rocky", "9.4", "ruby", Old)));
        Assert.False(patch.AppliesToHost(RpmHost("rocky", "9.4", "ruby", "0:3.3.1-2.module+el9.4.0+20787+4c237fd3")));
        Assert.False(patch.AppliesToHost(RpmHost("rocky", "8.10", "ruby", Old)));
        Assert.False(patch.AppliesToHost(RpmHost("almalinux", "9.4", "ruby", Old)));
        Assert.False(patch.AppliesToHost(RpmHost("rhel", "9.4", "ruby", Old)));
    }

    [CorpusFact("advisories/osv/redhat/RHSA-2024_4546.json")]
    public async Task AppliesToHost_RedHatOsvRecordOfAnExtendedStream_RhelHostsOfThatMinorReleaseSubscribedToIt()
    {
        // Red Hat's OSV ecosystem "Red Hat:rhel_aus:8.6::appstream": RHEL 8.6 hosts on the AUS stream only.
        PatchDefinition patch = await PatchOfAsync("advisories/osv/redhat/RHSA-2024_4546.json");
        const string Old = "0:2.13.3-3.el8_6";
        Assert.True(patch.AppliesToHost(RpmHost("rhel", "8.6", "git-lfs", Old, "rhel_aus")));
        Assert.True(patch.AppliesToHost(RpmHost("rhel", "8.6", "git-lfs", Old, "rhel_tus")));
        Assert.False(patch.AppliesToHost(RpmHost("rhel", "8.6", "git-lfs", Old)));
        Assert.False(patch.AppliesToHost(RpmHost("rhel", "8.10", "git-lfs", Old, "rhel_aus")));
        Assert.False(patch.AppliesToHost(RpmHost("rhel", "9.4", "git-lfs", Old, "rhel_aus")));
        Assert.False(patch.AppliesToHost(RpmHost("rocky", "8.6", "git-lfs", Old, "rhel_aus")));
        Assert.False(patch.AppliesToHost(RpmHost("rhel", "8.6", "git-lfs", "0:2.13.3-3.el8_6.1", "rhel_aus")));
    }

    [CorpusFact("advisories/csaf/vendor/redhat/rhsa-2024_0010.json")]
    public async Task AppliesToHost_RedHatCsafDocument_RhelHostsOfThePlatformsRelease()
    {
        // The packages of RHSA-2024:0010 are components of "Red Hat Enterprise Linux AppStream (v. 9)" (cpe:/a:redhat:enterprise_linux:9::appstream).
        PatchDefinition patch = await PatchOfAsync("advisories/csaf/vendor/redhat/rhsa-2024_0010.json");
        Assert.Contains(patch.Packages, static p => p.Name == "tigervnc" && p.Ecosystem == "Red Hat:enterprise_linux:9::appstream");
        const string Old = "0:1.13.1-3.el9_3.1";
        Assert.True(patch.AppliesToHost(RpmHost("rhel", "9.3", "tigervnc", Old)));
        Assert.True(patch.AppliesToHost(RpmHost("rhel", "9.4", "tigervnc", Old)));
        Assert.False(patch.AppliesToHost(RpmHost("rhel", "9.3", "tigervnc", "0:1.13.1-3.el9_3.3")));
        Assert.False(patch.AppliesToHost(RpmHost("rhel", "8.9", "tigervnc", Old)));
        Assert.False(patch.AppliesToHost(RpmHost("rocky", "9.3", "tigervnc", Old)));
    }
}
