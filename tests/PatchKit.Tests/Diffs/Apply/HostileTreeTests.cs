using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using PatchKit.Diffs;
using PatchKit.Diffs.Apply;

namespace PatchKit.Tests.Diffs.Apply;

/// <summary>Issue 25: the tree a patch is applied to is hostile, not only the patch. Every case runs the real CLI over
/// a tree <c>t/</c> holding <c>file.txt</c>, with <c>sentinel.txt</c> beside it (outside the tree); nothing outside
/// the tree may change.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class HostileTreeTests
{
    private const string Benign = "--- a/file.txt\n+++ b/file.txt\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n";
    private const string Sentinel = "sentinel\n";

    // 1. A journal found in the tree is untrusted input.

    [Fact]
    public void Apply_JournalPlantedInTree_IsNotReplayedAndNothingOutsideChanges()
    {
        using var temp = new TempDir();
        string tree = MakeTree(temp.Path);
        Directory.CreateDirectory(Path.Combine(temp.Path, "outside"));
        File.WriteAllText(Path.Combine(temp.Path, "outside", "secret.txt"), "secret\n");
        File.WriteAllBytes(Path.Combine(tree, ".patchkit-journal"), OldFormatJournal(
            ("../sentinel.txt", EntryKind.File, "pwned\n"u8.ToArray()),
            ("../outside/secret.txt", EntryKind.Absent, []),
            (Path.Combine(temp.Path, "planted-script"), EntryKind.File, "#!/bin/sh\n"u8.ToArray())));

        var (code, _, error) = Apply(temp.Path, Benign);

        Assert.Equal(2, code);
        Assert.Contains("Not replaying", error, StringComparison.Ordinal);
        Assert.Equal(Sentinel, File.ReadAllText(Path.Combine(temp.Path, "sentinel.txt")));
        Assert.True(File.Exists(Path.Combine(temp.Path, "outside", "secret.txt")));
        Assert.False(File.Exists(Path.Combine(temp.Path, "planted-script")));
        Assert.Equal("a\nb\nc\n", File.ReadAllText(Path.Combine(tree, "file.txt")));
        Assert.True(File.Exists(Path.Combine(tree, ".patchkit-journal")), "an untrusted journal is left for the user to look at");
    }

    [Fact]
    public void Recover_JournalPlantedInTree_IsRefused()
    {
        using var temp = new TempDir();
        string tree = MakeTree(temp.Path);
        File.WriteAllBytes(Path.Combine(tree, ".patchkit-journal"), OldFormatJournal(("../sentinel.txt", EntryKind.File, "pwned\n"u8.ToArray())));

        var (code, _, error) = CliRunner.Run(temp.Path, null, "apply", "-d", "t", "--recover");

        Assert.Equal(2, code);
        Assert.Contains("Not replaying", error, StringComparison.Ordinal);
        Assert.Equal(Sentinel, File.ReadAllText(Path.Combine(temp.Path, "sentinel.txt")));
    }

    [Fact]
    public void Apply_JournalBoundToThisTreeWithEntryOutside_IsRefusedByThePathGuard()
    {
        // Even a journal that names this tree (its device and inode, a valid checksum) is checked entry by entry.
        using var temp = new TempDir();
        string tree = MakeTree(temp.Path);
        File.WriteAllBytes(Path.Combine(tree, ".patchkit-journal"), BoundJournal(tree, ("../sentinel.txt", EntryKind.File, "pwned\n"u8.ToArray())));

        var (code, _, error) = Apply(temp.Path, Benign);

        Assert.Equal(2, code);
        Assert.Contains("../sentinel.txt", error, StringComparison.Ordinal);
        Assert.Equal(Sentinel, File.ReadAllText(Path.Combine(temp.Path, "sentinel.txt")));
        Assert.Equal("a\nb\nc\n", File.ReadAllText(Path.Combine(tree, "file.txt")));
    }

    [Fact]
    public void Apply_JournalOfAnotherTree_IsNotReplayed()
    {
        using var temp = new TempDir();
        string tree = MakeTree(temp.Path);
        string other = Path.Combine(temp.Path, "other");
        Directory.CreateDirectory(other);
        File.WriteAllText(Path.Combine(tree, "file.txt"), "changed by someone\n");
        File.WriteAllBytes(Path.Combine(tree, ".patchkit-journal"), BoundJournal(other, ("file.txt", EntryKind.File, "a\nb\nc\n"u8.ToArray())));

        var (code, _, error) = Apply(temp.Path, Benign);

        Assert.Equal(2, code);
        Assert.Contains("another tree", error, StringComparison.Ordinal);
        Assert.Equal("changed by someone\n", File.ReadAllText(Path.Combine(tree, "file.txt")));
    }

    [Fact]
    public void Apply_PatchCreatingJournalInSubfolder_IsRefused()
    {
        using var temp = new TempDir();
        string tree = MakeTree(temp.Path);
        string patch = "diff --git a/sub/.patchkit-journal b/sub/.patchkit-journal\nnew file mode 100644\n--- /dev/null\n+++ b/sub/.patchkit-journal\n@@ -0,0 +1 @@\n+PATCHKIT-JOURNAL 1\n";

        var (code, _, error) = Apply(temp.Path, patch);

        Assert.Equal(2, code);
        Assert.Contains("journal", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(tree, "sub")));
    }

    [Fact]
    public void Apply_DanglingJournalLink_IsAClearError()
    {
        using var temp = new TempDir();
        string tree = MakeTree(temp.Path);
        File.CreateSymbolicLink(Path.Combine(tree, ".patchkit-journal"), "nowhere");

        var (code, _, error) = Apply(temp.Path, Benign);

        Assert.Equal(2, code);
        Assert.Contains("is a symbolic link, not a journal PatchKit wrote", error, StringComparison.Ordinal);
    }

    // 2. The one-file commit's temporary name.

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Apply_OldTemporaryNameIsALinkOutside_WritesOnlyTheTreeFile(bool hardLink)
    {
        using var temp = new TempDir();
        string tree = MakeTree(temp.Path);
        string sentinel = Path.Combine(temp.Path, "sentinel.txt");
        File.SetUnixFileMode(sentinel, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.SetUnixFileMode(Path.Combine(tree, "file.txt"), UnixFileMode.SetUser | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        string planted = Path.Combine(tree, ".patchkit-new.file.txt");
        if (hardLink)
        {
            Assert.Equal(0, Proc.Run("ln", temp.Path, sentinel, planted).ExitCode);
        }
        else
        {
            File.CreateSymbolicLink(planted, "../sentinel.txt");
        }

        var (code, output, error) = Apply(temp.Path, Benign);

        Assert.True(code == 0, output + error);
        Assert.Equal(Sentinel, File.ReadAllText(sentinel));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(sentinel));
        var info = new FileInfo(Path.Combine(tree, "file.txt"));
        Assert.Null(info.LinkTarget);
        Assert.Equal("a\nB\nc\n", File.ReadAllText(info.FullName));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(info.FullName));
        Assert.Equal([".patchkit-new.file.txt", "file.txt"], Directory.GetFileSystemEntries(tree).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    // 3. Link targets are resolved against the tree after the patch.

    [Fact]
    public void Apply_ChainOfLinksWithoutDotDotExcess_IsRefused()
    {
        using var temp = new TempDir();
        string tree = MakeTree(temp.Path);
        string patch1 = NewLink("d", ".") + NewLink(".patchkit-new.file.txt", "d/../sentinel.txt");

        var (code, _, error) = Apply(temp.Path, patch1);

        Assert.Equal(2, code);
        Assert.Contains("outside the tree", error, StringComparison.Ordinal);
        Assert.False(Path.Exists(Path.Combine(tree, "d")));
        Assert.False(Path.Exists(Path.Combine(tree, ".patchkit-new.file.txt")));
        var (code2, _, _) = Apply(temp.Path, Benign);
        Assert.Equal(0, code2);
        Assert.Equal(Sentinel, File.ReadAllText(Path.Combine(temp.Path, "sentinel.txt")));
    }

    [Fact]
    public void Apply_LinkThroughALinkAlreadyInTheTree_IsRefused()
    {
        using var temp = new TempDir();
        string tree = MakeTree(temp.Path);
        Assert.Equal(0, Apply(temp.Path, NewLink("d", ".")).Code); // harmless alone

        var (code, _, error) = Apply(temp.Path, NewLink("x", "d/../sentinel.txt"));

        Assert.Equal(2, code);
        Assert.Contains("outside the tree", error, StringComparison.Ordinal);
        Assert.False(Path.Exists(Path.Combine(tree, "x")));
    }

    [Theory]
    [InlineData(".git/hooks")]
    [InlineData("d/.git/hooks/post-checkout")]
    public void Apply_LinkIntoGitFolder_IsRefused(string target)
    {
        using var temp = new TempDir();
        string tree = MakeTree(temp.Path);
        Directory.CreateDirectory(Path.Combine(tree, ".git", "hooks"));

        var (code, _, error) = Apply(temp.Path, NewLink("d", ".") + NewLink("hooks", target));

        Assert.Equal(2, code);
        Assert.Contains(".git", error, StringComparison.Ordinal);
        Assert.False(Path.Exists(Path.Combine(tree, "hooks")));
    }

    // 4. Special files.

    [Fact]
    public async Task Apply_FifoInTree_IsRefusedWithoutHanging()
    {
        using var temp = new TempDir();
        string tree = MakeTree(temp.Path);
        string fifo = Path.Combine(tree, "file.txt");
        File.Delete(fifo);
        if (Proc.Run("mkfifo", tree, "file.txt").ExitCode != 0)
        {
            return;
        }

        var run = Task.Run(() => Apply(temp.Path, Benign));
        if (await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60))) != run)
        {
            // Release the blocked open so the test host does not keep a stuck thread, then fail.
            using (var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write))
            {
            }

            Assert.Fail("apply hung on a FIFO");
        }

        var (code, _, error) = await run;
        Assert.Equal(2, code);
        Assert.Contains("not a regular file (it is a FIFO)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_CharacterDeviceInTree_IsRefused()
    {
        using var temp = new TempDir();
        string tree = MakeTree(temp.Path);
        File.Delete(Path.Combine(tree, "file.txt"));
        if (Proc.Run("mknod", tree, "file.txt", "c", "1", "3").ExitCode != 0)
        {
            return; // mknod needs CAP_MKNOD (/dev/null's numbers, so an old build only reads nothing)
        }

        var (code, _, error) = Apply(temp.Path, Benign);

        Assert.Equal(2, code);
        Assert.Contains("not a regular file (it is a character device)", error, StringComparison.Ordinal);
    }

    // 5. Truncated hunks.

    [Theory]
    [InlineData("@@ -38,7 +38,9 @@\n 38\n 39\n-40\n+X\n")]
    [InlineData("@@ -1,999999999 +1,999999999 @@\n 1\n-2\n+X\n 3\n")]
    public void Apply_HunkShorterThanItsHeader_Exits2AndChangesNothing(string hunk)
    {
        using var temp = new TempDir();
        string numbers = string.Concat(Enumerable.Range(1, 40).Select(i => i + "\n"));
        File.WriteAllText(Path.Combine(temp.Path, "f.txt"), numbers);

        var (code, _, error) = CliRunner.Run(temp.Path, Encoding.ASCII.GetBytes("--- a/f.txt\n+++ b/f.txt\n" + hunk), "apply", "-p1");

        Assert.Equal(2, code);
        Assert.Contains("is cut off", error, StringComparison.Ordinal);
        Assert.Equal(numbers, File.ReadAllText(Path.Combine(temp.Path, "f.txt")));
    }

    [Fact]
    public void Apply_HunkShorterThanItsHeaderWithRecount_Applies()
    {
        using var temp = new TempDir();
        File.WriteAllText(Path.Combine(temp.Path, "f.txt"), string.Concat(Enumerable.Range(1, 40).Select(i => i + "\n")));

        var (code, output, error) = CliRunner.Run(temp.Path, "--- a/f.txt\n+++ b/f.txt\n@@ -38,7 +38,9 @@\n 38\n 39\n-40\n+X\n"u8.ToArray(), "apply", "-p1", "--recount");

        Assert.True(code == 0, output + error);
        Assert.EndsWith("39\nX\n", File.ReadAllText(Path.Combine(temp.Path, "f.txt")), StringComparison.Ordinal);
        Assert.Contains("warning: hunk #1 of f.txt (patch line 3) is shorter than its header: -7 +9 promised, -3 +3 there", error, StringComparison.Ordinal);
    }

    // 6. Two applies on one tree.

    [Fact]
    public void Apply_WhileAnotherApplyHoldsTheTree_FailsAndLeavesItsJournalAlone()
    {
        using var temp = new TempDir();
        string tree = Path.Combine(temp.Path, "t");
        Directory.CreateDirectory(tree);
        var patch = new StringBuilder();
        for (int i = 0; i < 6; i++)
        {
            File.WriteAllText(Path.Combine(tree, $"f{i}.txt"), "a\nb\nc\n");
            patch.Append($"--- a/f{i}.txt\n+++ b/f{i}.txt\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
        }

        File.WriteAllText(Path.Combine(temp.Path, "p.diff"), patch.ToString());

        // The first apply: its journal is written and two files are changed when it stops (here: it is killed, and
        // this test holds the tree's lock as if it still ran).
        var (killed, _, _) = RunCliProcess(tree, crashAt: 3, "apply", "-p1", "-s", "-i", "../p.diff");
        Assert.NotEqual(0, killed);
        Assert.True(File.Exists(Path.Combine(tree, ".patchkit-journal")));
        var midway = TreeListing.List(tree);

        using (TreeLock.Acquire(new System.IO.Abstractions.FileSystem(), Path.GetFullPath(tree)))
        {
            var (code, _, error) = RunCliProcess(tree, 0, "apply", "-p1", "-s", "-i", "../p.diff");
            Assert.Equal(2, code);
            Assert.Contains("Another apply is running", error, StringComparison.Ordinal);
            var (recover, _, recoverError) = RunCliProcess(tree, 0, "apply", "--recover");
            Assert.Equal(2, recover);
            Assert.Contains("Another apply is running", recoverError, StringComparison.Ordinal);
            Assert.Equal(midway, TreeListing.List(tree));
        }

        var (after, afterOut, afterError) = RunCliProcess(tree, 0, "apply", "--recover");
        Assert.True(after == 0, afterOut + afterError);
        Assert.All(Enumerable.Range(0, 6), i => Assert.Equal("a\nb\nc\n", File.ReadAllText(Path.Combine(tree, $"f{i}.txt"))));
    }

    // Low.

    [Fact]
    public void Apply_BackupNameIsALinkOutside_ReplacesTheLinkWithTheBackup()
    {
        using var temp = new TempDir();
        string tree = MakeTree(temp.Path);
        File.CreateSymbolicLink(Path.Combine(tree, "file.txt.orig"), "../sentinel.txt");

        var (code, output, error) = Apply(temp.Path, Benign, "-b");

        Assert.True(code == 0, output + error);
        Assert.Equal(Sentinel, File.ReadAllText(Path.Combine(temp.Path, "sentinel.txt")));
        Assert.Null(new FileInfo(Path.Combine(tree, "file.txt.orig")).LinkTarget);
        Assert.Equal("a\nb\nc\n", File.ReadAllText(Path.Combine(tree, "file.txt.orig")));
    }

    [Fact]
    public void Apply_PartialRejectNameIsALinkOutside_SavesTheRejectsInTheTree()
    {
        using var temp = new TempDir();
        string tree = MakeTree(temp.Path);
        File.CreateSymbolicLink(Path.Combine(tree, "file.txt.rej"), "../sentinel.txt");

        var (code, output, _) = Apply(temp.Path, "--- a/file.txt\n+++ b/file.txt\n@@ -1,3 +1,3 @@\n x\n-y\n+Y\n z\n", "--partial", "-F0");

        Assert.Equal(1, code);
        Assert.Contains("saving rejects to file file.txt.rej", output, StringComparison.Ordinal);
        Assert.Equal(Sentinel, File.ReadAllText(Path.Combine(temp.Path, "sentinel.txt")));
        Assert.Null(new FileInfo(Path.Combine(tree, "file.txt.rej")).LinkTarget);
        Assert.Contains("+Y", File.ReadAllText(Path.Combine(tree, "file.txt.rej")), StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_RejectFileNameIsALinkOutside_SavesTheRejectsInTheTree()
    {
        using var temp = new TempDir();
        string tree = MakeTree(temp.Path);
        File.CreateSymbolicLink(Path.Combine(tree, "all.rej"), "../sentinel.txt");

        var (code, _, _) = Apply(temp.Path, "--- a/file.txt\n+++ b/file.txt\n@@ -1,3 +1,3 @@\n x\n-y\n+Y\n z\n", "--partial", "-F0", "-r", "all.rej");

        Assert.Equal(1, code);
        Assert.Equal(Sentinel, File.ReadAllText(Path.Combine(temp.Path, "sentinel.txt")));
        Assert.Null(new FileInfo(Path.Combine(tree, "all.rej")).LinkTarget);
        Assert.Contains("+Y", File.ReadAllText(Path.Combine(tree, "all.rej")), StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_NameNotValidUtf8_NeverPatchesTheNameItDecodesTo()
    {
        // Decoded leniently, caf\xe9.txt and caf\xe8.txt both became caf\uFFFD.txt: the patch for one changed the other.
        // Names are bytes now (ByteFileNameTests patches such files): with no caf\xe9.txt in the tree, nothing is patched.
        using var temp = new TempDir();
        string tree = MakeTree(temp.Path);
        File.WriteAllText(Path.Combine(tree, "caf\uFFFD.txt"), "x\n");
        byte[] patch = [.. "--- a/caf"u8, 0xE9, .. ".txt\n+++ b/caf"u8, 0xE9, .. ".txt\n@@ -1 +1 @@\n-x\n+y\n"u8];
        File.WriteAllBytes(Path.Combine(temp.Path, "p.diff"), patch);

        var (code, _, error) = CliRunner.Run(temp.Path, null, "apply", "-d", "t", "-p1", "-i", "p.diff");

        Assert.NotEqual(0, code);
        Assert.Contains("caf\\xe9.txt", error, StringComparison.Ordinal);
        Assert.Equal("x\n", File.ReadAllText(Path.Combine(tree, "caf\uFFFD.txt")));
    }

    [Fact]
    public void Apply_NameWithTerminalEscape_IsPrintedQuoted()
    {
        using var temp = new TempDir();
        string tree = MakeTree(temp.Path);
        string name = "a\u001b[31mb.txt";
        File.WriteAllText(Path.Combine(tree, name), "x\n");

        var (code, output, error) = Apply(temp.Path, $"--- a/{name}\n+++ b/{name}\n@@ -1 +1 @@\n-x\n+y\n");

        Assert.True(code == 0, output + error);
        Assert.DoesNotContain('\u001b', output + error);
        Assert.Contains("patching file 'a'$'\\033''[31mb.txt'", output, StringComparison.Ordinal); // the default shell style, never raw
        Assert.Equal("y\n", File.ReadAllText(Path.Combine(tree, name)));
    }

    [Fact]
    public void Apply_WindowsDeviceNameOnLinux_IsAnOrdinaryNameUnlessPortable()
    {
        using var temp = new TempDir();
        string tree = MakeTree(temp.Path);
        string patch = "--- /dev/null\n+++ b/aux.txt\n@@ -0,0 +1 @@\n+x\n";

        var (portable, _, error) = Apply(temp.Path, patch, "--portable-names");
        Assert.Equal(2, portable);
        Assert.Contains("Windows device name", error, StringComparison.Ordinal);

        var (code, output, error2) = Apply(temp.Path, patch);
        Assert.True(code == 0, output + error2);
        Assert.Equal("x\n", File.ReadAllText(Path.Combine(tree, "aux.txt")));
    }

    private static string MakeTree(string dir)
    {
        string tree = Path.Combine(dir, "t");
        Directory.CreateDirectory(tree);
        File.WriteAllText(Path.Combine(tree, "file.txt"), "a\nb\nc\n");
        File.WriteAllText(Path.Combine(dir, "sentinel.txt"), Sentinel);
        return tree;
    }

    private static (int Code, string Output, string Error) Apply(string dir, string patch, params string[] extra)
    {
        File.WriteAllText(Path.Combine(dir, "p.diff"), patch);
        return CliRunner.Run(dir, null, ["apply", "-d", "t", "-p1", "-i", "p.diff", .. extra]);
    }

    private static string NewLink(string name, string target) =>
        $"diff --git a/{name} b/{name}\nnew file mode 120000\n--- /dev/null\n+++ b/{name}\n@@ -0,0 +1 @@\n+{target}\n\\ No newline at end of file\n";

    /// <summary>A journal in the format PatchKit wrote before issue 25 (no binding, no checksum), which the old
    /// recovery replayed as it found it.</summary>
    private static byte[] OldFormatJournal(params (string Path, EntryKind Kind, byte[] Content)[] entries)
    {
        var ms = new MemoryStream();
        ms.Write("PATCHKIT-JOURNAL 1\n"u8);
        WriteEntries(ms, entries);
        ms.Write("COMPLETE"u8);
        ms.Write(Int32(entries.Length));
        return ms.ToArray();
    }

    /// <summary>A journal in the current format bound to <paramref name="root"/> (device, inode, path) with a valid
    /// checksum: what someone who can read the tree's inode could forge.</summary>
    private static byte[] BoundJournal(string root, params (string Path, EntryKind Kind, byte[] Content)[] entries)
    {
        root = Path.GetFullPath(root);
        Assert.True(NativeStat.TryGet(root, follow: true, out NativeStat.FileStatus st));
        var ms = new MemoryStream();
        ms.Write("PATCHKIT-JOURNAL 2\n"u8);
        ms.Write(RandomNumberGenerator.GetBytes(16));
        byte[] rootBytes = Encoding.UTF8.GetBytes(root);
        Span<byte> head = stackalloc byte[20];
        BinaryPrimitives.WriteUInt64LittleEndian(head, st.Device);
        BinaryPrimitives.WriteUInt64LittleEndian(head[8..], st.Inode);
        BinaryPrimitives.WriteInt32LittleEndian(head[16..], rootBytes.Length);
        ms.Write(head);
        ms.Write(rootBytes);
        WriteEntries(ms, entries);
        ms.Write("COMPLETE"u8);
        ms.Write(Int32(entries.Length));
        ms.Write(System.IO.Hashing.XxHash128.Hash(ms.ToArray()));
        return ms.ToArray();
    }

    private static void WriteEntries(MemoryStream ms, (string Path, EntryKind Kind, byte[] Content)[] entries)
    {
        foreach (var (path, kind, content) in entries)
        {
            byte[] p = Encoding.UTF8.GetBytes(path);
            ms.Write(Int32(p.Length));
            ms.WriteByte((byte)kind);
            ms.WriteByte(0);
            ms.Write(Int32(content.Length));
            ms.Write(p);
            ms.Write(content);
        }
    }

    private static byte[] Int32(int value)
    {
        byte[] b = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, value);
        return b;
    }

    private static (int Code, string Output, string Error) RunCliProcess(string workingDirectory, int crashAt, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(crashAt > 0 ? RepoFiles.CrashHostDll : CliRunner.CliDll);
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["PATCHKIT_TEST_CRASH_AFTER"] = crashAt > 0 ? crashAt.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty;
        using var p = System.Diagnostics.Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, err.Result);
    }
}
