using System.Text.Json.Serialization;

namespace PatchKit.Advisories.Osv;

/// <summary>Source-generated JSON for OSV records (no reflection, AOT-safe). Members are snake_case; unknown members are skipped.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OsvRecord))]
internal sealed partial class OsvJsonContext : JsonSerializerContext
{
}
