using System.Text.Json;
using PatchKit.Diffs;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Diffs;

/// <summary><c>patchkit stat --numstat</c> against live <c>git apply --numstat</c> on the real corpus (../shared/corpus/real).</summary>
public sealed class RealCorpusConformanceTests : IClassFixture<CommitsCorpusFixture>
{
    private readonly CommitsCorpusFixture _fixture;

    public RealCorpusConformanceTests(CommitsCorpusFixture fixture)
    {
        _fixture = fixture;
    }

    public static IEnumerable<object[]> Cases()
    {
        string? expected = Corpus.Find("real/expected.json");
        if (expected is null || Corpus.Find("real/commits.tar.zst") is null)
        {
            yield return ["(corpus absent)"];
            yield break;
        }

        using var doc = JsonDocument.Parse(File.ReadAllBytes(expected));
        foreach (JsonProperty c in doc.RootElement.GetProperty("post_sha256").EnumerateObject())
        {
            yield return [c.Name];
        }
    }

    [CorpusTheory("real/commits.tar.zst")]
    [MemberData(nameof(Cases))]
    public void Numstat_CommitCase_EqualsGitApply(string name)
    {
        foreach (string form in new[] { "patch.diff", "naur.diff", "source.patch" })
        {
            string file = Path.Combine(_fixture.Root!, name, form);

            AssertSameAsGit(file, _fixture.WorkDirectory!);
        }
    }

    [CorpusTheory("real/commits.tar.zst")]
    [MemberData(nameof(Cases))]
    public void Summary_CommitCase_EqualsGitApply(string name)
    {
        foreach (string form in new[] { "patch.diff", "naur.diff", "source.patch" })
        {
            string file = Path.Combine(_fixture.Root!, name, form);

            AssertSameAsGit(file, _fixture.WorkDirectory!, "--summary");
        }
    }

    [CorpusTheory("real/big/patch.diff")]
    [InlineData("real/big/patch.diff")]
    [InlineData("real/big/naur.diff")]
    public void Numstat_BigUpgrade_EqualsGitApply(string relative)
    {
        using var temp = new TempDir();

        AssertSameAsGit(Corpus.Require(relative), temp.Path);
        AssertSameAsGit(Corpus.Require(relative), temp.Path, "--summary");
        AssertSameAsGit(Corpus.Require(relative), temp.Path, "--stat");
    }

    [CorpusTheory("real/commits.tar.zst")]
    [MemberData(nameof(Cases))]
    public void Parse_CommitCase_AllThreeFormsParse(string name)
    {
        foreach (string form in new[] { "patch.diff", "naur.diff", "source.patch" })
        {
            byte[] bytes = File.ReadAllBytes(Path.Combine(_fixture.Root!, name, form));

            PatchDocument doc = PatchDocument.Parse(bytes);

            Assert.All(doc.Files, f => Assert.True(f.Hunks.Count > 0 || f.IsBinary || f.Operation != FileOperation.Modify || f.OldMode != f.NewMode || form == "naur.diff", $"{name}/{form}: {f}"));
        }
    }

    [CorpusTheory("real/commits.tar.zst")]
    [InlineData("derived-009")]
    [InlineData("derived-010")]
    [InlineData("derived-011")]
    [InlineData("vim-010")]
    [InlineData("vim-013")]
    public void Parse_BinaryCase_DecodesToTheCaseFiles(string name)
    {
        string root = Path.Combine(_fixture.Root!, name);
        PatchDocument doc = PatchDocument.Parse(File.ReadAllBytes(Path.Combine(root, "patch.diff")));

        int checkedBlocks = 0;
        foreach (FilePatch file in doc.Files)
        {
            if (file.BinaryPatch is not { } binary)
            {
                continue;
            }

            byte[] pre = file.OldPath is null ? [] : File.ReadAllBytes(Path.Combine(root, "pre", file.OldPath[2..]));
            byte[] post = file.NewPath is null ? [] : File.ReadAllBytes(Path.Combine(root, "post", file.NewPath[2..]));
            checkedBlocks += Check(binary.Forward, pre, post);
            if (binary.Reverse is not null)
            {
                checkedBlocks += Check(binary.Reverse, post, pre);
            }
        }

        Assert.True(checkedBlocks > 0);
    }

    private static int Check(GitBinaryBlock block, byte[] from, byte[] to)
    {
        if (block.Kind == GitBinaryBlockKind.Literal)
        {
            Assert.Equal(to, block.Data.ToArray());
        }
        else
        {
            Assert.Equal((from.LongLength, to.LongLength), GitBinaryPatchTests.DeltaSizes(block.Data.Span));
        }

        return 1;
    }

    private static void AssertSameAsGit(string file, string workDirectory, string flag = "--numstat")
    {
        var git = Proc.Run("git", workDirectory, "apply", flag, file);
        var (code, output, error) = CliRunner.Run(workDirectory, null, "stat", flag, file);
        Assert.True(git.ExitCode != 0 || flag != "--numstat" || git.Output.Length > 0, "git printed nothing: " + git.Error);
        Assert.Equal(git.Output, output);
        if (git.ExitCode == 0)
        {
            Assert.True(code == 0, error);
        }
        else
        {
            Assert.NotEqual(0, code);
        }
    }
}
