namespace PatchKit.Lifecycle.Report;

/// <summary>A patch the approval policy held back, with the rule that held it and the hosts it applies to.</summary>
/// <param name="PatchId">The patch.</param>
/// <param name="Reason">The rule that held it (<c>severity Low is below Moderate</c>).</param>
/// <param name="HostIds">The hosts it applies to and was held for.</param>
public sealed record HeldPatchSummary(string PatchId, string Reason, IReadOnlyList<string> HostIds);
