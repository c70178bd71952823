using Microsoft.Data.Sqlite;
using PatchKit.Lifecycle.Journal;
using PatchKit.Lifecycle.Sqlite;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Lifecycle.Journal;

/// <summary>What only the SQLite journal has: its schema version, WAL mode, and hostile content on the disk (a file
/// that is not a database, another program's database, a row tampered with, a newer schema), each refused with a
/// sentence naming the file.</summary>
public sealed class SqliteRunJournalTests
{
    private static JournalRecord Rec(string run, JournalRecordKind kind, string? key = null) =>
        new() { Format = JournalRecord.CurrentFormat, RunId = run, Kind = kind, Key = key, At = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero) };

    private static void Append(IRunJournal journal, JournalRecord record) => journal.AppendAsync(record, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    private static JournalReadResult Read(string path, string run)
    {
        using var j = new SqliteRunJournal(path);
        return j.ReadAsync(run, CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    private static void Sql(string path, string sql)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static string Scalar(string path, string sql)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToString(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    private static string NewJournal(TempDir dir)
    {
        string path = Path.Combine(dir.Path, "run.db");
        using var j = new SqliteRunJournal(path);
        Append(j, Rec("a", JournalRecordKind.RunStarted));
        Append(j, Rec("a", JournalRecordKind.StepStarted, "k"));
        return path;
    }

    [Fact]
    public void Open_NewDatabase_IsWalWithSchemaVersionAndApplicationId()
    {
        using var dir = new TempDir();
        string path = NewJournal(dir);
        Assert.Equal("wal", Scalar(path, "PRAGMA journal_mode"));
        Assert.Equal("1", Scalar(path, "PRAGMA user_version"));
        Assert.Equal(SqliteRunJournal.ApplicationId.ToString(System.Globalization.CultureInfo.InvariantCulture), Scalar(path, "PRAGMA application_id"));
    }

    [Fact]
    public void Read_FileThatIsNotADatabase_JournalCorruptNamingTheFile()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "run.db");
        File.WriteAllText(path, "this is a text file, not a journal database, and it is long enough to have a header\n");
        var ex = Assert.Throws<JournalCorruptException>(() => Read(path, "a"));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be read", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_GarbageOverwritingThePages_JournalCorrupt()
    {
        using var dir = new TempDir();
        string path = NewJournal(dir);
        Sql(path, "PRAGMA wal_checkpoint(TRUNCATE)");
        byte[] bytes = File.ReadAllBytes(path);
        var random = new Random(7);
        for (int i = 100; i < bytes.Length; i++)
        {
            bytes[i] = (byte)random.Next(256);
        }

        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<JournalCorruptException>(() => Read(path, "a"));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_AnotherProgramsDatabase_RefusedAsNotAJournal()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "other.db");
        Sql(path, "CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER)");
        var ex = Assert.Throws<JournalCorruptException>(() => Read(path, "a"));
        Assert.Contains("not a PatchKit journal", ex.Message, StringComparison.Ordinal);
        Assert.Equal("0", Scalar(path, "SELECT count(*) FROM accounts"));
    }

    [Fact]
    public void Open_SchemaNewerThanTheCode_RefusedAndLeftUntouched()
    {
        using var dir = new TempDir();
        string path = NewJournal(dir);
        Sql(path, "PRAGMA user_version = 7");
        var ex = Assert.Throws<JournalCorruptException>(() => Read(path, "a"));
        Assert.Contains("schema version 7", ex.Message, StringComparison.Ordinal);
        Assert.Contains("newer PatchKit", ex.Message, StringComparison.Ordinal);
        Assert.Equal("7", Scalar(path, "PRAGMA user_version"));
    }

    [Theory]
    [InlineData("UPDATE patchkit_journal SET kind = 99 WHERE seq = 2", "record kind 99 is unknown")]
    [InlineData("UPDATE patchkit_journal SET at_ticks = 'yesterday' WHERE seq = 2", "wrong type")]
    [InlineData("UPDATE patchkit_journal SET status = 1234 WHERE seq = 2", "step status 1234 is unknown")]
    [InlineData("UPDATE patchkit_journal SET at_offset = 100000 WHERE seq = 2", "offset is out of range")]
    public void Read_RowTamperedWith_JournalCorruptNamingTheSequence(string tamper, string reason)
    {
        using var dir = new TempDir();
        string path = NewJournal(dir);
        Sql(path, tamper);
        var ex = Assert.Throws<JournalCorruptException>(() => Read(path, "a"));
        Assert.Contains("sequence 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppendAsync_RacingAppendsGroupCommitted_NoGapNothingLost()
    {
        // The group commit: 200 appends racing; the sequence has no gaps and nothing is lost.
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "run.db");
        using (var j = new SqliteRunJournal(path))
        {
            await Task.WhenAll(Enumerable.Range(0, 200).Select(i => j.AppendAsync(Rec("g", JournalRecordKind.StepStarted, "k" + i), CancellationToken.None).AsTask()));
        }

        var records = Read(path, "g").Records;
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), records.Select(r => r.Sequence));
    }
}
