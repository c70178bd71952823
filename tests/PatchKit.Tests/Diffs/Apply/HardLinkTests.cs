using System.Text;
using PatchKit.Diffs;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Diffs.Apply;

/// <summary>A file in the tree that is a hard link to a file outside it (a planted link to a secret, or a shared
/// checkout): the apply must change the name in the tree only, as GNU patch does, never the other names of the file.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class HardLinkTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ApplyTree_FileHardLinkedOutsideTheTree_ChangesOnlyTheTreeNameLikeGnuPatch(bool oneFile)
    {
        using var dir = new TempDir();
        string tree = Path.Combine(dir.Path, "tree");
        string gnuTree = Path.Combine(dir.Path, "gnu");
        string outside = Path.Combine(dir.Path, "outside.txt");
        string gnuOutside = Path.Combine(dir.Path, "gnu-outside.txt");
        foreach ((string root, string target) in new[] { (tree, outside), (gnuTree, gnuOutside) })
        {
            Directory.CreateDirectory(root);
            File.WriteAllText(target, "one\ntwo\n");
            File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Assert.Equal(0, Proc.Run("ln", root, target, "linked.txt").ExitCode);
            File.WriteAllText(Path.Combine(root, "other.txt"), "a\n");
        }

        // One file goes through the single-file swap path, two through the journalled in-place path.
        string patch = "diff --git a/linked.txt b/linked.txt\n--- a/linked.txt\n+++ b/linked.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n" +
            (oneFile ? string.Empty : "diff --git a/other.txt b/other.txt\n--- a/other.txt\n+++ b/other.txt\n@@ -1 +1 @@\n-a\n+b\n");
        File.WriteAllText(Path.Combine(dir.Path, "p.diff"), patch);
        var gnu = Proc.Run("patch", gnuTree, "-s", "-p1", "-i", Path.Combine(dir.Path, "p.diff"));
        Assert.True(gnu.ExitCode == 0, gnu.Error);

        var result = PatchApplier.ApplyTree(PatchDocument.Parse(Encoding.ASCII.GetBytes(patch)), new System.IO.Abstractions.FileSystem(), tree);

        Assert.True(result.Succeeded);
        Assert.Equal(File.ReadAllText(gnuOutside), File.ReadAllText(outside));
        Assert.Equal("one\ntwo\n", File.ReadAllText(outside));
        Assert.Equal(File.ReadAllText(Path.Combine(gnuTree, "linked.txt")), File.ReadAllText(Path.Combine(tree, "linked.txt")));
        Assert.Equal("one\nTWO\n", File.ReadAllText(Path.Combine(tree, "linked.txt")));
        Assert.Equal(File.GetUnixFileMode(Path.Combine(gnuTree, "linked.txt")), File.GetUnixFileMode(Path.Combine(tree, "linked.txt")));
    }
}
