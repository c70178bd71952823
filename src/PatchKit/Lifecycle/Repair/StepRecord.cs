namespace PatchKit.Lifecycle.Repair;

/// <summary>A step that ran (or was replayed from the journal) on a host.</summary>
/// <param name="Kind">The step.</param>
/// <param name="PatchId">The patch, for install steps.</param>
/// <param name="StartedAt">When it started on the run's timeline.</param>
/// <param name="Duration">How long it took.</param>
/// <param name="Succeeded">Whether it succeeded.</param>
/// <param name="Replayed">Whether it was done by an earlier attempt of the run.</param>
/// <param name="Message">What happened.</param>
public sealed record StepRecord(RepairStepKind Kind, string? PatchId, DateTimeOffset StartedAt, TimeSpan Duration, bool Succeeded, bool Replayed, string Message);
