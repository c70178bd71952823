using System.Text;
using PatchKit.Diffs;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Diffs;

public sealed class PatchApplierFileTests
{
    private static (string Text, FileApplyResult Result) Apply(string file, string hunks, ApplyOptions? options = null)
    {
        byte[] output = PatchApplier.ApplyFile(TestPatches.File(hunks), Encoding.UTF8.GetBytes(file), out FileApplyResult result, options);
        return (Encoding.UTF8.GetString(output), result);
    }

    [Fact]
    public void Apply_ExactPosition_AppliesWithoutOffset()
    {
        var (text, result) = Apply("a\nb\nc\n", "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
        Assert.Equal("a\nB\nc\n", text);
        Assert.True(result.Succeeded);
        Assert.Equal(new HunkResult(0, HunkStatus.Applied, 1, 0, 0, null), result.Hunks[0]);
    }

    [Fact]
    public void Apply_ContextShiftedDown_AppliesAtOffset()
    {
        string file = "x\nx\nx\n" + TestPatches.Numbered(1, 10);
        var (text, result) = Apply(file, "@@ -4,3 +4,3 @@\n 4\n-5\n+five\n 6\n");
        Assert.Equal("x\nx\nx\n" + TestPatches.Numbered(1, 4) + "five\n" + TestPatches.Numbered(6, 10), text);
        Assert.Equal(3, result.Hunks[0].Offset);
        Assert.Equal(7, result.Hunks[0].Line);
    }

    [Fact]
    public void Apply_ContextShiftedUp_AppliesAtNegativeOffset()
    {
        string file = TestPatches.Numbered(3, 20);
        var (text, result) = Apply(file, "@@ -6,3 +6,3 @@\n 6\n-7\n+seven\n 8\n");
        Assert.Contains("6\nseven\n8\n", text);
        Assert.Equal(-2, result.Hunks[0].Offset);
    }

    [Fact]
    public void Apply_TwoCandidatesEquallyFar_TakesTheLaterOne()
    {
        // context "k\nl\nm" at lines 1-3 and 21-23; the hunk says 11: both are 10 away.
        string block = "k\nl\nm\n";
        string filler = string.Concat(Enumerable.Range(0, 17).Select(i => "f" + i + "\n"));
        string file = block + filler + block;
        var (text, result) = Apply(file, "@@ -11,3 +11,3 @@\n k\n-l\n+L\n m\n");
        Assert.Equal(block + filler + "k\nL\nm\n", text);
        Assert.Equal(10, result.Hunks[0].Offset);
    }

    [Fact]
    public void Apply_FarOffsetInLargeFile_UsesIndexAndFindsNearest()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 20000; i++)
        {
            sb.Append("line ").Append(i).Append('\n');
        }

        var (text, result) = Apply(sb.ToString(), "@@ -10,3 +10,3 @@\n line 15000\n-line 15001\n+changed\n line 15002\n");
        Assert.Contains("line 15000\nchanged\nline 15002\n", text);
        Assert.Equal(15000 - 9, result.Hunks[0].Offset);
    }

    [Fact]
    public void Apply_OneContextLineDiffers_AppliesWithFuzz1()
    {
        var (text, result) = Apply("A\nb\nc\nd\ne\nf\ng\n", "@@ -1,7 +1,7 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n");
        Assert.Equal("A\nb\nc\nD\ne\nf\ng\n", text);
        Assert.Equal(1, result.Hunks[0].Fuzz);
    }

    [Fact]
    public void Apply_FuzzZero_FailsOnDifferentContext()
    {
        var (text, result) = Apply("A\nb\nc\nd\ne\nf\ng\n", "@@ -1,7 +1,7 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n", new ApplyOptions { Fuzz = 0 });
        Assert.Equal("A\nb\nc\nd\ne\nf\ng\n", text);
        Assert.Equal(HunkStatus.Failed, result.Hunks[0].Status);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public void Apply_ThreeContextLinesDiffer_FailsAtDefaultFuzzAndAppliesAtFuzz3()
    {
        string file = "A\nB\nC\nd\nE\nF\nG\n";
        string hunk = "@@ -1,7 +1,7 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n";
        Assert.Equal(HunkStatus.Failed, Apply(file, hunk).Result.Hunks[0].Status);
        var (text, result) = Apply(file, hunk, new ApplyOptions { Fuzz = 3 });
        Assert.Equal("A\nB\nC\nD\nE\nF\nG\n", text);
        Assert.Equal(3, result.Hunks[0].Fuzz);
    }

    [Fact]
    public void Apply_Reverse_UndoesThePatch()
    {
        var (text, result) = Apply("a\nB\nc\n", "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n", new ApplyOptions { Reverse = true });
        Assert.Equal("a\nb\nc\n", text);
        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Apply_AlreadyApplied_IsDetectedAndNothingChanges()
    {
        var (text, result) = Apply("a\nB\nc\n", "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
        Assert.Equal("a\nB\nc\n", text);
        Assert.True(result.ReversedDetected);
        Assert.False(result.Succeeded);
        Assert.Equal(HunkStatus.AlreadyApplied, result.Hunks[0].Status);
    }

    [Fact]
    public void Apply_AlreadyAppliedWithSkip_IsSkipped()
    {
        var (text, result) = Apply("a\nB\nc\n", "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n", new ApplyOptions { SkipAlreadyApplied = true });
        Assert.Equal("a\nB\nc\n", text);
        Assert.True(result.Skipped);
    }

    [Fact]
    public void Apply_AlreadyAppliedWithoutDetection_Fails()
    {
        var (_, result) = Apply("a\nB\nc\n", "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n", new ApplyOptions { DetectReversed = false });
        Assert.False(result.ReversedDetected);
        Assert.Equal(HunkStatus.Failed, result.Hunks[0].Status);
    }

    [Fact]
    public void Apply_CrLfFileAndCrLfPatch_KeepsCarriageReturns()
    {
        var (text, _) = Apply("a\r\nb\r\nc\r\n", "@@ -1,3 +1,3 @@\n a\r\n-b\r\n+B\r\n c\r\n");
        Assert.Equal("a\r\nB\r\nc\r\n", text);
    }

    [Fact]
    public void Apply_CrLfFileLfPatch_FailsByDefault()
    {
        var (_, result) = Apply("a\r\nb\r\nc\r\n", "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n", new ApplyOptions { Fuzz = 0 });
        Assert.False(result.Succeeded);
    }

    [Fact]
    public void Apply_CrLfFileLfPatchWithMatchLineEndings_WritesCrLf()
    {
        var (text, result) = Apply("a\r\nb\r\nc\r\n", "@@ -1,3 +1,4 @@\n a\n-b\n+B\n+B2\n c\n", new ApplyOptions { MatchLineEndings = true });
        Assert.True(result.Succeeded);
        Assert.Equal("a\r\nB\r\nB2\r\nc\r\n", text);
    }

    /// <summary>A patch saved with CRLF applies to an LF file. With CRLF headers too, GNU patch reads it the same way
    /// ("Stripping trailing CRs from patch"); with LF headers and CRLF @@ lines it fails the hunk with "different line
    /// endings", and PatchKit reads the hunks as saved with CRLF and applies them.</summary>
    [Theory]
    [InlineData("--- a/f\r\n+++ b/f\r\n")]
    [InlineData("--- a/f\n+++ b/f\n")]
    public void Apply_LfFileCrLfPatch_StripsPatchCarriageReturns(string headers)
    {
        var file = PatchDocument.Parse(Encoding.ASCII.GetBytes(headers + "@@ -1,3 +1,3 @@\r\n a\r\n-b\r\n+B\r\n c\r\n")).Files[0];
        byte[] output = PatchApplier.ApplyFile(file, "a\nb\nc\n"u8, out var result);
        Assert.True(result.Succeeded);
        Assert.Equal("a\nB\nc\n", Encoding.UTF8.GetString(output));
    }

    [Fact]
    public void Apply_InMemoryPatchWithCrLfLines_KeepsThemAsData()
    {
        // A FilePatch built in memory has no patch text that could have been saved with CRLF: its CRs are data, so
        // the context lines do not match the LF file.
        var (_, result) = Apply("a\nb\nc\n", "@@ -1,3 +1,3 @@\r\n a\r\n-b\r\n+B\r\n c\r\n", new ApplyOptions { Fuzz = 0 });
        Assert.False(result.Succeeded);
    }

    [Fact]
    public void Apply_MixedEndings_AreKeptByteForByte()
    {
        var (text, _) = Apply("a\r\nb\nc\r\nd\n", "@@ -2,2 +2,2 @@\n b\n-c\r\n+C\r\n");
        Assert.Equal("a\r\nb\nC\r\nd\n", text);
    }

    [Fact]
    public void Apply_LoneCarriageReturn_IsData()
    {
        var (text, _) = Apply("a\rx\nb\n", "@@ -1,2 +1,2 @@\n a\rx\n-b\n+B\n");
        Assert.Equal("a\rx\nB\n", text);
    }

    [Fact]
    public void Apply_DropFinalNewline_WritesNoNewline()
    {
        var (text, _) = Apply("a\nb\n", "@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end of file\n");
        Assert.Equal("a\nb", text);
    }

    [Fact]
    public void Apply_AddFinalNewline_WritesNewline()
    {
        var (text, _) = Apply("a\nb", "@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
        Assert.Equal("a\nb\n", text);
    }

    [Fact]
    public void Apply_BothSidesWithoutFinalNewline_KeepsNone()
    {
        var (text, _) = Apply("a\nb", "@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n");
        Assert.Equal("a\nc", text);
    }

    [Fact]
    public void Apply_ContextWithoutFinalNewline_StaysWithout()
    {
        var (text, _) = Apply("a\nb\nc", "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n\\ No newline at end of file\n");
        Assert.Equal("a\nB\nc", text);
    }

    [Fact]
    public void Apply_FileLacksNewlineButPatchDoesNotSaySo_Fails()
    {
        var (_, result) = Apply("a\nb", "@@ -1,2 +1,2 @@\n a\n-b\n+c\n");
        Assert.False(result.Succeeded);
    }

    [Fact]
    public void Apply_IgnoreWhitespace_MatchesDifferentBlanksAndKeepsFileContext()
    {
        var (text, result) = Apply("if  (x)\t{\n  y;\n}\n", "@@ -1,3 +1,3 @@\n if (x) {\n-    y;\n+    z;\n }\n", new ApplyOptions { IgnoreWhitespace = true, Fuzz = 0 });
        Assert.True(result.Succeeded);
        Assert.Equal("if  (x)\t{\n    z;\n}\n", text);
    }

    [Fact]
    public void Apply_IgnoreWhitespace_LfLinesDoNotMatchCrLfLines()
    {
        // As patch -l: GNU's similar() takes a CR for an ordinary character; converting endings is another option.
        const string Patch = "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n";
        var (_, result) = Apply("a\r\nb\r\nc\r\n", Patch, new ApplyOptions { IgnoreWhitespace = true, Fuzz = 0 });
        Assert.False(result.Succeeded);
        var (text, converted) = Apply("a\r\nb\r\nc\r\n", Patch, new ApplyOptions { IgnoreWhitespace = true, MatchLineEndings = true, Fuzz = 0 });
        Assert.True(converted.Succeeded);
        Assert.Equal("a\r\nB\r\nc\r\n", text);
    }

    [Fact]
    public void Apply_WhitespaceDiffersWithoutIgnore_Fails()
    {
        var (_, result) = Apply("if  (x)\t{\n  y;\n}\n", "@@ -1,3 +1,3 @@\n if (x) {\n-    y;\n+    z;\n }\n", new ApplyOptions { Fuzz = 0 });
        Assert.False(result.Succeeded);
    }

    [Fact]
    public void Apply_HugeStartLine_IsClampedAndFoundNearTheEnd()
    {
        var (text, result) = Apply("a\nb\nc\n", "@@ -2000000000,2 +2000000000,2 @@\n b\n-c\n+C\n");
        Assert.True(result.Succeeded);
        Assert.Equal("a\nb\nC\n", text);
    }

    [Fact]
    public void Apply_InsertAtStartOfEmptyOldSide_Inserts()
    {
        var (text, _) = Apply("a\n", "@@ -0,0 +1,2 @@\n+x\n+y\n");
        Assert.Equal("x\ny\na\n", text);
    }

    [Fact]
    public void Apply_SecondHunkFails_FirstStillWrittenAndRejectRendered()
    {
        string file = TestPatches.Numbered(1, 30);
        string hunks = "@@ -2,3 +2,3 @@\n 2\n-3\n+three\n 4\n@@ -20,3 +20,3 @@\n 20\n-nope\n+x\n 22\n";
        var (text, result) = Apply(file, hunks, new ApplyOptions { Fuzz = 0 });
        Assert.Contains("2\nthree\n4\n", text);
        Assert.Equal(HunkStatus.Applied, result.Hunks[0].Status);
        Assert.Equal(HunkStatus.Failed, result.Hunks[1].Status);
        Assert.Equal(20, result.Hunks[1].Line);
        var rej = new System.Buffers.ArrayBufferWriter<byte>();
        Assert.Equal(1, result.WriteRejects(rej));
        Assert.Equal(
            "# hunk #2 (@@ -20,3 +20,3 @@) FAILED at 20: the lines it removes changed: nearest place line 20 (no offset), 2 of 2 context lines and 0 of 1 removed line match\n"
            + "#   line 21 (removed): expected \"nope\"\n"
            + "#                      found    \"21\"\n"
            + "--- a/f\n+++ b/f\n@@ -20,3 +20,3 @@\n 20\n-nope\n+x\n 22\n",
            Encoding.UTF8.GetString(rej.WrittenSpan));
    }

    [Fact]
    public void Apply_HunkAtEndWithoutTrailingContext_MustMatchEndOfFile()
    {
        var (text, result) = Apply("a\nb\nc\na\nb\n", "@@ -1,2 +1,3 @@\n a\n b\n+END\n");
        Assert.True(result.Succeeded);
        Assert.Equal("a\nb\nc\na\nb\nEND\n", text);
    }

    [Fact]
    public void Apply_AdversarialRepeatedLines_StaysBounded()
    {
        // 200,000 identical lines and a hunk that almost matches everywhere: the rarest-line anchor has no position.
        var sb = new StringBuilder();
        for (int i = 0; i < 200_000; i++)
        {
            sb.Append("same\n");
        }

        string hunk = "@@ -100000,4 +100000,4 @@\n same\n same\n-absent\n+x\n same\n";
        var (_, result) = Apply(sb.ToString(), hunk);
        Assert.Equal(HunkStatus.Failed, result.Hunks[0].Status);
    }
}
