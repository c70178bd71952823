using System.Text;
using PatchKit.Diffs;

namespace PatchKit.Tests.Diffs;

public sealed class PatchDocumentTests
{
    private static PatchDocument Parse(string text, PatchParseOptions? options = null) => PatchDocument.Parse(Encoding.UTF8.GetBytes(text), options);

    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    [Fact]
    public void Parse_GitModify_ReadsPathsHunkAndCounts()
    {
        var doc = Parse("diff --git a/greeting.txt b/greeting.txt\nindex 557db03..4ad0b5b 100644\n--- a/greeting.txt\n+++ b/greeting.txt\n@@ -1,3 +1,4 @@ heading\n Hello,\n-world\n+PatchKit\n+and friends\n goodbye.\n");

        FilePatch file = Assert.Single(doc.Files);
        Assert.Equal("a/greeting.txt", file.OldPath);
        Assert.Equal("b/greeting.txt", file.NewPath);
        Assert.Equal(FileOperation.Modify, file.Operation);
        Assert.Equal(PatchDialect.Git, file.Dialect);
        Assert.Equal(0x81A4, file.OldMode);
        Assert.Equal("557db03", file.OldObjectId);
        Assert.Equal("4ad0b5b", file.NewObjectId);
        Assert.Equal(2, file.AddedLines);
        Assert.Equal(1, file.RemovedLines);
        Hunk hunk = Assert.Single(file.Hunks);
        Assert.Equal((1, 3, 1, 4), (hunk.OldStart, hunk.OldCount, hunk.NewStart, hunk.NewCount));
        Assert.Equal("heading", Text(hunk.SectionHeading));
        Assert.Equal(5, hunk.LineNumber);
        var kinds = new List<HunkLineKind>();
        foreach (HunkLine line in hunk.GetLines())
        {
            kinds.Add(line.Kind);
        }

        Assert.Equal([HunkLineKind.Context, HunkLineKind.Removed, HunkLineKind.Added, HunkLineKind.Added, HunkLineKind.Context], kinds);
    }

    [Fact]
    public void Parse_SvnEmptyFileDeletion_HeaderWithoutOldRange_IsTheDeletionWithoutHunks()
    {
        // What Subversion writes when it deletes an empty file (git's t4135): "@@ +1 0,0 @@" and a bare "-" line. git
        // apply and GNU patch read no hunk there; strict parsing accepts it too.
        var doc = Parse("Index: Makefile\n===================================================================\ndiff --git a/branches/Makefile\ndeleted file mode 100644\n--- a/branches/Makefile\t(revision 13)\n+++ /dev/null\t(nonexistent)\n@@ +1 0,0 @@\n-\n");
        FilePatch f = Assert.Single(doc.Files);
        Assert.Equal(FileOperation.Delete, f.Operation);
        Assert.Empty(f.Hunks);
    }

    [Fact]
    public void Parse_SvnEmptyFileHeader_InPlainUnifiedDiff_IsNoHunk()
    {
        var doc = Parse("Index: empty.txt\n===================================================================\n--- empty.txt\t(revision 3)\n+++ empty.txt\t(working copy)\n@@ +1 0,0 @@\n-\n", new PatchParseOptions { Lenient = false });
        FilePatch f = Assert.Single(doc.Files);
        Assert.Empty(f.Hunks);
    }

    [Fact]
    public void Parse_GitNewFile_IsAddWithEmptyOldPath()
    {
        var doc = Parse("diff --git a/tools/run.sh b/tools/run.sh\nnew file mode 100755\nindex 0000000..1a2b3c4\n--- /dev/null\n+++ b/tools/run.sh\n@@ -0,0 +1,2 @@\n+#!/bin/sh\n+echo patched\n");

        FilePatch file = Assert.Single(doc.Files);
        Assert.Equal(FileOperation.Add, file.Operation);
        Assert.True(file.OldPathBytes.IsEmpty);
        Assert.Null(file.OldPath);
        Assert.Equal("b/tools/run.sh", file.NewPath);
        Assert.Equal(0x81ED, file.NewMode);
        Assert.Null(file.OldMode);
    }

    [Fact]
    public void Parse_GitDeletedFile_IsDeleteWithEmptyNewPath()
    {
        var doc = Parse("diff --git a/x b/x\ndeleted file mode 100644\nindex 1111111..0000000\n--- a/x\n+++ /dev/null\n@@ -1 +0,0 @@\n-gone\n");

        FilePatch file = Assert.Single(doc.Files);
        Assert.Equal(FileOperation.Delete, file.Operation);
        Assert.Equal("a/x", file.OldPath);
        Assert.True(file.NewPathBytes.IsEmpty);
        Assert.Equal(1, file.RemovedLines);
        Assert.Equal((1, 1, 0, 0), (file.Hunks[0].OldStart, file.Hunks[0].OldCount, file.Hunks[0].NewStart, file.Hunks[0].NewCount));
    }

    [Fact]
    public void Parse_GitRenameWithoutHunks_KeepsPrefixedPaths()
    {
        var doc = Parse("diff --git a/old name.txt b/new name.txt\nsimilarity index 100%\nrename from old name.txt\nrename to new name.txt\n");

        FilePatch file = Assert.Single(doc.Files);
        Assert.Equal(FileOperation.Rename, file.Operation);
        Assert.Equal("a/old name.txt", file.OldPath);
        Assert.Equal("b/new name.txt", file.NewPath);
        Assert.Equal(100, file.Similarity);
        Assert.Empty(file.Hunks);
    }

    [Fact]
    public void Parse_GitCopy_IsCopy()
    {
        var doc = Parse("diff --git a/src.c b/dst.c\nsimilarity index 90%\ncopy from src.c\ncopy to dst.c\n--- a/src.c\n+++ b/dst.c\n@@ -1 +1 @@\n-a\n+b\n");

        FilePatch file = Assert.Single(doc.Files);
        Assert.Equal(FileOperation.Copy, file.Operation);
        Assert.Equal("a/src.c", file.OldPath);
        Assert.Equal("b/dst.c", file.NewPath);
    }

    [Fact]
    public void Parse_GitModeChangeOnly_IsModeChange()
    {
        var doc = Parse("diff --git a/run.sh b/run.sh\nold mode 100644\nnew mode 100755\n");

        FilePatch file = Assert.Single(doc.Files);
        Assert.Equal(FileOperation.ModeChange, file.Operation);
        Assert.Equal(0x81A4, file.OldMode);
        Assert.Equal(0x81ED, file.NewMode);
        Assert.Equal("a/run.sh", file.OldPath);
        Assert.Equal("b/run.sh", file.NewPath);
    }

    [Fact]
    public void Parse_GitQuotedPathsWithOctalEscapes_AreUnquoted()
    {
        var doc = Parse("diff --git \"a/A \\303\\242 B.py\" \"b/A \\303\\242 B.py\"\nindex 1..2 100644\n--- \"a/A \\303\\242 B.py\"\n+++ \"b/A \\303\\242 B.py\"\n@@ -1 +1 @@\n-x\n+y\n");

        FilePatch file = Assert.Single(doc.Files);
        Assert.Equal("a/A â B.py", file.OldPath);
        Assert.Equal("b/A â B.py", file.NewPath);
    }

    [Fact]
    public void Parse_GitQuotedPathWithTabAndQuote_IsUnquoted()
    {
        var doc = Parse("diff --git \"a/t\\tq\\\"\" \"b/t\\tq\\\"\"\nnew file mode 100644\nindex 0000000..1111111\n");

        FilePatch file = Assert.Single(doc.Files);
        Assert.Equal("b/t\tq\"", file.NewPath);
        Assert.Equal(FileOperation.Add, file.Operation);
    }

    [Fact]
    public void Parse_GnuNaurWithTimestamps_StripsTimestamps()
    {
        var doc = Parse("diff -Naur pre/a.c post/a.c\n--- pre/a.c\t2000-01-01 00:00:00.000000000 +0000\n+++ post/a.c\t2000-01-01 00:00:00.000000000 +0000\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n");

        FilePatch file = Assert.Single(doc.Files);
        Assert.Equal(PatchDialect.Unified, file.Dialect);
        Assert.Equal("pre/a.c", file.OldPath);
        Assert.Equal("post/a.c", file.NewPath);
        Assert.Equal(FileOperation.Modify, file.Operation);
    }

    [Fact]
    public void Parse_GnuNewFileWithEpochTimestamp_IsAdd()
    {
        var doc = Parse("--- pre/n.txt\t1970-01-01 00:00:00.000000000 +0000\n+++ post/n.txt\t2000-01-01 00:00:00.000000000 +0000\n@@ -0,0 +1 @@\n+new\n");

        FilePatch file = Assert.Single(doc.Files);
        Assert.Equal(FileOperation.Add, file.Operation);
        Assert.True(file.OldPathBytes.IsEmpty);
        Assert.Equal("post/n.txt", file.NewPath);
    }

    [Fact]
    public void Parse_NoNewlineMarker_LastLineHasNoEol()
    {
        var doc = Parse("--- a/f\n+++ b/f\n@@ -1 +1 @@\n-old\n\\ No newline at end of file\n+new\n\\ No newline at end of file\n");

        Hunk hunk = Assert.Single(Assert.Single(doc.Files).Hunks);
        var lines = new List<HunkLine>();
        foreach (HunkLine line in hunk.GetLines())
        {
            lines.Add(line);
        }

        Assert.Equal(2, lines.Count);
        Assert.Equal("old", Text(lines[0].Content));
        Assert.False(lines[0].HasNewline);
        Assert.Equal("new", Text(lines[1].Content));
        Assert.False(lines[1].HasNewline);
    }

    [Fact]
    public void Parse_CrlfLines_KeepLineEndingsAsData()
    {
        var doc = Parse("--- a/f\r\n+++ b/f\r\n@@ -1 +1 @@\r\n-old\r\n+new\r\n");

        FilePatch file = Assert.Single(doc.Files);
        Assert.Equal("a/f", file.OldPath);
        var lines = new List<string>();
        foreach (HunkLine line in file.Hunks[0].GetLines())
        {
            lines.Add(Text(line.Content));
        }

        Assert.Equal(["old\r\n", "new\r\n"], lines);
    }

    [Fact]
    public void Parse_OmittedCounts_MeanOne()
    {
        var doc = Parse("--- a/f\n+++ b/f\n@@ -3 +3 @@\n-x\n+y\n");

        Hunk hunk = doc.Files[0].Hunks[0];
        Assert.Equal((3, 1, 3, 1), (hunk.OldStart, hunk.OldCount, hunk.NewStart, hunk.NewCount));
    }

    [Fact]
    public void Parse_LinesAfterCountsSatisfied_AreNotPartOfHunk()
    {
        var doc = Parse("--- a/f\n+++ b/f\n@@ -1 +1 @@\n-x\n+y\n-- \n2.39.5\n\n");

        Hunk hunk = doc.Files[0].Hunks[0];
        Assert.Equal("-x\n+y\n", Text(hunk.Body));
        Assert.Equal(1, doc.Files[0].RemovedLines);
    }

    [Fact]
    public void Parse_SeveralHunksAndFiles_KeepsOrder()
    {
        var doc = Parse("--- a/f\n+++ b/f\n@@ -1 +1 @@\n-x\n+y\n@@ -10,2 +10,3 @@\n a\n+b\n c\n--- a/g\n+++ b/g\n@@ -1 +1 @@\n-1\n+2\n");

        Assert.Equal(2, doc.Files.Count);
        Assert.Equal(2, doc.Files[0].Hunks.Count);
        Assert.Equal(2, doc.Files[0].AddedLines);
        Assert.Equal("b/g", doc.Files[1].NewPath);
    }

    [Fact]
    public void Parse_EmptyContextLine_IsContext()
    {
        var doc = Parse("--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n\n-b\n+c\n");

        Hunk hunk = doc.Files[0].Hunks[0];
        Assert.Equal(3, hunk.OldCount);
    }

    [Fact]
    public void Parse_MalformedHunkHeader_ThrowsWithLineAndByte()
    {
        var ex = Assert.Throws<PatchFormatException>(() => Parse("--- a/f\n+++ b/f\n@@ -1,3 +1 @\n"));

        Assert.Equal(3, ex.LineNumber);
        Assert.Equal(16, ex.BytePosition);
        Assert.Equal("Malformed hunk header \"@@ -1,3 +1 @\" (expected \"@@ -a,b +c,d @@\") at line 3, byte 16.", ex.Message);
    }

    [Fact]
    public void Parse_CombinedDiff_IsRefused()
    {
        var ex = Assert.Throws<PatchFormatException>(() => Parse("diff --cc file\nindex 1,2..3\n@@@ -1,1 -1,1 +1,1 @@@\n"));

        Assert.Contains("Combined diffs", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, ex.LineNumber);
    }

    [Fact]
    public void Parse_HunkShorterThanCounts_ThrowsNamingHunk()
    {
        var ex = Assert.Throws<PatchFormatException>(() => Parse("--- a/f\n+++ b/f\n@@ -1 +1 @@\n-x\n+y\n@@ -5,3 +5,3 @@\n a\nnot a hunk line\n"));

        Assert.Contains("Hunk #2 (header at line 6)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(8, ex.LineNumber);
    }

    [Fact]
    public void Parse_HunkCutByEndOfInput_Throws()
    {
        var ex = Assert.Throws<PatchFormatException>(() => Parse("--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n"));

        Assert.Contains("cut off", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Malformed_ReturnsDiagnostic()
    {
        bool ok = PatchDocument.TryParse("--- a/f\n+++ b/f\n@@ -x +1 @@\n"u8.ToArray(), null, out PatchDocument? doc, out PatchDiagnostic diagnostic);

        Assert.False(ok);
        Assert.Null(doc);
        Assert.Equal(3, diagnostic.LineNumber);
        Assert.Contains("Malformed hunk header", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LenientMalformedHunkHeader_SkipsAsGarbage()
    {
        var doc = Parse("--- a/f\n+++ b/f\n@@ -x +1 @@\n--- a/g\n+++ b/g\n@@ -1 +1 @@\n-1\n+2\n", new PatchParseOptions { Lenient = true });

        Assert.Equal(2, doc.Files.Count);
        Assert.Empty(doc.Files[0].Hunks);
        Assert.Single(doc.Files[1].Hunks);
    }

    [Fact]
    public void Parse_HunksWithoutHeaders_EachRunOfHunksIsAFileWithoutPaths()
    {
        const string Input = "@@ -1 +1 @@\n-a\n+b\n@@ -5 +5 @@\n-e\n+E\ntext\n--- f\n+++ f\n@@ -1 +1 @@\n-x\n+y\njunk\n"
            + "@@ -9 +9 @@\n-i\n+I\n***************\n*** 2 ****\n! b\n--- 2 ----\n! B\n";
        var doc = Parse(Input, new PatchParseOptions { Lenient = true, HunksWithoutHeaders = true });

        Assert.Equal(4, doc.Files.Count);
        Assert.Equal([2, 1, 1, 1], doc.Files.Select(f => f.Hunks.Count));
        Assert.Equal([1L, 8L, 14L, 17L], doc.Files.Select(f => f.LineNumber));
        Assert.Equal("f", doc.Files[1].NewPath);
        Assert.All(new[] { doc.Files[0], doc.Files[2], doc.Files[3] }, f =>
        {
            Assert.Equal(FileOperation.Modify, f.Operation);
            Assert.True(f.OldPathBytes.IsEmpty && f.NewPathBytes.IsEmpty);
        });
        Assert.Equal([PatchDialect.Unified, PatchDialect.Unified, PatchDialect.Unified, PatchDialect.Context], doc.Files.Select(f => f.Dialect));
        Assert.Equal("-b\n+B\n", Text(doc.Files[3].Hunks[0].Body));
    }

    [Fact]
    public void Parse_HunksWithoutHeaders_NotLenientOrNotAsked_AreGarbage()
    {
        const string Input = "@@ -1 +1 @@\n-a\n+b\n";

        Assert.Empty(Parse(Input, new PatchParseOptions { Lenient = true }).Files);
        Assert.Throws<PatchFormatException>(() => Parse(Input, new PatchParseOptions { HunksWithoutHeaders = true }));
    }

    [Fact]
    public void Parse_NoPatch_GivesEmptyDocument()
    {
        var doc = Parse("just some text\nand more\n");

        Assert.Empty(doc.Files);
        Assert.Equal(24, doc.Preamble.Length);
    }

    [Fact]
    public void Parse_NoPatchWithRequirePatch_ThrowsSayingNoPatchWasFound()
    {
        var ex = Assert.Throws<PatchFormatException>(() => Parse("just some text\nand more\n", new PatchParseOptions { RequirePatch = true }));

        Assert.StartsWith("No patch found in the input: none of its 2 lines starts a file patch", ex.Message, StringComparison.Ordinal);
        Assert.Equal(ex.Message, ex.Reason + ".");
    }

    [Fact]
    public void TryParse_EmptyInputWithRequirePatch_ReturnsFalseWithDiagnostic()
    {
        Assert.False(PatchDocument.TryParse(ReadOnlyMemory<byte>.Empty, new PatchParseOptions { RequirePatch = true }, out var doc, out var diagnostic));
        Assert.Null(doc);
        Assert.Contains("it is empty", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PatchWithRequirePatch_ReadsIt()
    {
        Assert.Single(Parse("--- a/f\n+++ b/f\n@@ -1 +1 @@\n-1\n+2\n", new PatchParseOptions { RequirePatch = true }).Files);
    }

    [Fact]
    public async Task ParseAsync_NonSeekableStream_ParsesSameAsBytes()
    {
        byte[] bytes = Encoding.UTF8.GetBytes("--- a/f\n+++ b/f\n@@ -1 +1 @@\n-x\n+y\n");
        using var stream = new NonSeekableStream(bytes);

        PatchDocument doc = await PatchDocument.ParseAsync(stream);

        Assert.Equal("b/f", Assert.Single(doc.Files).NewPath);
    }

    [Fact]
    public void Parse_MboxWithSeveralPatches_ReadsEveryFile()
    {
        const string Mail = "From 1111 Mon Sep 17 00:00:00 2001\nFrom: A <a@x>\nSubject: [PATCH 1/2] one\n\nbody\n---\n f | 2 +-\n\ndiff --git a/f b/f\nindex 1..2 100644\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n-- \n2.39.5\n\n"
            + "From 2222 Mon Sep 17 00:00:00 2001\nFrom: A <a@x>\nSubject: [PATCH 2/2] two\n\n---\ndiff --git a/g b/g\nindex 1..2 100644\n--- a/g\n+++ b/g\n@@ -1,2 +1 @@\n-a\n-b\n+c\n-- \n2.39.5\n";

        var doc = Parse(Mail);

        Assert.Equal(["b/f", "b/g"], doc.Files.Select(f => f.NewPath));
        Assert.Equal(2, doc.Files[1].RemovedLines);
        Assert.StartsWith("From 1111", Text(doc.Preamble), StringComparison.Ordinal);
        Assert.Equal(["[PATCH 1/2] one", "[PATCH 2/2] two"], doc.Files.Select(f => f.Subject));
    }

    [Fact]
    public void Parse_FoldedSubject_IsJoined()
    {
        var doc = Parse("From 1 Mon Sep 17 00:00:00 2001\nSubject: [PATCH] a long\n subject line\n\n---\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n");

        Assert.Equal("[PATCH] a long subject line", Assert.Single(doc.Files).Subject);
    }

    [Fact]
    public void Parse_PlainDiff_HasNoSubject()
    {
        Assert.Null(Assert.Single(Parse("--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n").Files).Subject);
    }

    [Fact]
    public void Parse_SvnAndQuiltIndexPreamble_IsSkipped()
    {
        var doc = Parse("Index: trunk/f.c\n===================================================================\n--- trunk/f.c\t(revision 1)\n+++ trunk/f.c\t(working copy)\n@@ -1 +1 @@\n-a\n+b\nIndex: g.c\n===================================================================\n--- g.c\n+++ g.c\n@@ -1 +1 @@\n-a\n+b\n");

        Assert.Equal(["trunk/f.c", "g.c"], doc.Files.Select(f => f.NewPath));
    }

    [Fact]
    public void Parse_HgExport_ReadsDiffLines()
    {
        var doc = Parse("# HG changeset patch\n# User a\n# Node ID 1234\nmsg\n\ndiff -r 1234 -r 5678 f.py\n--- a/f.py\tThu Jan 01 00:00:00 1970 +0000\n+++ b/f.py\tThu Jan 01 00:00:00 1970 +0000\n@@ -1 +1 @@\n-a\n+b\n");

        FilePatch file = Assert.Single(doc.Files);
        Assert.Equal("a/f.py", file.OldPath);
        Assert.Equal(FileOperation.Modify, file.Operation);
    }

    [Fact]
    public void Parse_OnlyInAndGarbageBetweenFiles_AreSkipped()
    {
        var doc = Parse("Only in pre: gone.txt\ndiff -Naur pre/a post/a\n--- pre/a\t2000-01-01 00:00:00 +0000\n+++ post/a\t2000-01-01 00:00:00 +0000\n@@ -1 +1 @@\n-a\n+b\nOnly in post: new.txt\nrandom words\n--- pre/b\n+++ post/b\n@@ -1 +1 @@\n-a\n+b\n");

        Assert.Equal(["post/a", "post/b"], doc.Files.Select(f => f.NewPath));
    }

    [Fact]
    public void Parse_GitPathsWithSpacesUnquoted_SplitsOnTheMatchingHalf()
    {
        var doc = Parse("diff --git a/docs/user guide/a b.txt b/docs/user guide/a b.txt\nold mode 100644\nnew mode 100755\n");

        FilePatch file = Assert.Single(doc.Files);
        Assert.Equal("a/docs/user guide/a b.txt", file.OldPath);
        Assert.Equal("b/docs/user guide/a b.txt", file.NewPath);
    }

    [Fact]
    public void Parse_TraditionalNameWithTabQuoted_IsUnquoted()
    {
        var doc = Parse("--- \"a/x\\ty\"\t2000-01-01\n+++ \"b/x\\ty\"\t2000-01-01\n@@ -1 +1 @@\n-a\n+b\n");

        Assert.Equal("b/x\ty", Assert.Single(doc.Files).NewPath);
    }

    [Fact]
    public void Parse_ContextDiff_ConvertsToUnifiedBody()
    {
        var doc = Parse("*** a/f\t2000-01-01\n--- b/f\t2000-01-01\n***************\n*** 1,4 ****\n  one\n- two\n! three\n  four\n--- 1,4 ----\n  one\n! THREE\n+ 3.5\n  four\n");

        FilePatch file = Assert.Single(doc.Files);
        Assert.Equal(PatchDialect.Context, file.Dialect);
        Hunk hunk = Assert.Single(file.Hunks);
        Assert.Equal(" one\n-two\n-three\n+THREE\n+3.5\n four\n", Text(hunk.Body));
        Assert.Equal((1, 4, 1, 4), (hunk.OldStart, hunk.OldCount, hunk.NewStart, hunk.NewCount));
        Assert.Equal((2, 2), (file.AddedLines, file.RemovedLines));
    }

    [Fact]
    public void Parse_ContextDiffWithOnlyAdditions_TakesContextFromNewSection()
    {
        var doc = Parse("*** a/f\n--- b/f\n***************\n*** 1,2 ****\n--- 1,3 ----\n  one\n+ two\n  three\n");

        Hunk hunk = Assert.Single(Assert.Single(doc.Files).Hunks);
        Assert.Equal(" one\n+two\n three\n", Text(hunk.Body));
        Assert.Equal((2, 3), (hunk.OldCount, hunk.NewCount));
    }

    [Fact]
    public void Parse_Recount_TakesCountsFromLines()
    {
        var doc = Parse("--- a/f\n+++ b/f\n@@ -1,999 +1,999 @@\n a\n-b\n+c\n+d\n", new PatchParseOptions { Recount = true });

        Hunk hunk = Assert.Single(doc.Files[0].Hunks);
        Assert.Equal((2, 3), (hunk.OldCount, hunk.NewCount));
    }

    [Fact]
    public void Parse_LenientShortHunk_EndsWhereLinesEndAndIsMarkedShort()
    {
        var doc = Parse("--- a/f\n+++ b/f\n@@ -1,5 +1,5 @@\n a\n-b\n+c\ngarbage\n", new PatchParseOptions { Lenient = true });

        Hunk hunk = Assert.Single(doc.Files[0].Hunks);
        Assert.Equal((2, 2), (hunk.OldCount, hunk.NewCount));
        Assert.Equal(new ShortHunk(0, 3, 5, 5, 2, 2, recounted: false), doc.Files[0].ShortHunk);
    }

    [Fact]
    public void Parse_RecountShortHunk_IsMarkedRecounted()
    {
        var doc = Parse("--- a/f\n+++ b/f\n@@ -1,5 +1,5 @@\n a\n-b\n+c\n", new PatchParseOptions { Lenient = true, Recount = true });

        Assert.Equal(new ShortHunk(0, 3, 5, 5, 2, 2, recounted: true), doc.Files[0].ShortHunk);
    }

    [Fact]
    public void Parse_ManyLinesInOneHunk_AllocatesNothingPerLine()
    {
        static byte[] Patch(int lines)
        {
            var sb = new StringBuilder("--- a/f\n+++ b/f\n@@ -1,").Append(lines).Append(" +1,").Append(lines).Append(" @@\n");
            for (int i = 0; i < lines; i++)
            {
                sb.Append(i % 2 == 0 ? "-old line\n" : " same line\n");
            }

            for (int i = 0; i < lines / 2; i++)
            {
                sb.Append("+new line\n");
            }

            return Encoding.UTF8.GetBytes(sb.ToString());
        }

        byte[] small = Patch(1_000);
        byte[] large = Patch(100_000);
        PatchDocument.Parse(small);
        PatchDocument.Parse(large);

        long before = GC.GetAllocatedBytesForCurrentThread();
        PatchDocument.Parse(small);
        long smallCost = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        PatchDocument doc = PatchDocument.Parse(large);
        long largeCost = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(50_000, doc.Files[0].AddedLines);
        Assert.Equal(smallCost, largeCost);
    }

    [Fact]
    public void Read_WholePatch_AllocatesNothing()
    {
        byte[] bytes = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("diff --git a/f b/f\nindex 1..2 100644\n--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n", 1000)));
        int Count()
        {
            var reader = new UnifiedDiffReader(bytes);
            int n = 0;
            while (reader.Read())
            {
                n++;
            }

            return n;
        }

        Count();
        long before = GC.GetAllocatedBytesForCurrentThread();
        int tokens = Count();
        long cost = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(8000, tokens);
        Assert.Equal(0, cost);
    }

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
