using System.Buffers;
using System.IO.Abstractions.TestingHelpers;
using System.Text;
using PatchKit.Diffs;

namespace PatchKit.Tests.Diffs;

/// <summary>The streaming paths: <see cref="GitApplyStat.Read"/> (a patch of any size through one reused buffer) must print
/// exactly what the in-memory document prints, whatever the block boundaries; <see cref="TreeDiff.Write(System.IO.Abstractions.IFileSystem, string, string, Stream, DiffOptions?, CancellationToken)"/>
/// must write exactly what the buffered overload writes.</summary>
public class StreamingReadTests
{
    private const string GitPatch =
        "From 1234 Mon Sep 17 00:00:00 2001\nSubject: [PATCH] two files\n\n---\n" +
        "diff --git a/src/one.c b/src/one.c\nindex 1111111..2222222 100644\n--- a/src/one.c\n+++ b/src/one.c\n" +
        "@@ -1,3 +1,4 @@ int main(void)\n a\n-b\n+B\n+C\n c\n@@ -10,2 +11,2 @@\n x\n-y\n+z\n" +
        "diff --git a/old name.txt b/new name.txt\nsimilarity index 90%\nrename from old name.txt\nrename to new name.txt\n" +
        "--- a/old name.txt\n+++ b/new name.txt\n@@ -1 +1 @@\n-q\n\\ No newline at end of file\n+r\n\\ No newline at end of file\n" +
        "diff --git a/gone b/gone\ndeleted file mode 100755\nindex 3333333..0000000\n--- a/gone\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-1\n-2\n" +
        "diff --git a/bin.dat b/bin.dat\nnew file mode 100644\nindex 0000000..4444444\nGIT binary patch\nliteral 8\nPcmc~u&B@7UU}ORS3~vG$\n\nliteral 0\nHcmV?d00001\n\n" +
        "diff --git a/mode.sh b/mode.sh\nold mode 100644\nnew mode 100755\n";

    private const string TraditionalPatch =
        "Only in a: junk\ndiff -Naur a/x.txt b/x.txt\n--- a/x.txt\t2000-01-01 00:00:00.000000000 +0000\n+++ b/x.txt\t2000-01-01 00:00:00.000000000 +0000\n" +
        "@@ -1,2 +1,2 @@\n-one\n+uno\n two\n" +
        "diff -Naur a/new.txt b/new.txt\n--- a/new.txt\t1970-01-01 00:00:00.000000000 +0000\n+++ b/new.txt\t2000-01-01 00:00:00.000000000 +0000\n" +
        "@@ -0,0 +1 @@\n+fresh\n";

    private const string ContextPatch =
        "*** a/c.txt\t2000-01-01\n--- b/c.txt\t2000-01-01\n***************\n*** 1,3 ****\n  a\n! b\n  c\n--- 1,3 ----\n  a\n! B\n  c\n";

    public static TheoryData<string, bool> Patches() => new()
    {
        { GitPatch, false },
        { TraditionalPatch, false },
        { ContextPatch, true },
        { GitPatch + TraditionalPatch + ContextPatch, true },
    };

    [Theory]
    [MemberData(nameof(Patches))]
    public void Read_AnyBlockBoundaries_PrintsWhatTheDocumentPrints(string patch, bool includeContext)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(patch);
        string expected = Print(new GitApplyStat(PatchDocument.Parse(bytes), null, recount: false, includeContext));
        foreach (int chunk in new[] { 1, 2, 3, 7, 64, 1 << 20 })
        {
            string actual = Print(GitApplyStat.Read(new TrickleStream(bytes, chunk), null, null, includeContext));
            Assert.Equal(expected, actual);
        }
    }

    [Theory]
    [InlineData("diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n b\n", "corrupt patch: hunk at line 4 changes nothing")]
    [InlineData("diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n@@ -5,2 +5,3 @@\n x\n+y\n\r\n", "corrupt patch in hunk at line 8")]
    [InlineData("diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b", "corrupt patch in hunk at line 4")]
    public void Read_HunkGitRefuses_ThrowsTheDocumentsMessage(string patch, string message)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(patch);
        var fromDocument = Assert.Throws<PatchFormatException>(() => new GitApplyStat(PatchDocument.Parse(bytes), null, recount: false));
        Assert.Equal(message, fromDocument.Message);
        foreach (int chunk in new[] { 1, 5, 1 << 20 })
        {
            var streamed = Assert.Throws<PatchFormatException>(() => GitApplyStat.Read(new TrickleStream(bytes, chunk), null));
            Assert.Equal(message, streamed.Message);
        }
    }

    [Fact]
    public void Read_HunkWithoutChangesRecounted_IsAccepted()
    {
        byte[] bytes = "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n b\n"u8.ToArray();
        var options = new PatchParseOptions { Recount = true };
        Assert.Equal(Print(new GitApplyStat(PatchDocument.Parse(bytes, options), null, recount: true)), Print(GitApplyStat.Read(new MemoryStream(bytes), null, options)));
    }

    [Fact]
    public void Read_LongPatch_AllocatesForHunksNotForBytes()
    {
        // One file, one hunk of 200,000 added lines (about 20 MB): a read through the reused buffer keeps the counts only.
        var sb = new StringBuilder("diff --git a/big b/big\n--- a/big\n+++ b/big\n@@ -0,0 +1,200000 @@\n");
        for (int i = 0; i < 200_000; i++)
        {
            sb.Append('+').Append('x', 96).Append('\n');
        }

        byte[] bytes = Encoding.ASCII.GetBytes(sb.ToString());
        GitApplyStat.Read(new MemoryStream(bytes), null); // warm up (pool, statics)
        long before = GC.GetAllocatedBytesForCurrentThread();
        GitApplyStat report = GitApplyStat.Read(new MemoryStream(bytes), null);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal("200000\t0\tbig\n", Print(report, numstatOnly: true));
        Assert.True(allocated < bytes.Length / 20, $"{allocated} bytes allocated to read {bytes.Length} bytes");
    }

    [Fact]
    public void Read_LargePatchReadAhead_LinesLongerThanTheHeadroom_PrintsWhatTheDocumentPrints()
    {
        // More than the read-ahead threshold (4 MiB), with lines longer than the 64 KiB kept free in front of each chunk
        // (one of 150 KiB, one of 3 MiB: several chunks long), so a block's unread tail takes every path.
        var sb = new StringBuilder();
        for (int i = 0; i < 400; i++)
        {
            sb.Append("diff --git a/d/f").Append(i).Append(".txt b/d/f").Append(i).Append(".txt\n--- a/d/f").Append(i).Append(".txt\n+++ b/d/f").Append(i).Append(".txt\n");
            int longLine = i == 7 ? 150 * 1024 : i == 200 ? 3 << 20 : 40;
            sb.Append("@@ -1,3 +1,3 @@ heading\n a\n-").Append('y', longLine).Append("\n+").Append('z', i % 5).Append("\n c\n");
            sb.Append("@@ -10,1 +10,2 @@\n x\n+").Append('w', 2000 + i).Append('\n');
        }

        byte[] bytes = Encoding.ASCII.GetBytes(sb.ToString());
        Assert.True(bytes.Length > 4 << 20);
        string expected = Print(new GitApplyStat(PatchDocument.Parse(bytes), null, recount: false));
        Assert.Contains("2\t1\td/f399.txt\n", expected, StringComparison.Ordinal);
        Assert.Equal(expected, Print(GitApplyStat.Read(new MemoryStream(bytes), null)));
        foreach (int chunk in new[] { 4093, 1 << 20 })
        {
            Assert.Equal(expected, Print(GitApplyStat.Read(new TrickleStream(bytes, chunk), null)));
        }
    }

    [Fact]
    public void Read_LargePatchReadAhead_ReadFails_ThrowsTheReadsError()
    {
        byte[] bytes = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n", 200_000)));
        var ex = Assert.Throws<IOException>(() => GitApplyStat.Read(new FailingStream(bytes, failAt: 3 << 20), null));
        Assert.Equal("disk gone", ex.Message);
    }

    [Fact]
    public void WriteToStream_ManyFilesAcrossWindows_WritesWhatTheBufferedOverloadWrites()
    {
        var fs = new MockFileSystem();
        fs.Directory.CreateDirectory("/t/a");
        fs.Directory.CreateDirectory("/t/b");
        var y2k = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (int i = 0; i < 300; i++)
        {
            string name = $"d{i % 7}/f{i:D3}";
            if (i % 11 != 0)
            {
                fs.AddFile("/t/a/" + name, new MockFileData(string.Concat(Enumerable.Repeat($"line {i}\n", 1 + (i % 5)))) { LastWriteTime = y2k });
            }

            if (i % 13 != 0)
            {
                fs.AddFile("/t/b/" + name, new MockFileData(string.Concat(Enumerable.Repeat($"line {i}\n", 1 + (i % 3))) + (i % 2 == 0 ? "same\n" : "more\n")) { LastWriteTime = y2k });
            }
        }

        foreach (bool absentAsEmpty in new[] { true, false })
        {
            var options = new DiffOptions { Recursive = true, TreatAbsentAsEmpty = absentAsEmpty, OldLabel = "a", NewLabel = "b" };
            var buffered = new ArrayBufferWriter<byte>();
            TreeDiffResult expected = TreeDiff.Write(fs, "/t/a", "/t/b", buffered, options);
            using var streamed = new MemoryStream();
            TreeDiffResult actual = TreeDiff.Write(fs, "/t/a", "/t/b", streamed, options);
            Assert.True(buffered.WrittenCount > 10_000);
            Assert.Equal(Encoding.UTF8.GetString(buffered.WrittenSpan), Encoding.UTF8.GetString(streamed.ToArray()));
            Assert.Equal(expected.FilesCompared, actual.FilesCompared);
            Assert.Equal(expected.FilesDiffering, actual.FilesDiffering);
            Assert.Equal(expected.ExitStatus, actual.ExitStatus);
        }
    }

    private static string Print(GitApplyStat report, bool numstatOnly = false)
    {
        var writer = new StringWriter();
        report.WriteNumstat(writer);
        if (!numstatOnly)
        {
            writer.Write("--\n");
            report.WriteStat(writer);
            writer.Write("--\n");
            report.WriteSummary(writer);
        }

        return writer.ToString();
    }

    /// <summary>Hands out at most <c>chunk</c> bytes per read, so every line crosses a block boundary somewhere.</summary>
    /// <summary>Reads like a file (seekable, with a length) until <paramref name="failAt"/>, then fails as a disk would.</summary>
    private sealed class FailingStream(byte[] bytes, int failAt) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Position >= failAt)
            {
                throw new IOException("disk gone");
            }

            return base.Read(buffer, offset, count);
        }
    }

    private sealed class TrickleStream(byte[] bytes, int chunk) : Stream
    {
        private int _at;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _at; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(Math.Min(count, chunk), bytes.Length - _at);
            bytes.AsSpan(_at, n).CopyTo(buffer.AsSpan(offset));
            _at += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>What a streamed read keeps, measured on the whole heap, so the class runs alone (no other test allocating
/// beside it).</summary>
[Collection(nameof(StreamingMemoryTests))]
[CollectionDefinition(nameof(StreamingMemoryTests), DisableParallelization = true)]
public class StreamingMemoryTests
{
    [Fact]
    public void Read_ManyHunks_KeepsNamesAndCountsNotHunkRecords()
    {
        // 10 files of 20,000 hunks each: a document of them holds 200,000 hunk records (tens of MB); the report keeps 10
        // names and counts.
        var sb = new StringBuilder();
        for (int f = 0; f < 10; f++)
        {
            sb.Append("diff --git a/f").Append(f).Append(" b/f").Append(f).Append("\n--- a/f").Append(f).Append("\n+++ b/f").Append(f).Append('\n');
            for (int h = 0; h < 20_000; h++)
            {
                sb.Append("@@ -").Append((h * 10) + 1).Append(" +").Append((h * 10) + 1).Append(" @@ f\n-a\n+b\n");
            }
        }

        byte[] bytes = Encoding.ASCII.GetBytes(sb.ToString());
        GitApplyStat.Read(new MemoryStream(bytes), null); // warm up (pool, statics)
        long before = GC.GetTotalMemory(forceFullCollection: true);
        GitApplyStat report = GitApplyStat.Read(new MemoryStream(bytes), null);
        long retained = GC.GetTotalMemory(forceFullCollection: true) - before;
        var writer = new StringWriter();
        report.WriteNumstat(writer);
        Assert.StartsWith("20000\t20000\tf0\n", writer.ToString(), StringComparison.Ordinal);
        Assert.True(retained < 1 << 20, $"{retained} bytes kept after reading {bytes.Length} bytes of 200,000 hunks");
    }
}
