using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using PatchKit.Advisories.Catalogs;
using PatchKit.Tests.Advisories.Versions;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Advisories.Catalogs;

/// <summary>A real HTTP server (Python's <c>http.server</c>, which answers <c>If-Modified-Since</c> with 304) serving a CSAF provider
/// laid out per the CSAF 2.0 standard with real Red Hat documents of the corpus; the downloader mirrors it and the mirror checks it.</summary>
public sealed class CsafProviderDownloaderTests : IDisposable
{
    private static readonly string[] s_docs = ["rhsa-2024_4546.json", "rhsa-2024_6220.json"];
    private readonly TempDir _dir = new();
    private Process? _server;
    private int _port;

    private string Served => Path.Combine(_dir.Path, "served");

    private string Mirror => Path.Combine(_dir.Path, "mirror");

    private Uri Metadata => new($"http://127.0.0.1:{_port}/.well-known/csaf/provider-metadata.json");

    public void Dispose()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill();
            _server.WaitForExit();
        }

        _server?.Dispose();
        _dir.Dispose();
    }

    /// <summary>Starts http.server on a free port over <see cref="Served"/> and writes the provider (it needs the port in its URLs).</summary>
    private void Start(bool missingDocument = false)
    {
        Directory.CreateDirectory(Served);
        var psi = new ProcessStartInfo("python3", ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", Served])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _server = Process.Start(psi) ?? throw new InvalidOperationException("python3 -m http.server did not start");
        _server.ErrorDataReceived += static (_, _) => { };
        _server.BeginErrorReadLine();
        string line = _server.StandardOutput.ReadLine() ?? throw new InvalidOperationException("python3 -m http.server printed nothing: " + _server.StandardError.ReadToEnd());
        _port = int.Parse(line.Split(" port ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

        string csaf = Path.Combine(Served, ".well-known", "csaf");
        string white = Path.Combine(csaf, "white", "2024");
        Directory.CreateDirectory(white);
        string baseUrl = $"http://127.0.0.1:{_port}/.well-known/csaf";
        var entries = new List<string>();
        foreach (string name in s_docs.Concat(missingDocument ? ["rhsa-2099_0001.json"] : []))
        {
            string url = $"{baseUrl}/white/2024/{name}";
            if (name != "rhsa-2099_0001.json")
            {
                byte[] bytes = File.ReadAllBytes(Corpus.Require("advisories/csaf/vendor/redhat/" + name));
                File.WriteAllBytes(Path.Combine(white, name), bytes);
                File.WriteAllText(Path.Combine(white, name + ".sha512"), Convert.ToHexStringLower(SHA512.HashData(bytes)) + "  " + name + "\n");
            }

            entries.Add($$"""{ "id": "{{name}}", "title": "{{name}}", "content": { "type": "application/json", "src": "{{url}}" }, "format": { "schema": "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json", "version": "2.0" }, "link": [ { "rel": "self", "href": "{{url}}" }, { "rel": "hash", "href": "{{url}}.sha512" } ] }""");
        }

        File.WriteAllText(Path.Combine(csaf, "white", "feed-tlp-white.json"),
            $$"""{ "feed": { "id": "rh-white", "title": "Red Hat CSAF (TLP:WHITE)", "link": [ { "rel": "self", "href": "{{baseUrl}}/white/feed-tlp-white.json" } ], "entry": [ {{string.Join(", ", entries)}} ] } }""");
        File.WriteAllText(Path.Combine(csaf, "provider-metadata.json"),
            $$"""{ "canonical_url": "{{baseUrl}}/provider-metadata.json", "distributions": [ { "rolie": { "feeds": [ { "summary": "TLP:WHITE", "tlp_label": "WHITE", "url": "{{baseUrl}}/white/feed-tlp-white.json" } ] } } ], "last_updated": "2024-09-01T00:00:00Z", "list_on_CSAF_aggregators": true, "metadata_version": "2.0", "mirror_on_CSAF_aggregators": true, "public_openpgp_keys": [], "publisher": { "category": "vendor", "name": "Red Hat", "namespace": "https://www.redhat.com" }, "role": "csaf_trusted_provider" }""");

        // http.server compares If-Modified-Since with the file's mtime in whole seconds: make every file clearly older than now.
        foreach (string f in Directory.GetFiles(Served, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(f, DateTime.UtcNow.AddMinutes(-10));
        }
    }

    [CorpusFact("advisories/csaf/vendor/redhat/rhsa-2024_4546.json")]
    public async Task Download_Twice_SecondIsAllNotModified_ThenAChangedDocumentIsFetchedAgain()
    {
        Start();
        using var http = new HttpClient();
        var downloader = new CsafProviderDownloader(http, Mirror);

        CsafDownloadResult first = await downloader.DownloadAsync(Metadata);

        Assert.Empty(first.Problems);
        Assert.Equal(6, first.Downloaded); // metadata, feed, 2 documents, 2 .sha512
        Assert.Equal(0, first.NotModified);
        var checks = new List<CsafMirrorEntry>();
        await foreach (CsafMirrorEntry e in new CsafProviderMirror(Mirror).CheckAsync())
        {
            checks.Add(e);
        }

        Assert.Equal(2, checks.Count);
        Assert.All(checks, static c => Assert.True(c.HashVerified, c.Problem));
        Assert.Equal(File.ReadAllBytes(Corpus.Require("advisories/csaf/vendor/redhat/rhsa-2024_4546.json")),
            File.ReadAllBytes(Path.Combine(Mirror, ".well-known", "csaf", "white", "2024", "rhsa-2024_4546.json")));

        CsafDownloadResult second = await new CsafProviderDownloader(http, Mirror).DownloadAsync(Metadata);

        Assert.Empty(second.Problems);
        Assert.Equal(0, second.Downloaded);
        Assert.Equal(6, second.NotModified);

        // The provider republishes one document (new bytes, new hash, newer file time): only those two files come again.
        string served = Path.Combine(Served, ".well-known", "csaf", "white", "2024", "rhsa-2024_6220.json");
        byte[] changed = [.. File.ReadAllBytes(served), .. "\n"u8.ToArray()];
        File.WriteAllBytes(served, changed);
        File.WriteAllText(served + ".sha512", Convert.ToHexStringLower(SHA512.HashData(changed)) + "  rhsa-2024_6220.json\n");

        CsafDownloadResult third = await new CsafProviderDownloader(http, Mirror).DownloadAsync(Metadata);

        Assert.Empty(third.Problems);
        Assert.Equal(2, third.Downloaded);
        Assert.Equal(4, third.NotModified);
        Assert.Equal(changed, File.ReadAllBytes(Path.Combine(Mirror, ".well-known", "csaf", "white", "2024", "rhsa-2024_6220.json")));
    }

    [CorpusFact("advisories/csaf/vendor/redhat/rhsa-2024_4546.json")]
    public async Task Download_DocumentMissingOnTheServer_ProblemNamesItsUrlAndTheRestIsMirrored()
    {
        Start(missingDocument: true);
        using var http = new HttpClient();

        CsafDownloadResult result = await new CsafProviderDownloader(http, Mirror).DownloadAsync(Metadata);

        string problem = Assert.Single(result.Problems);
        Assert.StartsWith($"http://127.0.0.1:{_port}/.well-known/csaf/white/2024/rhsa-2099_0001.json: HTTP 404", problem, StringComparison.Ordinal);
        Assert.Equal(6, result.Downloaded);
    }

    [CorpusFact("advisories/csaf/vendor/redhat/rhsa-2024_4546.json")]
    public async Task Download_ProviderMetadataMissing_ThrowsNamingTheUrl()
    {
        Start();
        using var http = new HttpClient();
        var url = new Uri($"http://127.0.0.1:{_port}/nowhere/provider-metadata.json");

        var e = await Assert.ThrowsAsync<AdvisoryFetchException>(() => new CsafProviderDownloader(http, Mirror).DownloadAsync(url));

        Assert.Equal(url + ": HTTP 404 File not found", e.Message);
        Assert.Equal(url.ToString(), e.Url);
    }

    [Fact]
    public async Task Download_ServerThatNeverAnswers_TimesOutNamingTheUrl()
    {
        // A real socket that accepts the connection and never answers.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accept = listener.AcceptTcpClientAsync();
        using var http = new HttpClient();
        var url = new Uri($"http://127.0.0.1:{port}/.well-known/csaf/provider-metadata.json");

        var e = await Assert.ThrowsAsync<AdvisoryFetchException>(() =>
            new CsafProviderDownloader(http, Mirror) { Timeout = TimeSpan.FromSeconds(1) }.DownloadAsync(url));

        Assert.Equal(url + ": no answer within 1 s", e.Message);
        (await accept).Dispose();
    }

    [Fact]
    public async Task Download_NothingListening_ThrowsNamingTheUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // the port is free again: connections are refused
        using var http = new HttpClient();
        var url = new Uri($"http://127.0.0.1:{port}/provider-metadata.json");

        var e = await Assert.ThrowsAsync<AdvisoryFetchException>(() => new CsafProviderDownloader(http, Mirror).DownloadAsync(url));

        Assert.StartsWith(url + ": ", e.Message, StringComparison.Ordinal);
        Assert.Contains("refused", e.Message, StringComparison.OrdinalIgnoreCase);
    }
}
