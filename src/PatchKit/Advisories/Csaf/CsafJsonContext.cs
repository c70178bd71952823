using System.Text.Json.Serialization;

namespace PatchKit.Advisories.Csaf;

/// <summary>Source-generated JSON for CSAF 2.0 documents (no reflection, AOT-safe). Members are snake_case; unknown members are skipped.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CsafDocument))]
internal sealed partial class CsafJsonContext : JsonSerializerContext
{
}
