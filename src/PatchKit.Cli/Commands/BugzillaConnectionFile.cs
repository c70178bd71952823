using System.Text.Json;
using System.Text.Json.Serialization;
using PatchKit.Integrations.Bugzilla;

namespace PatchKit.Cli.Commands;

/// <summary>`patchkit run --bugzilla FILE`: where the Bugzilla is and how to authenticate. The API key is named by
/// environment variable or file, never written here; what to file under (product, component, version) is the policy's
/// <c>labIssues</c>.</summary>
internal sealed class BugzillaConnectionFile
{
    public string? Url { get; set; }

    public string? ApiKeyEnvironment { get; set; }

    public string? ApiKeyFile { get; set; }

    public string? OperatingSystem { get; set; }

    public string? Platform { get; set; }

    public int RequestTimeoutSeconds { get; set; } = 30;

    public bool AllowPlainHttp { get; set; }

    public static BugzillaConnectionFile Parse(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, BugzillaConnectionJsonContext.Default.BugzillaConnectionFile)
            ?? throw new JsonException("the file holds null, not a connection object");

    /// <summary>What is wrong with the file beyond its JSON syntax, one sentence a problem.</summary>
    public static List<string> Validate(BugzillaConnectionFile f)
    {
        var problems = new List<string>();
        if (f.Url is null)
        {
            problems.Add("$.url is missing: the Bugzilla's address, such as https://bugzilla.example.org/");
        }
        else if (!Uri.TryCreate(f.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
            || url.Query.Length > 0 || url.UserInfo.Length > 0)
        {
            problems.Add("$.url is not an absolute https address without a query or user info, such as https://bugzilla.example.org/");
        }
        else if (url.Scheme == Uri.UriSchemeHttp && !f.AllowPlainHttp)
        {
            problems.Add("$.url is plain http, which would send the API key unencrypted: use https, or set allowPlainHttp to true for a tracker on a trusted network");
        }

        if ((f.ApiKeyEnvironment is null) == (f.ApiKeyFile is null))
        {
            problems.Add("$: name the API key by exactly one of apiKeyEnvironment or apiKeyFile");
        }

        if (f.OperatingSystem is { Length: 0 } || f.Platform is { Length: 0 })
        {
            problems.Add("$.operatingSystem and $.platform may not be empty (leave them out for \"All\")");
        }

        if (f.RequestTimeoutSeconds is < 1 or > 3600)
        {
            problems.Add("$.requestTimeoutSeconds must be between 1 and 3600");
        }

        return problems;
    }

    public BugzillaTrackerOptions ToOptions(Func<string, string> resolvePath) => new()
    {
        BaseAddress = new Uri(Url!),
        ApiKey = ApiKeyEnvironment is { } e ? Hosts.Secret.FromEnvironment(e) : Hosts.Secret.FromFile(resolvePath(ApiKeyFile!)),
        OperatingSystem = OperatingSystem ?? "All",
        Platform = Platform ?? "All",
        RequestTimeout = TimeSpan.FromSeconds(RequestTimeoutSeconds),
    };
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(BugzillaConnectionFile))]
internal sealed partial class BugzillaConnectionJsonContext : JsonSerializerContext
{
}
