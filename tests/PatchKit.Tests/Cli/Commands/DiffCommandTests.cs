using PatchKit.Tests.Diffs;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Cli.Commands;

public class DiffCommandTests
{
    private static string Setup(TempDir tmp, string a, string b)
    {
        File.WriteAllText(Path.Combine(tmp.Path, "old"), a);
        File.WriteAllText(Path.Combine(tmp.Path, "new"), b);
        return tmp.Path;
    }

    [Theory]
    [InlineData("--version")]
    [InlineData("-v")]
    public void Run_Version_AnswersAsGnuDiffDoesOnItsFirstLine(string option)
    {
        // Scripts tell GNU diff by its first line (`diff --version | head -1`); a drop-in must not refuse the option.
        using var tmp = new TempDir();
        var run = CommitsCorpusTests.RunCli(tmp.Path, "diff", option);
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("diff (GNU diffutils) 3.8\nPatchKit ", System.Text.Encoding.UTF8.GetString(run.Output), StringComparison.Ordinal);
        Assert.Empty(run.Error);
    }

    [Fact]
    public void Run_SameFiles_ExitsZeroWithoutOutput()
    {
        using var tmp = new TempDir();
        var run = CommitsCorpusTests.RunCli(Setup(tmp, "x\n", "x\n"), "diff", "-u", "old", "new");
        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Output);
    }

    [Fact]
    public void Run_DifferentFiles_ExitsOneWithUnifiedDiff()
    {
        using var tmp = new TempDir();
        var run = CommitsCorpusTests.RunCli(Setup(tmp, "x\n", "y\n"), "diff", "-Naur", "old", "new");
        Assert.Equal(1, run.ExitCode);
        Assert.EndsWith("@@ -1 +1 @@\n-x\n+y\n", System.Text.Encoding.UTF8.GetString(run.Output), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_MissingOperandFile_ExitsTwo()
    {
        using var tmp = new TempDir();
        var run = CommitsCorpusTests.RunCli(Setup(tmp, "x\n", "y\n"), "diff", "-u", "old", "nope");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("No such file or directory", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_UnknownAlgorithm_ExitsTwo()
    {
        using var tmp = new TempDir();
        var run = CommitsCorpusTests.RunCli(Setup(tmp, "x\n", "y\n"), "diff", "--algorithm", "nope", "old", "new");
        Assert.Equal(2, run.ExitCode);
    }

    [Fact]
    public void Run_ContextOption_UsesNLinesAndMatchesGnu()
    {
        using var tmp = new TempDir();
        string dir = Setup(tmp, "1\n2\n3\n4\n5\n", "1\n2\nx\n4\n5\n");
        File.SetLastWriteTimeUtc(Path.Combine(dir, "old"), new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        File.SetLastWriteTimeUtc(Path.Combine(dir, "new"), new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var run = CommitsCorpusTests.RunCli(dir, "diff", "-U", "1", "old", "new");
        var gnu = GnuTools.Run("diff", dir, "-U", "1", "old", "new");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(gnu.Output), System.Text.Encoding.UTF8.GetString(run.Output));
    }
}
