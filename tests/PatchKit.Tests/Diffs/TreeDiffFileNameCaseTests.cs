using System.Buffers;
using System.IO.Abstractions;
using System.IO.Abstractions.TestingHelpers;
using System.Text;
using PatchKit.Diffs;

namespace PatchKit.Tests.Diffs;

/// <summary><see cref="DiffOptions.IgnoreFileNameCase"/> (GNU diff --ignore-file-name-case) through the library's tree
/// walk, on a mock file system and on disk (where pairs are opened relative to each tree's root descriptor).</summary>
public class TreeDiffFileNameCaseTests
{
    private static string Diff(IFileSystem fs, string oldPath, string newPath, DiffOptions options, out TreeDiffResult result)
    {
        var output = new ArrayBufferWriter<byte>();
        options.OldLabel ??= "a";
        options.NewLabel ??= "b";
        options.CommandLine = "diff";
        result = TreeDiff.Write(fs, oldPath, newPath, output, options);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static MockFileSystem Trees(params (string Path, string Content)[] files)
    {
        var fs = new MockFileSystem();
        fs.Directory.CreateDirectory("/t/a");
        fs.Directory.CreateDirectory("/t/b");
        foreach (var (path, content) in files)
        {
            fs.AddFile(path, new MockFileData(content));
        }

        return fs;
    }

    [Fact]
    public void Write_IgnoreFileNameCase_PairsEachSideUnderItsOwnNameInFoldedOrder()
    {
        var fs = Trees(("/t/a/Foo", "1\n"), ("/t/b/foo", "2\n"), ("/t/a/B", "x\n"), ("/t/b/_z", "x\n"), ("/t/a/Dir/X", "1\n"), ("/t/b/dir/x", "1\n"));
        string output = Diff(fs, "/t/a", "/t/b", new DiffOptions { Recursive = true, Context = 0, IgnoreFileNameCase = true }, out TreeDiffResult result);

        // strcasecmp order: '_' (0x5F) before 'b'; each side's own name in the header; the identical subfolder pair says nothing.
        Assert.StartsWith("Only in b: _z\nOnly in a: B\ndiff a/Foo b/foo\n--- a/Foo\t", output, StringComparison.Ordinal);
        Assert.Equal(1, result.FilesDiffering);

        string exact = Diff(fs, "/t/a", "/t/b", new DiffOptions { Recursive = true, Context = 0 }, out _);
        Assert.Contains("Only in a: Foo\n", exact, StringComparison.Ordinal);
        Assert.Contains("Only in b: foo\n", exact, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_IgnoreFileNameCase_CollidingNamesPreferTheExactMatch()
    {
        var fs = Trees(("/t/a/Foo", "1\n"), ("/t/a/foo", "2\n"), ("/t/b/foo", "3\n"));
        string output = Diff(fs, "/t/a", "/t/b", new DiffOptions { Context = 0, IgnoreFileNameCase = true }, out _);
        Assert.StartsWith("diff a/foo b/foo\n", output, StringComparison.Ordinal);
        Assert.EndsWith("Only in a: Foo\n", output, StringComparison.Ordinal);

        // With -N the one-sided name stands for both sides, as GNU prints it.
        string withN = Diff(fs, "/t/a", "/t/b", new DiffOptions { Context = 0, IgnoreFileNameCase = true, TreatAbsentAsEmpty = true }, out _);
        Assert.Contains("diff a/Foo b/Foo\n", withN, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_IgnoreFileNameCase_ExcludeSeesEachSidesNameAndStartIsFolded()
    {
        var fs = Trees(("/t/a/Foo", "1\n"), ("/t/b/foo", "2\n"), ("/t/a/Bar", "1\n"), ("/t/b/bar", "2\n"));
        var seen = new List<string>();
        string output = Diff(fs, "/t/a", "/t/b", new DiffOptions { Context = 0, IgnoreFileNameCase = true, Exclude = n => { seen.Add(n); return n == "foo"; } }, out _);
        Assert.Contains("Only in a: Foo\n", output, StringComparison.Ordinal);
        Assert.Equal(["Bar", "Foo", "bar", "foo"], seen.Order(StringComparer.Ordinal));

        string started = Diff(fs, "/t/a", "/t/b", new DiffOptions { Context = 0, IgnoreFileNameCase = true, StartingFile = "C" }, out _);
        Assert.StartsWith("diff a/Foo b/foo\n", started, StringComparison.Ordinal);
        Assert.DoesNotContain("bar", started, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Write_IgnoreFileNameCase_FileAgainstFolderFindsItsEntry_MissingIsAnErrorEvenWithN()
    {
        var fs = Trees(("/t/a/Foo", "1\n"), ("/t/foo", "2\n"), ("/t/bar", "3\n"));
        string output = Diff(fs, "/t/foo", "/t/a", new DiffOptions { Context = 0, IgnoreFileNameCase = true, OldLabel = "foo", NewLabel = "a" }, out TreeDiffResult result);
        Assert.StartsWith("--- foo\t", output, StringComparison.Ordinal);
        Assert.Contains("+++ a/Foo\t", output, StringComparison.Ordinal);
        Assert.Equal(1, result.ExitStatus);

        Diff(fs, "/t/bar", "/t/a", new DiffOptions { IgnoreFileNameCase = true, TreatAbsentAsEmpty = true, OldLabel = "bar", NewLabel = "a" }, out TreeDiffResult missing);
        Assert.Equal(["a/bar: No such file or directory"], missing.Errors);
        Assert.Equal(2, missing.ExitStatus);
    }

    [Fact]
    public void Write_IgnoreFileNameCase_OnDisk_ReadsEachSideUnderItsOwnName()
    {
        string root = Path.Combine(Path.GetTempPath(), "patchkit-namecase-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "a", "Sub"));
            Directory.CreateDirectory(Path.Combine(root, "b", "sub"));
            File.WriteAllText(Path.Combine(root, "a", "Sub", "Name.txt"), "old\n");
            File.WriteAllText(Path.Combine(root, "b", "sub", "name.TXT"), "new\n");
            File.WriteAllText(Path.Combine(root, "a", "same"), "s\n");
            File.WriteAllText(Path.Combine(root, "b", "SAME"), "s\n");
            string output = Diff(new FileSystem(), Path.Combine(root, "a"), Path.Combine(root, "b"), new DiffOptions { Recursive = true, Context = 0, IgnoreFileNameCase = true, MaxDegreeOfParallelism = 2 }, out TreeDiffResult result);
            Assert.StartsWith("diff a/Sub/Name.txt b/sub/name.TXT\n", output, StringComparison.Ordinal);
            Assert.EndsWith("-old\n+new\n", output, StringComparison.Ordinal);
            Assert.Equal(2, result.FilesCompared);
            Assert.Equal(1, result.FilesDiffering);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
