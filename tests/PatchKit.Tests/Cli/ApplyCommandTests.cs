using System.Text;

namespace PatchKit.Tests.Cli;

public sealed class ApplyCommandTests
{
    private const string TwoHunks = "--- a/f\n+++ b/f\n@@ -8,6 +8,9 @@\n 8\n 9\n 10\n+X1\n+X2\n+X3\n 11\n 12\n 13\n@@ -58,6 +61,7 @@\n 58\n 59\n 60\n+Y\n 61\n 62\n 63\n";

    private static string Numbers(int from, int to) => string.Concat(Enumerable.Range(from, to - from + 1).Select(i => i + "\n"));

    [Fact]
    public void Apply_OffsetHunks_PrintsGnuMessagesAndExits0()
    {
        using var temp = new TempDir();
        File.WriteAllText(Path.Combine(temp.Path, "f"), "N1\nN2\n" + Numbers(1, 100));
        var (code, output, error) = CliRunner.Run(temp.Path, Encoding.UTF8.GetBytes(TwoHunks), "apply", "-p1");
        Assert.Equal(0, code);
        Assert.Equal("patching file f\nHunk #1 succeeded at 10 (offset 2 lines).\nHunk #2 succeeded at 63 (offset 2 lines).\n", output.Replace("\r\n", "\n"));
        Assert.Equal(string.Empty, error);
    }

    [Fact]
    public void Apply_FailedHunk_Exits1AndChangesNothing()
    {
        using var temp = new TempDir();
        string original = "N1\nN2\n" + Numbers(1, 100).Replace("\n9\n", "\nQ\n").Replace("\n8\n", "\nQ\n").Replace("\n10\n", "\nQ\n");
        File.WriteAllText(Path.Combine(temp.Path, "f"), original);
        File.WriteAllText(Path.Combine(temp.Path, "p.diff"), TwoHunks);
        var (code, output, error) = CliRunner.Run(temp.Path, null, "apply", "-p1", "-F0", "-i", "p.diff");
        Assert.Equal(1, code);
        Assert.Contains("Hunk #1 FAILED at 8.", output, StringComparison.Ordinal);
        Assert.Contains("Hunk #2 succeeded at 60 (offset 2 lines).", output, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", error, StringComparison.Ordinal);
        Assert.Equal(original, File.ReadAllText(Path.Combine(temp.Path, "f")));
    }

    [Fact]
    public void Apply_FailedHunk_SaysWhyUnderTheFailedLine()
    {
        using var temp = new TempDir();
        File.WriteAllText(Path.Combine(temp.Path, "f"), "N1\nN2\n" + Numbers(1, 100).Replace("\n9\n", "\nnine\n", StringComparison.Ordinal));
        var (code, output, _) = CliRunner.Run(temp.Path, Encoding.UTF8.GetBytes(TwoHunks), "apply", "-p1", "-F0", "--partial");
        Assert.Equal(1, code);
        Assert.Contains(
            "Hunk #1 FAILED at 8.\n"
            + "  context changed: nearest place line 10 (offset +2), 5 of 6 context lines and 0 of 0 removed lines match\n"
            + "  line 11 (context): expected \"9\"\n"
            + "                     found    \"nine\"\n",
            output.Replace("\r\n", "\n", StringComparison.Ordinal),
            StringComparison.Ordinal);
        string rej = File.ReadAllText(Path.Combine(temp.Path, "f.rej"));
        Assert.StartsWith("# hunk #1 (@@ -8,6 +8,9 @@) FAILED at 8: context changed: nearest place line 10 (offset +2)", rej, StringComparison.Ordinal);
    }

    [Fact]
    public void GnuDropIn_FailedHunk_ExplainsOnlyWhenAsked()
    {
        using var temp = new TempDir();
        string original = "N1\nN2\n" + Numbers(1, 100).Replace("\n9\n", "\nnine\n", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(temp.Path, "f"), original);
        File.WriteAllText(Path.Combine(temp.Path, "p.diff"), TwoHunks);
        var (_, plain, _) = CliRunner.Run(temp.Path, null, "patch", "-p1", "-F0", "--dry-run", "-i", "p.diff");
        Assert.DoesNotContain("nearest place", plain, StringComparison.Ordinal);
        var (code, explained, _) = CliRunner.Run(temp.Path, null, "patch", "-p1", "-F0", "--explain-failures", "-i", "p.diff");
        Assert.Equal(1, code);
        Assert.Contains("Hunk #1 FAILED at 8.", explained, StringComparison.Ordinal);
        Assert.Contains("  line 11 (context): expected \"9\"", explained, StringComparison.Ordinal);
        Assert.StartsWith("# hunk #1 FAILED at 8: context changed: nearest place line 10 (offset +2)", File.ReadAllText(Path.Combine(temp.Path, "f.rej")), StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_PartialWithFailure_WritesRejectLikeGnu()
    {
        using var temp = new TempDir();
        string original = "N1\nN2\n" + Numbers(1, 100).Replace("\n9\n", "\nQ\n");
        File.WriteAllText(Path.Combine(temp.Path, "f"), original);
        var (code, output, _) = CliRunner.Run(temp.Path, Encoding.UTF8.GetBytes(TwoHunks), "apply", "--partial", "-p1", "-F0");
        Assert.Equal(1, code);
        Assert.Contains("1 out of 2 hunks FAILED -- saving rejects to file f.rej", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(temp.Path, "f.rej")));
        Assert.Contains("Y\n61\n", File.ReadAllText(Path.Combine(temp.Path, "f")), StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_ForwardOnAlreadyApplied_SkipsWithGnuNote()
    {
        using var temp = new TempDir();
        File.WriteAllText(Path.Combine(temp.Path, "f"), "a\nB\nc\n");
        var (code, output, _) = CliRunner.Run(temp.Path, "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"u8.ToArray(), "apply", "-N", "-p1");
        Assert.Equal(1, code);
        Assert.Contains("Reversed (or previously applied) patch detected!  Skipping patch.", output, StringComparison.Ordinal);
        Assert.Contains("1 out of 1 hunk ignored", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_DirectoryAndReverseAndSilent_Work()
    {
        using var temp = new TempDir();
        string tree = Path.Combine(temp.Path, "t");
        Directory.CreateDirectory(tree);
        File.WriteAllText(Path.Combine(tree, "f"), "a\nB\nc\n");
        var (code, output, _) = CliRunner.Run(temp.Path, "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"u8.ToArray(), "apply", "-sR", "-d", "t", "-p1");
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, output);
        Assert.Equal("a\nb\nc\n", File.ReadAllText(Path.Combine(tree, "f")));
    }

    [Fact]
    public void Apply_UnsafePath_Exits2AndNamesIt()
    {
        using var temp = new TempDir();
        var (code, _, error) = CliRunner.Run(temp.Path, "--- a/../x\n+++ b/../x\n@@ -0,0 +1 @@\n+evil\n"u8.ToArray(), "apply", "-p1");
        Assert.Equal(2, code);
        Assert.Contains("../x", error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public void Apply_DryRun_ChecksAndTouchesNothing()
    {
        using var temp = new TempDir();
        File.WriteAllText(Path.Combine(temp.Path, "f"), "a\nb\nc\n");
        var (code, output, _) = CliRunner.Run(temp.Path, "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"u8.ToArray(), "apply", "--dry-run", "-p1");
        Assert.Equal(0, code);
        Assert.Contains("checking file f", output, StringComparison.Ordinal);
        Assert.Equal("a\nb\nc\n", File.ReadAllText(Path.Combine(temp.Path, "f")));
    }

    [Fact]
    public void Apply_OriginalFileOperand_PatchesThatFile()
    {
        using var temp = new TempDir();
        File.WriteAllText(Path.Combine(temp.Path, "other"), "a\nb\nc\n");
        File.WriteAllText(Path.Combine(temp.Path, "p.diff"), "--- x\n+++ y\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
        var (code, _, error) = CliRunner.Run(temp.Path, null, "apply", "other", "p.diff");
        Assert.True(code == 0, error);
        Assert.Equal("a\nB\nc\n", File.ReadAllText(Path.Combine(temp.Path, "other")));
    }

    [Fact]
    public void Apply_Recover_WithoutJournal_SaysNothingToDo()
    {
        using var temp = new TempDir();
        var (code, output, _) = CliRunner.Run(temp.Path, null, "apply", "--recover");
        Assert.Equal(0, code);
        Assert.Contains("nothing to recover", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_BadOption_Exits2()
    {
        using var temp = new TempDir();
        var (code, _, error) = CliRunner.Run(temp.Path, null, "apply", "--bogus");
        Assert.Equal(2, code);
        Assert.Contains("unrecognized option", error, StringComparison.Ordinal);
    }

    [CorpusFact("real/commits.tar.zst")]
    public void Apply_MatchesGnuPatchOnOffsetFuzzMessages()
    {
        // Compare with the real GNU patch where it is installed.
        if (!File.Exists("/usr/bin/patch"))
        {
            return;
        }

        using var temp = new TempDir();
        string gnu = Path.Combine(temp.Path, "gnu");
        string pk = Path.Combine(temp.Path, "pk");
        foreach (string dir in new[] { gnu, pk })
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "f"), "N1\nN2\n" + Numbers(1, 100).Replace("\n8\n", "\nQ\n"));
            File.WriteAllText(Path.Combine(dir, "p.diff"), TwoHunks);
        }

        var (gnuCode, gnuOut, _) = Proc.Run("/usr/bin/patch", gnu, "-p1", "-i", "p.diff");
        var (pkCode, pkOut, _) = CliRunner.Run(pk, null, "apply", "-p1", "-i", "p.diff");
        Assert.Equal(gnuCode, pkCode);
        Assert.Equal(gnuOut, pkOut);
        Assert.Equal(File.ReadAllText(Path.Combine(gnu, "f")), File.ReadAllText(Path.Combine(pk, "f")));
    }
}
