using System.Net;
using System.Text.Json;
using PatchKit.Advisories.Catalogs;
using PatchKit.Hosts;

namespace PatchKit.Advisories.Osv;

/// <summary>One question to an OSV API: which vulnerabilities name this package of this ecosystem at this version.</summary>
/// <param name="Ecosystem">The OSV ecosystem (<c>Debian:12</c>, <c>Ubuntu:22.04:LTS</c>, <c>AlmaLinux:9</c>).</param>
/// <param name="Name">The package name as the ecosystem's records name it (Debian and Ubuntu: the source package).</param>
/// <param name="Version">The installed version.</param>
public sealed record OsvQuery(string Ecosystem, string Name, string Version);

/// <summary>
/// A client of an OSV API shaped as api.osv.dev's: <c>POST /v1/querybatch</c> finds the ids of the vulnerabilities that affect each
/// package and version (following <c>next_page_token</c>), <c>GET /v1/vulns/{id}</c> fetches each record, read by <see cref="OsvReader"/>.
/// The records are then matched locally (<see cref="Matching.AdvisoryMatcher"/>), so every decision still carries its reason. Each request
/// has a timeout; a server that is down, slow, answers an HTTP error or something that is not the API's JSON throws
/// <see cref="AdvisoryFetchException"/> naming the URL.
/// </summary>
public sealed class OsvApiClient
{
    /// <summary>The most queries api.osv.dev takes in one batch.</summary>
    public const int BatchSize = 1000;

    private readonly HttpClient _http;
    private readonly Uri _base;

    /// <summary>Initializes a new instance of the <see cref="OsvApiClient"/> class.</summary>
    /// <param name="http">The HTTP client (its own timeout should be longer than <see cref="Timeout"/>).</param>
    /// <param name="baseUrl">The API's root, <c>https://api.osv.dev/</c> for osv.dev.</param>
    public OsvApiClient(HttpClient http, Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(baseUrl);
        _http = http;
        _base = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
    }

    /// <summary>Gets how long one request may take, headers and body; the default is 30 seconds.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The queries for one host: each installed package (by its source package where it names one) under the host's OSV
    /// ecosystem, and for Ubuntu also under the release's <c>:LTS</c> ecosystem, which is how osv.dev files Ubuntu's LTS releases.</summary>
    /// <param name="os">The host's operating system.</param>
    /// <param name="packages">The installed packages.</param>
    /// <returns>The queries, none when the system has no OSV ecosystem (<see cref="Matching.AdvisoryMatcher.EcosystemOf"/>).</returns>
    public static IReadOnlyList<OsvQuery> QueriesFor(OsIdentity os, IEnumerable<InstalledPackage> packages)
    {
        ArgumentNullException.ThrowIfNull(os);
        ArgumentNullException.ThrowIfNull(packages);
        if (Matching.AdvisoryMatcher.EcosystemOf(os) is not { } ecosystem)
        {
            return [];
        }

        string[] ecosystems = ecosystem.StartsWith("Ubuntu:", StringComparison.Ordinal) ? [ecosystem, ecosystem + ":LTS"] : [ecosystem];
        var queries = new List<OsvQuery>();
        var seen = new HashSet<OsvQuery>();
        foreach (InstalledPackage package in packages)
        {
            string name = package.SourceName.Length > 0 ? package.SourceName : package.Name;
            foreach (string e in ecosystems)
            {
                var q = new OsvQuery(e, name, package.Version);
                if (seen.Add(q))
                {
                    queries.Add(q);
                }
            }
        }

        return queries;
    }

    /// <summary>Asks which vulnerabilities affect each query (in batches of <see cref="BatchSize"/>, following page tokens).</summary>
    /// <param name="queries">The queries.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>For each query, in order, the ids of the vulnerabilities the API names.</returns>
    /// <exception cref="AdvisoryFetchException">The API could not be reached or answered something else than its JSON; the message names the URL.</exception>
    public async Task<IReadOnlyList<IReadOnlyList<string>>> QueryBatchAsync(IReadOnlyList<OsvQuery> queries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var ids = new List<string>[queries.Count];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = [];
        }

        var url = new Uri(_base, "v1/querybatch");
        var pending = Enumerable.Range(0, queries.Count).Select(static i => (Index: i, Token: (string?)null)).ToList();
        int rounds = 0;
        while (pending.Count > 0)
        {
            if (++rounds > 100)
            {
                throw new AdvisoryFetchException(url.ToString(), $"{url}: still giving page tokens after 100 rounds", null);
            }

            var next = new List<(int Index, string? Token)>();
            foreach ((int Index, string? Token)[] chunk in pending.Chunk(BatchSize))
            {
                byte[] body = QueryBody(queries, chunk);
                using JsonDocument answer = await SendAsync(url, body, cancellationToken).ConfigureAwait(false);
                if (answer.RootElement.ValueKind != JsonValueKind.Object || !answer.RootElement.TryGetProperty("results", out JsonElement results)
                    || results.ValueKind != JsonValueKind.Array || results.GetArrayLength() != chunk.Length)
                {
                    throw new AdvisoryFetchException(url.ToString(), $"{url}: $.results: missing, not an array or not one result per query ({chunk.Length} asked)", null);
                }

                int r = 0;
                foreach (JsonElement result in results.EnumerateArray())
                {
                    int index = chunk[r].Index;
                    if (result.ValueKind == JsonValueKind.Object && result.TryGetProperty("vulns", out JsonElement vulns) && vulns.ValueKind == JsonValueKind.Array)
                    {
                        foreach (JsonElement v in vulns.EnumerateArray())
                        {
                            if (v.ValueKind == JsonValueKind.Object && v.TryGetProperty("id", out JsonElement id) && id.GetString() is { Length: > 0 } s && !ids[index].Contains(s))
                            {
                                ids[index].Add(s);
                            }
                        }
                    }

                    if (result.ValueKind == JsonValueKind.Object && result.TryGetProperty("next_page_token", out JsonElement token) && token.GetString() is { Length: > 0 } t)
                    {
                        next.Add((index, t));
                    }

                    r++;
                }
            }

            pending = next;
        }

        return ids;
    }

    /// <summary>Fetches one vulnerability record.</summary>
    /// <param name="id">The record's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The record.</returns>
    /// <exception cref="AdvisoryFetchException">The API could not be reached, has no such record or answered something that is not an OSV record.</exception>
    public async Task<OsvRecord> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        var url = new Uri(_base, "v1/vulns/" + Uri.EscapeDataString(id));
        byte[] bytes = await SendRawAsync(url, null, cancellationToken).ConfigureAwait(false);
        try
        {
            return OsvReader.Parse(bytes, url.ToString());
        }
        catch (AdvisoryFormatException e)
        {
            throw new AdvisoryFetchException(url.ToString(), e.Message, e);
        }
    }

    /// <summary>Asks for every query, then fetches each vulnerability named once.</summary>
    /// <param name="queries">The queries (<see cref="QueriesFor"/>).</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The records, in the order their ids were first named.</returns>
    /// <exception cref="AdvisoryFetchException">A request failed; the message names the URL.</exception>
    public async Task<IReadOnlyList<OsvRecord>> RecordsForAsync(IReadOnlyList<OsvQuery> queries, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<IReadOnlyList<string>> ids = await QueryBatchAsync(queries, cancellationToken).ConfigureAwait(false);
        var records = new List<OsvRecord>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string id in ids.SelectMany(static i => i))
        {
            if (seen.Add(id))
            {
                records.Add(await GetAsync(id, cancellationToken).ConfigureAwait(false));
            }
        }

        return records;
    }

    private static byte[] QueryBody(IReadOnlyList<OsvQuery> queries, (int Index, string? Token)[] chunk)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("queries");
            foreach ((int index, string? token) in chunk)
            {
                OsvQuery q = queries[index];
                w.WriteStartObject();
                w.WriteStartObject("package");
                w.WriteString("name", q.Name);
                w.WriteString("ecosystem", q.Ecosystem);
                w.WriteEndObject();
                w.WriteString("version", q.Version);
                if (token is not null)
                {
                    w.WriteString("page_token", token);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private async Task<JsonDocument> SendAsync(Uri url, byte[] body, CancellationToken cancellationToken)
    {
        byte[] bytes = await SendRawAsync(url, body, cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw new AdvisoryFetchException(url.ToString(), $"{url}: not JSON: {e.Message}", e);
        }
    }

    /// <summary>GET (no body) or POST (a JSON body); returns the answer's bytes.</summary>
    private async Task<byte[]> SendRawAsync(Uri url, byte[]? body, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        string problem;
        Exception? cause;
        try
        {
            using var request = new HttpRequestMessage(body is null ? HttpMethod.Get : HttpMethod.Post, url);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            }

            using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            }

            string what = response.StatusCode == HttpStatusCode.NotFound && body is null ? " (no such vulnerability)" : string.Empty;
            problem = AdvisoryHttp.Status(url, response, what);
            cause = null;
        }
        catch (Exception e) when (AdvisoryHttp.Problem(e, url, Timeout, cancellationToken) is { } failure)
        {
            problem = failure;
            cause = e;
        }

        throw new AdvisoryFetchException(url.ToString(), problem, cause);
    }
}
