using PatchKit.Diffs;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Cli.Commands;

/// <summary>How the <c>patch</c> drop-in writes a patched file (through the real CLI process, beside the real GNU patch):
/// a temporary file beside the name renamed over it, as GNU does, so a kill leaves the old or the new text and other hard
/// links keep the old text.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DropInWriteTests
{
    private const string Patch = "--- a/f.txt\n+++ b/f.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n";

    [Fact]
    public void PatchDropIn_SingleLinkFile_ReplacedByRenameAsWithGnuPatch_ContentAndModeEqual()
    {
        using var dir = new TempDir();
        string gnuTree = Tree(dir.Path, "gnu");
        string tree = Tree(dir.Path, "pk");
        Assert.True(NativeStat.TryGet(Path.Combine(tree, "f.txt"), follow: false, out NativeStat.FileStatus before));
        Assert.True(NativeStat.TryGet(Path.Combine(gnuTree, "f.txt"), follow: false, out NativeStat.FileStatus gnuBefore));

        var gnu = Proc.Run("patch", gnuTree, "-s", "-p1", "-i", Path.Combine(dir.Path, "p.diff"));
        var pk = CliRunner.RunProcess(tree, "patch", "-s", "-p1", "-i", Path.Combine(dir.Path, "p.diff"));

        Assert.Equal(0, gnu.ExitCode);
        Assert.True(pk.ExitCode == 0, pk.Error);
        Assert.Equal(File.ReadAllText(Path.Combine(gnuTree, "f.txt")), File.ReadAllText(Path.Combine(tree, "f.txt")));
        Assert.Equal(File.GetUnixFileMode(Path.Combine(gnuTree, "f.txt")), File.GetUnixFileMode(Path.Combine(tree, "f.txt")));
        Assert.False(File.Exists(Path.Combine(tree, "f.txt.orig")));
        Assert.True(NativeStat.TryGet(Path.Combine(tree, "f.txt"), follow: false, out NativeStat.FileStatus after));
        Assert.True(NativeStat.TryGet(Path.Combine(gnuTree, "f.txt"), follow: false, out NativeStat.FileStatus gnuAfter));
        Assert.NotEqual(gnuBefore.Inode, gnuAfter.Inode); // GNU writes a new file and renames it over the name
        Assert.NotEqual(before.Inode, after.Inode); // so does the drop-in: never a half-rewritten file in place
        Assert.Equal(["f.txt"], Directory.GetFiles(tree).Select(Path.GetFileName)); // no temporary left
    }

    [Fact]
    public void PatchDropIn_HardLinkedFile_OtherNameKeepsTheOldTextAsWithGnuPatch()
    {
        using var dir = new TempDir();
        string gnuTree = Tree(dir.Path, "gnu");
        string tree = Tree(dir.Path, "pk");
        Assert.Equal(0, Proc.Run("ln", dir.Path, Path.Combine(gnuTree, "f.txt"), Path.Combine(dir.Path, "gnu-link.txt")).ExitCode);
        Assert.Equal(0, Proc.Run("ln", dir.Path, Path.Combine(tree, "f.txt"), Path.Combine(dir.Path, "pk-link.txt")).ExitCode);

        var gnu = Proc.Run("patch", gnuTree, "-s", "-p1", "-i", Path.Combine(dir.Path, "p.diff"));
        var pk = CliRunner.RunProcess(tree, "patch", "-s", "-p1", "-i", Path.Combine(dir.Path, "p.diff"));

        Assert.Equal(0, gnu.ExitCode);
        Assert.True(pk.ExitCode == 0, pk.Error);
        Assert.Equal("one\ntwo\n", File.ReadAllText(Path.Combine(dir.Path, "gnu-link.txt")));
        Assert.Equal("one\ntwo\n", File.ReadAllText(Path.Combine(dir.Path, "pk-link.txt")));
        Assert.Equal(File.ReadAllText(Path.Combine(gnuTree, "f.txt")), File.ReadAllText(Path.Combine(tree, "f.txt")));
        Assert.Equal(File.GetUnixFileMode(Path.Combine(gnuTree, "f.txt")), File.GetUnixFileMode(Path.Combine(tree, "f.txt")));
    }

    private static string Tree(string root, string name)
    {
        string tree = Path.Combine(root, name);
        Directory.CreateDirectory(tree);
        File.WriteAllText(Path.Combine(tree, "f.txt"), "one\ntwo\n");
        File.SetUnixFileMode(Path.Combine(tree, "f.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead);
        File.WriteAllText(Path.Combine(root, "p.diff"), Patch);
        return tree;
    }
}
