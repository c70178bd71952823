namespace PatchKit.Lifecycle;

/// <summary>The outcome of one journaled step, replayed from the journal or fresh.</summary>
/// <param name="Succeeded">Whether the step did what it was asked.</param>
/// <param name="Message">What happened.</param>
/// <param name="Duration">How long it took on the host's clock.</param>
/// <param name="Data">Data later steps need (a snapshot id, the guests moved).</param>
/// <param name="Replayed">Whether the outcome comes from an earlier attempt of the run.</param>
internal readonly record struct StepOutcome(bool Succeeded, string Message, TimeSpan Duration, string? Data, bool Replayed = false);
