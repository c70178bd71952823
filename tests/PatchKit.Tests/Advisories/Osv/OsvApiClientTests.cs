using System.Net;
using System.Net.Sockets;
using PatchKit.Advisories.Catalogs;
using PatchKit.Advisories.Matching;
using PatchKit.Advisories.Osv;
using PatchKit.Hosts;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Advisories.Osv;

/// <summary>The OSV API client against a real local HTTP server with osv.dev's API shape over the corpus's real Debian, Ubuntu and
/// AlmaLinux records (see <see cref="OsvApiServer"/>), and against servers that are down, silent or failing.</summary>
public sealed class OsvApiClientTests
{
    private static readonly string[] s_folders = ["advisories/osv/debian", "advisories/osv/ubuntu", "advisories/osv/almalinux"];

    internal static readonly (string Id, OsIdentity Os, InstalledPackage[] Packages)[] Hosts =
    [
        ("web1", new OsIdentity { Id = "debian", VersionId = "7" },
            [new InstalledPackage { Format = PackageFormat.Dpkg, Name = "nginx-full", Version = "1.2.1-2.2+wheezy2", Architecture = "amd64", SourceName = "nginx" }]),
        ("jammy1", new OsIdentity { Id = "ubuntu", VersionId = "22.04" },
            [new InstalledPackage { Format = PackageFormat.Dpkg, Name = "openssh-server", Version = "1:8.9p1-3ubuntu0.9", Architecture = "amd64", SourceName = "openssh" }]),
        ("alma9", new OsIdentity { Id = "almalinux", VersionId = "9.3" },
            [new InstalledPackage { Format = PackageFormat.Rpm, Name = "kernel", Version = "5.14.0-362.8.1.el9_3", Architecture = "x86_64" },
             new InstalledPackage { Format = PackageFormat.Rpm, Name = "openssh", Version = "8.7p1-34.el9", Architecture = "x86_64" }]),
    ];

    private static List<OsvRecord> CorpusRecords() =>
        [.. s_folders.SelectMany(static f => Directory.GetFiles(Corpus.Require(f), "*.json")).Select(static f => OsvReader.Parse(File.ReadAllBytes(f), f))];

    [CorpusTheory("advisories/osv/almalinux")]
    [InlineData(1000)]
    [InlineData(7)] // 48 AlmaLinux:9 kernel records: 7 pages
    public async Task RecordsFor_Hosts_SameDecisionsAndReasonsAsTheWholeCorpusFolders(int pageSize)
    {
        using var server = new OsvApiServer(s_folders) { PageSize = pageSize };
        using var http = new HttpClient();
        var client = new OsvApiClient(http, new Uri(server.BaseUrl));
        var reference = new AdvisoryMatcher(CorpusRecords());

        foreach (var (id, os, packages) in Hosts)
        {
            IReadOnlyList<OsvRecord> records = await client.RecordsForAsync(OsvApiClient.QueriesFor(os, packages));

            HostMatchResult expected = reference.Match(id, os, packages);
            HostMatchResult actual = new AdvisoryMatcher(records).Match(id, os, packages);
            Assert.NotEmpty(expected.Matches);
            Assert.Equal(expected.Matches, actual.Matches);
            Assert.Equal(expected.Matches.Select(static m => m.Reason), actual.Matches.Select(static m => m.Reason));
        }

        Assert.Equal(pageSize == 1000 ? 3 : 9, server.Batches); // one batch per host; 48 ids by 7: the kernel query takes 6 more pages
    }

    [CorpusFact("advisories/osv/ubuntu/USN-6859-1.json")]
    public void QueriesFor_UbuntuHost_AsksUnderTheReleaseAndItsLtsEcosystem_BySourcePackage()
    {
        var (_, os, packages) = Hosts[1];

        Assert.Equal([new OsvQuery("Ubuntu:22.04", "openssh", "1:8.9p1-3ubuntu0.9"), new OsvQuery("Ubuntu:22.04:LTS", "openssh", "1:8.9p1-3ubuntu0.9")], OsvApiClient.QueriesFor(os, packages));
        Assert.Empty(OsvApiClient.QueriesFor(new OsIdentity { Id = "esxi", VersionId = "8.0" }, packages));
    }

    [CorpusFact("advisories/osv/debian/DSA-3029-1.json")]
    public async Task Get_UnknownId_ThrowsNamingTheUrl()
    {
        using var server = new OsvApiServer("advisories/osv/debian");
        using var http = new HttpClient();

        var e = await Assert.ThrowsAsync<AdvisoryFetchException>(() => new OsvApiClient(http, new Uri(server.BaseUrl)).GetAsync("DSA-0000-1"));

        Assert.Equal($"{server.BaseUrl}v1/vulns/DSA-0000-1: HTTP 404 Not Found (no such vulnerability)", e.Message);
    }

    [CorpusFact("advisories/osv/debian/DSA-3029-1.json")]
    public async Task QueryBatch_ServerAnswers500_ThrowsNamingTheUrlAndStatus()
    {
        using var server = new OsvApiServer("advisories/osv/debian") { Failing = true };
        using var http = new HttpClient();

        var e = await Assert.ThrowsAsync<AdvisoryFetchException>(() => new OsvApiClient(http, new Uri(server.BaseUrl)).QueryBatchAsync([new OsvQuery("Debian:7", "nginx", "1.2.1-2.2+wheezy2")]));

        Assert.Equal($"{server.BaseUrl}v1/querybatch: HTTP 500 Internal Server Error", e.Message);
    }

    [Fact]
    public async Task QueryBatch_ServerThatNeverAnswers_TimesOutNamingTheUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0); // a real socket that accepts and never answers
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        Task<TcpClient> accept = listener.AcceptTcpClientAsync();
        using var http = new HttpClient();
        var client = new OsvApiClient(http, new Uri($"http://127.0.0.1:{port}/")) { Timeout = TimeSpan.FromSeconds(1) };

        var e = await Assert.ThrowsAsync<AdvisoryFetchException>(() => client.QueryBatchAsync([new OsvQuery("Debian:12", "openssl", "3.0.11-1~deb12u2")]));

        Assert.Equal($"http://127.0.0.1:{port}/v1/querybatch: no answer within 1 s", e.Message);
        (await accept).Dispose();
    }

    [Fact]
    public async Task QueryBatch_NothingListening_ThrowsNamingTheUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var http = new HttpClient();

        var e = await Assert.ThrowsAsync<AdvisoryFetchException>(() =>
            new OsvApiClient(http, new Uri($"http://127.0.0.1:{port}")).QueryBatchAsync([new OsvQuery("Debian:12", "openssl", "3.0.11-1~deb12u2")]));

        Assert.StartsWith($"http://127.0.0.1:{port}/v1/querybatch: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("refused", e.Message, StringComparison.OrdinalIgnoreCase);
    }
}
