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
}
