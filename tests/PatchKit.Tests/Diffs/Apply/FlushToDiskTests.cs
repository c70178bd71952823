using System.Text;
using PatchKit.Diffs;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Diffs.Apply;

/// <summary><see cref="ApplyOptions.FlushToDisk"/> (<c>patchkit apply --fsync</c>), observed from outside: the real CLI
/// runs under <c>strace</c>, which records every <c>fsync</c> it makes. A power cut cannot be simulated here, so the
/// test checks the calls that make one survivable: the journal before the first change, every written file, every
/// folder whose names change, and none of that without the option.</summary>
public sealed class FlushToDiskTests
{
    private const string Patch =
        "diff --git a/keep.txt b/keep.txt\n--- a/keep.txt\n+++ b/keep.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n" +
        "diff --git a/new/dir/made.txt b/new/dir/made.txt\nnew file mode 100644\n--- /dev/null\n+++ b/new/dir/made.txt\n@@ -0,0 +1 @@\n+made\n" +
        "diff --git a/gone.txt b/gone.txt\ndeleted file mode 100644\n--- a/gone.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-gone\n";

    [Fact]
    public void ApplyFsync_RealCliUnderStrace_FlushesJournalFilesAndFoldersAndWithoutItNothing()
    {
        Assert.True(File.Exists("/usr/bin/strace"), "strace is needed to observe fsync calls (test.sh installs it: apt-get install strace)");

        using var withDir = new TempDir();
        using var withoutDir = new TempDir();
        int with = CountFsyncs(withDir, fsync: true, out string tree);
        Assert.Equal("one\nTWO\n", File.ReadAllText(Path.Combine(tree, "keep.txt")));
        Assert.Equal("made\n", File.ReadAllText(Path.Combine(tree, "new", "dir", "made.txt")));
        Assert.False(File.Exists(Path.Combine(tree, "gone.txt")));
        Assert.False(File.Exists(Path.Combine(tree, ".patchkit-journal")));
        int without = CountFsyncs(withoutDir, fsync: false, out _);

        // Journal + root folder before the changes; keep.txt and made.txt; the folders of made.txt and gone.txt
        // (new/dir and the root); the root again after the journal is deleted.
        Assert.True(with - without >= 7, $"--fsync made {with} fsync calls, without it {without}: expected at least 7 more");
        Assert.Equal(0, without);
    }

    private static int CountFsyncs(TempDir dir, bool fsync, out string tree)
    {
        tree = Path.Combine(dir.Path, "tree");
        Directory.CreateDirectory(tree);
        File.WriteAllText(Path.Combine(tree, "keep.txt"), "one\ntwo\n");
        File.WriteAllText(Path.Combine(tree, "gone.txt"), "gone\n");
        File.WriteAllBytes(Path.Combine(dir.Path, "p.diff"), Encoding.ASCII.GetBytes(Patch));
        string log = Path.Combine(dir.Path, "strace.log");
        string cli = CliRunner.CliDll;
        string[] args = ["-f", "-qq", "-e", "trace=fsync,fdatasync", "-o", log, "dotnet", cli, "apply", "-s", "-p1", "-i", Path.Combine(dir.Path, "p.diff")];
        var run = Proc.Run("/usr/bin/strace", tree, fsync ? [.. args, "--fsync"] : args);
        Assert.True(run.ExitCode == 0, $"patchkit apply failed: {run.Error}");
        // Worker threads flush at the same time, so strace may split a call into "fsync(5 <unfinished ...>" and
        // "<... fsync resumed>) = 0": count the calls started, and check none failed.
        string[] lines = File.ReadAllLines(log);
        Assert.DoesNotContain(lines, l => l.Contains("= -1", StringComparison.Ordinal));
        return lines.Count(l => l.Contains("fsync(", StringComparison.Ordinal));
    }
}
