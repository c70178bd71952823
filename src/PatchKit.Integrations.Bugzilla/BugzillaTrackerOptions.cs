using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PatchKit.Hosts;

namespace PatchKit.Integrations.Bugzilla;

/// <summary>Where and how <see cref="BugzillaTracker"/> talks to a Bugzilla 5.2 server.</summary>
public sealed class BugzillaTrackerOptions
{
    /// <summary>Gets or sets the server's base address (<c>https://bugzilla.example.org/</c>); <c>rest/…</c> is appended.</summary>
    public required Uri BaseAddress { get; set; }

    /// <summary>Gets or sets the API key. It is sent as the <c>api_key</c> query parameter or body field (Bugzilla 5.2
    /// ignores the <c>X-BUGZILLA-API-KEY</c> header) and never written to a log or an exception message.</summary>
    public required Secret ApiKey { get; set; }

    /// <summary>Gets or sets the <c>op_sys</c> sent with a new bug (required by Bugzilla 5.2 unless the server has a default).</summary>
    /// <value>The default value is <c>All</c>.</value>
    public string OperatingSystem { get; set; } = "All";

    /// <summary>Gets or sets the <c>platform</c> sent with a new bug (required by Bugzilla 5.2 unless the server has a default).</summary>
    /// <value>The default value is <c>All</c>.</value>
    public string Platform { get; set; } = "All";

    /// <summary>Gets or sets the version used when an <see cref="IssueReport.Version"/> is not given.</summary>
    /// <value>The default value is <c>unspecified</c>.</value>
    public string DefaultVersion { get; set; } = "unspecified";

    /// <summary>Gets or sets how long one request may take.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the HTTP client to use, or <see langword="null"/> to create one the tracker owns.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public HttpClient? HttpClient { get; set; }

    /// <summary>Gets or sets the logger factory.</summary>
    /// <value>The default value is <see cref="NullLoggerFactory.Instance"/>.</value>
    public ILoggerFactory LoggerFactory { get; set; } = NullLoggerFactory.Instance;
}
