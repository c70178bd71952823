using System.Text;
using PatchKit.Diffs;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Diffs;

/// <summary>Normal diffs (GNU diff's default output) read into the document model, checked against real GNU diff
/// output: applying the document gives the new file, and applying it in reverse the old one.</summary>
public sealed class NormalDiffTests
{
    [Fact]
    public void ParseNormal_ChangeDeleteAdd_HunksWithoutContext()
    {
        byte[] patch = "1,2d0\n< a\n< b\n4c2,3\n< d\n---\n> D\n> \n11a11,13\n> x\n> y\n> z\n"u8.ToArray();
        Assert.True(PatchDocument.LooksLikeNormalDiff(patch));
        FilePatch f = Assert.Single(PatchDocument.ParseNormal(patch).Files);
        Assert.Equal(PatchDialect.Normal, f.Dialect);
        Assert.Equal((5, 3), (f.AddedLines, f.RemovedLines));
        Assert.Equal([(1, 2, 0, 0), (4, 1, 2, 2), (11, 0, 11, 3)], f.Hunks.Select(h => (h.OldStart, h.OldCount, h.NewStart, h.NewCount)));
        Assert.Equal("-d\n+D\n+\n", Encoding.UTF8.GetString(f.Hunks[1].Body.Span));
    }

    [Fact]
    public void ParseNormal_NotACommand_ThrowsNamingTheLine()
    {
        var ex = Assert.Throws<PatchFormatException>(() => PatchDocument.ParseNormal("1c1\n< a\n---\n> b\nrm -rf /\n"u8.ToArray()));
        Assert.Contains("Line 5", ex.Message, StringComparison.Ordinal);
        Assert.False(PatchDocument.LooksLikeNormalDiff("--- a\n+++ b\n"u8));
    }

    [Fact]
    public void ParseNormal_CommandPromisesMoreLines_Throws()
    {
        Assert.Throws<PatchFormatException>(() => PatchDocument.ParseNormal("1,3d0\n< a\n"u8.ToArray()));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void ParseNormal_RealGnuDiffOutput_AppliesBothWays(int seed)
    {
        var (old, @new) = RandomEdit(seed, k => $"new {k}");

        using var temp = new TempDir();
        string oldText = string.Concat(old.Select(l => l + "\n"));
        string newText = string.Concat(@new.Select(l => l + "\n")) + (seed % 2 == 0 ? "no newline at the end" : string.Empty);
        File.WriteAllText(Path.Combine(temp.Path, "old"), oldText);
        File.WriteAllText(Path.Combine(temp.Path, "new"), newText);
        var (code, output, error) = GnuTools.Run("diff", temp.Path, "old", "new");
        Assert.True(code == 1, error);

        PatchDocument doc = PatchDocument.ParseNormal(output);
        byte[] patched = PatchApplier.ApplyFile(doc.Files[0], Encoding.UTF8.GetBytes(oldText), out FileApplyResult forward, new ApplyOptions { Fuzz = 0 });
        Assert.True(forward.Succeeded);
        Assert.Equal(newText, Encoding.UTF8.GetString(patched));
        byte[] back = PatchApplier.ApplyFile(doc.Files[0], patched, out FileApplyResult reverse, new ApplyOptions { Fuzz = 0, Reverse = true });
        Assert.True(reverse.Succeeded);
        Assert.Equal(oldText, Encoding.UTF8.GetString(back));
    }

    /// <summary>60 lines and 8 seeded edits of them (remove, insert <paramref name="inserted"/>(k), change).</summary>
    internal static (List<string> Old, List<string> New) RandomEdit(int seed, Func<int, string> inserted)
    {
        var random = new Random(seed);
        var old = Enumerable.Range(0, 60).Select(i => $"line {random.Next(20)}").ToList();
        var @new = new List<string>(old);
        for (int k = 0; k < 8; k++)
        {
            int at = random.Next(@new.Count);
            switch (random.Next(3))
            {
                case 0: @new.RemoveAt(at); break;
                case 1: @new.Insert(at, inserted(k)); break;
                default: @new[at] = $"changed {k}"; break;
            }
        }

        return (old, @new);
    }
}

/// <summary>ed scripts (diff -e) read as data into the document model, checked against real GNU diff output.</summary>
public sealed class EdScriptTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void ParseEd_RealGnuDiffOutput_AppliesBothWays(int seed)
    {
        // An inserted line that is a lone "." (the line that ends ed's input mode) among the edits.
        var (old, @new) = NormalDiffTests.RandomEdit(seed, k => k == 3 ? "." : $"new {k}");

        using var temp = new TempDir();
        string oldText = string.Concat(old.Select(l => l + "\n"));
        string newText = string.Concat(@new.Select(l => l + "\n"));
        File.WriteAllText(Path.Combine(temp.Path, "old"), oldText);
        File.WriteAllText(Path.Combine(temp.Path, "new"), newText);
        var (code, script, error) = GnuTools.Run("diff", temp.Path, "-e", "old", "new");
        Assert.True(code == 1, error);

        PatchDocument doc = PatchDocument.ParseEd(script, Encoding.UTF8.GetBytes(oldText));
        Assert.Equal(PatchDialect.Ed, doc.Files[0].Dialect);
        byte[] patched = PatchApplier.ApplyFile(doc.Files[0], Encoding.UTF8.GetBytes(oldText), out FileApplyResult forward, new ApplyOptions { Fuzz = 0 });
        Assert.True(forward.Succeeded);
        Assert.Equal(newText, Encoding.UTF8.GetString(patched));
        byte[] back = PatchApplier.ApplyFile(doc.Files[0], patched, out FileApplyResult reverse, new ApplyOptions { Fuzz = 0, Reverse = true });
        Assert.True(reverse.Succeeded);
        Assert.Equal(oldText, Encoding.UTF8.GetString(back));
    }

    [Theory]
    [InlineData("1a\nx\n.\n!touch pwned\n")]
    [InlineData("1r /etc/passwd\n")]
    [InlineData("e !id\n")]
    [InlineData("g/./d\n")]
    public void ParseEd_AnyOtherCommand_RefusedNothingRun(string script)
    {
        var ex = Assert.Throws<PatchFormatException>(() => PatchDocument.ParseEd(Encoding.UTF8.GetBytes(script), "a\nb\n"u8));
        Assert.Contains("no other command is accepted", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseEd_LinePastTheEnd_Refused()
    {
        var ex = Assert.Throws<PatchFormatException>(() => PatchDocument.ParseEd("5d\n"u8.ToArray(), "a\nb\n"u8));
        Assert.Equal("EdCommandFailed", ex.Reason);
    }

    /// <summary>Each command at its line number in the text the commands before it left, as ed (checked against GNU
    /// patch -e with /usr/bin/ed in the GNU comparison table); the document applies and reverses as any other.</summary>
    [Theory]
    [InlineData("1\n2\n3\n", "1a\nY\n.\n3c\nX\n.\n", "1\nY\nX\n3\n")]
    [InlineData("1\n2\n", "2a\nY\n.\n1c\nX\n.\n", "X\n2\nY\n")]
    [InlineData("1\n2\n3\n", "1d\na\nX\n.\n", "2\nX\n3\n")]
    [InlineData("1\n2\n3\n", "1c\n..\n.\ns/.//\na\nZ\n.\n", ".\nZ\n2\n3\n")]
    [InlineData("1\n2\n3\n", "2d\n2d\n", "1\n")]
    [InlineData("1\n2", "1a\nX\n.\n", "1\nX\n2\n")]
    [InlineData("", "0a\nX\n.\n", "X\n")]
    public void ParseEd_CommandsRunInTurn_AsEd(string original, string script, string expected)
    {
        byte[] old = Encoding.UTF8.GetBytes(original);
        FilePatch f = Assert.Single(PatchDocument.ParseEd(Encoding.UTF8.GetBytes(script), old).Files);
        byte[] patched = PatchApplier.ApplyFile(f, old, out FileApplyResult forward, new ApplyOptions { Fuzz = 0 });
        Assert.True(forward.Succeeded);
        Assert.Equal(expected, Encoding.UTF8.GetString(patched));
        byte[] back = PatchApplier.ApplyFile(f, patched, out FileApplyResult reverse, new ApplyOptions { Fuzz = 0, Reverse = true });
        Assert.True(reverse.Succeeded);
        Assert.Equal(original, Encoding.UTF8.GetString(back));
    }

    [Theory]
    [InlineData("0c\nY\n.\n")]
    [InlineData("0d\n")]
    [InlineData("2,1d\n")]
    [InlineData("2d\n2d\n2d\n")]
    [InlineData("3d  \n")]
    [InlineData("2c\nX\n")]
    [InlineData("1c\n\n.\ns/.//\n")]
    public void ParseEd_WhatEdRefuses_EdCommandFailed(string script)
    {
        var ex = Assert.Throws<PatchFormatException>(() => PatchDocument.ParseEd(Encoding.UTF8.GetBytes(script), "1\n2\n3\n"u8));
        Assert.Equal("EdCommandFailed", ex.Reason);
    }
}
