using BenchmarkDotNet.Attributes;
using PatchKit.Lifecycle.Journal;

namespace PatchKit.Benchmarks;

/// <summary>The cost of one journal record, with and without the flush to disk (two records per step).</summary>
[MemoryDiagnoser]
public class JournalBenchmarks
{
    private FileRunJournal _journal = null!;
    private string _dir = null!;
    private JournalRecord _record = null!;

    [Params(false, true)]
    public bool FlushToDisk { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("patchkit-journal-bench-").FullName;
        _journal = new FileRunJournal(Path.Combine(_dir, "bench.journal"), new FileRunJournalOptions { FlushToDisk = FlushToDisk });
        _record = new JournalRecord
        {
            RunId = "bench",
            Kind = JournalRecordKind.StepCompleted,
            Key = "repair/esx00042/install/ESXi80U2-202512",
            HostId = "esx00042",
            Message = "installed",
            Duration = TimeSpan.FromMinutes(8),
            At = new DateTimeOffset(2026, 1, 5, 22, 0, 0, TimeSpan.Zero),
        };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _journal.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark]
    public ValueTask Append() => _journal.AppendAsync(_record, CancellationToken.None);
}
