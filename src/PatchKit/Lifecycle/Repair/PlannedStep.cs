namespace PatchKit.Lifecycle.Repair;

/// <summary>One step of a host's plan.</summary>
/// <param name="Kind">The step.</param>
/// <param name="PatchId">The patch, for install and live-update steps.</param>
/// <param name="Estimate">How long it is expected to take.</param>
public sealed record PlannedStep(RepairStepKind Kind, string? PatchId, TimeSpan Estimate);
