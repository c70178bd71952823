namespace PatchKit.Lifecycle.Journal;

/// <summary>A journal whose appends can share one flush: a record appended with <see cref="AppendDeferredAsync"/> is
/// written at once, in order, but does not force its own flush; it becomes durable with the next one. The run uses it
/// for the record that ends a step: the record that starts the host's next step (a plain
/// <see cref="IRunJournal.AppendAsync"/>, durable before that step acts) carries it to the disk in the same flush, and
/// the run waits for it before the host is completed, reported to a hook or the stage ends.</summary>
/// <remarks>Implementations must make every record appended before an <see cref="IRunJournal.AppendAsync"/> (deferred
/// or not) durable when that append completes, and must never complete the task of a deferred record before the record
/// is durable.</remarks>
public interface IDeferredFlushRunJournal : IRunJournal
{
    /// <summary>Appends a record without forcing a flush for it.</summary>
    /// <param name="record">The record.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the record is durable: after a later <see cref="IRunJournal.AppendAsync"/>
    /// or <see cref="FlushAsync"/> has put it on the disk.</returns>
    ValueTask AppendDeferredAsync(JournalRecord record, CancellationToken cancellationToken);

    /// <summary>Makes every record appended so far durable.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when they are.</returns>
    ValueTask FlushAsync(CancellationToken cancellationToken);
}
