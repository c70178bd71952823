using System.Buffers;
using System.IO.Abstractions.TestingHelpers;
using System.Text;
using PatchKit.Diffs;

namespace PatchKit.Tests.Diffs;

public class TreeDiffTests
{
    private static readonly DateTimeOffset s_y2k = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static MockFileSystem Trees(params (string Path, string Content)[] files)
    {
        var fs = new MockFileSystem();
        fs.Directory.CreateDirectory("/t/a");
        fs.Directory.CreateDirectory("/t/b");
        foreach (var (path, content) in files)
        {
            fs.AddFile(path, new MockFileData(content) { LastWriteTime = s_y2k });
        }

        return fs;
    }

    private static (TreeDiffResult Result, string Output) Diff(MockFileSystem fs, DiffOptions options)
    {
        var output = new ArrayBufferWriter<byte>();
        options.OldLabel = "a";
        options.NewLabel = "b";
        var result = TreeDiff.Write(fs, "/t/a", "/t/b", output, options);
        return (result, Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Write_FileOnOneSideWithoutN_PrintsOnlyIn()
    {
        var fs = Trees(("/t/a/x", "1\n"), ("/t/b/y", "2\n"));
        var (result, output) = Diff(fs, new DiffOptions { Recursive = true });
        Assert.Equal("Only in a: x\nOnly in b: y\n", output);
        Assert.Equal(1, result.ExitStatus);
    }

    [Fact]
    public void Write_NewFileWithN_DiffLineThenEpochHeader()
    {
        var fs = Trees(("/t/b/d/y", "2\n"));
        var (result, output) = Diff(fs, new DiffOptions { Recursive = true, TreatAbsentAsEmpty = true, Text = true });
        Assert.StartsWith("diff -Naur a/d/y b/d/y\n--- a/d/y\t1970-01-01 00:00:00.000000000 ", output, StringComparison.Ordinal);
        Assert.EndsWith("@@ -0,0 +1 @@\n+2\n", output, StringComparison.Ordinal);
        Assert.Equal(1, result.FilesDiffering);
    }

    [Fact]
    public void Write_NamesSortedByBytes_SubdirectoriesWhereTheySort()
    {
        var fs = Trees(("/t/a/B", "1\n"), ("/t/b/B", "2\n"), ("/t/a/a/z", "1\n"), ("/t/b/a/z", "2\n"), ("/t/a/a.c", "1\n"), ("/t/b/a.c", "2\n"));
        var (_, output) = Diff(fs, new DiffOptions { Recursive = true });
        int b = output.IndexOf("a/B ", StringComparison.Ordinal), az = output.IndexOf("a/a/z ", StringComparison.Ordinal), ac = output.IndexOf("a/a.c ", StringComparison.Ordinal);
        Assert.True(b < az && az < ac, output);
    }

    [Fact]
    public void Write_NotRecursive_PrintsCommonSubdirectories()
    {
        var fs = Trees(("/t/a/d/x", "1\n"), ("/t/b/d/x", "2\n"));
        var (_, output) = Diff(fs, new DiffOptions());
        Assert.Equal("Common subdirectories: a/d and b/d\n", output);
    }

    [Fact]
    public void Write_BinaryWithoutText_BinaryFilesDiffer()
    {
        var fs = Trees(("/t/a/x", "1\0"), ("/t/b/x", "2\0"));
        var (result, output) = Diff(fs, new DiffOptions { Recursive = true });
        Assert.Equal("Binary files a/x and b/x differ\n", output);
        Assert.Equal(1, result.ExitStatus);
    }

    [Fact]
    public void Write_SameTrees_ExitZeroAndNoOutput()
    {
        var fs = Trees(("/t/a/x", "1\n"), ("/t/b/x", "1\n"));
        var (result, output) = Diff(fs, new DiffOptions { Recursive = true });
        Assert.Equal(string.Empty, output);
        Assert.Equal(0, result.ExitStatus);
    }

    [Fact]
    public void Write_GitFormatDeletedFile_DeletedFileModeAndRelativeNames()
    {
        var fs = Trees(("/t/a/d/x", "1\n"));
        var (_, output) = Diff(fs, new DiffOptions { Recursive = true, Format = DiffFormat.Git });
        Assert.Equal("diff --git a/d/x b/d/x\ndeleted file mode 100644\nindex d00491f..0000000\n--- a/d/x\n+++ /dev/null\n@@ -1 +0,0 @@\n-1\n", output);
    }

    [Fact]
    public void Write_RealDiskExecBitChangeInGitFormat_OldModeNewMode()
    {
        using var tmp = new Infrastructure.TempDir();
        string a = Path.Combine(tmp.Path, "a"), b = Path.Combine(tmp.Path, "b");
        Directory.CreateDirectory(a);
        Directory.CreateDirectory(b);
        File.WriteAllText(Path.Combine(a, "run.sh"), "echo\n");
        File.WriteAllText(Path.Combine(b, "run.sh"), "echo\n");
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        File.SetUnixFileMode(Path.Combine(b, "run.sh"), File.GetUnixFileMode(Path.Combine(b, "run.sh")) | UnixFileMode.UserExecute);
        var output = new ArrayBufferWriter<byte>();
        TreeDiff.Write(new System.IO.Abstractions.FileSystem(), a, b, output, new DiffOptions { Recursive = true, Format = DiffFormat.Git });
        Assert.Equal("diff --git a/run.sh b/run.sh\nold mode 100644\nnew mode 100755\n", Encoding.UTF8.GetString(output.WrittenSpan));
    }
    [Fact]
    public void Write_RealDiskSymlinks_FollowedOrComparedAsLinksLikeGnuDiff()
    {
        using var tmp = new Infrastructure.TempDir();
        string a = Path.Combine(tmp.Path, "a"), b = Path.Combine(tmp.Path, "b");
        Directory.CreateDirectory(a);
        Directory.CreateDirectory(b);
        File.CreateSymbolicLink(Path.Combine(a, "l"), "missing-1");
        File.CreateSymbolicLink(Path.Combine(b, "l"), "missing-2");
        var fs = new System.IO.Abstractions.FileSystem();
        var followed = TreeDiff.Write(fs, a, b, new ArrayBufferWriter<byte>(), new DiffOptions { Recursive = true, OldLabel = "a", NewLabel = "b" });
        var gnuFollowed = GnuTools.Run("diff", tmp.Path, "-Naur", "a", "b");
        var output = new ArrayBufferWriter<byte>();
        var asLinks = TreeDiff.Write(fs, a, b, output, new DiffOptions { Recursive = true, NoDereference = true, OldLabel = "a", NewLabel = "b" });
        var gnuAsLinks = GnuTools.Run("diff", tmp.Path, "-Naur", "--no-dereference", "a", "b");
        Assert.Equal(gnuFollowed.ExitCode, followed.ExitStatus);
        Assert.Equal(["a/l: No such file or directory", "b/l: No such file or directory"], followed.Errors);
        Assert.Equal(gnuAsLinks.ExitCode, asLinks.ExitStatus);
        Assert.Equal(Encoding.UTF8.GetString(gnuAsLinks.Output), Encoding.UTF8.GetString(output.WrittenSpan));
    }
    [Fact]
    public void Write_GitFormatLinkTargetNotInUtf8_TargetBytesAndGitsBlobId()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var tmp = new Infrastructure.TempDir();
        string a = Path.Combine(tmp.Path, "a"), b = Path.Combine(tmp.Path, "b");
        Directory.CreateDirectory(a);
        Directory.CreateDirectory(b);
        var fs = new System.IO.Abstractions.FileSystem();
        byte[] target = [.. "caf"u8, 0xE9];
        PatchKit.Diffs.Apply.RawFiles.CreateSymbolicLink(fs, Path.Combine(a, "l"), target);
        PatchKit.Diffs.Apply.RawFiles.CreateSymbolicLink(fs, Path.Combine(b, "l"), "cafe"u8);
        var output = new ArrayBufferWriter<byte>();
        TreeDiff.Write(fs, a, b, output, new DiffOptions { Recursive = true, NoDereference = true, Format = DiffFormat.Git });
        // git's blob of a link is its target's bytes: the id is git's own, the removed line the target as it is.
        string blob = Path.Combine(tmp.Path, "blob");
        File.WriteAllBytes(blob, target);
        string id = Encoding.ASCII.GetString(GnuTools.Run("git", tmp.Path, "hash-object", blob).Output).Trim()[..7];
        byte[] expected = [.. Encoding.ASCII.GetBytes($"diff --git a/l b/l\nindex {id}..573dd5c 120000\n--- a/l\n+++ b/l\n@@ -1 +1 @@\n-"),
            .. target, .. "\n\\ No newline at end of file\n+cafe\n\\ No newline at end of file\n"u8];
        Assert.Equal(expected, output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Write_GitBinaryPatch_GitApplyRebuildsNewTree()
    {
        using var tmp = new Infrastructure.TempDir();
        string a = Path.Combine(tmp.Path, "a"), b = Path.Combine(tmp.Path, "b"), t = Path.Combine(tmp.Path, "t");
        Directory.CreateDirectory(a);
        Directory.CreateDirectory(b);
        var r = new Random(11);
        byte[] old = new byte[3000];
        r.NextBytes(old);
        old[10] = 0;
        byte[] changed = (byte[])old.Clone();
        changed[1500] ^= 0xFF;
        byte[] created = new byte[100];
        r.NextBytes(created);
        created[0] = 0;
        File.WriteAllBytes(Path.Combine(a, "x.bin"), old);
        File.WriteAllBytes(Path.Combine(b, "x.bin"), changed);
        File.WriteAllBytes(Path.Combine(b, "new.bin"), created);
        File.WriteAllBytes(Path.Combine(a, "gone.bin"), [0]);
        var output = new ArrayBufferWriter<byte>();
        TreeDiff.Write(new System.IO.Abstractions.FileSystem(), a, b, output, new DiffOptions { Recursive = true, Format = DiffFormat.Git, GitBinary = true });
        GnuTools.CopyTree(a, t);
        string patch = Path.Combine(tmp.Path, "p.diff");
        File.WriteAllBytes(patch, output.WrittenSpan.ToArray());
        var apply = GnuTools.Run("git", t, "apply", patch);
        Assert.True(apply.ExitCode == 0, apply.Error);
        Assert.Equal(GnuTools.Listing(b), GnuTools.Listing(t));
    }
}
