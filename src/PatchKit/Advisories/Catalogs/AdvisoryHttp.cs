using System.Globalization;

namespace PatchKit.Advisories.Catalogs;

/// <summary>The words of an HTTP failure, the same for every advisory download (CSAF providers, the OSV API): the URL, then what went wrong.</summary>
internal static class AdvisoryHttp
{
    /// <summary>Describes a failed request (<c>URL: no answer within 30 s</c>, <c>URL: Connection refused (host:port)</c>), or returns
    /// <see langword="null"/> for an exception that is not a failure of the request (the caller's own cancellation among them).</summary>
    public static string? Problem(Exception e, Uri url, TimeSpan timeout, CancellationToken cancellationToken) => e switch
    {
        OperationCanceledException when !cancellationToken.IsCancellationRequested => $"{url}: no answer within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s",
        HttpRequestException or IOException => $"{url}: {e.Message}",
        _ => null,
    };

    /// <summary>Describes an answer that is not a success: <c>URL: HTTP 404 Not Found</c> and what it means, when given.</summary>
    public static string Status(Uri url, HttpResponseMessage response, string meaning = "") =>
        string.Create(CultureInfo.InvariantCulture, $"{url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}{meaning}");
}
