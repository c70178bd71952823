using System.Text;
using PatchKit.Lifecycle.Journal;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Lifecycle.Journal;

/// <summary>A file journal with an authentication key: every record carries an HMAC-SHA256 chained to the previous one.</summary>
public sealed class AuthenticatedJournalTests
{
    private static readonly byte[] s_key = Encoding.UTF8.GetBytes("journal-key-0123456789abcdef");

    private static FileRunJournal Open(string path, byte[]? key) => new(path, new FileRunJournalOptions { AuthenticationKey = key ?? default(ReadOnlyMemory<byte>) });

    private static JournalRecord Rec(JournalRecordKind kind, string key) =>
        new() { RunId = "r", Kind = kind, Key = key, At = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero), Message = "m" };

    private static void Write(string path, int n, byte[]? key = null)
    {
        using var j = Open(path, key ?? s_key);
        for (int i = 0; i < n; i++)
        {
            j.AppendAsync(Rec(JournalRecordKind.Decision, "k" + i), CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
    }

    private static void Append(FileRunJournal j, JournalRecord r) => j.AppendAsync(r, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    private static IReadOnlyList<JournalRecord> Read(string path, byte[]? key)
    {
        using var j = Open(path, key);
        return j.ReadAsync("r", CancellationToken.None).AsTask().GetAwaiter().GetResult().Records;
    }

    [Fact]
    public void Keyed_RoundTripsAcrossReopen_EachLineCarriesAnHmac()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "j");
        Write(path, 3);
        Write(path, 2); // the chain continues from the last record of the file
        Assert.Equal(["k0", "k1", "k2", "k0", "k1"], Read(path, s_key).Select(r => r.Key));
        Assert.All(File.ReadAllLines(path), l => Assert.Matches("^[0-9a-f]{64} \\{", l));
    }

    [Fact]
    public void Keyed_ForgedChangedRemovedOrMovedRecord_IsRefusedNamingTheLine()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "j");
        Write(path, 4);
        string[] lines = File.ReadAllLines(path);

        // A record changed in place (its HMAC kept).
        File.WriteAllLines(path, [lines[0], lines[1].Replace("\"k1\"", "\"k9\"", StringComparison.Ordinal), lines[2], lines[3]]);
        Assert.Contains("line 2", Assert.Throws<JournalCorruptException>(() => Read(path, s_key)).Message, StringComparison.Ordinal);

        // A record removed from the middle: the next one's chain breaks.
        File.WriteAllLines(path, [lines[0], lines[2], lines[3]]);
        Assert.Contains("fails authentication", Assert.Throws<JournalCorruptException>(() => Read(path, s_key)).Message, StringComparison.Ordinal);

        // Two records swapped.
        File.WriteAllLines(path, [lines[0], lines[2], lines[1], lines[3]]);
        Assert.Throws<JournalCorruptException>(() => Read(path, s_key));

        // A forged last record with a valid CRC-32 is not a torn tail: it is refused, not cut off.
        using (var plain = Open(Path.Combine(dir.Path, "plain"), null))
        {
            Append(plain, Rec(JournalRecordKind.RunCompleted, "forged"));
        }

        File.WriteAllLines(path, [.. lines, File.ReadAllLines(Path.Combine(dir.Path, "plain"))[0]]);
        Assert.Contains("not authenticated", Assert.Throws<JournalCorruptException>(() => Read(path, s_key)).Message, StringComparison.Ordinal);

        // A wrong key.
        File.WriteAllLines(path, lines);
        Assert.Throws<JournalCorruptException>(() => Read(path, Encoding.UTF8.GetBytes("another-key-0123456789")));
        Assert.Equal(4, Read(path, s_key).Count);
    }

    [Fact]
    public async Task Keyed_TornTailWithoutEndOfLine_IsStillCutOff()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "j");
        Write(path, 3);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^20]);
        using var j = Open(path, s_key);
        var r = await j.ReadAsync("r", CancellationToken.None);
        Assert.Equal(2, r.Records.Count);
        Assert.True(r.TornTailDetected);
    }

    [Fact]
    public void KeyedJournalWithoutKey_AndPlainJournalWithKey_AreRefused()
    {
        using var dir = new TempDir();
        string keyed = Path.Combine(dir.Path, "keyed");
        Write(keyed, 2);
        Assert.Contains("open the journal with that key", Assert.Throws<JournalCorruptException>(() => Read(keyed, null)).Message, StringComparison.Ordinal);
        string plain = Path.Combine(dir.Path, "plain");
        using (var j = Open(plain, null))
        {
            Append(j, Rec(JournalRecordKind.RunStarted, "a"));
            Append(j, Rec(JournalRecordKind.RunStarted, "b"));
        }

        Assert.Contains("not authenticated", Assert.Throws<JournalCorruptException>(() => Read(plain, s_key)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Open(plain, [1, 2, 3]));
    }

    [Fact]
    public void Cli_RunWithJournalKey_WritesAnAuthenticatedJournal_ResumesWithIt_RefusesAShortKey()
    {
        using var dir = new TempDir();
        File.WriteAllText(Path.Combine(dir.Path, "key"), "a-long-enough-journal-key\n");
        string[] args = ["run", "-f", RepoFiles.Example("fleet.json"), "-c", RepoFiles.Example("catalog.json"), "-p", RepoFiles.Example("policy.json"),
            "-r", "r1", "-q", "--journal-key-file", "key"];
        var first = CliRunner.Run(dir.Path, null, args);
        Assert.True(first.ExitCode == 0, first.Error);
        string journal = Path.Combine(dir.Path, "patchkit-reports", "r1.journal");
        Assert.All(File.ReadAllLines(journal), l => Assert.Matches("^[0-9a-f]{64} ", l));
        var second = CliRunner.Run(dir.Path, null, args);
        Assert.Contains("run r1 finished at ", second.Output, StringComparison.Ordinal);

        // Without the key the journal is refused, and a forged record with it too.
        var without = CliRunner.Run(dir.Path, null, args[..^2]);
        Assert.Equal(2, without.ExitCode);
        Assert.Contains("open the journal with that key", without.Error, StringComparison.Ordinal);
        Cli.CliErrorTests.AssertReadable(without.Error);

        File.WriteAllText(Path.Combine(dir.Path, "short"), "short");
        var shortKey = CliRunner.Run(dir.Path, null, [.. args[..^1], "short"]);
        Assert.Equal(2, shortKey.ExitCode);
        Assert.Contains("it must be at least 16", shortKey.Error, StringComparison.Ordinal);
    }
}
