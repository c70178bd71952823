using System.Text;
using PatchKit.Diffs;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Diffs;

/// <summary><see cref="PatchDocument.Parse"/> on the formats that name no file: a normal diff is read as one, an ed
/// script is refused as one (it needs its file), and text without a patch says so; checked on real GNU diff output
/// and through the real CLI process.</summary>
public sealed class PatchFormatDetectionTests
{
    private const string Old = "a\nb\nc\nd\ne\n";
    private const string New = "a\nB\nc\ne\nf\n";

    [Fact]
    public void Parse_RealNormalDiff_ReadAsNormalAndApplies()
    {
        using var dir = Write();
        byte[] patch = GnuTools.Run("diff", dir.Path, "old", "new").Output;
        PatchDocument doc = PatchDocument.Parse(patch);
        FilePatch f = Assert.Single(doc.Files);
        Assert.Equal(PatchDialect.Normal, f.Dialect);
        Assert.Null(f.OldPath);
        byte[] result = PatchApplier.ApplyFile(f, Encoding.UTF8.GetBytes(Old), out FileApplyResult r, new ApplyOptions { Fuzz = 0 });
        Assert.True(r.Succeeded);
        Assert.Equal(New, Encoding.UTF8.GetString(result));

        // Strict and lenient alike; RequirePatch is satisfied by it.
        Assert.Equal(PatchDialect.Normal, Assert.Single(PatchDocument.Parse(patch, new PatchParseOptions { Lenient = true, RequirePatch = true }).Files).Dialect);
    }

    [Fact]
    public void Parse_RealEdScript_RefusedAsAnEdScript_ParseEdReadsIt()
    {
        using var dir = Write();
        byte[] script = GnuTools.Run("diff", dir.Path, "-e", "old", "new").Output;
        var ex = Assert.Throws<PatchFormatException>(() => PatchDocument.Parse(script));
        Assert.Equal("EdScript", ex.Reason);
        Assert.Contains("ed script", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ParseEd", ex.Message, StringComparison.Ordinal);
        FilePatch f = Assert.Single(PatchDocument.ParseEd(script, Encoding.UTF8.GetBytes(Old)).Files);
        Assert.Equal(New, Encoding.UTF8.GetString(PatchApplier.ApplyFile(f, Encoding.UTF8.GetBytes(Old), out _)));
    }

    [Fact]
    public void Parse_ReadNormalDiffsOff_BothAreTextWithoutAPatch()
    {
        using var dir = Write();
        var off = new PatchParseOptions { ReadNormalDiffs = false };
        Assert.Empty(PatchDocument.Parse(GnuTools.Run("diff", dir.Path, "old", "new").Output, off).Files);
        Assert.Empty(PatchDocument.Parse(GnuTools.Run("diff", dir.Path, "-e", "old", "new").Output, off).Files);
        Assert.True(new PatchParseOptions(new PatchParseOptions { ReadNormalDiffs = false }) is { ReadNormalDiffs: false });
    }

    [Theory]
    [InlineData("Hello,\n\nthe fix is attached.\n")]
    [InlineData("5c5 is the cell I meant\n")]
    [InlineData("1c1\n< a\nnot a normal diff line\n")]
    public void Parse_TextWithoutAPatch_EmptyDocumentOrNoPatchFound(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        PatchDocument doc = PatchDocument.Parse(bytes);
        Assert.Empty(doc.Files);
        Assert.Equal(bytes.Length, doc.Preamble.Length);
        var ex = Assert.Throws<PatchFormatException>(() => PatchDocument.Parse(bytes, new PatchParseOptions { RequirePatch = true }));
        Assert.StartsWith("No patch found in the input", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnifiedPatchStillUnified()
    {
        using var dir = Write();
        byte[] patch = GnuTools.Run("diff", dir.Path, "-u", "old", "new").Output;
        Assert.Equal(PatchDialect.Unified, Assert.Single(PatchDocument.Parse(patch).Files).Dialect);
    }

    /// <summary><c>patchkit apply FILE PATCH</c> with a normal diff or an ed script (real GNU diff output); without the
    /// file, a normal diff is bad input that says what to give.</summary>
    [Fact]
    public void Cli_Apply_NormalDiffAndEdScriptWithTheFile()
    {
        using var dir = Write();
        File.WriteAllBytes(Path.Combine(dir.Path, "p.normal"), GnuTools.Run("diff", dir.Path, "old", "new").Output);
        File.WriteAllBytes(Path.Combine(dir.Path, "p.ed"), GnuTools.Run("diff", dir.Path, "-e", "old", "new").Output);
        File.WriteAllText(Path.Combine(dir.Path, "f"), Old);
        File.WriteAllText(Path.Combine(dir.Path, "g"), Old);

        var (code, _, error) = CliRunner.RunProcess(dir.Path, "apply", "f", "p.normal");
        Assert.True(code == 0, error);
        Assert.Equal(New, File.ReadAllText(Path.Combine(dir.Path, "f")));

        (code, _, error) = CliRunner.RunProcess(dir.Path, "apply", "g", "p.ed");
        Assert.True(code == 0, error);
        Assert.Equal(New, File.ReadAllText(Path.Combine(dir.Path, "g")));

        (code, _, error) = CliRunner.RunProcess(dir.Path, "apply", "-i", "p.normal");
        Assert.Equal(2, code);
        Assert.Contains("is a normal diff, which names no file", error, StringComparison.Ordinal);

        (code, _, error) = CliRunner.RunProcess(dir.Path, "apply", "-i", "p.ed");
        Assert.Equal(2, code);
        Assert.Contains("ed script", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    private static TempDir Write()
    {
        var dir = new TempDir();
        File.WriteAllText(Path.Combine(dir.Path, "old"), Old);
        File.WriteAllText(Path.Combine(dir.Path, "new"), New);
        return dir;
    }
}
