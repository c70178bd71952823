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

    [Fact]
    public void PatchDropIn_ManyFiles_EachANewInodeBornInTheRun_TreeAsGnuPatch()
    {
        using var dir = new TempDir();
        const string patch = "--- a/d1/a\n+++ b/d1/a\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n"
            + "--- a/d1/b\n+++ b/d1/b\n@@ -1,3 +1,2 @@\n one\n-two\n-three\n+2\n"
            + "--- a/d2/c\n+++ b/d2/c\n@@ -1,2 +1,4 @@\n one\n-two\n+two, longer than it was\n+three\n+four\n";
        File.WriteAllText(Path.Combine(dir.Path, "p.diff"), patch);
        string[] trees = ["gnu", "pk"];
        foreach (string t in trees)
        {
            Directory.CreateDirectory(Path.Combine(dir.Path, t, "d1"));
            Directory.CreateDirectory(Path.Combine(dir.Path, t, "d2"));
            File.WriteAllText(Path.Combine(dir.Path, t, "d1/a"), "one\ntwo\n");
            File.WriteAllText(Path.Combine(dir.Path, t, "d1/b"), "one\ntwo\nthree\n");
            File.WriteAllText(Path.Combine(dir.Path, t, "d2/c"), "one\ntwo\n");
            File.SetUnixFileMode(Path.Combine(dir.Path, t, "d1/b"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
            File.SetUnixFileMode(Path.Combine(dir.Path, t, "d2/c"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
            foreach (string f in new[] { "d1/a", "d1/b", "d2/c" })
            {
                File.SetLastWriteTimeUtc(Path.Combine(dir.Path, t, f), new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc));
                File.SetLastAccessTimeUtc(Path.Combine(dir.Path, t, f), new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc));
            }
        }

        string tree = Path.Combine(dir.Path, "pk");
        string[] names = ["d1/a", "d1/b", "d2/c"];
        ulong[] before = names.Select(n => Inode(tree, n)).ToArray();

        // Held open, the old inodes are not freed when their names go: their numbers cannot come back for new files,
        // so an equal number below can only mean an old inode was written over.
        var held = names.Select(n => File.OpenRead(Path.Combine(tree, n))).ToList();
        (long Seconds, uint Nanoseconds)? start = BornAfter(dir.Path, names.Select(n => Path.Combine(tree, n)));
        DateTime startClock = DateTime.UtcNow.AddSeconds(-2);
        try
        {
            var gnu = Proc.Run("patch", Path.Combine(dir.Path, "gnu"), "-p1", "-i", Path.Combine(dir.Path, "p.diff"));
            var pk = CliRunner.RunProcess(tree, "patch", "-p1", "-i", Path.Combine(dir.Path, "p.diff"));

            Assert.Equal(0, gnu.ExitCode);
            Assert.True(pk.ExitCode == 0, pk.Error);
            Assert.Equal(gnu.Output, pk.Output);
            Assert.Equal(Listing(Path.Combine(dir.Path, "gnu")), Listing(tree)); // names, modes, contents; no temporary left
            foreach (string f in names)
            {
                Assert.True(File.GetLastWriteTimeUtc(Path.Combine(tree, f)) >= startClock, f + ": modified now, as a new file");
                Assert.True(File.GetLastAccessTimeUtc(Path.Combine(tree, f)) >= startClock, f + ": accessed now, as a new file");

                // As GNU patch: each patched file is a new inode, born in the run (statx's btime), never an old one.
                Assert.DoesNotContain(Inode(tree, f), before);
                if (start is { } s)
                {
                    Assert.True(BirthTime(Path.Combine(tree, f)) is { } born && born.CompareTo(s) >= 0, f + ": born before the run, as an old file");
                }
            }
        }
        finally
        {
            held.ForEach(h => h.Dispose());
        }
    }

    /// <summary>A birth time later than that of every file in <paramref name="files"/> (a file made in
    /// <paramref name="folder"/> until the file system's clock has moved past theirs), or null when the file system
    /// does not report birth times.</summary>
    private static (long Seconds, uint Nanoseconds)? BornAfter(string folder, IEnumerable<string> files)
    {
        var times = files.Select(BirthTime).ToList();
        if (times.Any(t => t is null))
        {
            Assert.True(Environment.GetEnvironmentVariable("CI") != "true", "CI's file system must report birth times (statx)");
            return null;
        }

        var latest = times.Max()!.Value;
        string marker = Path.Combine(folder, "marker");
        for (int i = 0; i < 100_000; i++)
        {
            File.WriteAllText(marker, string.Empty);
            var t = BirthTime(marker)!.Value;
            File.Delete(marker);
            if (t.CompareTo(latest) > 0)
            {
                return t;
            }
        }

        Assert.Fail("the file system's clock did not move");
        return null;
    }

    /// <summary>The file's birth time from <c>statx</c>; null when the file system does not report it.</summary>
    private static (long Seconds, uint Nanoseconds)? BirthTime(string path)
    {
        byte[] buffer = new byte[256];
        Assert.Equal(0, StatX(-100, path, 0x100, 0x800, buffer)); // AT_FDCWD, AT_SYMLINK_NOFOLLOW, STATX_BTIME
        uint mask = BitConverter.ToUInt32(buffer, 0);
        return (mask & 0x800) == 0 ? null : (BitConverter.ToInt64(buffer, 80), BitConverter.ToUInt32(buffer, 88));
    }

    [Fact]
    public void PatchDropIn_HardLinkedAndAttributedOldFiles_NeverReused_LaterFilesAsGnuPatch()
    {
        using var dir = new TempDir();
        const string patch = "--- a/a\n+++ b/a\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n"
            + "--- a/b\n+++ b/b\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n"
            + "--- a/c\n+++ b/c\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n"
            + "--- a/e\n+++ b/e\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n";
        File.WriteAllText(Path.Combine(dir.Path, "p.diff"), patch);
        foreach (string t in new[] { "gnu", "pk" })
        {
            Directory.CreateDirectory(Path.Combine(dir.Path, t));
            foreach (string f in new[] { "a", "b", "c", "e" })
            {
                File.WriteAllText(Path.Combine(dir.Path, t, f), "one\ntwo\n");
            }

            // a: hard-linked (as quilt's .pc copies); c: an extended attribute of its own.
            Assert.Equal(0, Proc.Run("ln", dir.Path, Path.Combine(dir.Path, t, "a"), Path.Combine(dir.Path, t + "-link")).ExitCode);
            Assert.Equal(0, SetXAttr(Path.Combine(dir.Path, t, "c"), "user.patchkit-test", "x"u8.ToArray(), 1, 0));
        }

        string tree = Path.Combine(dir.Path, "pk");
        ulong linked = Inode(tree, "a");
        ulong attributed = Inode(tree, "c");

        // Held open, c's old inode is not freed when its name goes: its number cannot come back for a new file, so an
        // equal number below can only mean the inode was reused.
        using var holdAttributed = File.OpenRead(Path.Combine(tree, "c"));

        var gnu = Proc.Run("patch", Path.Combine(dir.Path, "gnu"), "-p1", "-i", Path.Combine(dir.Path, "p.diff"));
        var pk = CliRunner.RunProcess(tree, "patch", "-p1", "-i", Path.Combine(dir.Path, "p.diff"));

        Assert.Equal(0, gnu.ExitCode);
        Assert.True(pk.ExitCode == 0, pk.Error);
        Assert.Equal(Listing(Path.Combine(dir.Path, "gnu")), Listing(tree));
        Assert.Equal("one\ntwo\n", File.ReadAllText(Path.Combine(dir.Path, "pk-link"))); // the other name keeps the old text
        Assert.Equal(File.ReadAllText(Path.Combine(dir.Path, "gnu-link")), File.ReadAllText(Path.Combine(dir.Path, "pk-link")));
        Assert.NotEqual(linked, Inode(tree, "b")); // the inode still named pk-link was not written over
        Assert.NotEqual(attributed, Inode(tree, "e")); // nor the one with an attribute a new file would not have
        foreach (string f in new[] { "a", "b", "c", "e" })
        {
            Assert.Equal(0, (long)ListXAttr(Path.Combine(tree, f), IntPtr.Zero, 0)); // GNU patch's new files have none either
        }
    }

    [Fact]
    public void PatchDropIn_FileChangedThenDeleted_ItsFolderRemovedAsGnuPatch()
    {
        using var dir = new TempDir();
        const string patch = "--- a/d/x\n+++ b/d/x\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n"
            + "--- a/d/x\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-one\n-TWO\n"
            + "--- a/k\n+++ b/k\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n";
        File.WriteAllText(Path.Combine(dir.Path, "p.diff"), patch);
        foreach (string t in new[] { "gnu", "pk" })
        {
            Directory.CreateDirectory(Path.Combine(dir.Path, t, "d"));
            File.WriteAllText(Path.Combine(dir.Path, t, "d/x"), "one\ntwo\n");
            File.WriteAllText(Path.Combine(dir.Path, t, "k"), "one\ntwo\n");
        }

        var gnu = Proc.Run("patch", Path.Combine(dir.Path, "gnu"), "-p1", "-i", Path.Combine(dir.Path, "p.diff"));
        var pk = CliRunner.RunProcess(Path.Combine(dir.Path, "pk"), "patch", "-p1", "-i", Path.Combine(dir.Path, "p.diff"));

        Assert.Equal(gnu.ExitCode, pk.ExitCode);
        Assert.Equal(gnu.Output, pk.Output);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "gnu", "d")));
        Assert.Equal(Listing(Path.Combine(dir.Path, "gnu")), Listing(Path.Combine(dir.Path, "pk")));
    }

    [Fact]
    public void PatchDropIn_RejectsWrittenOverTheMappedPatchMidRun_LaterFilesStillPatched_AsGnuPatch()
    {
        // f.rej is the patch (over 128 KB, so the drop-in maps it) and f's failing hunk's rejects go to f.rej while g's
        // hunk, later in the same patch, is still to be read: as GNU patch, g is patched from the patch as it was.
        using var dir = new TempDir();
        const int Lines = 60_000;
        var file = new System.Text.StringBuilder();
        var patch = new System.Text.StringBuilder("--- a/f\n+++ b/f\n");
        for (int i = 0; i < Lines; i++)
        {
            file.Append("line ").Append(i).Append('\n');
        }

        for (int k = 0; k < Lines; k += 10)
        {
            patch.Append("@@ -").Append(k + 1).Append(",2 +").Append(k + 1).Append(",2 @@\n")
                .Append(k == 100 ? "-no such line\n+X\n" : $"-line {k}\n+LINE {k}\n").Append(" line ").Append(k + 1).Append('\n');
        }

        patch.Append("--- a/g\n+++ b/g\n@@ -1,2 +1,2 @@\n-a\n+b\n c\n");
        Assert.True(patch.Length > 128 * 1024);
        foreach (string t in new[] { "gnu", "pk" })
        {
            Directory.CreateDirectory(Path.Combine(dir.Path, t));
            File.WriteAllText(Path.Combine(dir.Path, t, "f"), file.ToString());
            File.WriteAllText(Path.Combine(dir.Path, t, "g"), "a\nc\n");
            File.WriteAllText(Path.Combine(dir.Path, t, "f.rej"), patch.ToString());
        }

        var gnu = Proc.Run("patch", Path.Combine(dir.Path, "gnu"), "-p1", "-i", "f.rej");
        var pk = CliRunner.RunProcess(Path.Combine(dir.Path, "pk"), "patch", "-p1", "-i", "f.rej");

        Assert.Equal(1, gnu.ExitCode);
        Assert.Equal(gnu.ExitCode, pk.ExitCode);
        Assert.Equal(gnu.Output, pk.Output);
        Assert.Equal("b\nc\n", File.ReadAllText(Path.Combine(dir.Path, "pk", "g")));
        Assert.Equal(Listing(Path.Combine(dir.Path, "gnu")), Listing(Path.Combine(dir.Path, "pk")));
    }

    [Fact]
    public void PatchDropIn_PatchReadFromAPipe_AsGnuPatch()
    {
        // -i <(...): the patch file is a pipe, which cannot be mapped nor asked its length.
        Assert.True(PatchKit.Tests.Cli.GnuCompat.GnuCompatHarness.Available, "the built CLI's patch link is missing");
        using var dir = new TempDir();
        string gnuTree = Tree(dir.Path, "gnu");
        string tree = Tree(dir.Path, "pk");
        string pkPatch = Path.Combine(PatchKit.Tests.Cli.GnuCompat.GnuCompatHarness.PatchKitBin, "patch");

        var gnu = Proc.Run("bash", gnuTree, "-c", "patch -p1 -i <(cat ../p.diff)");
        string root = string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_ROOT")) && Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host
            ? $"DOTNET_ROOT='{Path.GetDirectoryName(host)}' " : string.Empty; // the JIT build's apphost finds its runtime
        var pk = Proc.Run("bash", tree, "-c", $"{root}'{pkPatch}' -p1 -i <(cat ../p.diff)");

        Assert.Equal(0, gnu.ExitCode);
        Assert.True(pk.ExitCode == 0, pk.Error);
        Assert.Equal(gnu.Output, pk.Output);
        Assert.Equal(Listing(gnuTree), Listing(tree));
    }

    private static ulong Inode(string tree, string name)
    {
        Assert.True(NativeStat.TryGet(Path.Combine(tree, name), follow: false, out NativeStat.FileStatus status), name);
        return status.Inode;
    }

    /// <summary>Every entry under <paramref name="tree"/>: its relative name, mode and, for files, text.</summary>
    private static List<string> Listing(string tree) =>
        Directory.EnumerateFileSystemEntries(tree, "*", SearchOption.AllDirectories)
            .Select(p => $"{Path.GetRelativePath(tree, p)} {File.GetUnixFileMode(p)} {(File.Exists(p) ? File.ReadAllText(p) : "<dir>")}")
            .Order(StringComparer.Ordinal)
            .ToList();

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "setxattr", SetLastError = true)]
    private static extern int SetXAttr(string path, string name, byte[] value, nuint size, int flags);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int StatX(int dirFd, string path, int flags, uint mask, byte[] buffer);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "listxattr", SetLastError = true)]
    private static extern nint ListXAttr(string path, IntPtr list, nuint size);

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
