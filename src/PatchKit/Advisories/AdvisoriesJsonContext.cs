using System.Text.Json.Serialization;

namespace PatchKit.Advisories;

/// <summary>Source-generated JSON for catalogs (no reflection, AOT-safe).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true,
    WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(PatchCatalogDocument))]
internal sealed partial class AdvisoriesJsonContext : JsonSerializerContext
{
}
