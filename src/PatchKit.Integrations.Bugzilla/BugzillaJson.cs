using System.Text.Json.Serialization;

namespace PatchKit.Integrations.Bugzilla;

internal sealed class BugCreateRequest
{
    [JsonPropertyName("product")] public required string Product { get; init; }
    [JsonPropertyName("component")] public required string Component { get; init; }
    [JsonPropertyName("version")] public required string Version { get; init; }
    [JsonPropertyName("summary")] public required string Summary { get; init; }
    [JsonPropertyName("description")] public required string Description { get; init; }
    [JsonPropertyName("op_sys")] public required string OpSys { get; init; }
    [JsonPropertyName("platform")] public required string Platform { get; init; }
    [JsonPropertyName("priority")] public string? Priority { get; init; }
    [JsonPropertyName("whiteboard")] public required string Whiteboard { get; init; }
    [JsonPropertyName("api_key")] public required string ApiKey { get; init; }
}

internal sealed class BugIdResponse
{
    [JsonPropertyName("id")] public long Id { get; init; }
}

internal sealed class BugSearchResponse
{
    [JsonPropertyName("bugs")] public List<BugFields>? Bugs { get; init; }
}

internal sealed class BugFields
{
    [JsonPropertyName("id")] public long Id { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("resolution")] public string? Resolution { get; init; }
    [JsonPropertyName("whiteboard")] public string? Whiteboard { get; init; }
}

internal sealed class BugCommentRequest
{
    [JsonPropertyName("comment")] public required string Comment { get; init; }
    [JsonPropertyName("api_key")] public required string ApiKey { get; init; }
}

internal sealed class BugUpdateComment
{
    [JsonPropertyName("body")] public required string Body { get; init; }
}

internal sealed class BugResolveRequest
{
    [JsonPropertyName("status")] public required string Status { get; init; }
    [JsonPropertyName("resolution")] public required string Resolution { get; init; }
    [JsonPropertyName("comment")] public required BugUpdateComment Comment { get; init; }
    [JsonPropertyName("api_key")] public required string ApiKey { get; init; }
}

internal sealed class BugzillaErrorBody
{
    [JsonPropertyName("error")] public bool Error { get; init; }
    [JsonPropertyName("code")] public int? Code { get; init; }
    [JsonPropertyName("message")] public string? Message { get; init; }
}

internal sealed class BugzillaVersionResponse
{
    [JsonPropertyName("version")] public string? Version { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BugCreateRequest))]
[JsonSerializable(typeof(BugIdResponse))]
[JsonSerializable(typeof(BugSearchResponse))]
[JsonSerializable(typeof(BugCommentRequest))]
[JsonSerializable(typeof(BugResolveRequest))]
[JsonSerializable(typeof(BugzillaErrorBody))]
[JsonSerializable(typeof(BugzillaVersionResponse))]
internal sealed partial class BugzillaJsonContext : JsonSerializerContext
{
}
