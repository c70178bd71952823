using System.Text;

namespace PatchKit.Tests.Diffs.Apply;

/// <summary>STYLE T7: atomicity is proven by killing. The real CLI runs as a child process and kills itself with
/// SIGKILL at commit step N (PATCHKIT_TEST_CRASH_AFTER); afterwards the tree must be exactly all-old or all-new once
/// recovered.</summary>
public sealed class TreeTransactionCrashTests
{
    private const int Seed = 20261202;

    [Fact]
    public void Apply_KilledAtRandomCommitSteps_RecoversToAllOldOrAllNew()
    {
        if (OperatingSystem.IsWindows() || !HasTool("diff"))
        {
            return;
        }

        using var temp = new TempDir();
        string oldTree = Path.Combine(temp.Path, "old");
        string newTree = Path.Combine(temp.Path, "new");
        int files = MakeTrees(oldTree, newTree, new Random(Seed));
        string patch = Path.Combine(temp.Path, "change.diff");
        var (diffExit, diffOut, _) = Proc.Run("diff", temp.Path, "-Naur", "old", "new");
        Assert.Equal(1, diffExit);
        File.WriteAllText(patch, diffOut);
        var oldListing = TreeListing.List(oldTree, withModes: false);
        var newListing = TreeListing.List(newTree, withModes: false);

        // Steps: journal written, one per removal, one per write, journal removed.
        int steps = 2 + files;
        var random = new Random(Seed);
        int killed = 0;
        int sawOld = 0;
        int sawNew = 0;
        for (int run = 0; run < 24; run++)
        {
            string tree = Path.Combine(temp.Path, "run" + run);
            TreeListing.Copy(oldTree, tree);
            int crashAt = run == 0 ? 1 : run == 1 ? steps : random.Next(1, steps + 1);
            var (code, _, error) = RunCli(tree, crashAt, "apply", "-p1", "-s", "-i", patch);
            if (code != 0)
            {
                killed++;
                Assert.True(code is 137 or -9 or 9, $"run {run} (crash at step {crashAt}) ended with {code}: {error}");
            }

            // Half the runs recover explicitly, the other half through the next apply of the same patch.
            if (run % 2 == 0)
            {
                var (recoverCode, recoverOut, recoverError) = RunCli(tree, 0, "apply", "--recover");
                Assert.True(recoverCode == 0, recoverOut + recoverError);
                var after = TreeListing.List(tree, withModes: false);
                bool isOld = Same(after, oldListing);
                bool isNew = Same(after, newListing);
                Assert.True(isOld || isNew, $"run {run}, crash at step {crashAt}: the tree is neither all-old nor all-new: {TreeListing.Diff(newListing, after)}");
                sawOld += isOld ? 1 : 0;
                sawNew += isNew ? 1 : 0;
            }
            else
            {
                var after = TreeListing.List(tree, withModes: false);
                if (!Same(after, newListing))
                {
                    var (again, outText, errText) = RunCli(tree, 0, "apply", "-p1", "-s", "-i", patch);
                    Assert.True(again == 0, $"run {run}: the next apply after a crash at step {crashAt} failed: {outText}{errText}");
                }

                Assert.True(Same(TreeListing.List(tree, withModes: false), newListing), $"run {run}: not all-new after the next apply");
                sawNew++;
            }

            Assert.False(File.Exists(Path.Combine(tree, ".patchkit-journal")));
            Directory.Delete(tree, recursive: true);
        }

        Assert.True(killed >= 20, $"only {killed} runs were killed");
        Assert.True(sawOld > 0 && sawNew > 0);
    }

    [Fact]
    public void Apply_OneFileKilledAtEveryCommitStep_RecoversToOldOrNew()
    {
        // A one-file change commits by writing a temporary file and renaming it over the old one.
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var temp = new TempDir();
        string patch = Path.Combine(temp.Path, "one.diff");
        File.WriteAllText(patch, "--- a/f.txt\n+++ b/f.txt\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
        for (int step = 1; step <= 4; step++)
        {
            string tree = Path.Combine(temp.Path, "t" + step);
            Directory.CreateDirectory(tree);
            File.WriteAllText(Path.Combine(tree, "f.txt"), "a\nb\nc\n");
            File.SetUnixFileMode(Path.Combine(tree, "f.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var (code, _, _) = RunCli(tree, step, "apply", "-p1", "-s", "-i", patch);
            Assert.NotEqual(0, code);
            var (recover, _, _) = RunCli(tree, 0, "apply", "--recover");
            Assert.Equal(0, recover);
            Assert.Equal(["f.txt"], Directory.GetFiles(tree).Select(Path.GetFileName));
            string text = File.ReadAllText(Path.Combine(tree, "f.txt"));
            Assert.True(text is "a\nb\nc\n" or "a\nB\nc\n", $"step {step}: {text}");
            Assert.True((File.GetUnixFileMode(Path.Combine(tree, "f.txt")) & UnixFileMode.UserExecute) != 0, "the mode survives the swap");
        }
    }

    [Fact]
    public void Apply_FileReplacedByFolderKilledAtEveryStep_RecoversToOldOrNew()
    {
        // The patch deletes file 'a' and creates 'a/b': recovery must remove 'a/b' (and the folder) before it puts
        // the file 'a' back, whatever order the journal lists them in.
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var temp = new TempDir();
        string patch = Path.Combine(temp.Path, "p.diff");
        File.WriteAllText(patch, "diff --git a/a b/a\ndeleted file mode 100644\n--- a/a\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n" +
            "diff --git a/a/b b/a/b\nnew file mode 100644\n--- /dev/null\n+++ b/a/b\n@@ -0,0 +1 @@\n+y\n" +
            "diff --git a/k b/k\n--- a/k\n+++ b/k\n@@ -1 +1 @@\n-k\n+K\n");
        for (int step = 1; step <= 5; step++)
        {
            string tree = Path.Combine(temp.Path, "t" + step);
            Directory.CreateDirectory(tree);
            File.WriteAllText(Path.Combine(tree, "a"), "x\n");
            File.WriteAllText(Path.Combine(tree, "k"), "k\n");
            RunCli(tree, step, "apply", "-p1", "-s", "-i", patch);
            var (recover, output, error) = RunCli(tree, 0, "apply", "--recover");
            Assert.True(recover == 0, $"step {step}: {output}{error}");
            var files = Directory.GetFiles(tree, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(tree, f) + "=" + File.ReadAllText(f)).Order(StringComparer.Ordinal).ToArray();
            Assert.True(files.SequenceEqual(["a=x\n", "k=k\n"]) || files.SequenceEqual(["a/b=y\n", "k=K\n"]), $"step {step}: {string.Join(", ", files)}");
        }
    }

    private static bool Same(SortedDictionary<string, string> a, SortedDictionary<string, string> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out string? v) && v == p.Value);

    private static int MakeTrees(string oldTree, string newTree, Random random)
    {
        int touched = 0;
        for (int i = 0; i < 240; i++)
        {
            string rel = Path.Combine("d" + (i % 12), "f" + i + ".txt");
            var lines = new List<string>();
            for (int j = 0; j < 40; j++)
            {
                lines.Add($"file {i} line {j} {random.Next()}");
            }

            Write(oldTree, rel, lines);
            int kind = random.Next(10);
            if (kind == 0)
            {
                touched++; // deleted
                continue;
            }

            if (kind <= 6)
            {
                lines[random.Next(lines.Count)] = "changed " + random.Next();
                lines.Insert(random.Next(lines.Count), "inserted " + random.Next());
                touched++;
            }

            Write(newTree, rel, lines);
        }

        for (int i = 0; i < 20; i++)
        {
            Write(newTree, Path.Combine("n" + (i % 3), "new" + i + ".txt"), ["new " + i, "more " + random.Next()]);
            touched++;
        }

        return touched;
    }

    private static void Write(string root, string rel, List<string> lines)
    {
        string path = Path.Combine(root, rel);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Join("\n", lines) + "\n", new UTF8Encoding(false));
    }

    private static bool HasTool(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, name)));

    private static (int Code, string Output, string Error) RunCli(string workingDirectory, int crashAt, params string[] args)
    {
        string cli = crashAt > 0 ? RepoFiles.CrashHostDll : CliRunner.CliDll;
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(cli);
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
