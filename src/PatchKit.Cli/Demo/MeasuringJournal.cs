using System.Diagnostics;
using PatchKit.Lifecycle.Journal;

namespace PatchKit.Cli.Demo;

/// <summary>Wraps a journal and measures the time spent appending (for `patchkit demo --scale`).</summary>
internal sealed class MeasuringJournal(IRunJournal inner) : IRunJournal
{
    private long _ticks;
    private long _appends;
    private long _steps;

    public long Appends => Interlocked.Read(ref _appends);

    public long Steps => Interlocked.Read(ref _steps);

    public TimeSpan TimeInAppend => TimeSpan.FromSeconds((double)Interlocked.Read(ref _ticks) / Stopwatch.Frequency);

    public async ValueTask AppendAsync(JournalRecord record, CancellationToken cancellationToken)
    {
        long t0 = Stopwatch.GetTimestamp();
        await inner.AppendAsync(record, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - t0);
        Interlocked.Increment(ref _appends);
        if (record.Kind == JournalRecordKind.StepStarted)
        {
            Interlocked.Increment(ref _steps);
        }
    }

    public ValueTask<JournalReadResult> ReadAsync(string runId, CancellationToken cancellationToken) => inner.ReadAsync(runId, cancellationToken);
}
