using System.Text.Json.Serialization;

namespace PatchKit.Cli.Commands;

/// <summary>Source-generated JSON of <see cref="RunInputs"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RunInputs))]
internal sealed partial class RunInputsJsonContext : JsonSerializerContext;
