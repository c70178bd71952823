using System.Text;
using PatchKit.Diffs;

namespace PatchKit.Tests.Diffs;

/// <summary>Hostile input is an error or a bounded (linear) cost, never a hang or an allocation sized by a number in the patch.</summary>
public sealed class HostileInputTests
{
    [Fact]
    public void Parse_TwentyDigitLineNumber_IsFormatErrorAtItsLine()
    {
        var ex = Assert.Throws<PatchFormatException>(() => PatchDocument.Parse("--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n@@ -99999999999999999999,1 +99999999999999999999,1 @@\n-c\n+d\n"u8.ToArray()));

        Assert.Equal(6, ex.LineNumber);
        Assert.Contains("too large", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CountsFarAboveLines_IsErrorNamingTheHunkWithoutAllocatingByCount()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();

        var ex = Assert.Throws<PatchFormatException>(() => PatchDocument.Parse("--- a/f\n+++ b/f\n@@ -1,2000000000 +1,2000000000 @@\n a\n b\n"u8.ToArray()));

        Assert.Contains("Hunk #1 (header at line 3)", ex.Message, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
    }

    [Fact]
    public void Parse_HundredMegabyteLine_IsOneLineOfTheHunk()
    {
        const int Length = 100 << 20;
        byte[] head = "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-"u8.ToArray();
        byte[] tail = "\n+y\n"u8.ToArray();
        byte[] bytes = new byte[head.Length + Length + tail.Length];
        head.CopyTo(bytes, 0);
        bytes.AsSpan(head.Length, Length).Fill((byte)'x');
        tail.CopyTo(bytes, head.Length + Length);

        PatchDocument doc = PatchDocument.Parse(bytes);

        Hunk hunk = Assert.Single(Assert.Single(doc.Files).Hunks);
        var e = hunk.GetLines();
        Assert.True(e.MoveNext());
        Assert.Equal(Length + 1, e.Current.Content.Length);
    }

    [Fact]
    public void Parse_MillionEmptyFiles_ReadsThemAll()
    {
        byte[] one = "diff --git a/e b/e\nnew file mode 100644\nindex 0000000..e69de29\n"u8.ToArray();
        const int Count = 1_000_000;
        byte[] bytes = new byte[one.Length * Count];
        for (int i = 0; i < Count; i++)
        {
            one.CopyTo(bytes, i * one.Length);
        }

        PatchDocument doc = PatchDocument.Parse(bytes);

        Assert.Equal(Count, doc.Files.Count);
        Assert.All(new[] { doc.Files[0], doc.Files[Count - 1] }, f => Assert.Equal(FileOperation.Add, f.Operation));
    }

    [Fact]
    public void Parse_BinaryLiteralClaimingHugeSize_IsFormatError()
    {
        var ex = Assert.Throws<PatchFormatException>(() => PatchDocument.Parse("diff --git a/b b/b\nindex 1..2 100644\nGIT binary patch\nliteral 99999999999\nJcmZQz0000\n\n"u8.ToArray()));

        Assert.Contains("GIT binary patch", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeededRandomBytes_ThrowFormatErrorOrNothing()
    {
        var random = new Random(4242);
        string[] pieces = ["--- a/f\n", "+++ b/f\n", "@@ -1,2 +1,2 @@\n", " x\n", "-y\n", "+z\n", "\\ No newline\n", "diff --git a/f b/f\n", "GIT binary patch\n", "literal 3\n", "*** a\n", "--- b\n", "***************\n", "*** 1,2 ****\n", "\n", "\r\n", "@@ -1 +1 @@\n", "rename from x\n", "\"quoted\\\n"];
        for (int round = 0; round < 2000; round++)
        {
            var sb = new StringBuilder();
            int n = random.Next(1, 30);
            for (int i = 0; i < n; i++)
            {
                sb.Append(pieces[random.Next(pieces.Length)]);
            }

            byte[] bytes = Encoding.UTF8.GetBytes(sb.ToString());
            foreach (bool lenient in new[] { false, true })
            {
                try
                {
                    PatchDocument.Parse(bytes, new PatchParseOptions { Lenient = lenient });
                }
                catch (PatchFormatException)
                {
                }
                catch (Exception ex)
                {
                    Assert.Fail($"seed 4242 round {round} lenient={lenient}: {ex.GetType().Name}: {ex.Message}\n{sb}");
                }
            }
        }
    }

    [Theory]
    [InlineData(50_000)]
    [InlineData(2_049)]
    public void ApplyTree_PathLongerThanPathMax_IsRefusedUpFrontAndChangesNothing(int depth)
    {
        // Deep input: one path of thousands of folders. Checking every folder for links costs time quadratic in the
        // depth, and no file system call takes a path over PATH_MAX (4,096 bytes), so such a path is refused before
        // anything is looked at.
        string deep = string.Concat(Enumerable.Repeat("d/", depth)) + "f";
        byte[] patch = Encoding.ASCII.GetBytes($"diff --git a/ok b/ok\nnew file mode 100644\n--- /dev/null\n+++ b/ok\n@@ -0,0 +1 @@\n+x\ndiff --git a/{deep} b/{deep}\nnew file mode 100644\n--- /dev/null\n+++ b/{deep}\n@@ -0,0 +1 @@\n+x\n");
        var fs = new System.IO.Abstractions.TestingHelpers.MockFileSystem(new Dictionary<string, System.IO.Abstractions.TestingHelpers.MockFileData>
        {
            ["/mock/outside/keep"] = new("keep\n"),
        });
        fs.Directory.CreateDirectory("/mock/tree");
        string[] before = [.. fs.AllPaths.Order(StringComparer.Ordinal)];

        PatchDocument document = PatchDocument.Parse(patch);
        var ex = Assert.Throws<PathSafetyException>(() => PatchApplier.ApplyTree(document, fs, "/mock/tree"));

        Assert.Contains("more than the 4,096 a path may have", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Message.Length < 400, "the message quotes the whole path");
        Assert.Equal(before, fs.AllPaths.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void ApplyTree_PathOfAThousandFolders_AppliesOnTheRealFileSystem()
    {
        // The deepest paths that are legal (just under PATH_MAX) still apply.
        using var dir = new PatchKit.Tests.Infrastructure.TempDir();
        string deep = string.Concat(Enumerable.Repeat("d/", 1_000)) + "f";
        byte[] patch = Encoding.ASCII.GetBytes($"diff --git a/{deep} b/{deep}\nnew file mode 100644\n--- /dev/null\n+++ b/{deep}\n@@ -0,0 +1 @@\n+x\n");

        var result = PatchApplier.ApplyTree(PatchDocument.Parse(patch), new System.IO.Abstractions.FileSystem(), dir.Path);

        Assert.True(result.Succeeded);
        Assert.Equal("x\n", File.ReadAllText(Path.Combine(dir.Path, deep)));
    }

    [Fact]
    public void Parse_MegabyteOfEscapesInAQuotedGitName_IsDecodedWithoutRecursion()
    {
        // A C-quoted name of 500,000 escaped backslashes: decoded in one pass into a 500,000-byte name.
        string quoted = "\"a/" + string.Concat(Enumerable.Repeat("\\\\", 500_000)) + "\"";
        string quotedNew = "\"b/" + string.Concat(Enumerable.Repeat("\\\\", 500_000)) + "\"";
        byte[] patch = Encoding.ASCII.GetBytes($"diff --git {quoted} {quotedNew}\n--- {quoted}\n+++ {quotedNew}\n@@ -1 +1 @@\n-a\n+b\n");

        FilePatch file = Assert.Single(PatchDocument.Parse(patch).Files);

        Assert.Equal(2 + 500_000, file.NewPathBytes.Length);
        Assert.True(file.NewPathBytes.Span[2..].IndexOfAnyExcept((byte)'\\') < 0);
    }

    [Fact]
    public void TreeDiff_DirectoriesNestedAThousandDeep_MatchesGnuDiff()
    {
        // Deep input for the creator's tree walk, on the real file system (a thousand levels keep the path under
        // PATH_MAX so GNU diff can read it too).
        using var dir = new PatchKit.Tests.Infrastructure.TempDir();
        string nested = string.Join('/', Enumerable.Repeat("d", 1000));
        Directory.CreateDirectory(Path.Combine(dir.Path, "old", nested));
        Directory.CreateDirectory(Path.Combine(dir.Path, "new", nested));
        File.WriteAllText(Path.Combine(dir.Path, "old", nested, "f"), "a\nb\n");
        File.WriteAllText(Path.Combine(dir.Path, "new", nested, "f"), "a\nB\n");
        File.SetLastWriteTimeUtc(Path.Combine(dir.Path, "old", nested, "f"), new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        File.SetLastWriteTimeUtc(Path.Combine(dir.Path, "new", nested, "f"), new DateTime(2024, 1, 2, 0, 0, 0, DateTimeKind.Utc));

        var output = new System.Buffers.ArrayBufferWriter<byte>();
        TreeDiffResult result = TreeDiff.Write(new System.IO.Abstractions.FileSystem(), Path.Combine(dir.Path, "old"), Path.Combine(dir.Path, "new"), output, new DiffOptions { Recursive = true, TreatAbsentAsEmpty = true, Text = true, OldLabel = "old", NewLabel = "new" });
        var gnu = GnuTools.Run("diff", dir.Path, "-Naur", "old", "new");

        Assert.True(result.HasDifferences);
        Assert.Equal(Encoding.UTF8.GetString(gnu.Output), Encoding.UTF8.GetString(output.WrittenSpan));
    }
}
