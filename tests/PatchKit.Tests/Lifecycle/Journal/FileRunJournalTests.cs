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
}
