using System.Text.Json.Serialization;

namespace PatchKit.Hosts.Simulated;

/// <summary>Source-generated JSON for fleet descriptions and the state file.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true,
    WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(SimulatedFleetDescription))]
[JsonSerializable(typeof(SimulatedFleetState))]
[JsonSerializable(typeof(SimulatedHostFile))]
internal sealed partial class SimulatedJsonContext : JsonSerializerContext
{
}
