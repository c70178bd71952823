namespace PatchKit.Lifecycle.Journal;

/// <summary>A journal in memory: resumable within the process only. For tests and benchmarks.</summary>
public sealed class InMemoryRunJournal : IRunJournal
{
    private readonly object _gate = new();
    private readonly List<JournalRecord> _records = [];

    /// <summary>Gets a copy of every record, in order.</summary>
    public IReadOnlyList<JournalRecord> Records
    {
        get
        {
            lock (_gate)
            {
                return [.. _records];
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask AppendAsync(JournalRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            _records.Add(record with { Sequence = _records.Count + 1 });
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<JournalReadResult> ReadAsync(string runId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return new(new JournalReadResult([.. _records.Where(r => r.RunId == runId)], false));
        }
    }
}
