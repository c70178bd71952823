using System.Text;
using PatchKit.Cli;
using PatchKit.Cli.Commands;
using PatchKit.Tests.Diffs;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Cli.Commands;

public class GnuDropInTests
{
    [Fact]
    public void EdScript_ShellCommand_IsRefusedAndNothingRuns()
    {
        using var dir = new TempDir();
        string marker = Path.Combine(dir.Path, "ran");
        File.WriteAllText(Path.Combine(dir.Path, "f"), "a\n");
        File.WriteAllText(Path.Combine(dir.Path, "p.ed"), $"1a\nx\n.\n!touch {marker}\nw\n");
        var (code, _, error) = CliRunner.RunProcess(dir.Path, "patch", "-e", "f", "p.ed");
        Assert.Equal(2, code);
        Assert.Contains("no other command is accepted", error, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
        Assert.Equal("a\n", File.ReadAllText(Path.Combine(dir.Path, "f")));
    }

    [Fact]
    public void EdScript_AsDiffWritesIt_Applies()
    {
        using var dir = new TempDir();
        File.WriteAllText(Path.Combine(dir.Path, "f"), "1\n2\n3\n");
        File.WriteAllText(Path.Combine(dir.Path, "p.ed"), "3c\nthree\n.\n1d\n");
        var (code, _, error) = CliRunner.RunProcess(dir.Path, "patch", "-e", "f", "p.ed");
        Assert.True(code == 0, error);
        Assert.Equal("2\nthree\n", File.ReadAllText(Path.Combine(dir.Path, "f")));
    }

    /// <summary>Real GNU diff output whose new file lacks its final newline (a "\ No newline at end of file" line):
    /// the drop-in reads it with the core's normal-diff reader and gives the new file byte for byte, as GNU patch
    /// does (the drop-in's own reader, before, added a newline).</summary>
    [Fact]
    public void NormalDiff_NewFileWithoutFinalNewline_ByteForByteAsGnuPatch()
    {
        using var dir = new TempDir();
        File.WriteAllText(Path.Combine(dir.Path, "old"), "1\n2\n3\n");
        File.WriteAllText(Path.Combine(dir.Path, "new"), "1\ntwo\n3");
        var diff = GnuTools.Run("diff", dir.Path, "old", "new");
        Assert.Equal(1, diff.ExitCode);
        Assert.Contains("\\ No newline at end of file", Encoding.UTF8.GetString(diff.Output), StringComparison.Ordinal);
        File.WriteAllBytes(Path.Combine(dir.Path, "p.diff"), diff.Output);
        File.Copy(Path.Combine(dir.Path, "old"), Path.Combine(dir.Path, "f"));
        File.Copy(Path.Combine(dir.Path, "old"), Path.Combine(dir.Path, "g"));

        var (code, output, error) = CliRunner.RunProcess(dir.Path, "patch", "f", "p.diff");
        Assert.True(code == 0, error);
        Assert.Equal("patching file f\n", output);
        Assert.Equal("1\ntwo\n3", File.ReadAllText(Path.Combine(dir.Path, "f")));

        var gnu = GnuTools.Run("patch", dir.Path, "g", "p.diff");
        Assert.Equal(0, gnu.ExitCode);
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir.Path, "g")), File.ReadAllBytes(Path.Combine(dir.Path, "f")));

        // And back: -R gives the old file again.
        (code, _, error) = CliRunner.RunProcess(dir.Path, "patch", "-R", "f", "p.diff");
        Assert.True(code == 0, error);
        Assert.Equal("1\n2\n3\n", File.ReadAllText(Path.Combine(dir.Path, "f")));
    }

    /// <summary>A normal diff that does not match the file fails as GNU patch fails: the hunk is reported at its line, the
    /// file is left as it was, the reject (context form) and GNU's backup-if-mismatch copy are written, exit 1.</summary>
    [Fact]
    public void NormalDiff_NotMatchingTheFile_FailsAsGnuPatch_RejectWrittenFileUnchanged()
    {
        using var ours = new TempDir();
        using var gnu = new TempDir();
        foreach (string root in new[] { ours.Path, gnu.Path })
        {
            File.WriteAllText(Path.Combine(root, "f"), "1\n2\n3\n");
            File.WriteAllText(Path.Combine(root, "p.diff"), "2c2\n< zwei\n---\n> two\n");
        }

        var (code, output, error) = CliRunner.RunProcess(ours.Path, "patch", "f", "p.diff");
        var reference = GnuTools.Run("patch", gnu.Path, "f", "p.diff");

        Assert.Equal(1, reference.ExitCode);
        Assert.Equal(reference.ExitCode, code);
        Assert.Equal(Encoding.UTF8.GetString(reference.Output), output);
        Assert.Equal(reference.Error, error);
        Assert.Contains("Hunk #1 FAILED at 2.", output, StringComparison.Ordinal);
        Assert.Equal("1\n2\n3\n", File.ReadAllText(Path.Combine(ours.Path, "f")));
        Assert.Equal(GnuTools.Listing(gnu.Path), GnuTools.Listing(ours.Path));
        Assert.Equal(File.ReadAllBytes(Path.Combine(gnu.Path, "f.rej")), File.ReadAllBytes(Path.Combine(ours.Path, "f.rej")));
    }

    [Theory]
    [InlineData("patch", "patch")]
    [InlineData("diff", "diff")]
    public void InvokedThroughLink_BecomesTheDropInCommand(string name, string command)
    {
        string[] args = CliApp.ForInvokedName(name, ["-p1", "-i", "x.diff"]);
        Assert.Equal([command, "-p1", "-i", "x.diff"], args);
    }

    [Fact]
    public void InvokedAsPatchkit_KeepsItsArguments()
    {
        Assert.Equal(["apply", "-p1"], CliApp.ForInvokedName("patchkit", ["apply", "-p1"]));
    }
}
