using System.Text;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Cli.Commands;

public sealed class StatCommandTests
{
    private static string Example => Path.Combine(Corpus.RepoRoot, "examples", "hello.patch");

    [Fact]
    public void Run_ExamplePatch_PrintsStatAndSummaryAsGitApply()
    {
        var (code, output, _) = CliRunner.Run(Corpus.RepoRoot, null, "stat", "examples/hello.patch");

        Assert.Equal(0, code);
        Assert.Equal(" greeting.txt |    3 ++-\n tools/run.sh |    2 ++\n 2 files changed, 4 insertions(+), 1 deletion(-)\n create mode 100755 tools/run.sh\n", output);
    }

    [Theory]
    [InlineData("--numstat")]
    [InlineData("--summary")]
    [InlineData("--stat")]
    public void Run_ExamplePatch_EqualsLiveGitApply(string flag)
    {
        using var temp = new TempDir();
        var git = Proc.Run("git", temp.Path, "apply", flag, Example);

        var (code, output, _) = CliRunner.Run(temp.Path, null, "stat", flag, Example);

        Assert.Equal(0, git.ExitCode);
        Assert.Equal(0, code);
        Assert.Equal(git.Output, output);
    }

    [Fact]
    public void Run_RenamesAndOddNames_NumstatAndSummaryEqualLiveGitApply()
    {
        using var temp = new TempDir();
        string patch =
            "diff --git a/dir/old.txt b/dir/new.txt\nsimilarity index 90%\nrename from dir/old.txt\nrename to dir/new.txt\n--- a/dir/old.txt\n+++ b/dir/new.txt\n@@ -1 +1 @@\n-a\n+b\n" +
            "diff --git a/x.txt b/y/x.txt\nsimilarity index 100%\nrename from x.txt\nrename to y/x.txt\n" +
            "diff --git \"a/t\\tab \\303\\244.txt\" \"b/t\\tab \\303\\244.txt\"\nnew file mode 100644\nindex 0000000..1111111\n--- /dev/null\n+++ \"b/t\\tab \\303\\244.txt\"\n@@ -0,0 +1 @@\n+x\n" +
            "diff --git a/run.sh b/run.sh\nold mode 100644\nnew mode 100755\n" +
            "diff --git a/gone b/gone\ndeleted file mode 100644\nindex 1111111..0000000\n--- a/gone\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n";
        string file = Path.Combine(temp.Path, "p.diff");
        File.WriteAllBytes(file, Encoding.UTF8.GetBytes(patch));

        foreach (string flag in new[] { "--numstat", "--summary", "--stat" })
        {
            var git = Proc.Run("git", temp.Path, "apply", flag, file);
            var (code, output, error) = CliRunner.Run(temp.Path, null, "stat", flag, file);

            Assert.True(git.ExitCode == 0, git.Error);
            Assert.True(code == 0, error);
            Assert.Equal(git.Output, output);
        }
    }

    [Fact]
    public void Run_Stdin_ReadsPatch()
    {
        var (code, output, _) = CliRunner.Run(Corpus.RepoRoot, "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-x\n+y\n"u8.ToArray(), "stat", "--numstat");

        Assert.Equal(0, code);
        Assert.Equal("1\t1\tf\n", output);
    }

    [Fact]
    public void Run_MalformedPatch_ExitsTwoWithLocation()
    {
        var (code, _, error) = CliRunner.Run(Corpus.RepoRoot, "--- a/f\n+++ b/f\n@@ -1,3 +1 @\n"u8.ToArray(), "stat", "-");

        Assert.Equal(2, code);
        Assert.Contains("at line 3, byte 16.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_NoPatch_ExitsTwo()
    {
        var (code, output, error) = CliRunner.Run(Corpus.RepoRoot, "hello\n"u8.ToArray(), "stat", "--numstat");

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains("no valid patches", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ContextDiffDefault_ListsIt()
    {
        var (code, output, _) = CliRunner.Run(Corpus.RepoRoot, "*** a/f\n--- b/f\n***************\n*** 1 ****\n! x\n--- 1 ----\n! y\n"u8.ToArray(), "stat");

        Assert.Equal(0, code);
        Assert.Equal(" f |    2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)\n", output);
    }

    [Fact]
    public void Run_ContextDiffNumstat_RejectsLikeGit()
    {
        var (code, _, _) = CliRunner.Run(Corpus.RepoRoot, "*** a/f\n--- b/f\n***************\n*** 1 ****\n! x\n--- 1 ----\n! y\n"u8.ToArray(), "stat", "--numstat");

        Assert.Equal(2, code);
    }
}
