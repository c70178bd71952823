using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using PatchKit.Hosts;

namespace PatchKit.Integrations.Bugzilla;

/// <summary>An <see cref="IIssueTracker"/> over the REST API of Bugzilla 5.2. A bug carries its stable key in the status
/// whiteboard as <c>[patchkit:KEY]</c>, which <see cref="FindAsync"/> searches for.</summary>
/// <remarks>The API key goes in the <c>api_key</c> query parameter (GET) or body field (POST, PUT). Logs name the
/// endpoint without its query string; exception messages name neither the key nor a query string.</remarks>
public sealed class BugzillaTracker : IIssueTracker, IDisposable
{
    private readonly Uri _baseAddress;
    private readonly Secret _apiKey;
    private readonly string _opSys;
    private readonly string _platform;
    private readonly string _defaultVersion;
    private readonly TimeSpan _timeout;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="BugzillaTracker"/> class.</summary>
    /// <param name="options">Where the server is and how to authenticate; values are copied.</param>
    /// <exception cref="ArgumentException">The base address is not absolute http(s) or a field is empty.</exception>
    public BugzillaTracker(BugzillaTrackerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.BaseAddress);
        ArgumentNullException.ThrowIfNull(options.ApiKey);
        ArgumentException.ThrowIfNullOrEmpty(options.OperatingSystem);
        ArgumentException.ThrowIfNullOrEmpty(options.Platform);
        ArgumentException.ThrowIfNullOrEmpty(options.DefaultVersion);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.RequestTimeout, TimeSpan.Zero);
        if (!options.BaseAddress.IsAbsoluteUri || (options.BaseAddress.Scheme != Uri.UriSchemeHttp && options.BaseAddress.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(options.BaseAddress.Query) || !string.IsNullOrEmpty(options.BaseAddress.UserInfo))
        {
            throw new ArgumentException("The Bugzilla base address must be an absolute http or https address without a query or user info.", nameof(options));
        }

        string b = options.BaseAddress.GetLeftPart(UriPartial.Path);
        _baseAddress = new Uri(b.EndsWith('/') ? b : b + "/");
        _apiKey = options.ApiKey;
        _opSys = options.OperatingSystem;
        _platform = options.Platform;
        _defaultVersion = options.DefaultVersion;
        _timeout = options.RequestTimeout;
        _ownsHttp = options.HttpClient is null;
        _http = options.HttpClient ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        _logger = (options.LoggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).CreateLogger<BugzillaTracker>();
    }

    /// <summary>The whiteboard token a stable key is stored as.</summary>
    /// <param name="stableKey">The key.</param>
    /// <returns><c>[patchkit:KEY]</c>.</returns>
    public static string WhiteboardToken(string stableKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(stableKey);
        return "[patchkit:" + stableKey + "]";
    }

    /// <summary>Asks the server for its version (<c>GET /rest/version</c>, which needs no key).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The version, such as <c>5.2</c>.</returns>
    /// <exception cref="IssueTrackerException">The server could not be reached or did not answer as Bugzilla.</exception>
    public async Task<string> GetVersionAsync(CancellationToken cancellationToken = default)
    {
        var r = await SendAsync(HttpMethod.Get, "rest/version", query: null, body: null, BugzillaJsonContext.Default.BugzillaVersionResponse, "read the version", cancellationToken).ConfigureAwait(false);
        return r.Version ?? throw Protocol("read the version", "no version in the answer");
    }

    /// <inheritdoc/>
    public async Task<TrackedIssue?> FindAsync(string stableKey, CancellationToken cancellationToken)
    {
        string token = WhiteboardToken(stableKey);
        string key = await _apiKey.RevealAsync(cancellationToken).ConfigureAwait(false);
        string query = "whiteboard=" + Uri.EscapeDataString(token) + "&include_fields=id,status,resolution,whiteboard&api_key=" + Uri.EscapeDataString(key);
        var r = await SendAsync(HttpMethod.Get, "rest/bug", query, body: null, BugzillaJsonContext.Default.BugSearchResponse, "search for " + token, cancellationToken).ConfigureAwait(false);

        // The whiteboard search is a substring search: keep only a bug whose whiteboard holds the exact token, the lowest id first.
        BugFields? found = null;
        foreach (var bug in r.Bugs ?? [])
        {
            if (bug.Whiteboard is not null && bug.Whiteboard.Contains(token, StringComparison.Ordinal) && (found is null || bug.Id < found.Id))
            {
                found = bug;
            }
        }

        return found is null ? null : new TrackedIssue
        {
            Id = found.Id.ToString(CultureInfo.InvariantCulture),
            StableKey = stableKey,
            Status = found.Status,
            Resolution = string.IsNullOrEmpty(found.Resolution) ? null : found.Resolution,
        };
    }

    /// <inheritdoc/>
    public async Task<TrackedIssue> FileAsync(IssueReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrEmpty(report.Product);
        ArgumentException.ThrowIfNullOrEmpty(report.Component);
        ArgumentException.ThrowIfNullOrEmpty(report.Summary);
        string key = await _apiKey.RevealAsync(cancellationToken).ConfigureAwait(false);
        var request = new BugCreateRequest
        {
            Product = report.Product,
            Component = report.Component,
            Version = string.IsNullOrEmpty(report.Version) ? _defaultVersion : report.Version,
            Summary = report.Summary,
            Description = report.Description ?? string.Empty,
            OpSys = _opSys,
            Platform = _platform,
            Priority = PriorityWord(report.Priority),
            Whiteboard = WhiteboardToken(report.StableKey),
            ApiKey = key,
        };
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(request, BugzillaJsonContext.Default.BugCreateRequest);
        var r = await SendAsync(HttpMethod.Post, "rest/bug", query: null, body, BugzillaJsonContext.Default.BugIdResponse, "file a bug in product '" + report.Product + "'", cancellationToken).ConfigureAwait(false);
        if (r.Id <= 0)
        {
            throw Protocol("file a bug", "no bug id in the answer");
        }

        string id = r.Id.ToString(CultureInfo.InvariantCulture);
        _logger.BugzillaBugFiled(id, report.StableKey);
        return new TrackedIssue { Id = id, StableKey = report.StableKey, Status = null };
    }

    /// <inheritdoc/>
    public async Task CommentAsync(string issueId, string text, CancellationToken cancellationToken)
    {
        string id = CheckId(issueId);
        ArgumentException.ThrowIfNullOrEmpty(text);
        string key = await _apiKey.RevealAsync(cancellationToken).ConfigureAwait(false);
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(new BugCommentRequest { Comment = text, ApiKey = key }, BugzillaJsonContext.Default.BugCommentRequest);
        _ = await SendAsync(HttpMethod.Post, "rest/bug/" + id + "/comment", query: null, body, BugzillaJsonContext.Default.BugIdResponse, "comment on bug " + id, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task ResolveAsync(string issueId, string comment, CancellationToken cancellationToken)
    {
        string id = CheckId(issueId);
        ArgumentException.ThrowIfNullOrEmpty(comment);
        string key = await _apiKey.RevealAsync(cancellationToken).ConfigureAwait(false);
        var request = new BugResolveRequest { Status = "RESOLVED", Resolution = "FIXED", Comment = new BugUpdateComment { Body = comment }, ApiKey = key };
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(request, BugzillaJsonContext.Default.BugResolveRequest);
        _ = await SendAsync(HttpMethod.Put, "rest/bug/" + id, query: null, body, BugzillaJsonContext.Default.BugzillaErrorBody, "resolve bug " + id, cancellationToken).ConfigureAwait(false);
        _logger.BugzillaBugResolved(id);
    }

    /// <summary>Releases the HTTP client if the tracker created it.</summary>
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private static string CheckId(string issueId)
    {
        ArgumentException.ThrowIfNullOrEmpty(issueId);
        if (!long.TryParse(issueId, NumberStyles.None, CultureInfo.InvariantCulture, out long n) || n <= 0)
        {
            throw new ArgumentException("A Bugzilla bug id is a positive number; got '" + issueId + "'.", nameof(issueId));
        }

        return n.ToString(CultureInfo.InvariantCulture);
    }

    private static string? PriorityWord(IssuePriority priority) => priority switch
    {
        IssuePriority.Highest => "Highest",
        IssuePriority.High => "High",
        IssuePriority.Normal => "Normal",
        IssuePriority.Low => "Low",
        IssuePriority.Lowest => "Lowest",
        _ => null,
    };

    private async Task<T> SendAsync<T>(HttpMethod method, string path, string? query, byte[]? body, JsonTypeInfo<T> answer, string what, CancellationToken cancellationToken)
        where T : class
    {
        // The endpoint named in logs and messages never carries the query string (the key is in it for GET).
        string endpoint = new Uri(_baseAddress, path).GetLeftPart(UriPartial.Path);
        var uri = new Uri(_baseAddress, query is null ? path : path + "?" + query);
        _logger.BugzillaRequest(method.Method, endpoint);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        HttpStatusCode status;
        byte[] payload;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            status = response.StatusCode;
            payload = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            _logger.BugzillaRequestFailed(method.Method, endpoint, "timeout");
            throw new IssueTrackerException(IssueTrackerError.Unreachable, null,
                "Bugzilla at " + endpoint + " did not answer within " + _timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s while trying to " + what + ".", null);
        }
        catch (HttpRequestException ex)
        {
            // The inner exception is dropped: its text may quote the request address, query string included.
            string reason = ex.HttpRequestError.ToString();
            _logger.BugzillaRequestFailed(method.Method, endpoint, reason);
            throw new IssueTrackerException(IssueTrackerError.Unreachable, null,
                "Bugzilla at " + endpoint + " could not be reached (" + reason + ") while trying to " + what + "; check the address and that the server is up.", null);
        }

        BugzillaErrorBody? error = null;
        try
        {
            error = JsonSerializer.Deserialize(payload, BugzillaJsonContext.Default.BugzillaErrorBody);
        }
        catch (JsonException)
        {
            // Not JSON: reported below.
        }

        if (error is { Error: true })
        {
            var kind = error.Code switch
            {
                306 or 410 => IssueTrackerError.Unauthorized,
                106 => IssueTrackerError.UnknownProduct,
                51 => IssueTrackerError.InvalidField,
                101 => IssueTrackerError.NotFound,
                _ => IssueTrackerError.Unknown,
            };
            string hint = kind switch
            {
                IssueTrackerError.Unauthorized => "check the API key's source (" + _apiKey.Source + ") and that the key is still valid",
                IssueTrackerError.UnknownProduct => "check the product's name and that the account may file in it",
                IssueTrackerError.InvalidField => "check the component, version and priority against the product's settings",
                IssueTrackerError.NotFound => "check the bug id",
                _ => "see Bugzilla's message",
            };
            string message = await RedactAsync(error.Message ?? "no message", cancellationToken).ConfigureAwait(false);
            _logger.BugzillaRequestFailed(method.Method, endpoint, "code " + error.Code?.ToString(CultureInfo.InvariantCulture));
            throw new IssueTrackerException(kind, error.Code,
                "Bugzilla at " + endpoint + " refused to " + what + " (HTTP " + ((int)status).ToString(CultureInfo.InvariantCulture) + ", code " +
                (error.Code?.ToString(CultureInfo.InvariantCulture) ?? "none") + ": " + message + "); " + hint + ".", null);
        }

        if ((int)status is < 200 or > 299)
        {
            _logger.BugzillaRequestFailed(method.Method, endpoint, "HTTP " + ((int)status).ToString(CultureInfo.InvariantCulture));
            throw new IssueTrackerException(status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? IssueTrackerError.Unauthorized : IssueTrackerError.Protocol, null,
                "Bugzilla at " + endpoint + " answered HTTP " + ((int)status).ToString(CultureInfo.InvariantCulture) + " without a Bugzilla error while trying to " + what + "; check the base address.", null);
        }

        try
        {
            return JsonSerializer.Deserialize(payload, answer) ?? throw Protocol(what, "an empty answer");
        }
        catch (JsonException)
        {
            throw Protocol(what, "an answer that is not Bugzilla's JSON");
        }

        IssueTrackerException Protocol(string w, string detail) =>
            new(IssueTrackerError.Protocol, null, "Bugzilla at " + endpoint + " gave " + detail + " while trying to " + w + "; check the base address.", null);
    }

    private IssueTrackerException Protocol(string what, string detail) =>
        new(IssueTrackerError.Protocol, null, "Bugzilla at " + _baseAddress.GetLeftPart(UriPartial.Path) + " gave " + detail + " while trying to " + what + ".", null);

    private async ValueTask<string> RedactAsync(string text, CancellationToken cancellationToken)
    {
        string key = await _apiKey.RevealAsync(cancellationToken).ConfigureAwait(false);
        var sb = new StringBuilder(text);
        if (key.Length > 0)
        {
            sb.Replace(key, "***").Replace(Uri.EscapeDataString(key), "***");
        }

        return sb.ToString();
    }
}
