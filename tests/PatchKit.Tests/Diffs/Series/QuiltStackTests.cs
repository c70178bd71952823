using System.IO.Abstractions;
using System.Text;
using PatchKit.Diffs;

namespace PatchKit.Tests.Diffs.Series;

/// <summary>The series parser, push/pop/refresh on small trees, and hostile input: a series or <c>.pc/</c> naming paths
/// outside, links in <c>.pc/</c>, a missing patch. Every refusal must name what and where and change nothing.</summary>
public sealed class QuiltStackTests
{
    private const string One = "--- a/f.txt\n+++ b/f.txt\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n";
    private const string Two = "--- a/f.txt\n+++ b/f.txt\n@@ -1,3 +1,4 @@\n a\n B\n+B2\n c\n--- a/new/n.txt\n+++ b/new/n.txt\n@@ -0,0 +1 @@\n+n\n";
    private const string Three = "Subject: third\n\nKeep this header.\n---\n f.txt | 1 +\n\n--- f.txt\n+++ f.txt\n@@ -2,3 +2,3 @@\n B\n-B2\n+B3\n c\n";

    [Fact]
    public void Parse_ReadsQuiltsFormat_CommentsBlankLinesAndStripLevels()
    {
        var series = PatchSeries.Parse("# a comment\n\none.diff\ntwo.diff -p0   # why\n  three.diff -p 2\nsub/four.diff#not-a-comment\r\n");
        Assert.Equal(["one.diff", "two.diff", "three.diff", "sub/four.diff#not-a-comment"], series.Patches.Select(p => p.Name));
        Assert.Equal([1, 0, 2, 1], series.Patches.Select(p => p.Strip));
        Assert.Equal(4, series.Patches[1].LineNumber);
    }

    [Theory]
    [InlineData("../evil.diff\n", "'..'")]
    [InlineData("/etc/passwd\n", "not a relative path")]
    [InlineData("a.diff -R\n", "-R")]
    [InlineData("a.diff\na.diff\n", "twice")]
    [InlineData("ok.diff\n.pc/x\n", "reserved")]
    public void Parse_RefusesUnsafeOrUnsupportedLines_NamingFileAndLine(string text, string expected)
    {
        var ex = Assert.Throws<PatchFormatException>(() => PatchSeries.Parse(text, "patches/series"));
        Assert.Contains("patches/series, line", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Push_AppliesEachPatchToTheResultOfTheOnesBefore_AndPopRestores()
    {
        using var temp = new TempDir();
        string root = MakeTree(temp.Path, "one.diff\ntwo.diff\nthree.diff -p0\n");
        var before = TreeListing.List(root);
        var stack = new QuiltStack(new FileSystem(), root);
        SeriesApplyResult result = stack.Push(all: true);
        Assert.True(result.Succeeded);
        Assert.Equal(["one.diff", "two.diff", "three.diff"], result.Applied);
        Assert.Equal("a\nB\nB3\nc\n", File.ReadAllText(Path.Combine(root, "f.txt")));
        Assert.Equal("n\n", File.ReadAllText(Path.Combine(root, "new/n.txt")));
        Assert.Equal("one.diff\ntwo.diff\nthree.diff\n", File.ReadAllText(Path.Combine(root, ".pc/applied-patches")));
        Assert.Equal("2\n", File.ReadAllText(Path.Combine(root, ".pc/.version")));
        Assert.Equal("patches\n", File.ReadAllText(Path.Combine(root, ".pc/.quilt_patches")));
        Assert.Equal("series\n", File.ReadAllText(Path.Combine(root, ".pc/.quilt_series")));
        Assert.Equal("a\nb\nc\n", File.ReadAllText(Path.Combine(root, ".pc/one.diff/f.txt")));
        Assert.Equal("a\nB\nc\n", File.ReadAllText(Path.Combine(root, ".pc/two.diff/f.txt")));
        Assert.Equal(0, new FileInfo(Path.Combine(root, ".pc/two.diff/new/n.txt")).Length); // a new file's backup is empty
        Assert.True(File.Exists(Path.Combine(root, ".pc/three.diff/.timestamp")));

        Assert.Equal(["three.diff"], stack.Pop());
        Assert.Equal("a\nB\nB2\nc\n", File.ReadAllText(Path.Combine(root, "f.txt")));
        Assert.Equal(["three.diff", "two.diff", "one.diff"], stack.Push(all: true).Applied.Count == 1 ? stack.Pop(all: true) : []);
        var after = TreeListing.List(root, skip: p => p.StartsWith(".pc/", StringComparison.Ordinal));
        Assert.True(before.SequenceEqual(after), TreeListing.Diff(before, after));
        Assert.False(File.Exists(Path.Combine(root, ".pc/applied-patches")));
    }

    [Fact]
    public void Push_LaterPatchFails_NothingIsWritten()
    {
        using var temp = new TempDir();
        string root = MakeTree(temp.Path, "one.diff\ntwo.diff\nbad.diff\n");
        File.WriteAllText(Path.Combine(root, "patches/bad.diff"), "--- a/f.txt\n+++ b/f.txt\n@@ -1,2 +1,2 @@\n zzz\n-yyy\n+xxx\n");
        var before = TreeListing.List(root);
        SeriesApplyResult result = new QuiltStack(new FileSystem(), root).Push(all: true);
        Assert.False(result.Succeeded);
        Assert.Equal("bad.diff", result.FailedPatch);
        Assert.Empty(result.Applied);
        Assert.True(before.SequenceEqual(TreeListing.List(root)), "all or nothing");

        var (code, _, error) = CliRunner.Run(root, null, "series", "push", "-a");
        Assert.Equal(1, code);
        Assert.Contains("bad.diff does not apply; nothing was changed", error, StringComparison.Ordinal);
        Assert.True(before.SequenceEqual(TreeListing.List(root)));
    }

    [Fact]
    public void ApplySeries_ListOfPatches_OneTransaction()
    {
        using var temp = new TempDir();
        File.WriteAllText(Path.Combine(temp.Path, "f.txt"), "a\nb\nc\n");
        var docs = new[] { One, Two }.Select(t => PatchDocument.Parse(Encoding.UTF8.GetBytes(t))).ToArray();
        SeriesApplyResult result = PatchApplier.ApplySeries(docs, new FileSystem(), temp.Path);
        Assert.True(result.Succeeded && result.Committed);
        Assert.Equal("a\nB\nB2\nc\n", File.ReadAllText(Path.Combine(temp.Path, "f.txt")));
        SeriesApplyResult again = PatchApplier.ApplySeries(docs, new FileSystem(), temp.Path);
        Assert.Equal("#1", again.FailedPatch);
        Assert.Equal("a\nB\nB2\nc\n", File.ReadAllText(Path.Combine(temp.Path, "f.txt")));
    }

    [Fact]
    public void ApplySeries_LaterPatchWritesThroughALinkAnEarlierOneCreated_Refused_NothingWritten()
    {
        using var temp = new TempDir();
        string root = Path.Combine(temp.Path, "tree");
        Directory.CreateDirectory(Path.Combine(root, "sub"));
        File.WriteAllText(Path.Combine(root, "sub/x"), "x\n");
        var before = TreeListing.List(temp.Path);
        string link = "diff --git a/d b/d\nnew file mode 120000\n--- /dev/null\n+++ b/d\n@@ -0,0 +1 @@\n+sub\n\\ No newline at end of file\n";
        string through = "--- a/d/x\n+++ b/d/x\n@@ -1 +1 @@\n-x\n+y\n";
        var docs = new[] { link, through }.Select(t => PatchDocument.Parse(Encoding.UTF8.GetBytes(t))).ToArray();
        var ex = Assert.Throws<PathSafetyException>(() => PatchApplier.ApplySeries(docs, new FileSystem(), root));
        Assert.Contains("d/x", ex.Message, StringComparison.Ordinal);
        Assert.True(before.SequenceEqual(TreeListing.List(temp.Path)));
    }

    [Fact]
    public void Refresh_RewritesTheTopPatchFromTheTree_KeepingItsHeader()
    {
        using var temp = new TempDir();
        string root = MakeTree(temp.Path, "one.diff\ntwo.diff\n");
        var stack = new QuiltStack(new FileSystem(), root);
        Assert.True(stack.Push(all: true).Succeeded);
        File.WriteAllText(Path.Combine(root, "patches/two.diff"), "Description: two\nAuthor: someone\n\n" + Two);
        File.AppendAllText(Path.Combine(root, "new/n.txt"), "more\n");
        Assert.Equal("two.diff", stack.Refresh());
        string refreshed = File.ReadAllText(Path.Combine(root, "patches/two.diff"));
        Assert.StartsWith("Description: two\nAuthor: someone\n\n--- a/f.txt\n+++ b/f.txt\n", refreshed, StringComparison.Ordinal);
        Assert.Contains("--- /dev/null\n+++ b/new/n.txt\n@@ -0,0 +1,2 @@\n+n\n+more\n", refreshed, StringComparison.Ordinal);

        // The refreshed patch pops (no pending changes) and pushes again to the same tree.
        var pushed = TreeListing.List(root, skip: p => p.StartsWith(".pc/", StringComparison.Ordinal));
        Assert.Equal(["two.diff"], stack.Pop());
        Assert.True(stack.Push().Succeeded);
        Assert.True(pushed.SequenceEqual(TreeListing.List(root, skip: p => p.StartsWith(".pc/", StringComparison.Ordinal))));
    }

    [Fact]
    public void Pop_FileChangedAfterPush_RefusesUnlessForced()
    {
        using var temp = new TempDir();
        string root = MakeTree(temp.Path, "one.diff\n");
        var stack = new QuiltStack(new FileSystem(), root);
        Assert.True(stack.Push().Succeeded);
        File.AppendAllText(Path.Combine(root, "f.txt"), "local edit\n");
        var ex = Assert.Throws<PatchApplyException>(() => stack.Pop());
        Assert.Contains("does not remove cleanly", ex.Message, StringComparison.Ordinal);
        Assert.Contains("local edit", File.ReadAllText(Path.Combine(root, "f.txt")), StringComparison.Ordinal);
        Assert.Equal(["one.diff"], stack.Pop(force: true));
        Assert.Equal("a\nb\nc\n", File.ReadAllText(Path.Combine(root, "f.txt")));
    }

    [Fact]
    public void Cli_MissingPatchFile_Exit2NamingIt_NothingChanged()
    {
        using var temp = new TempDir();
        string root = MakeTree(temp.Path, "one.diff\nghost.diff\n");
        var before = TreeListing.List(root);
        var (code, _, error) = CliRunner.Run(root, null, "series", "push", "-a");
        Assert.Equal(2, code);
        Assert.Contains("ghost.diff", error, StringComparison.Ordinal);
        Assert.Contains("does not exist", error, StringComparison.Ordinal);
        Assert.True(before.SequenceEqual(TreeListing.List(root)));
    }

    [Fact]
    public void Cli_SeriesNamingAPathOutside_Exit2()
    {
        using var temp = new TempDir();
        string root = MakeTree(temp.Path, "one.diff\n../../outside.diff\n");
        var before = TreeListing.List(root);
        var (code, _, error) = CliRunner.Run(root, null, "series", "push", "-a");
        Assert.Equal(2, code);
        Assert.Contains("line 2", error, StringComparison.Ordinal);
        Assert.Contains("'..'", error, StringComparison.Ordinal);
        Assert.True(before.SequenceEqual(TreeListing.List(root)));
    }

    [Fact]
    public void Cli_HostileAppliedPatches_Exit2_NothingChanged()
    {
        using var temp = new TempDir();
        string root = MakeTree(temp.Path, "one.diff\n");
        Directory.CreateDirectory(Path.Combine(root, ".pc"));
        Directory.CreateDirectory(Path.Combine(temp.Path, "x"));
        File.WriteAllText(Path.Combine(temp.Path, "x", "f.txt"), "outside\n");
        File.WriteAllText(Path.Combine(root, ".pc/applied-patches"), "../../x\n");
        var before = TreeListing.List(temp.Path);
        foreach (string verb in new[] { "pop", "push", "refresh" })
        {
            var (code, _, error) = CliRunner.Run(root, null, "series", verb);
            Assert.True(code == 2, verb + ": " + error);
            Assert.Contains("applied-patches", error, StringComparison.Ordinal);
            Assert.Contains("'..'", error, StringComparison.Ordinal);
        }

        Assert.True(before.SequenceEqual(TreeListing.List(temp.Path)));
    }

    [Fact]
    public void Cli_SymlinksInPc_Refused_NothingChanged()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var temp = new TempDir();
        string outside = Path.Combine(temp.Path, "outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "secret"), "s\n");

        // 1. A backup that is a link to a file outside the tree: pop would copy the outside file into the tree.
        string root = MakeTree(temp.Path, "one.diff\n");
        Assert.Equal(0, CliRunner.Run(root, null, "series", "push").ExitCode);
        File.Delete(Path.Combine(root, ".pc/one.diff/f.txt"));
        File.CreateSymbolicLink(Path.Combine(root, ".pc/one.diff/f.txt"), Path.Combine(outside, "secret"));
        var before = TreeListing.List(temp.Path);
        var (code, _, error) = CliRunner.Run(root, null, "series", "pop", "-f");
        Assert.Equal(2, code);
        Assert.Contains(".pc/one.diff/f.txt", error, StringComparison.Ordinal);
        Assert.Contains("symbolic link", error, StringComparison.Ordinal);
        Assert.True(before.SequenceEqual(TreeListing.List(temp.Path)));

        // 2. .pc itself a link to a folder outside: push would write quilt's state there.
        string root2 = Path.Combine(temp.Path, "t2");
        MakeTree(root2, "one.diff\n", nested: false);
        Directory.CreateSymbolicLink(Path.Combine(root2, ".pc"), outside);
        before = TreeListing.List(temp.Path);
        (code, _, error) = CliRunner.Run(root2, null, "series", "push");
        Assert.Equal(2, code);
        Assert.Contains(".pc", error, StringComparison.Ordinal);
        Assert.True(before.SequenceEqual(TreeListing.List(temp.Path)));

        // 3. A folder of .pc/ that is a link (the patch's state folder): refused too.
        string root3 = Path.Combine(temp.Path, "t3");
        MakeTree(root3, "one.diff\n", nested: false);
        Assert.Equal(0, CliRunner.Run(root3, null, "series", "push").ExitCode);
        Directory.Delete(Path.Combine(root3, ".pc/one.diff"), recursive: true);
        Directory.CreateSymbolicLink(Path.Combine(root3, ".pc/one.diff"), outside);
        before = TreeListing.List(temp.Path);
        (code, _, error) = CliRunner.Run(root3, null, "series", "pop", "-f");
        Assert.Equal(2, code);
        Assert.Contains("one.diff", error, StringComparison.Ordinal);
        Assert.True(before.SequenceEqual(TreeListing.List(temp.Path)));
    }

    [Fact]
    public void Cli_AppliedUnappliedTop()
    {
        using var temp = new TempDir();
        string root = MakeTree(temp.Path, "one.diff\ntwo.diff\nthree.diff -p0\n");
        Assert.Equal(1, CliRunner.Run(root, null, "series", "top").ExitCode);
        Assert.Equal(0, CliRunner.Run(root, null, "series", "push", "two.diff").ExitCode);
        Assert.Equal("one.diff\ntwo.diff\n", CliRunner.Run(root, null, "series", "applied").Output);
        Assert.Equal("three.diff\n", CliRunner.Run(root, null, "series", "unapplied").Output);
        Assert.Equal("two.diff\n", CliRunner.Run(root, null, "series", "top").Output);
        Assert.Equal(0, CliRunner.Run(root, null, "series", "pop", "1").ExitCode);
        Assert.Equal("one.diff\n", CliRunner.Run(root, null, "series", "top").Output);
    }

    private static string MakeTree(string parent, string series, bool nested = true)
    {
        string root = nested ? Path.Combine(parent, "tree") : parent;
        Directory.CreateDirectory(Path.Combine(root, "patches"));
        File.WriteAllText(Path.Combine(root, "f.txt"), "a\nb\nc\n");
        File.WriteAllText(Path.Combine(root, "patches/series"), series);
        File.WriteAllText(Path.Combine(root, "patches/one.diff"), One);
        File.WriteAllText(Path.Combine(root, "patches/two.diff"), Two);
        File.WriteAllText(Path.Combine(root, "patches/three.diff"), Three);
        return root;
    }
}
