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

    /// <summary>A folder link leaving the tree, whether there before or made by a git symlink diff earlier in the same
    /// patch: nothing is written through it (the drop-in wrote <c>l/x</c> outside the tree before), and a file behind it
    /// is not found.</summary>
    [Fact]
    public void FolderLinkOutOfTheTree_NothingWrittenThroughIt()
    {
        using var dir = new TempDir();
        string tree = Path.Combine(dir.Path, "tree");
        string outside = Path.Combine(dir.Path, "outside");
        Directory.CreateDirectory(tree);
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "y"), "x\n");
        File.CreateSymbolicLink(Path.Combine(tree, "old"), outside);
        File.WriteAllText(Path.Combine(tree, "p.diff"),
            $"diff --git a/l b/l\nnew file mode 120000\nindex 0000000..1111111\n--- /dev/null\n+++ b/l\n@@ -0,0 +1 @@\n+{outside}\n\\ No newline at end of file\n"
            + "diff --git a/l/x b/l/x\nnew file mode 100644\nindex 0000000..1111111\n--- /dev/null\n+++ b/l/x\n@@ -0,0 +1 @@\n+new\n"
            + "--- a/old/y\n+++ b/old/y\n@@ -1 +1 @@\n-x\n+y\n"
            + "--- /dev/null\n+++ b/old/z\n@@ -0,0 +1 @@\n+new\n");

        var (code, output, _) = CliRunner.RunProcess(tree, "patch", "-f", "-p1", "-i", "p.diff");

        Assert.Equal(1, code);
        Assert.Contains("Invalid file name l/x -- skipping patch\n", output, StringComparison.Ordinal);
        Assert.Contains("can't find file to patch", output, StringComparison.Ordinal);
        Assert.Contains("Invalid file name old/z -- skipping patch\n", output, StringComparison.Ordinal);
        Assert.Equal(["y"], Directory.GetFileSystemEntries(outside).Select(Path.GetFileName));
        Assert.Equal("x\n", File.ReadAllText(Path.Combine(outside, "y")));
        Assert.Equal(outside, new FileInfo(Path.Combine(tree, "l")).LinkTarget);
    }

    /// <summary>A tree may hold a reject file's or a backup's name as a symbolic link leading out of it (<c>f.rej ->
    /// /elsewhere/file</c>, <c>f.orig -> /elsewhere</c>): nothing is written through it, as with GNU (the drop-in wrote
    /// the rejects into the file outside). A <c>-r FILE</c> that is a link stops the run, as GNU's O_NOFOLLOW open.</summary>
    [Fact]
    public void RejectAndBackupNamesLinkingOutOfTheTree_NothingWrittenThroughThem()
    {
        using var dir = new TempDir();
        string tree = Path.Combine(dir.Path, "tree");
        string outside = Path.Combine(dir.Path, "outside");
        Directory.CreateDirectory(tree);
        Directory.CreateDirectory(outside);
        string secret = Path.Combine(outside, "secret");
        File.WriteAllText(secret, "keep\n");
        File.WriteAllText(Path.Combine(tree, "f"), "a\nb\n");
        File.WriteAllText(Path.Combine(tree, "p.diff"), "--- f\n+++ f\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n@@ -5 +5 @@\n-zz\n+y\n");
        File.CreateSymbolicLink(Path.Combine(tree, "f.rej"), secret);
        File.CreateSymbolicLink(Path.Combine(tree, "f.orig"), outside);

        var (code, output, _) = CliRunner.RunProcess(tree, "patch", "-b", "-i", "p.diff");

        Assert.Equal(1, code);
        Assert.Contains("saving rejects to file f.rej", output, StringComparison.Ordinal);
        Assert.Equal("keep\n", File.ReadAllText(secret));
        Assert.Equal(["secret"], Directory.GetFileSystemEntries(outside).Select(Path.GetFileName));
        Assert.Null(new FileInfo(Path.Combine(tree, "f.rej")).LinkTarget);
        Assert.Contains("+y", File.ReadAllText(Path.Combine(tree, "f.rej")), StringComparison.Ordinal);
        Assert.Equal("a\nb\n", File.ReadAllText(Path.Combine(tree, "f.orig")));
        Assert.Equal("a\nc\n", File.ReadAllText(Path.Combine(tree, "f")));

        File.WriteAllText(Path.Combine(tree, "f"), "a\nb\n");
        File.CreateSymbolicLink(Path.Combine(tree, "r"), secret);
        var (rCode, _, rError) = CliRunner.RunProcess(tree, "patch", "-r", "r", "-i", "p.diff");
        Assert.Equal(2, rCode);
        Assert.Equal("patch: **** Can't create file r : Too many levels of symbolic links\n", rError);
        Assert.Equal("keep\n", File.ReadAllText(secret));
    }

    /// <summary><c>-o FILE</c> is written where it is, as GNU's open with <c>O_TRUNC</c> does: into a device (a copy of
    /// <c>/dev/null</c>'s node: the drop-in renamed a regular file over it, which for <c>-o /dev/null</c> run as root
    /// replaced the system's <c>/dev/null</c>), into the inode a hard link shares. Naming the file patched keeps the
    /// patched text (GNU empties the file before it reads it and loses it: a deliberate deviation).</summary>
    [Fact]
    public void OutputFile_WrittenInPlace_IntoADeviceAndAHardLink_TheFilePatchedNotLost()
    {
        using var dir = new TempDir();
        File.WriteAllText(Path.Combine(dir.Path, "f"), "a\nb\nc\n");
        File.WriteAllText(Path.Combine(dir.Path, "other"), "old\n");
        File.WriteAllText(Path.Combine(dir.Path, "p.diff"), "--- f\n+++ f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
        Assert.Equal(0, Proc.Run("ln", dir.Path, "other", "hard").ExitCode);
        Assert.Equal(0, Proc.Run("ln", dir.Path, "f", "f-too").ExitCode);
        bool root = Environment.UserName == "root";
        if (root)
        {
            Assert.Equal(0, Proc.Run("mknod", dir.Path, "null", "c", "1", "3").ExitCode);
            var (nullCode, _, nullError) = CliRunner.RunProcess(dir.Path, "patch", "-o", "null", "-i", "p.diff");
            Assert.True(nullCode == 0, nullError);
            Assert.Equal("character special file", Proc.Run("stat", dir.Path, "-c", "%F", "null").Output.Trim());
        }

        var (code, output, error) = CliRunner.RunProcess(dir.Path, "patch", "-o", "hard", "-i", "p.diff");
        Assert.True(code == 0, error);
        Assert.Equal("patching file hard (read from f)\n", output);
        Assert.Equal("a\nB\nc\n", File.ReadAllText(Path.Combine(dir.Path, "other")));

        (code, _, error) = CliRunner.RunProcess(dir.Path, "patch", "-o", "f", "-i", "p.diff");
        Assert.True(code == 0, error);
        Assert.Equal("a\nB\nc\n", File.ReadAllText(Path.Combine(dir.Path, "f")));
        Assert.Equal("a\nB\nc\n", File.ReadAllText(Path.Combine(dir.Path, "f-too")));
        Assert.Equal(root ? 6 : 5, Directory.GetFileSystemEntries(dir.Path).Length);
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
