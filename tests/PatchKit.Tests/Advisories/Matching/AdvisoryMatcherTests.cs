using PatchKit.Advisories.Matching;
using PatchKit.Advisories.Osv;
using PatchKit.Hosts;

namespace PatchKit.Tests.Advisories.Matching;

/// <summary>Hand-made inventories against the real OSV records of the corpus; each expected outcome is read off the record
/// (the fixed version of the host's release, the versions list, the ecosystem).</summary>
public sealed class AdvisoryMatcherTests
{
    private const string Osv = "advisories/osv";

    private static async Task<AdvisoryMatcher> MatcherAsync(params string[] files)
    {
        var records = new List<OsvRecord>();
        foreach (string file in files)
        {
            records.Add(await OsvReader.ReadFileAsync(Path.Combine(Corpus.Require(Osv), file)));
        }

        return new AdvisoryMatcher(records);
    }

    private static OsIdentity Os(string id, string version) => new() { Id = id, VersionId = version };

    private static InstalledPackage Deb(string name, string version, string source = "") =>
        new() { Format = PackageFormat.Dpkg, Name = name, Version = version, Architecture = "amd64", SourceName = source };

    private static InstalledPackage Rpm(string name, string version) =>
        new() { Format = PackageFormat.Rpm, Name = name, Version = version, Architecture = "x86_64" };

    [Theory]
    [InlineData("debian", "12", "Debian:12")]
    [InlineData("debian", "7", "Debian:7")]
    [InlineData("ubuntu", "22.04", "Ubuntu:22.04")]
    [InlineData("almalinux", "9.4", "AlmaLinux:9")]
    [InlineData("rocky", "8.10", "Rocky Linux:8")]
    [InlineData("alpine", "3.19.1", "Alpine:v3.19")]
    [InlineData("debian", "", null)]
    [InlineData("gentoo", "2.15", null)]
    public void EcosystemOf_OsRelease_NamesTheOsvEcosystem(string id, string version, string? expected)
    {
        Assert.Equal(expected, AdvisoryMatcher.EcosystemOf(Os(id, version)));
    }

    [CorpusFact(Osv + "/debian/DSA-3029-1.json")]
    public async Task Match_DebianBinaryBelowFixed_AffectedThroughItsSourcePackage()
    {
        // DSA-3029-1: nginx, Debian:7, introduced 0, fixed 1.2.1-2.2+wheezy3. The host has the binary package nginx-full.
        AdvisoryMatcher matcher = await MatcherAsync("debian/DSA-3029-1.json");
        HostMatchResult result = matcher.Match("web1", Os("debian", "7"), [Deb("nginx-full", "1.2.1-2.2+wheezy2", "nginx"), Deb("nginx-common", "1.2.1-2.2+wheezy2", "nginx"), Deb("zlib1g", "1:1.2.7.dfsg-13", "zlib")]);

        Assert.Equal("Debian:7", result.Ecosystem);
        Assert.True(result.IsAffected);
        Assert.Equal(2, result.Matches.Count);
        PackageMatch full = result.Matches.Single(m => m.Package.Name == "nginx-full");
        Assert.Equal(MatchDecision.Affected, full.Decision);
        Assert.Equal("1.2.1-2.2+wheezy3", full.FixedVersion);
        Assert.Equal("nginx", full.AdvisoryPackage);
        Assert.Equal("nginx-full (source nginx) 1.2.1-2.2+wheezy2 installed < 1.2.1-2.2+wheezy3 fixed in DSA-3029-1 for Debian:7", full.Reason);
    }

    [CorpusFact(Osv + "/debian/DSA-3029-1.json")]
    public async Task Match_DebianVersionEqualToFixed_Fixed()
    {
        AdvisoryMatcher matcher = await MatcherAsync("debian/DSA-3029-1.json");
        HostMatchResult result = matcher.Match("web1", Os("debian", "7"), [Deb("nginx", "1.2.1-2.2+wheezy3", "nginx")]);

        PackageMatch match = Assert.Single(result.Matches);
        Assert.Equal(MatchDecision.Fixed, match.Decision);
        Assert.Equal("nginx 1.2.1-2.2+wheezy3 installed >= 1.2.1-2.2+wheezy3 fixed in DSA-3029-1 for Debian:7", match.Reason);
        Assert.False(result.IsAffected);
    }

    [CorpusFact(Osv + "/debian/DSA-3029-1.json")]
    public async Task Match_OtherDebianRelease_NoDecision()
    {
        // A Debian:7 fixed version says nothing about Debian 8 (the release-less query pitfall, osv.dev #4230).
        AdvisoryMatcher matcher = await MatcherAsync("debian/DSA-3029-1.json");
        HostMatchResult result = matcher.Match("web2", Os("debian", "8"), [Deb("nginx", "1.2.1-2.2+wheezy2", "nginx")]);

        Assert.Equal("Debian:8", result.Ecosystem);
        Assert.Empty(result.Matches);
    }

    [CorpusFact(Osv + "/debian/DSA-3029-1.json")]
    public async Task Match_BinaryNameOnlyWhenSourceDiffers_NoDecision()
    {
        // Debian records name source packages: nginx-full without its source name is not nginx.
        AdvisoryMatcher matcher = await MatcherAsync("debian/DSA-3029-1.json");
        HostMatchResult result = matcher.Match("web1", Os("debian", "7"), [Deb("nginx-full", "1.2.1-2.2+wheezy2")]);

        Assert.Empty(result.Matches);
    }

    [CorpusFact(Osv + "/debian/DSA-3029-1.json")]
    public async Task Match_UnreadableDpkgVersion_Unknown()
    {
        AdvisoryMatcher matcher = await MatcherAsync("debian/DSA-3029-1.json");
        HostMatchResult result = matcher.Match("web1", Os("debian", "7"), [Deb("nginx", "x:1.2.1", "nginx")]);

        PackageMatch match = Assert.Single(result.Matches);
        Assert.Equal(MatchDecision.Unknown, match.Decision);
        Assert.Equal("nginx x:1.2.1 installed cannot be ordered against 1.2.1-2.2+wheezy3 as a Dpkg version in DSA-3029-1 for Debian:7", match.Reason);
    }

    [CorpusTheory(Osv + "/ubuntu/USN-6859-1.json")]
    [InlineData("22.04", "1:8.9p1-3ubuntu0.6", MatchDecision.Affected, "openssh-server (source openssh) 1:8.9p1-3ubuntu0.6 installed < 1:8.9p1-3ubuntu0.10 fixed in USN-6859-1 for Ubuntu:22.04:LTS")]
    [InlineData("22.04", "1:8.9p1-3ubuntu0.10", MatchDecision.Fixed, "openssh-server (source openssh) 1:8.9p1-3ubuntu0.10 installed >= 1:8.9p1-3ubuntu0.10 fixed in USN-6859-1 for Ubuntu:22.04:LTS")]
    // Without its epoch the version is epoch 0, below 1:8.9p1-3ubuntu0.10 however high the rest is, as dpkg orders it.
    [InlineData("22.04", "9.9p1-1", MatchDecision.Affected, "openssh-server (source openssh) 9.9p1-1 installed < 1:8.9p1-3ubuntu0.10 fixed in USN-6859-1 for Ubuntu:22.04:LTS")]
    [InlineData("24.04", "1:9.6p1-3ubuntu13.3", MatchDecision.Fixed, "openssh-server (source openssh) 1:9.6p1-3ubuntu13.3 installed >= 1:9.6p1-3ubuntu13.3 fixed in USN-6859-1 for Ubuntu:24.04:LTS")]
    [InlineData("24.04", "1:9.6p1-3ubuntu13", MatchDecision.Affected, "openssh-server (source openssh) 1:9.6p1-3ubuntu13 installed < 1:9.6p1-3ubuntu13.3 fixed in USN-6859-1 for Ubuntu:24.04:LTS")]
    public async Task Match_UbuntuOpenssh_DecisionAndReason(string release, string version, MatchDecision expected, string reason)
    {
        AdvisoryMatcher matcher = await MatcherAsync("ubuntu/USN-6859-1.json");
        HostMatchResult result = matcher.Match("u1", Os("ubuntu", release), [Deb("openssh-server", version, "openssh")]);

        PackageMatch match = Assert.Single(result.Matches);
        Assert.Equal(expected, match.Decision);
        Assert.Equal(reason, match.Reason);
    }

    [CorpusFact(Osv + "/ubuntu/UBUNTU-CVE-2016-20013.json")]
    public async Task Match_UbuntuNoFixYetAndProEcosystems_AffectedOnlyForTheHostsOwnEcosystem()
    {
        // glibc for Ubuntu:22.04:LTS: introduced 0 and no fixed version; the Ubuntu:Pro:* entries are for Pro hosts only.
        AdvisoryMatcher matcher = await MatcherAsync("ubuntu/UBUNTU-CVE-2016-20013.json");
        HostMatchResult result = matcher.Match("u1", Os("ubuntu", "22.04"), [Deb("libc6", "2.35-0ubuntu3.8", "glibc")]);

        PackageMatch match = Assert.Single(result.Matches);
        Assert.Equal(MatchDecision.Affected, match.Decision);
        Assert.Equal("Ubuntu:22.04:LTS", match.Ecosystem);
        Assert.Null(match.FixedVersion);
        Assert.Equal("libc6 (source glibc) 2.35-0ubuntu3.8 installed is affected (all versions, no fixed version) in UBUNTU-CVE-2016-20013 for Ubuntu:22.04:LTS", match.Reason);

        HostMatchResult unlisted = matcher.Match("u1", Os("ubuntu", "22.04"), [Deb("libc6", "2.35-0ubuntu3.99", "glibc")]);
        Assert.Equal("libc6 (source glibc) 2.35-0ubuntu3.99 installed is affected (all versions, no fixed version) in UBUNTU-CVE-2016-20013 for Ubuntu:22.04:LTS", Assert.Single(unlisted.Matches).Reason);
    }

    [CorpusTheory(Osv + "/almalinux/ALSA-2023_0101.json")]
    [InlineData("8.7", "4.18.0-425.3.1.el8", MatchDecision.Affected, "kernel 4.18.0-425.3.1.el8 installed < 4.18.0-425.10.1.el8_7 fixed in ALSA-2023:0101 for AlmaLinux:8")]
    [InlineData("8.7", "4.18.0-425.10.1.el8_7", MatchDecision.Fixed, "kernel 4.18.0-425.10.1.el8_7 installed >= 4.18.0-425.10.1.el8_7 fixed in ALSA-2023:0101 for AlmaLinux:8")]
    [InlineData("8.10", "4.18.0-553.el8_10", MatchDecision.Fixed, "kernel 4.18.0-553.el8_10 installed >= 4.18.0-425.10.1.el8_7 fixed in ALSA-2023:0101 for AlmaLinux:8")]
    public async Task Match_AlmaLinuxKernel_DecisionAndReason(string release, string version, MatchDecision expected, string reason)
    {
        AdvisoryMatcher matcher = await MatcherAsync("almalinux/ALSA-2023_0101.json");
        HostMatchResult result = matcher.Match("alma", Os("almalinux", release), [Rpm("kernel", version), Rpm("bash", "4.4.20-4.el8_6")]);

        PackageMatch match = Assert.Single(result.Matches);
        Assert.Equal(expected, match.Decision);
        Assert.Equal(reason, match.Reason);
    }

    [CorpusTheory(Osv + "/almalinux/ALSA-2022_0886.json")]
    [InlineData("15:4.2.0-59.module_el8.5.0+2629+68d2f392.1", MatchDecision.Affected, "qemu-kvm 15:4.2.0-59.module_el8.5.0+2629+68d2f392.1 installed < 15:4.2.0-59.module_el8.5.0+2629+68d2f392.2 fixed in ALSA-2022:0886 for AlmaLinux:8")]
    [InlineData("15:4.2.0-59.module_el8.5.0+2629+68d2f392.2", MatchDecision.Fixed, "qemu-kvm 15:4.2.0-59.module_el8.5.0+2629+68d2f392.2 installed >= 15:4.2.0-59.module_el8.5.0+2629+68d2f392.2 fixed in ALSA-2022:0886 for AlmaLinux:8")]
    // rpm -qa prints no epoch: without it the version would sort below epoch 15 whatever it is, so no decision.
    [InlineData("6.2.0-53.module_el8.10.0+3770+6e8fbeb6", MatchDecision.Unknown, "qemu-kvm 6.2.0-53.module_el8.10.0+3770+6e8fbeb6 installed has no epoch and 15:4.2.0-59.module_el8.5.0+2629+68d2f392.2 has one: the inventory must give the epoch (%{EPOCH}:%{VERSION}-%{RELEASE}) in ALSA-2022:0886 for AlmaLinux:8")]
    public async Task Match_AlmaLinuxQemuWithEpoch_EpochRequired(string version, MatchDecision expected, string reason)
    {
        AdvisoryMatcher matcher = await MatcherAsync("almalinux/ALSA-2022_0886.json");
        HostMatchResult result = matcher.Match("kvm1", Os("almalinux", "8.5"), [Rpm("qemu-kvm", version)]);

        PackageMatch match = Assert.Single(result.Matches);
        Assert.Equal(expected, match.Decision);
        Assert.Equal(reason, match.Reason);
    }

    [CorpusFact(Osv + "/almalinux/ALSA-2023_0101.json")]
    public async Task Match_AlmaLinux8RecordOnAlmaLinux9Host_NoDecision()
    {
        AdvisoryMatcher matcher = await MatcherAsync("almalinux/ALSA-2023_0101.json");
        Assert.Empty(matcher.Match("alma9", Os("almalinux", "9.4"), [Rpm("kernel", "4.18.0-425.3.1.el8")]).Matches);
    }

    [CorpusFact(Osv + "/osv-dev-testdata/CVE-2022-27449.json")]
    public async Task Match_AlpineEcosystemWithoutOrdering_UnknownNeverAGuess()
    {
        // mariadb for Alpine:v3.12, fixed 10.4.25-r0: apk versions have no ordering here, even for an "obviously" lower version.
        AdvisoryMatcher matcher = await MatcherAsync("osv-dev-testdata/CVE-2022-27449.json");
        var mariadb = new InstalledPackage { Format = PackageFormat.Unknown, Name = "mariadb", Version = "10.4.20-r0" };
        HostMatchResult result = matcher.Match("a1", Os("alpine", "3.12.12"), [mariadb]);

        PackageMatch match = Assert.Single(result.Matches);
        Assert.Equal(MatchDecision.Unknown, match.Decision);
        Assert.Equal("mariadb 10.4.20-r0 installed: no version ordering is known for Alpine:v3.12 ECOSYSTEM ranges (CVE-2022-27449)", match.Reason);
        Assert.False(result.IsAffected);
    }

    [Theory]
    [InlineData("1.0-1", MatchDecision.NotAffected, "libfoo (source foo) 1.0-1 installed < 1.2-1 introduced in TEST-1 for Debian:12")]
    [InlineData("1.2-1", MatchDecision.Affected, "libfoo (source foo) 1.2-1 installed <= 1.4-2 last affected in TEST-1 for Debian:12")]
    [InlineData("1.4-2", MatchDecision.Affected, "libfoo (source foo) 1.4-2 installed <= 1.4-2 last affected in TEST-1 for Debian:12")]
    [InlineData("1.4-2+b1", MatchDecision.NotAffected, "libfoo (source foo) 1.4-2+b1 installed > 1.4-2 last affected in TEST-1 for Debian:12")]
    [InlineData("2.0~rc1-1", MatchDecision.Affected, "libfoo (source foo) 2.0~rc1-1 installed < 2.1-1 fixed in TEST-1 for Debian:12")]
    [InlineData("2.1-1", MatchDecision.Fixed, "libfoo (source foo) 2.1-1 installed >= 2.1-1 fixed in TEST-1 for Debian:12")]
    [InlineData("3.0-1", MatchDecision.NotAffected, "libfoo (source foo) 3.0-1 installed >= 3.0-1 limit of the range in TEST-1 for Debian:12")]
    public void Match_LastAffectedAndLimit_OrderedAsDpkg(string version, MatchDecision expected, string reason)
    {
        // Two intervals in one range: [1.2-1, 1.4-2] (last_affected) and [2.0~rc1-1, 2.1-1) (fixed), with a limit at 3.0-1.
        var record = new OsvRecord
        {
            Id = "TEST-1",
            Affected =
            [
                new OsvAffected
                {
                    Package = new OsvPackage { Ecosystem = "Debian:12", Name = "foo" },
                    Ranges =
                    [
                        new OsvRange
                        {
                            Type = OsvRangeType.Ecosystem,
                            Events =
                            [
                                new OsvEvent { Introduced = "1.2-1" }, new OsvEvent { LastAffected = "1.4-2" },
                                new OsvEvent { Introduced = "2.0~rc1-1" }, new OsvEvent { Fixed = "2.1-1" }, new OsvEvent { Limit = "3.0-1" },
                            ],
                        },
                    ],
                },
            ],
        };
        HostMatchResult result = new AdvisoryMatcher([record]).Match("h", Os("debian", "12"), [Deb("libfoo", version, "foo")]);

        PackageMatch match = Assert.Single(result.Matches);
        Assert.Equal(expected, match.Decision);
        Assert.Equal(reason, match.Reason);
    }

    [Fact]
    public void Match_EcosystemWithoutRelease_Unknown()
    {
        var record = new OsvRecord
        {
            Id = "TEST-2",
            Affected = [new OsvAffected { Package = new OsvPackage { Ecosystem = "Debian", Name = "foo" }, Ranges = [new OsvRange { Type = OsvRangeType.Ecosystem, Events = [new OsvEvent { Introduced = "0" }, new OsvEvent { Fixed = "2.0-1" }] }] }],
        };
        var withdrawn = new OsvRecord
        {
            Id = "TEST-3",
            Withdrawn = DateTimeOffset.UnixEpoch,
            Affected = [new OsvAffected { Package = new OsvPackage { Ecosystem = "Debian:12", Name = "foo" }, Ranges = [new OsvRange { Type = OsvRangeType.Ecosystem, Events = [new OsvEvent { Introduced = "0" }] }] }],
        };
        HostMatchResult result = new AdvisoryMatcher([record, withdrawn]).Match("h", Os("debian", "12"), [Deb("foo", "1.0-1", "foo")]);

        PackageMatch match = Assert.Single(result.Matches);
        Assert.Equal("TEST-2", match.AdvisoryId);
        Assert.Equal(MatchDecision.Unknown, match.Decision);
        Assert.Equal("foo 1.0-1 installed: TEST-2 names Debian without a release, so it may be about another release than Debian:12", match.Reason);
    }
}

public sealed class AdvisoryMatcherVersionsListTests
{
    [Theory]
    [InlineData("1:4.1.48-4", MatchDecision.Affected, "netty 1:4.1.48-4 installed is listed as affected in TEST-4 for Debian:12")]
    [InlineData("1:4.1.48-5", MatchDecision.NotAffected, "netty 1:4.1.48-5 installed is not among the 2 versions listed as affected in TEST-4 for Debian:12")]
    public void Match_VersionsListOnly_ExactStringsDecide(string version, MatchDecision expected, string reason)
    {
        var record = new OsvRecord
        {
            Id = "TEST-4",
            Affected = [new OsvAffected { Package = new OsvPackage { Ecosystem = "Debian:12", Name = "netty" }, Versions = ["1:4.1.48-4", "1:4.1.48-4+deb12u1"] }],
        };
        var package = new InstalledPackage { Format = PackageFormat.Dpkg, Name = "netty", Version = version, SourceName = "netty" };
        PackageMatch match = Assert.Single(new AdvisoryMatcher([record]).Match("h", new OsIdentity { Id = "debian", VersionId = "12" }, [package]).Matches);

        Assert.Equal(expected, match.Decision);
        Assert.Equal(reason, match.Reason);
    }
}
