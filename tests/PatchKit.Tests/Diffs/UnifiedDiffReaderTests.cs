using System.Text;
using PatchKit.Diffs;

namespace PatchKit.Tests.Diffs;

public sealed class UnifiedDiffReaderTests
{
    private const string GitPatch =
        "From 1234 Mon Sep 17 00:00:00 2001\nSubject: [PATCH] x\n\n---\n f | 2 +-\n\n" +
        "diff --git a/f b/f\nindex 1..2 100644\n--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@ sec\n a\n-b\n+c\n\\ No newline at end of file\n" +
        "diff --git a/bin b/bin\nnew file mode 100644\nindex 0000000..1111111\nGIT binary patch\nliteral 2\nJcmZQz0000\n\nliteral 0\nHcmV?d00001\n\n" +
        "-- \n2.39.5\n";

    private static List<(DiffTokenType Type, string Text, long Line)> Tokens(string text, PatchParseOptions? options = null)
    {
        var result = new List<(DiffTokenType, string, long)>();
        var reader = new UnifiedDiffReader(Encoding.UTF8.GetBytes(text), options);
        while (reader.Read())
        {
            result.Add((reader.TokenType, Encoding.UTF8.GetString(reader.ValueSpan), reader.LineNumber));
        }

        return result;
    }

    [Fact]
    public void Read_FormatPatchMail_YieldsOneTokenPerLine()
    {
        var tokens = Tokens(GitPatch);

        Assert.Equal(GitPatch.Split('\n').Length - 1, tokens.Count);
        Assert.Equal(
            [
                DiffTokenType.Preamble, DiffTokenType.Preamble, DiffTokenType.Preamble, DiffTokenType.Preamble, DiffTokenType.Preamble, DiffTokenType.Preamble,
                DiffTokenType.GitDiffHeader, DiffTokenType.GitExtendedHeader, DiffTokenType.FileHeaderOld, DiffTokenType.FileHeaderNew, DiffTokenType.HunkHeader,
                DiffTokenType.ContextLine, DiffTokenType.RemovedLine, DiffTokenType.AddedLine, DiffTokenType.NoNewlineMarker,
                DiffTokenType.GitDiffHeader, DiffTokenType.GitExtendedHeader, DiffTokenType.GitExtendedHeader, DiffTokenType.BinaryPatchHeader,
                DiffTokenType.BinaryBlockHeader, DiffTokenType.BinaryData, DiffTokenType.BinaryBlockEnd, DiffTokenType.BinaryBlockHeader, DiffTokenType.BinaryData, DiffTokenType.BinaryBlockEnd,
                DiffTokenType.Garbage, DiffTokenType.Garbage,
            ],
            tokens.Select(t => t.Type));
    }

    [Fact]
    public void Read_HunkHeader_ExposesRangesAndHeading()
    {
        var reader = new UnifiedDiffReader("--- a/f\n+++ b/f\n@@ -12,3 +14 @@ int main()\n a\n b\n-c\n+d\n"u8);
        while (reader.Read() && reader.TokenType != DiffTokenType.HunkHeader)
        {
        }

        Assert.Equal((12, 3, 14, 1), (reader.HunkOldStart, reader.HunkOldCount, reader.HunkNewStart, reader.HunkNewCount));
        Assert.Equal("int main()\n", Encoding.UTF8.GetString(reader.ValueSpan[reader.HunkHeadingStart..]));
        Assert.Equal(3, reader.LineNumber);
        Assert.Equal(1, reader.HunkIndex);
    }

    [Fact]
    public void Read_LoneCrInsideLine_IsData()
    {
        var tokens = Tokens("--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\rb\n+a\r\n");

        Assert.Equal("-a\rb\n", tokens[3].Text);
        Assert.Equal("+a\r\n", tokens[4].Text);
    }

    [Fact]
    public void Read_DashLineWithoutPlusLine_IsNotAFileHeader()
    {
        var tokens = Tokens("--- just a separator\nnot plus\n");

        Assert.All(tokens, t => Assert.Equal(DiffTokenType.Preamble, t.Type));
    }

    [Fact]
    public void Read_RemovedLineLookingLikeHeader_StaysInHunk()
    {
        var tokens = Tokens("--- a/f\n+++ b/f\n@@ -1 +1 @@\n--- a/x\n+++ b/x\n");

        Assert.Equal(DiffTokenType.RemovedLine, tokens[3].Type);
        Assert.Equal(DiffTokenType.AddedLine, tokens[4].Type);
    }

    [Fact]
    public void Read_ContextDiff_YieldsSectionsAndRanges()
    {
        var tokens = Tokens("*** a/f\t2000\n--- b/f\t2000\n***************\n*** 1,2 ****\n! x\n  y\n--- 1,2 ----\n! z\n  y\n");

        Assert.Equal(
            [
                DiffTokenType.ContextFileHeaderOld, DiffTokenType.ContextFileHeaderNew, DiffTokenType.ContextHunkSeparator, DiffTokenType.ContextOldRange,
                DiffTokenType.ContextOldLine, DiffTokenType.ContextOldLine, DiffTokenType.ContextNewRange, DiffTokenType.ContextNewLine, DiffTokenType.ContextNewLine,
            ],
            tokens.Select(t => t.Type));
    }

    [Fact]
    public void Read_OldStyleContextDiff_RangesWithoutTrailingStarsOrDashes()
    {
        const string OldStyle = "*** f\n--- f\n***************\n*** 3,7\n  l3\n! l5\n  l7\n--- 3,8\n  l3\n! L5\n+ new\n  l7\n";
        var reader = new UnifiedDiffReader(Encoding.UTF8.GetBytes(OldStyle));
        var types = new List<DiffTokenType>();
        var ranges = new List<(int, int, int, int)>();
        while (reader.Read())
        {
            types.Add(reader.TokenType);
            if (reader.TokenType == DiffTokenType.ContextNewRange)
            {
                ranges.Add((reader.HunkOldStart, reader.HunkOldCount, reader.HunkNewStart, reader.HunkNewCount));
            }
        }

        Assert.Equal(
            [
                DiffTokenType.ContextFileHeaderOld, DiffTokenType.ContextFileHeaderNew, DiffTokenType.ContextHunkSeparator, DiffTokenType.ContextOldRange,
                DiffTokenType.ContextOldLine, DiffTokenType.ContextOldLine, DiffTokenType.ContextOldLine, DiffTokenType.ContextNewRange,
                DiffTokenType.ContextNewLine, DiffTokenType.ContextNewLine, DiffTokenType.ContextNewLine, DiffTokenType.ContextNewLine,
            ],
            types);
        Assert.Equal([(3, 5, 3, 6)], ranges);
    }

    [Fact]
    public void Parse_OldStyleContextDiff_GivesTheSameHunkAsTheNewStyle()
    {
        const string NewStyle = "*** f\n--- f\n***************\n*** 3,5 ****\n  l3\n! l4\n  l5\n--- 3,5 ----\n  l3\n! L4\n  l5\n";
        string oldStyle = NewStyle.Replace(" ****\n", "\n", StringComparison.Ordinal).Replace(" ----\n", "\n", StringComparison.Ordinal);

        Hunk expected = Assert.Single(Assert.Single(PatchDocument.Parse(Encoding.UTF8.GetBytes(NewStyle)).Files).Hunks);
        Hunk actual = Assert.Single(Assert.Single(PatchDocument.Parse(Encoding.UTF8.GetBytes(oldStyle)).Files).Hunks);

        Assert.Equal((3, 3, 3, 3), (actual.OldStart, actual.OldCount, actual.NewStart, actual.NewCount));
        Assert.Equal(Encoding.UTF8.GetString(expected.Body.Span), Encoding.UTF8.GetString(actual.Body.Span));
    }

    [Theory]
    [InlineData("*** 3,x\n")]
    [InlineData("*** 3,5 **\n")]
    public void Parse_ContextRangeThatIsNotANumber_IsAnError(string range)
    {
        string text = "*** f\n--- f\n***************\n" + range + "  l3\n--- 3,5 ----\n  l3\n";

        var ex = Assert.Throws<PatchFormatException>(() => PatchDocument.Parse(Encoding.UTF8.GetBytes(text)));
        Assert.Equal(4L, ex.LineNumber);
    }

    [Fact]
    public void Read_ResumedAcrossBuffersAtEverySplit_GivesSameTokens()
    {
        byte[] bytes = Encoding.UTF8.GetBytes(GitPatch);
        var expected = Tokens(GitPatch);
        for (int split = 0; split <= bytes.Length; split++)
        {
            var actual = new List<(DiffTokenType, string, long)>();
            var reader = new UnifiedDiffReader(bytes.AsSpan(0, split), isFinalBlock: false, default);
            while (reader.Read())
            {
                actual.Add((reader.TokenType, Encoding.UTF8.GetString(reader.ValueSpan), reader.LineNumber));
            }

            int consumed = (int)reader.BytesConsumed;
            var second = new UnifiedDiffReader(bytes.AsSpan(consumed), isFinalBlock: true, reader.CurrentState);
            while (second.Read())
            {
                actual.Add((second.TokenType, Encoding.UTF8.GetString(second.ValueSpan), second.LineNumber));
            }

            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Read_ResumedState_KeepsAbsoluteOffsetsInErrors()
    {
        byte[] bytes = "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-x\n+y\n@@ -x @@\n"u8.ToArray();
        var reader = new UnifiedDiffReader(bytes.AsSpan(0, 30), isFinalBlock: false, default);
        while (reader.Read())
        {
        }

        UnifiedDiffReaderState state = reader.CurrentState;
        int consumed = (int)reader.BytesConsumed;

        var ex = Assert.Throws<PatchFormatException>(() =>
        {
            var second = new UnifiedDiffReader(bytes.AsSpan(consumed), isFinalBlock: true, state);
            while (second.Read())
            {
            }
        });

        Assert.Equal(6, ex.LineNumber);
        Assert.Equal(34, ex.BytePosition);
    }

    [Fact]
    public void Read_HunkWithoutFileHeaders_ThrowsInStrictModeAndIsGarbageWhenLenient()
    {
        const string text = "intro\n@@ -1 +1 @@\n-x\n+y\n";

        var ex = Assert.Throws<PatchFormatException>(() => Tokens(text));
        var lenient = Tokens(text, new PatchParseOptions { Lenient = true });

        Assert.Contains("without file headers", ex.Message, StringComparison.Ordinal);
        Assert.All(lenient, t => Assert.Equal(DiffTokenType.Preamble, t.Type));
    }

    [Fact]
    public void Read_TwentyDigitLineNumber_ThrowsTooLarge()
    {
        var ex = Assert.Throws<PatchFormatException>(() => Tokens("--- a/f\n+++ b/f\n@@ -10000000000000000000,1 +1 @@\n-x\n+y\n"));

        Assert.Contains("too large", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, ex.LineNumber);
    }

    [Fact]
    public void Read_CountAboveInt32_ThrowsTooLarge()
    {
        var ex = Assert.Throws<PatchFormatException>(() => Tokens("--- a/f\n+++ b/f\n@@ -1,4294967297 +1 @@\n-x\n"));

        Assert.Contains("too large", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Recount_IgnoresCounts()
    {
        var tokens = Tokens("--- a/f\n+++ b/f\n@@ -1,999 +1,999 @@\n a\n-b\n+c\n--- a/g\n+++ b/g\n@@ -1,999 +1,999 @@\n-x\n", new PatchParseOptions { Recount = true });

        Assert.Equal(DiffTokenType.RemovedLine, tokens[6].Type);
    }

    [Fact]
    public void Read_CombinedHunkHeader_IsRefused()
    {
        var ex = Assert.Throws<PatchFormatException>(() => Tokens("--- a/f\n+++ b/f\n@@@ -1 -1 +1 @@@\n", new PatchParseOptions { Lenient = true }));

        Assert.Contains("Combined diffs", ex.Message, StringComparison.Ordinal);
    }
}
