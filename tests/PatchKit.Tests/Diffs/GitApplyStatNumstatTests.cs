using System.Text;
using PatchKit.Diffs;

namespace PatchKit.Tests.Diffs;

/// <summary><c>--numstat</c> written to a stream writer goes out as bytes (it is all ASCII: odd names are C-quoted), not
/// formatted as text and encoded back; the bytes are git apply's.</summary>
public sealed class GitApplyStatNumstatTests
{
    // git apply --numstat of this patch (git 2.39), byte for byte: a plain name, a name C-quoted for its é, quotes,
    // backslash and tab, and a binary file.
    private const string Patch =
        "diff --git a/plain.txt b/plain.txt\n--- a/plain.txt\n+++ b/plain.txt\n@@ -1 +1 @@\n-a\n+b\n"
        + "diff --git \"a/t\\303\\251st \\\"q\\\" \\\\x\\t.txt\" \"b/t\\303\\251st \\\"q\\\" \\\\x\\t.txt\"\n"
        + "--- \"a/t\\303\\251st \\\"q\\\" \\\\x\\t.txt\"\n+++ \"b/t\\303\\251st \\\"q\\\" \\\\x\\t.txt\"\n@@ -1 +1,2 @@\n a\n+c\n"
        + "diff --git a/bin.dat b/bin.dat\nindex 1234567..89abcde 100644\nBinary files a/bin.dat and b/bin.dat differ\n";

    private const string GitNumstat = "1\t1\tplain.txt\n1\t0\t\"t\\303\\251st \\\"q\\\" \\\\x\\t.txt\"\n-\t-\tbin.dat\n";

    [Fact]
    public void WriteNumstat_StreamWriter_WritesGitsBytesWithoutTheWritersEncoder()
    {
        GitApplyStat report = Read();
        using var stream = new MemoryStream();
        using (var writer = new StreamWriter(stream, new NoEncoderUtf8(), leaveOpen: true))
        {
            // Fails on the text path: every character written through the writer goes through its encoder.
            report.WriteNumstat(writer);
        }

        Assert.Equal(GitNumstat, Encoding.ASCII.GetString(stream.ToArray()));
    }

    [Fact]
    public void WriteNumstat_StreamWriterWithPreambleAndEarlierText_KeepsTheirOrder()
    {
        GitApplyStat report = Read();
        using var stream = new MemoryStream();
        using (var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true))
        {
            writer.Write("before\n");
            report.WriteNumstat(writer);
            writer.Write("after\n");
        }

        byte[] expected = [.. Encoding.UTF8.Preamble, .. Encoding.ASCII.GetBytes("before\n" + GitNumstat + "after\n")];
        Assert.Equal(expected, stream.ToArray());
    }

    [Fact]
    public void WriteNumstat_NotAsciiCompatibleWriter_WritesTheSameText()
    {
        GitApplyStat report = Read();
        using var stream = new MemoryStream();
        var utf16 = new UnicodeEncoding(bigEndian: false, byteOrderMark: false);
        using (var writer = new StreamWriter(stream, utf16, leaveOpen: true))
        {
            report.WriteNumstat(writer);
        }

        Assert.Equal(GitNumstat, utf16.GetString(stream.ToArray()));
        var text = new StringWriter();
        report.WriteNumstat(text);
        Assert.Equal(GitNumstat, text.ToString());
    }

    [Fact]
    public void WriteNumstat_NameLongerThanTheBuffer_WritesItWhole()
    {
        // Thousands of bytes that each quote to four: the line needs a larger buffer than the 64 KiB one.
        string escaped = string.Concat(Enumerable.Repeat("\\303\\251", 12_000));
        string patch = $"diff --git \"a/{escaped}\" \"b/{escaped}\"\n--- \"a/{escaped}\"\n+++ \"b/{escaped}\"\n@@ -1 +1 @@\n-a\n+b\n"
            + "diff --git a/z b/z\n--- a/z\n+++ b/z\n@@ -1 +1 @@\n-a\n+b\n";
        GitApplyStat report = GitApplyStat.Read(new MemoryStream(Encoding.ASCII.GetBytes(patch)), strip: null);
        using var stream = new MemoryStream();
        using (var writer = new StreamWriter(stream, new NoEncoderUtf8(), leaveOpen: true))
        {
            report.WriteNumstat(writer);
        }

        Assert.Equal($"1\t1\t\"{escaped}\"\n1\t1\tz\n", Encoding.ASCII.GetString(stream.ToArray()));
    }

    private static GitApplyStat Read() => GitApplyStat.Read(new MemoryStream(Encoding.ASCII.GetBytes(Patch)), strip: null);

    /// <summary>UTF-8 whose encoder must not be used.</summary>
    private sealed class NoEncoderUtf8 : UTF8Encoding
    {
        public NoEncoderUtf8()
            : base(encoderShouldEmitUTF8Identifier: false)
        {
        }

        public override Encoder GetEncoder() => new Refusing();

        private sealed class Refusing : Encoder
        {
            public override int GetByteCount(char[] chars, int index, int count, bool flush) =>
                count == 0 ? 0 : throw new InvalidOperationException("the numstat text went through the writer's encoder");

            public override int GetBytes(char[] chars, int charIndex, int charCount, byte[] bytes, int byteIndex, bool flush) =>
                charCount == 0 ? 0 : throw new InvalidOperationException("the numstat text went through the writer's encoder");
        }
    }
}
