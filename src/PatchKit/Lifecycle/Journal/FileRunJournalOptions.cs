namespace PatchKit.Lifecycle.Journal;

/// <summary>Options for <see cref="FileRunJournal"/>.</summary>
public sealed class FileRunJournalOptions
{
    /// <summary>Gets or sets whether every record is flushed to the disk (<c>fsync</c>) before
    /// <see cref="IRunJournal.AppendAsync"/> completes. Turning it off keeps the order and the checksums but a power
    /// loss may lose the last records; use it only for benchmarks.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool FlushToDisk { get; set; } = true;

    /// <summary>Gets or sets a key that authenticates the journal (for journals on shared storage): each record then
    /// carries an HMAC-SHA256 over itself and the previous record's, instead of a CRC-32, so a record forged, changed,
    /// reordered or removed by someone without the key is refused (<see cref="JournalCorruptException"/>). A journal
    /// written with a key is read only with the same key; one written without a key is refused when a key is given.
    /// Cutting records off the end cannot be told from a shorter journal: keep the journal where only the orchestrator
    /// can write it if that matters.</summary>
    /// <value>The default value is empty: records carry a CRC-32, which detects damage but not forgery. A key must be at
    /// least 16 bytes.</value>
    public ReadOnlyMemory<byte> AuthenticationKey { get; set; }
}
