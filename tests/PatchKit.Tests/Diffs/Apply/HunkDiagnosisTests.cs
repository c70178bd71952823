using System.Buffers;
using System.Text;
using PatchKit.Diffs;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Diffs.Apply;

/// <summary>Why a hunk failed: the nearest place, the lines matched and not, and the kind of difference.</summary>
public sealed class HunkDiagnosisTests
{
    private static HunkResult Fail(string file, string hunks, ApplyOptions? options = null)
    {
        PatchApplier.ApplyFile(TestPatches.File(hunks), Encoding.UTF8.GetBytes(file), out FileApplyResult result, options ?? new ApplyOptions { Fuzz = 0 });
        HunkResult failed = result.Hunks.First(h => h.Status != HunkStatus.Applied);
        return failed;
    }

    [Fact]
    public void ContextLineChanged_AndFileShifted_NamesTruePlaceAndTheLine()
    {
        string file = "x\ny\nz\n" + TestPatches.Numbered(1, 30).Replace("\n12\n", "\n12 local\n", StringComparison.Ordinal);
        HunkResult h = Fail(file, "@@ -10,7 +10,7 @@\n 10\n 11\n 12\n-13\n+thirteen\n 14\n 15\n 16\n");
        HunkFailureDiagnosis d = h.Diagnosis!;
        Assert.Equal(HunkFailureKind.ContextChanged, d.Kind);
        Assert.Equal(13, d.Line);
        Assert.Equal(3, d.Offset);
        Assert.Equal((6, 5, 1, 1), (d.ContextLines, d.ContextMatched, d.RemovedLines, d.RemovedMatched));
        Assert.Equal(new HunkLineDifference(15, HunkLineKind.Context, "12", "12 local"), Assert.Single(d.Differences));
        Assert.Equal<string[]>(
            [
                "context changed: nearest place line 13 (offset +3), 5 of 6 context lines and 1 of 1 removed line match",
                "line 15 (context): expected \"12\"",
                "                   found    \"12 local\"",
            ],
            d.GetReportLines().ToArray());
    }

    [Fact]
    public void RemovedLineChanged_IsChanged()
    {
        HunkResult h = Fail(TestPatches.Numbered(1, 30), "@@ -20,3 +20,3 @@\n 20\n-nope\n+x\n 22\n");
        Assert.Equal(HunkFailureKind.Changed, h.Diagnosis!.Kind);
        Assert.Equal(20, h.Diagnosis.Line);
        Assert.Equal(0, h.Diagnosis.RemovedMatched);
        Assert.Equal(new HunkLineDifference(21, HunkLineKind.Removed, "nope", "21"), Assert.Single(h.Diagnosis.Differences));
    }

    [Fact]
    public void NewSideThere_IsAlreadyApplied_EvenWhenMoved()
    {
        string file = "pre\n" + TestPatches.Numbered(1, 30).Replace("\n15\n", "\nfifteen\n", StringComparison.Ordinal);
        HunkResult h = Fail(file, "@@ -13,5 +13,5 @@\n 13\n 14\n-15\n+fifteen\n 16\n 17\n", new ApplyOptions { Fuzz = 0, DetectReversed = false });
        Assert.Equal(HunkStatus.Failed, h.Status);
        Assert.Equal(HunkFailureKind.AlreadyApplied, h.Diagnosis!.Kind);
        Assert.Equal(14, h.Diagnosis.Line);
        Assert.Equal(1, h.Diagnosis.Offset);
        Assert.Empty(h.Diagnosis.Differences);
    }

    [Fact]
    public void ReversedPatchDetected_EveryHunkDiagnosedAlreadyApplied()
    {
        HunkResult h = Fail("a\nB\nc\n", "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
        Assert.Equal(HunkStatus.AlreadyApplied, h.Status);
        Assert.Equal(HunkFailureKind.AlreadyApplied, h.Diagnosis!.Kind);
        Assert.Equal(1, h.Diagnosis.Line);
    }

    [Fact]
    public void IndentationChanged_IsWhitespaceOnly()
    {
        HunkResult h = Fail("int f()\n{\n\treturn 1;\n}\n", "@@ -1,4 +1,4 @@\n int f()\n {\n-    return 1;\n+    return 2;\n }\n");
        Assert.Equal(HunkFailureKind.WhitespaceOnly, h.Diagnosis!.Kind);
        Assert.Equal(new HunkLineDifference(3, HunkLineKind.Removed, "    return 1;", "\treturn 1;"), Assert.Single(h.Diagnosis.Differences));
        Assert.Contains("line 3 (removed): expected \"    return 1;\"", h.Diagnosis.GetReportLines()[1], StringComparison.Ordinal);
        Assert.Contains("found    \"\\treturn 1;\"", h.Diagnosis.GetReportLines()[2], StringComparison.Ordinal);
    }

    /// <summary>No line of the hunk is in the file as written (the whole block re-indented) and the block moved: the
    /// applier's index finds nothing, so the blank-insensitive index is built and finds the true place.</summary>
    [Fact]
    public void WholeBlockReindentedAndMoved_IsWhitespaceOnlyAtTheTruePlace()
    {
        string block = "\tif (x)\n\t\treturn 1;\n\telse\n\t\treturn 2;\n";
        string file = TestPatches.Numbered(1, 40).Replace("\n20\n", "\n20\n" + block, StringComparison.Ordinal);
        HunkResult h = Fail(file, "@@ -5,4 +5,4 @@\n     if (x)\n-        return 1;\n+        return 0;\n     else\n         return 2;\n");
        Assert.Equal(HunkFailureKind.WhitespaceOnly, h.Diagnosis!.Kind);
        Assert.Equal(21, h.Diagnosis.Line);
        Assert.Equal(16, h.Diagnosis.Offset);
        Assert.Equal(4, h.Diagnosis.DifferentLines);
    }

    [Fact]
    public void CrLfFile_LfPatch_IsLineEndingsOnly()
    {
        HunkResult h = Fail("a\r\nb\r\nc\r\n", "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
        Assert.Equal(HunkFailureKind.LineEndingsOnly, h.Diagnosis!.Kind);
        Assert.Equal(3, h.Diagnosis.DifferentLines);
    }

    [Fact]
    public void NothingAlike_IsNotFound_AtTheExpectedLine()
    {
        HunkResult h = Fail(TestPatches.Numbered(1, 30), "@@ -5,3 +5,3 @@\n p\n-q\n+Q\n r\n");
        Assert.Equal(HunkFailureKind.NotFound, h.Diagnosis!.Kind);
        Assert.Equal(5, h.Diagnosis.Line);
        Assert.Equal(3, h.Diagnosis.DifferentLines);
    }

    [Fact]
    public void FileEndsEarly_LinesPastTheEndAreMissing()
    {
        HunkResult h = Fail("a\nb\nc\n", "@@ -2,4 +2,4 @@\n b\n c\n-d\n+D\n e\n");
        HunkFailureDiagnosis d = h.Diagnosis!;
        Assert.Equal(2, d.Line);
        Assert.Contains(d.Differences, x => x.Found is null && x.Expected == "d" && x.FileLine == 4);
    }

    [Fact]
    public void DiagnoseFailuresOff_NoDiagnosis()
    {
        HunkResult h = Fail(TestPatches.Numbered(1, 30), "@@ -20,3 +20,3 @@\n 20\n-nope\n+x\n 22\n", new ApplyOptions { Fuzz = 0, DiagnoseFailures = false });
        Assert.Equal(HunkStatus.Failed, h.Status);
        Assert.Null(h.Diagnosis);
    }

    [Fact]
    public void ManyFailingHunksOnRepeatedLines_StaysBounded()
    {
        // 20,000 identical lines and 2,000 hunks that all fail: each hunk's vote looks at a fixed number of nearby
        // occurrences, so this finishes (no timing is asserted; the bound is in the code's constants).
        string file = string.Concat(Enumerable.Repeat("same\n", 20_000));
        var hunks = new StringBuilder();
        for (int i = 0; i < 2_000; i++)
        {
            hunks.Append(System.Globalization.CultureInfo.InvariantCulture, $"@@ -{(i * 10) + 1},3 +{(i * 10) + 1},3 @@\n same\n-other\n+x\n same\n");
        }

        PatchApplier.ApplyFile(TestPatches.File(hunks.ToString()), Encoding.UTF8.GetBytes(file), out FileApplyResult result, new ApplyOptions { Fuzz = 0 });
        Assert.All(result.Hunks, h => Assert.Equal(HunkFailureKind.Changed, h.Diagnosis!.Kind));
    }

    [Fact]
    public void RejectFile_CarriesDiagnosisAsComments_AndGnuPatchStillReadsIt()
    {
        string file = TestPatches.Numbered(1, 30).Replace("\n21\n", "\n21 \"changed\"\t\n", StringComparison.Ordinal);
        PatchApplier.ApplyFile(TestPatches.File("@@ -20,3 +20,3 @@\n 20\n-21\n+x\n 22\n"), Encoding.UTF8.GetBytes(file), out FileApplyResult result, new ApplyOptions { Fuzz = 0 });
        var rej = new ArrayBufferWriter<byte>();
        Assert.Equal(1, result.WriteRejects(rej));
        string text = Encoding.UTF8.GetString(rej.WrittenSpan);
        Assert.Equal(
            "# hunk #1 (@@ -20,3 +20,3 @@) FAILED at 20: the lines it removes changed: nearest place line 20 (no offset), 2 of 2 context lines and 0 of 1 removed line match\n"
            + "#   line 21 (removed): expected \"21\"\n"
            + "#                      found    \"21 \\\"changed\\\"\\t\"\n"
            + "--- a/f\n+++ b/f\n@@ -20,3 +20,3 @@\n 20\n-21\n+x\n 22\n",
            text);

        // GNU patch reads the reject file as the patch it holds, skipping the comments: applied to the unchanged
        // file, it gives what the hunk meant.
        using var temp = new TempDir();
        File.WriteAllText(Path.Combine(temp.Path, "f"), TestPatches.Numbered(1, 30));
        File.WriteAllBytes(Path.Combine(temp.Path, "f.rej"), rej.WrittenSpan.ToArray());
        var (code, output, error) = GnuTools.Run("patch", temp.Path, "-p1", "-i", "f.rej");
        Assert.True(code == 0, Encoding.UTF8.GetString(output) + error);
        Assert.Equal(TestPatches.Numbered(1, 30).Replace("\n21\n", "\nx\n", StringComparison.Ordinal), File.ReadAllText(Path.Combine(temp.Path, "f")));

        // And so does git apply.
        File.WriteAllText(Path.Combine(temp.Path, "f"), TestPatches.Numbered(1, 30));
        var (gitCode, _, gitError) = GnuTools.Run("git", temp.Path, "apply", "f.rej");
        Assert.True(gitCode == 0, gitError);
        Assert.Equal(TestPatches.Numbered(1, 30).Replace("\n21\n", "\nx\n", StringComparison.Ordinal), File.ReadAllText(Path.Combine(temp.Path, "f")));
    }
}
