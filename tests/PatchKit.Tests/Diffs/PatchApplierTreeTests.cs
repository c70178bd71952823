using System.IO.Abstractions;
using System.Text;
using PatchKit.Diffs;

namespace PatchKit.Tests.Diffs;

public sealed class PatchApplierTreeTests
{
    private static PatchDocument Parse(string text) => PatchDocument.Parse(Encoding.UTF8.GetBytes(text));

    private static string Tree(TempDir temp, params (string Name, string Text)[] files)
    {
        string tree = Path.Combine(temp.Path, "tree");
        Directory.CreateDirectory(tree);
        foreach (var (name, text) in files)
        {
            string path = Path.Combine(tree, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }

        return tree;
    }

    [Fact]
    public void ApplyTree_OneFileFails_WritesNothing()
    {
        using var temp = new TempDir();
        string tree = Tree(temp, ("a.txt", "1\n2\n3\n"), ("b.txt", "x\ny\nz\n"));
        var doc = Parse("--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\n 1\n-2\n+two\n 3\n--- a/b.txt\n+++ b/b.txt\n@@ -1,3 +1,3 @@\n x\n-nope\n+y2\n z\n");
        var result = PatchApplier.ApplyTree(doc, new FileSystem(), tree, new ApplyOptions { Fuzz = 0 });
        Assert.False(result.Succeeded);
        Assert.False(result.Committed);
        Assert.Equal("1\n2\n3\n", File.ReadAllText(Path.Combine(tree, "a.txt")));
        Assert.False(File.Exists(Path.Combine(tree, "b.txt.rej")));
    }

    [Fact]
    public void ApplyTree_PartialMode_WritesWhatAppliesAndRejects()
    {
        using var temp = new TempDir();
        string tree = Tree(temp, ("a.txt", "1\n2\n3\n"), ("b.txt", "x\ny\nz\n"));
        var doc = Parse("--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\n 1\n-2\n+two\n 3\n--- a/b.txt\n+++ b/b.txt\n@@ -1,3 +1,3 @@\n x\n-nope\n+y2\n z\n");
        var result = PatchApplier.ApplyTree(doc, new FileSystem(), tree, new ApplyOptions { Fuzz = 0, Partial = true, BackupOriginals = true });
        Assert.True(result.Committed);
        Assert.Equal("1\ntwo\n3\n", File.ReadAllText(Path.Combine(tree, "a.txt")));
        Assert.Equal("1\n2\n3\n", File.ReadAllText(Path.Combine(tree, "a.txt.orig")));
        Assert.Contains("-nope", File.ReadAllText(Path.Combine(tree, "b.txt.rej")), StringComparison.Ordinal);
        Assert.Equal(["b.txt.rej"], result.RejectFiles);
    }

    [Fact]
    public void ApplyTree_DryRun_TouchesNothing()
    {
        using var temp = new TempDir();
        string tree = Tree(temp, ("a.txt", "1\n2\n3\n"));
        var before = TreeListing.List(tree);
        var result = PatchApplier.ApplyTree(Parse("--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\n 1\n-2\n+two\n 3\n"), new FileSystem(), tree, new ApplyOptions { DryRun = true });
        Assert.True(result.Succeeded);
        Assert.False(result.Committed);
        Assert.Equal(before, TreeListing.List(tree));
    }

    [Fact]
    public void ApplyTree_GitRenameCopyModeDeleteAndSymlink_AreApplied()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var temp = new TempDir();
        string tree = Tree(temp, ("old.txt", "a\nb\n"), ("src.txt", "s\n"), ("run.sh", "echo\n"), ("gone.txt", "bye\n"));
        var doc = Parse(
            "diff --git a/old.txt b/dir/new.txt\nsimilarity index 50%\nrename from old.txt\nrename to dir/new.txt\n--- a/old.txt\n+++ b/dir/new.txt\n@@ -1,2 +1,2 @@\n a\n-b\n+B\n" +
            "diff --git a/src.txt b/copy.txt\nsimilarity index 100%\ncopy from src.txt\ncopy to copy.txt\n" +
            "diff --git a/run.sh b/run.sh\nold mode 100644\nnew mode 100755\n" +
            "diff --git a/gone.txt b/gone.txt\ndeleted file mode 100644\n--- a/gone.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-bye\n" +
            "diff --git a/link b/link\nnew file mode 120000\n--- /dev/null\n+++ b/link\n@@ -0,0 +1 @@\n+dir/new.txt\n\\ No newline at end of file\n");
        var result = PatchApplier.ApplyTree(doc, new FileSystem(), tree);
        Assert.True(result.Succeeded, string.Join("; ", result.Files.Select(f => f.Error)));
        Assert.False(File.Exists(Path.Combine(tree, "old.txt")));
        Assert.Equal("a\nB\n", File.ReadAllText(Path.Combine(tree, "dir", "new.txt")));
        Assert.Equal("s\n", File.ReadAllText(Path.Combine(tree, "copy.txt")));
        Assert.Equal("s\n", File.ReadAllText(Path.Combine(tree, "src.txt")));
        Assert.True((File.GetUnixFileMode(Path.Combine(tree, "run.sh")) & UnixFileMode.UserExecute) != 0);
        Assert.False(File.Exists(Path.Combine(tree, "gone.txt")));
        Assert.Equal("dir/new.txt", new FileInfo(Path.Combine(tree, "link")).LinkTarget);
    }

    [Fact]
    public void ApplyTree_CopyFromOutside_IsRefusedAndReadsNothing()
    {
        using var temp = new TempDir();
        string tree = Tree(temp);
        File.WriteAllText(Path.Combine(temp.Path, "secret"), "secret\n");
        var doc = Parse("diff --git a/../secret b/stolen\nsimilarity index 100%\ncopy from ../secret\ncopy to stolen\n");
        Assert.Throws<PathSafetyException>(() => PatchApplier.ApplyTree(doc, new FileSystem(), tree));
        Assert.Empty(Directory.GetFileSystemEntries(tree));
    }

    [Fact]
    public void ApplyTree_WriteThroughSymlinkCreatedBySamePatch_IsRefused()
    {
        using var temp = new TempDir();
        string tree = Tree(temp, ("sub/keep.txt", "k\n"));
        var doc = Parse(
            "diff --git a/alias b/alias\nnew file mode 120000\n--- /dev/null\n+++ b/alias\n@@ -0,0 +1 @@\n+sub\n\\ No newline at end of file\n" +
            "diff --git a/alias/x b/alias/x\nnew file mode 100644\n--- /dev/null\n+++ b/alias/x\n@@ -0,0 +1 @@\n+x\n");
        Assert.Throws<PathSafetyException>(() => PatchApplier.ApplyTree(doc, new FileSystem(), tree));
        Assert.False(File.Exists(Path.Combine(tree, "alias")));
    }

    [Fact]
    public void ApplyTree_ReverseOfCreation_DeletesTheFile()
    {
        using var temp = new TempDir();
        string tree = Tree(temp, ("n.txt", "hello\n"));
        var doc = Parse("diff --git a/n.txt b/n.txt\nnew file mode 100644\n--- /dev/null\n+++ b/n.txt\n@@ -0,0 +1 @@\n+hello\n");
        var result = PatchApplier.ApplyTree(doc, new FileSystem(), tree, new ApplyOptions { Reverse = true });
        Assert.True(result.Succeeded);
        Assert.False(File.Exists(Path.Combine(tree, "n.txt")));
    }

    [Fact]
    public void ApplyTree_SkipAlreadyApplied_LeavesThatFileAndCommitsTheRest()
    {
        using var temp = new TempDir();
        string tree = Tree(temp, ("a.txt", "1\ntwo\n3\n"), ("b.txt", "x\ny\nz\n"));
        var doc = Parse("--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\n 1\n-2\n+two\n 3\n--- a/b.txt\n+++ b/b.txt\n@@ -1,3 +1,3 @@\n x\n-y\n+Y\n z\n");
        var result = PatchApplier.ApplyTree(doc, new FileSystem(), tree, new ApplyOptions { SkipAlreadyApplied = true });
        Assert.True(result.Files[0].Skipped);
        Assert.True(result.Committed);
        Assert.Equal("x\nY\nz\n", File.ReadAllText(Path.Combine(tree, "b.txt")));
    }

    [Fact]
    public void Recover_WithoutJournal_ReturnsFalse()
    {
        using var temp = new TempDir();
        Assert.False(PatchApplier.Recover(new FileSystem(), temp.Path));
    }

    [Fact]
    public void ApplyTree_MockFileSystem_Works()
    {
        var fs = new System.IO.Abstractions.TestingHelpers.MockFileSystem(new Dictionary<string, System.IO.Abstractions.TestingHelpers.MockFileData>
        {
            ["/t/a.txt"] = new("1\n2\n3\n"),
        });
        var result = PatchApplier.ApplyTree(Parse("--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\n 1\n-2\n+two\n 3\n"), fs, "/t");
        Assert.True(result.Succeeded);
        Assert.Equal("1\ntwo\n3\n", fs.File.ReadAllText("/t/a.txt"));
        Assert.False(fs.File.Exists("/t/.patchkit-journal"));
    }
}
