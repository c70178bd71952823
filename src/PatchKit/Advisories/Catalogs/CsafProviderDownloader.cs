using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace PatchKit.Advisories.Catalogs;

/// <summary>What one download of a CSAF provider did.</summary>
/// <param name="Downloaded">The files fetched (their content was new or changed).</param>
/// <param name="NotModified">The files the server said were unchanged since the last download (HTTP 304): the copy in the folder was kept.</param>
/// <param name="Problems">Each document, hash or signature file that could not be fetched, naming its URL (<c>https://…/x.json: HTTP 404 Not Found</c>).</param>
public sealed record CsafDownloadResult(int Downloaded, int NotModified, IReadOnlyList<string> Problems);

/// <summary>A feed or document that could not be fetched over HTTP; the message names the URL.</summary>
public sealed class AdvisoryFetchException : PatchKitException
{
    /// <summary>Initializes a new instance of the <see cref="AdvisoryFetchException"/> class.</summary>
    /// <param name="url">The URL.</param>
    /// <param name="message">The message, naming the URL.</param>
    /// <param name="innerException">The cause, if any.</param>
    public AdvisoryFetchException(string url, string message, Exception? innerException)
        : base(message, innerException)
    {
        Url = url;
    }

    /// <summary>Gets the URL that could not be fetched.</summary>
    public string Url { get; }
}

/// <summary>
/// Mirrors a CSAF provider over HTTP(S) into a folder that <see cref="CsafProviderMirror"/> then reads and checks, as the CSAF 2.0
/// standard lays a provider out: <c>provider-metadata.json</c>, the OpenPGP keys it names in <c>public_openpgp_keys</c>, the ROLIE feeds of its distributions (or a distribution's
/// <c>directory_url</c> with its <c>index.txt</c>), and each document with its <c>.sha512</c>/<c>.sha256</c> and <c>.asc</c> files.
/// Every file is kept at its URL's path under the folder. A second download asks with <c>If-None-Match</c> and
/// <c>If-Modified-Since</c> (the ETag and Last-Modified of the first, kept in <c>.patchkit-http-cache.tsv</c>) and keeps the files the
/// server says are unchanged. Each request has a timeout; a provider metadata or feed that cannot be fetched throws
/// <see cref="AdvisoryFetchException"/> naming its URL, a document that cannot be fetched is a problem of the result.
/// </summary>
public sealed class CsafProviderDownloader
{
    private const string CacheFile = ".patchkit-http-cache.tsv";
    private readonly HttpClient _http;
    private readonly string _root;
    private readonly Dictionary<string, (string ETag, string LastModified)> _cache = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="CsafProviderDownloader"/> class.</summary>
    /// <param name="http">The HTTP client (its handler decides proxies and TLS; its own timeout should be longer than <see cref="Timeout"/>).</param>
    /// <param name="folder">The mirror folder (created when missing).</param>
    public CsafProviderDownloader(HttpClient http, string folder)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        _http = http;
        _root = folder;
    }

    /// <summary>Gets how long one request may take, headers and body; the default is 30 seconds.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Fetches the provider metadata, its feeds and every document they list, with hash and signature files.</summary>
    /// <param name="providerMetadata">The URL of <c>provider-metadata.json</c>.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>What was fetched, what was unchanged and what could not be fetched.</returns>
    /// <exception cref="AdvisoryFetchException">The provider metadata or a feed could not be fetched or read; the message names the URL.</exception>
    public async Task<CsafDownloadResult> DownloadAsync(Uri providerMetadata, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(providerMetadata);
        Directory.CreateDirectory(_root);
        ReadCache();
        var counts = new int[2];
        var problems = new List<string>();
        try
        {
            string metadataFile = await FetchAsync(providerMetadata, required: true, counts, problems, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("unreachable");
            using JsonDocument meta = Parse(metadataFile, providerMetadata);
            if (!meta.RootElement.TryGetProperty("distributions", out JsonElement distributions) || distributions.ValueKind != JsonValueKind.Array)
            {
                throw new AdvisoryFetchException(providerMetadata.ToString(), $"{providerMetadata}: $.distributions: missing or not an array (not CSAF provider metadata)", null);
            }

            if (meta.RootElement.TryGetProperty("public_openpgp_keys", out JsonElement keys) && keys.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement key in keys.EnumerateArray())
                {
                    if (key.ValueKind == JsonValueKind.Object && key.TryGetProperty("url", out JsonElement keyUrl) && keyUrl.GetString() is { } k)
                    {
                        await FetchAsync(Resolve(providerMetadata, k), required: false, counts, problems, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            foreach (JsonElement distribution in distributions.EnumerateArray())
            {
                if (distribution.TryGetProperty("rolie", out JsonElement rolie) && rolie.TryGetProperty("feeds", out JsonElement feeds) && feeds.ValueKind == JsonValueKind.Array)
                {
                    foreach (JsonElement feed in feeds.EnumerateArray())
                    {
                        if (feed.TryGetProperty("url", out JsonElement u) && u.GetString() is { } feedUrl)
                        {
                            await FeedAsync(Resolve(providerMetadata, feedUrl), counts, problems, cancellationToken).ConfigureAwait(false);
                        }
                    }
                }

                if (distribution.TryGetProperty("directory_url", out JsonElement dir) && dir.GetString() is { } directoryUrl)
                {
                    await DirectoryAsync(Resolve(providerMetadata, directoryUrl.EndsWith('/') ? directoryUrl : directoryUrl + "/"), counts, problems, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            WriteCache();
        }

        return new CsafDownloadResult(counts[0], counts[1], problems);
    }

    private async Task FeedAsync(Uri feedUrl, int[] counts, List<string> problems, CancellationToken cancellationToken)
    {
        string feedFile = (await FetchAsync(feedUrl, required: true, counts, problems, cancellationToken).ConfigureAwait(false))!;
        using JsonDocument feed = Parse(feedFile, feedUrl);
        if (!feed.RootElement.TryGetProperty("feed", out JsonElement root) || !root.TryGetProperty("entry", out JsonElement entries) || entries.ValueKind != JsonValueKind.Array)
        {
            throw new AdvisoryFetchException(feedUrl.ToString(), $"{feedUrl}: $.feed.entry: missing or not an array (not a ROLIE feed)", null);
        }

        foreach (JsonElement entry in entries.EnumerateArray())
        {
            string? doc = entry.TryGetProperty("content", out JsonElement content) && content.TryGetProperty("src", out JsonElement src) ? src.GetString() : null;
            var extra = new List<string>();
            if (entry.TryGetProperty("link", out JsonElement links) && links.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement link in links.EnumerateArray())
                {
                    string? rel = link.TryGetProperty("rel", out JsonElement r) ? r.GetString() : null;
                    string? href = link.TryGetProperty("href", out JsonElement h) ? h.GetString() : null;
                    if (href is null)
                    {
                        continue;
                    }

                    if (rel == "self")
                    {
                        doc ??= href;
                    }
                    else if (rel is "hash" or "signature")
                    {
                        extra.Add(href);
                    }
                }
            }

            if (doc is null)
            {
                problems.Add($"{feedUrl}: a feed entry gives no content.src or self link");
                continue;
            }

            await DocumentAsync(Resolve(feedUrl, doc), extra.Select(e => Resolve(feedUrl, e)), counts, problems, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DirectoryAsync(Uri directoryUrl, int[] counts, List<string> problems, CancellationToken cancellationToken)
    {
        Uri index = new(directoryUrl, "index.txt");
        string indexFile = (await FetchAsync(index, required: true, counts, problems, cancellationToken).ConfigureAwait(false))!;
        foreach (string line in await File.ReadAllLinesAsync(indexFile, cancellationToken).ConfigureAwait(false))
        {
            string path = line.Trim();
            if (path.Length > 0 && path.EndsWith(".json", StringComparison.Ordinal))
            {
                await DocumentAsync(new Uri(directoryUrl, path), [], counts, problems, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A document, then its hash and signature files (those the feed names, else <c>.sha512</c>, <c>.sha256</c> and <c>.asc</c>
    /// beside it; a missing one of those is not a problem here: <see cref="CsafProviderMirror.CheckAsync"/> reports it).</summary>
    private async Task DocumentAsync(Uri document, IEnumerable<Uri> named, int[] counts, List<string> problems, CancellationToken cancellationToken)
    {
        if (await FetchAsync(document, required: false, counts, problems, cancellationToken).ConfigureAwait(false) is null)
        {
            return;
        }

        var extras = named.ToList();
        bool listed = extras.Count > 0;
        if (!listed)
        {
            extras = [new Uri(document + ".sha512"), new Uri(document + ".sha256"), new Uri(document + ".asc")];
        }

        foreach (Uri extra in extras)
        {
            var quiet = new List<string>();
            await FetchAsync(extra, required: false, counts, listed ? problems : quiet, cancellationToken).ConfigureAwait(false);
            problems.AddRange(quiet.Where(static p => !p.Contains(": HTTP 404 ", StringComparison.Ordinal)));
        }
    }

    /// <summary>GETs one URL into the folder (conditionally when it was fetched before) and returns the local file, or null with a problem
    /// added when <paramref name="required"/> is false.</summary>
    private async Task<string?> FetchAsync(Uri url, bool required, int[] counts, List<string> problems, CancellationToken cancellationToken)
    {
        string key = url.ToString();
        string? local = LocalPath(url);
        string problem;
        Exception? cause = null;
        if (local is null)
        {
            problem = $"{url}: not an http(s) URL with a file path under the provider (a '..' segment, or no file name)";
        }
        else
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                if (File.Exists(local) && _cache.TryGetValue(key, out var cached))
                {
                    if (cached.ETag.Length > 0 && EntityTagHeaderValue.TryParse(cached.ETag, out EntityTagHeaderValue? etag))
                    {
                        request.Headers.IfNoneMatch.Add(etag);
                    }

                    if (cached.LastModified.Length > 0 && DateTimeOffset.TryParse(cached.LastModified, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset since))
                    {
                        request.Headers.IfModifiedSince = since;
                    }
                }

                using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.NotModified)
                {
                    counts[1]++;
                    return local;
                }

                if (response.IsSuccessStatusCode)
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(local)!);
                    string part = local + ".part";
                    await using (FileStream file = File.Create(part))
                    {
                        await response.Content.CopyToAsync(file, timeout.Token).ConfigureAwait(false);
                    }

                    File.Move(part, local, overwrite: true);
                    _cache[key] = (response.Headers.ETag?.ToString() ?? string.Empty,
                        response.Content.Headers.LastModified?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty);
                    counts[0]++;
                    return local;
                }

                problem = AdvisoryHttp.Status(url, response);
            }
            catch (Exception e) when (AdvisoryHttp.Problem(e, url, Timeout, cancellationToken) is { } failure)
            {
                problem = failure;
                cause = e;
            }
        }

        if (required)
        {
            throw new AdvisoryFetchException(key, problem, cause);
        }

        problems.Add(problem);
        return null;
    }

    private static Uri Resolve(Uri baseUrl, string url) => Uri.TryCreate(baseUrl, url, out Uri? u) ? u : new Uri(baseUrl, Uri.EscapeDataString(url));

    private static JsonDocument Parse(string file, Uri url)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(file));
        }
        catch (JsonException e)
        {
            throw new AdvisoryFetchException(url.ToString(), $"{url}: not JSON: {e.Message}", e);
        }
    }

    /// <summary>The file a URL is kept in: its path under the folder; null for another scheme, a '..' segment or no file name.</summary>
    private string? LocalPath(Uri url)
    {
        if (url.Scheme is not ("http" or "https"))
        {
            return null;
        }

        string[] segments = Uri.UnescapeDataString(url.AbsolutePath).Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0 || segments.Any(static s => s is ".." or "." || s.Contains('\\', StringComparison.Ordinal) || s.Contains('\0', StringComparison.Ordinal)))
        {
            return null;
        }

        return Path.Combine([_root, .. segments]);
    }

    private void ReadCache()
    {
        _cache.Clear();
        string path = Path.Combine(_root, CacheFile);
        if (!File.Exists(path))
        {
            return;
        }

        foreach (string line in File.ReadAllLines(path))
        {
            string[] f = line.Split('\t');
            if (f.Length == 3)
            {
                _cache[f[0]] = (f[1], f[2]);
            }
        }
    }

    private void WriteCache()
    {
        var sb = new StringBuilder();
        foreach (var (url, (etag, modified)) in _cache.OrderBy(static e => e.Key, StringComparer.Ordinal))
        {
            sb.Append(url).Append('\t').Append(etag.Replace('\t', ' ')).Append('\t').Append(modified).Append('\n');
        }

        File.WriteAllText(Path.Combine(_root, CacheFile), sb.ToString());
    }
}
