namespace PatchKit.Lifecycle.Journal;

/// <summary>The durable record of runs: every step is appended before and after it changes a host, so a run restarted
/// with the same id resumes where it stopped. <see cref="FileRunJournal"/> is the default;
/// <see cref="InMemoryRunJournal"/> is for tests and benchmarks.</summary>
/// <remarks>Implementations are append-only, safe for concurrent appends, and durable when
/// <see cref="AppendAsync"/> completes.</remarks>
public interface IRunJournal
{
    /// <summary>Appends a record; when the returned task completes the record is durable. The journal assigns
    /// <see cref="JournalRecord.Sequence"/>.</summary>
    /// <param name="record">The record.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the record is durable.</returns>
    ValueTask AppendAsync(JournalRecord record, CancellationToken cancellationToken);

    /// <summary>Reads the records of a run.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The records, and whether a torn last record was found and ignored.</returns>
    /// <exception cref="JournalCorruptException">A record other than the last one is damaged.</exception>
    ValueTask<JournalReadResult> ReadAsync(string runId, CancellationToken cancellationToken);
}
