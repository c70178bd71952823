using System.Diagnostics;
using PatchKit.Lifecycle.Journal;

namespace PatchKit.Cli.Demo;

/// <summary>Wraps a journal and measures the time spent appending (for `patchkit demo --scale`).</summary>
internal class MeasuringJournal(IRunJournal inner) : IRunJournal
{
    private long _ticks;
    private long _appends;
    private long _steps;

    public long Appends => Interlocked.Read(ref _appends);

    public long Steps => Interlocked.Read(ref _steps);

    public TimeSpan TimeInAppend => TimeSpan.FromSeconds((double)Interlocked.Read(ref _ticks) / Stopwatch.Frequency);

    /// <summary>A measuring wrapper that keeps the journal's deferred flush (when it has one).</summary>
    public static MeasuringJournal Create(IRunJournal inner) =>
        inner is IDeferredFlushRunJournal deferred ? new Deferred(deferred) : new MeasuringJournal(inner);

    public async ValueTask AppendAsync(JournalRecord record, CancellationToken cancellationToken)
    {
        long t0 = Stopwatch.GetTimestamp();
        Count(record);
        await inner.AppendAsync(record, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - t0);
    }

    public ValueTask<JournalReadResult> ReadAsync(string runId, CancellationToken cancellationToken) => inner.ReadAsync(runId, cancellationToken);

    protected void Count(JournalRecord record)
    {
        Interlocked.Increment(ref _appends);
        if (record.Kind == JournalRecordKind.StepStarted)
        {
            Interlocked.Increment(ref _steps);
        }
    }

    protected void AddTime(long since) => Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - since);

    private sealed class Deferred(IDeferredFlushRunJournal inner) : MeasuringJournal(inner), IDeferredFlushRunJournal
    {
        /// <summary>Only the time of the call counts: the run does not wait for the flush that follows.</summary>
        public ValueTask AppendDeferredAsync(JournalRecord record, CancellationToken cancellationToken)
        {
            long t0 = Stopwatch.GetTimestamp();
            Count(record);
            var pending = inner.AppendDeferredAsync(record, cancellationToken);
            AddTime(t0);
            return pending;
        }

        public async ValueTask FlushAsync(CancellationToken cancellationToken)
        {
            long t0 = Stopwatch.GetTimestamp();
            await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
            AddTime(t0);
        }
    }
}
