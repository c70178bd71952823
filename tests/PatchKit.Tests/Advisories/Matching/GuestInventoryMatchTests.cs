using System.Text;
using PatchKit.Advisories.Matching;
using PatchKit.Advisories.Osv;
using PatchKit.Hosts;
using PatchKit.Hosts.Kvm;
using PatchKit.Tests.Hosts.Kvm;

namespace PatchKit.Tests.Advisories.Matching;

/// <summary>A real inventory: the installed packages of this Debian system read through the real qemu-ga (tests/fixtures/qga-host) with the
/// KVM package's guest-agent client, matched against the corpus's Debian OSV records.</summary>
public sealed class GuestInventoryMatchTests(QgaHostFixture qga) : IClassFixture<QgaHostFixture>
{
    [QgaFact]
    public async Task DebianInventoryThroughTheGuestAgent_MatchedAgainstTheDebianOsvRecords()
    {
        qga.EnsureRunning();
        await using GuestAgentClient agent = await GuestAgentClient.ConnectAsync("unix:" + qga.Socket, new KvmClientOptions { CommandTimeout = TimeSpan.FromSeconds(60) });
        GuestAgentOsInfo info = await agent.GetOsInfoAsync();
        IReadOnlyList<InstalledPackage> packages = await LinuxPackages.ReadAsync(agent, CancellationToken.None);
        Assert.Equal("debian", info.Id);
        var os = new OsIdentity { Id = info.Id, VersionId = info.VersionId, PrettyName = info.PrettyName };

        // The same packages dpkg-query lists here (the agent runs on this system).
        Assert.True(packages.Count > 50, $"{packages.Count} packages");
        Assert.All(packages, static p => Assert.Equal(PackageFormat.Dpkg, p.Format));
        InstalledPackage libc = packages.First(static p => p.Name == "libc6");
        Assert.Equal("glibc", libc.SourceName);

        // The corpus's Debian records: DSA-3029-1 (nginx, Debian:7) and DLA-3623-1 (no affected entries): nothing names this release.
        var records = new List<OsvRecord>();
        await foreach (OsvReadResult r in OsvReader.ReadFolderAsync(Corpus.Require("advisories/osv/debian")))
        {
            records.Add(r.Record!);
        }

        HostMatchResult real = new AdvisoryMatcher(records).Match("qga-host", os, packages);
        Assert.Equal("Debian:" + info.VersionId, real.Ecosystem);
        Assert.Empty(real.Matches);

        // DSA-3029-1 re-targeted at this release and at glibc (its text with the ecosystem, package and fixed version replaced): the
        // real inventory's libc6 and the other glibc binaries are decided through their source package, with the reason.
        string dsa = await File.ReadAllTextAsync(Corpus.Require("advisories/osv/debian/DSA-3029-1.json"));
        OsvRecord Retarget(string fixedVersion) => OsvReader.Parse(Encoding.UTF8.GetBytes(dsa
            .Replace("\"Debian:7\"", $"\"Debian:{info.VersionId}\"", StringComparison.Ordinal)
            .Replace("\"nginx\"", "\"glibc\"", StringComparison.Ordinal)
            .Replace("1.2.1-2.2+wheezy3", fixedVersion, StringComparison.Ordinal)), "DSA-3029-1 (re-targeted)");

        HostMatchResult fixedNow = new AdvisoryMatcher([Retarget(libc.Version)]).Match("qga-host", os, packages);
        int glibcBinaries = packages.Count(static p => p.SourceName == "glibc");
        Assert.Equal(glibcBinaries, fixedNow.Matches.Count);
        Assert.All(fixedNow.Matches, static m => Assert.Equal(MatchDecision.Fixed, m.Decision));
        Assert.Equal($"libc6 (source glibc) {libc.Version} installed >= {libc.Version} fixed in DSA-3029-1 for Debian:{info.VersionId}",
            fixedNow.Matches.First(static m => m.Package.Name == "libc6").Reason);

        HostMatchResult later = new AdvisoryMatcher([Retarget(libc.Version + "+deb99u1")]).Match("qga-host", os, packages);
        Assert.True(later.IsAffected);
        Assert.Equal(MatchDecision.Affected, later.Matches.First(static m => m.Package.Name == "libc6").Decision);
    }
}
