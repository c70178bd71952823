using System.Text.Json.Serialization;
using PatchKit.Lifecycle.Resolve;

namespace PatchKit.Lifecycle;

/// <summary>Source-generated JSON for the lifecycle: journaled decisions, reports, plans and policy files.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(List<HostAssessment>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(LifecyclePolicy))]
[JsonSerializable(typeof(Repair.RepairPlan))]
internal sealed partial class LifecycleJsonContext : JsonSerializerContext
{
}
