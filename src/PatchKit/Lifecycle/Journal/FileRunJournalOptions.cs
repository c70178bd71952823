namespace PatchKit.Lifecycle.Journal;

/// <summary>Options for <see cref="FileRunJournal"/>.</summary>
public sealed class FileRunJournalOptions
{
    /// <summary>Gets or sets whether every record is flushed to the disk (<c>fsync</c>) before
    /// <see cref="IRunJournal.AppendAsync"/> completes. Turning it off keeps the order and the checksums but a power
    /// loss may lose the last records; use it only for benchmarks.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool FlushToDisk { get; set; } = true;
}
