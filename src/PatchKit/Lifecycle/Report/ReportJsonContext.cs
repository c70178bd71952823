using System.Text.Json.Serialization;

namespace PatchKit.Lifecycle.Report;

/// <summary>Source-generated JSON for reports and history entries.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PatchRunReport))]
[JsonSerializable(typeof(RunHistoryEntry))]
internal sealed partial class ReportJsonContext : JsonSerializerContext
{
}
