using System.Diagnostics;
using System.Security.Cryptography;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Advisories.Catalogs;

/// <summary>A real HTTP server (Python's <c>http.server</c>) over a temporary folder in which a CSAF provider is laid out as the CSAF 2.0
/// standard says (<c>/.well-known/csaf/provider-metadata.json</c>, a ROLIE feed or a directory with <c>index.txt</c>, each document with
/// its <c>.sha512</c> and, when signed, <c>.asc</c>; the OpenPGP keys under <c>openpgp/</c>).</summary>
public sealed class CsafProviderServer : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly Process _server;

    public CsafProviderServer()
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
        string line = _server.StandardOutput.ReadLine() ?? throw new InvalidOperationException("python3 -m http.server printed nothing");
        Port = int.Parse(line.Split(" port ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    public int Port { get; }

    public string Served => Path.Combine(_dir.Path, "served");

    /// <summary>A folder beside the served one for the test's own files (mirrors, inventories).</summary>
    public string Work => Directory.CreateDirectory(Path.Combine(_dir.Path, "work")).FullName;

    public string BaseUrl => $"http://127.0.0.1:{Port}/.well-known/csaf";

    public string MetadataUrl => BaseUrl + "/provider-metadata.json";

    /// <summary>The served path of a published document.</summary>
    public string DocumentPath(string name) => Path.Combine(Served, ".well-known", "csaf", "white", "2024", name);

    public string DocumentUrl(string name) => $"{BaseUrl}/white/2024/{name}";

    /// <summary>Publishes corpus documents with their .sha512; <paramref name="sign"/> writes a document's .asc (null: unsigned); the
    /// metadata names <paramref name="keys"/> (fingerprint and armoured key) in public_openpgp_keys.</summary>
    public void Publish(IEnumerable<string> corpusDocuments, Action<string>? sign, IEnumerable<(string Fingerprint, byte[] Key)> keys, bool directory = false)
    {
        string csaf = Path.Combine(Served, ".well-known", "csaf");
        string year = Path.Combine(csaf, "white", "2024");
        Directory.CreateDirectory(year);
        var names = new List<string>();
        var entries = new List<string>();
        foreach (string relative in corpusDocuments)
        {
            string name = Path.GetFileName(relative);
            string path = Path.Combine(year, name);
            File.Copy(Corpus.Require(relative), path, overwrite: true);
            Rehash(name);
            sign?.Invoke(path);
            names.Add(name);
            string url = DocumentUrl(name);
            entries.Add($$"""{ "id": "{{name}}", "title": "{{name}}", "content": { "type": "application/json", "src": "{{url}}" }, "format": { "schema": "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json", "version": "2.0" }, "link": [ { "rel": "self", "href": "{{url}}" }, { "rel": "hash", "href": "{{url}}.sha512" }{{(sign is null ? string.Empty : $$""", { "rel": "signature", "href": "{{url}}.asc" }""")}} ] }""");
        }

        var keyEntries = new List<string>();
        foreach (var (fingerprint, key) in keys)
        {
            Directory.CreateDirectory(Path.Combine(csaf, "openpgp"));
            File.WriteAllBytes(Path.Combine(csaf, "openpgp", fingerprint + ".asc"), key);
            keyEntries.Add($$"""{ "fingerprint": "{{fingerprint}}", "url": "{{BaseUrl}}/openpgp/{{fingerprint}}.asc" }""");
        }

        string distribution;
        if (directory)
        {
            File.WriteAllLines(Path.Combine(csaf, "white", "index.txt"), names.Select(static n => "2024/" + n));
            distribution = $$"""{ "directory_url": "{{BaseUrl}}/white/" }""";
        }
        else
        {
            File.WriteAllText(Path.Combine(csaf, "white", "feed-tlp-white.json"),
                $$"""{ "feed": { "id": "white", "title": "CSAF (TLP:WHITE)", "link": [ { "rel": "self", "href": "{{BaseUrl}}/white/feed-tlp-white.json" } ], "entry": [ {{string.Join(", ", entries)}} ] } }""");
            distribution = $$"""{ "rolie": { "feeds": [ { "summary": "TLP:WHITE", "tlp_label": "WHITE", "url": "{{BaseUrl}}/white/feed-tlp-white.json" } ] } }""";
        }

        File.WriteAllText(Path.Combine(csaf, "provider-metadata.json"),
            $$"""{ "canonical_url": "{{MetadataUrl}}", "distributions": [ {{distribution}} ], "last_updated": "2024-09-01T00:00:00Z", "list_on_CSAF_aggregators": true, "metadata_version": "2.0", "mirror_on_CSAF_aggregators": true, "public_openpgp_keys": [ {{string.Join(", ", keyEntries)}} ], "publisher": { "category": "vendor", "name": "PatchKit Test Provider", "namespace": "https://provider.example" }, "role": "csaf_trusted_provider" }""");
        Age();
    }

    /// <summary>Writes a served document's .sha512 from its current bytes.</summary>
    public void Rehash(string name)
    {
        string path = DocumentPath(name);
        File.WriteAllText(path + ".sha512", Convert.ToHexStringLower(SHA512.HashData(File.ReadAllBytes(path))) + "  " + name + "\n");
    }

    /// <summary>http.server compares If-Modified-Since with a file's mtime in whole seconds: every file is made clearly older than now,
    /// a file changed later gets a newer time.</summary>
    public void Age()
    {
        foreach (string f in Directory.GetFiles(Served, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(f, new DateTime(2024, 9, 1, 0, 0, 0, DateTimeKind.Utc));
        }
    }

    public void Dispose()
    {
        if (!_server.HasExited)
        {
            _server.Kill();
            _server.WaitForExit();
        }

        _server.Dispose();
        _dir.Dispose();
    }
}
