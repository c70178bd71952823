namespace PatchKit.Lifecycle.Journal;

/// <summary>What a journal holds for a run.</summary>
/// <param name="Records">The valid records of the run, in order.</param>
/// <param name="TornTailDetected">Whether the last record was torn (a crash during its write) and was ignored.</param>
public sealed record JournalReadResult(IReadOnlyList<JournalRecord> Records, bool TornTailDetected);
