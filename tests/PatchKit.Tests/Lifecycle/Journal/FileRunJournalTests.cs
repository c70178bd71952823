using System.Text;
using PatchKit.Lifecycle.Journal;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Lifecycle.Journal;

public sealed class FileRunJournalTests
{
    private static JournalRecord Rec(string run, JournalRecordKind kind, string? key = null) =>
        new() { RunId = run, Kind = kind, Key = key, At = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero), Data = "d\n\"x\"" };

    private static void Append(FileRunJournal journal, JournalRecord record) => journal.AppendAsync(record, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    private static IReadOnlyList<JournalRecord> Read(string path, string run, out bool torn)
    {
        using var j = new FileRunJournal(path);
        var r = j.ReadAsync(run, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        torn = r.TornTailDetected;
        return r.Records;
    }

    [Fact]
    public void Append_ThenRead_RoundTripsRecordsOfTheRunInOrder()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "j");
        using (var j = new FileRunJournal(path))
        {
            Append(j, Rec("a", JournalRecordKind.RunStarted));
            Append(j, Rec("b", JournalRecordKind.RunStarted));
            Append(j, Rec("a", JournalRecordKind.StepStarted, "k"));
        }

        var records = Read(path, "a", out bool torn);
        Assert.False(torn);
        Assert.Equal([JournalRecordKind.RunStarted, JournalRecordKind.StepStarted], records.Select(r => r.Kind));
        Assert.Equal([1L, 3L], records.Select(r => r.Sequence));
        Assert.Equal("d\n\"x\"", records[1].Data);
    }

    [Fact]
    public void Read_TornLastRecord_IgnoredAndDetected()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "j");
        using (var j = new FileRunJournal(path))
        {
            Append(j, Rec("a", JournalRecordKind.RunStarted));
        }

        File.AppendAllText(path, "deadbeef {\"sequence\":2,\"ru");
        var records = Read(path, "a", out bool torn);
        Assert.True(torn);
        Assert.Single(records);
    }

    [Fact]
    public void Append_AfterTornTail_CutsItOffAndContinuesTheSequence()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "j");
        using (var j = new FileRunJournal(path))
        {
            Append(j, Rec("a", JournalRecordKind.RunStarted));
        }

        File.AppendAllText(path, "0000");
        using (var j = new FileRunJournal(path))
        {
            Append(j, Rec("a", JournalRecordKind.RunCompleted));
        }

        var records = Read(path, "a", out bool torn);
        Assert.False(torn);
        Assert.Equal([1L, 2L], records.Select(r => r.Sequence));
        Assert.EndsWith("\n", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ChecksumMismatchInTheLastRecord_TreatedAsTorn()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "j");
        using (var j = new FileRunJournal(path))
        {
            Append(j, Rec("a", JournalRecordKind.RunStarted));
            Append(j, Rec("a", JournalRecordKind.StepStarted, "k"));
        }

        byte[] bytes = File.ReadAllBytes(path);
        bytes[^5] ^= 0x20;
        File.WriteAllBytes(path, bytes);
        var records = Read(path, "a", out bool torn);
        Assert.True(torn);
        Assert.Single(records);
    }

    [Fact]
    public void Read_DamagedRecordBeforeTheLast_ThrowsJournalCorruptWithLine()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "j");
        using (var j = new FileRunJournal(path))
        {
            Append(j, Rec("a", JournalRecordKind.RunStarted));
            Append(j, Rec("a", JournalRecordKind.RunCompleted));
        }

        byte[] bytes = File.ReadAllBytes(path);
        bytes[12] ^= 0x01;
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<JournalCorruptException>(() => Read(path, "a", out _));
        Assert.Equal(1, ex.LineNumber);
        Assert.Contains("line 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Append_RecordLine_IsChecksumSpaceJsonNewline()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "j");
        using (var j = new FileRunJournal(path))
        {
            Append(j, Rec("a", JournalRecordKind.RunStarted));
        }

        string line = File.ReadAllText(path, Encoding.UTF8);
        Assert.Matches("^[0-9a-f]{8} \\{.*\\}\n$", line);
    }

    [Fact]
    public async Task AppendDeferred_IsNotAcknowledgedUntilALaterAppendFlushesIt_OneFlushForBoth()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "j");
        using (var j = new FileRunJournal(path))
        {
            var deferred = j.AppendDeferredAsync(Rec("a", JournalRecordKind.StepCompleted, "k1"), CancellationToken.None).AsTask();
            Assert.False(deferred.IsCompleted); // written, but not on the disk yet: not acknowledged
            Assert.Equal(0, j.Flushes);

            await j.AppendAsync(Rec("a", JournalRecordKind.StepStarted, "k2"), CancellationToken.None);
            Assert.True(deferred.IsCompletedSuccessfully); // the later append's flush carried it
            Assert.Equal(1, j.Flushes);
            await deferred;
        }

        var records = Read(path, "a", out _);
        Assert.Equal(["k1", "k2"], records.Select(r => r.Key));
    }

    [Fact]
    public async Task AppendDeferred_FlushAsync_PutsItOnDisk_AndAFlushWithNothingPendingDoesNothing()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "j");
        using var j = new FileRunJournal(path);
        await j.FlushAsync(CancellationToken.None);
        Assert.Equal(0, j.Flushes);

        var deferred = j.AppendDeferredAsync(Rec("a", JournalRecordKind.StepCompleted, "k1"), CancellationToken.None).AsTask();
        var deferred2 = j.AppendDeferredAsync(Rec("a", JournalRecordKind.StepCompleted, "k2"), CancellationToken.None).AsTask();
        Assert.False(deferred.IsCompleted);
        await j.FlushAsync(CancellationToken.None);
        Assert.True(deferred.IsCompletedSuccessfully);
        Assert.True(deferred2.IsCompletedSuccessfully);
        Assert.Equal(1, j.Flushes);
        await j.FlushAsync(CancellationToken.None);
        Assert.Equal(1, j.Flushes);
        Assert.Equal(2, Read(path, "a", out _).Count);
    }

    [Fact]
    public async Task AppendDeferred_ManyThreads_EveryTaskCompletesOnlyAfterAFlushThatFollowsItsWrite()
    {
        // Deferred and flushing appends from 8 threads at once: each deferred task, when it completes, was counted
        // in a flush that started after its record was written (the flush count at completion exceeds the one at the write).
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "j");
        using var j = new FileRunJournal(path);
        var tasks = new List<Task>();
        for (int t = 0; t < 8; t++)
        {
            int thread = t;
            tasks.Add(Task.Run(async () =>
            {
                for (int i = 0; i < 50; i++)
                {
                    long before = j.Flushes;
                    var end = j.AppendDeferredAsync(Rec("a", JournalRecordKind.StepCompleted, $"t{thread}/{i}/end"), CancellationToken.None).AsTask();
                    await j.AppendAsync(Rec("a", JournalRecordKind.StepStarted, $"t{thread}/{i + 1}/start"), CancellationToken.None);
                    Assert.True(end.IsCompletedSuccessfully);
                    Assert.True(j.Flushes > before);
                }
            }));
        }

        await Task.WhenAll(tasks);
        Assert.Equal(800, Read(path, "a", out _).Count);
    }
}
