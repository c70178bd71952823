using System.Text.Json.Serialization;

namespace PatchKit.Lifecycle.Journal;

/// <summary>Source-generated JSON for journal records (one compact object per line).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JournalRecord))]
[JsonSerializable(typeof(JournalPayload.Fields))]
internal sealed partial class JournalJsonContext : JsonSerializerContext
{
}
