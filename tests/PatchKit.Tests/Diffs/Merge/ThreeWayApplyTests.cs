using System.IO.Abstractions;
using System.Text;
using PatchKit.Diffs;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Diffs.Merge;

/// <summary>The three-way fallback through <see cref="PatchApplier.ApplyTree"/> and <c>patchkit apply --3way</c>, with
/// bases in a real git repository (made by git), a base folder, or a base file.</summary>
public class ThreeWayApplyTests
{
    private const string Base = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n";
    private const string Theirs = "1\n2\n3\n4\n5\nSIX\n7\n8\n9\n10\n11\n12\n";

    // Ours changed line 4 (inside the hunk's context, two lines from its change): clean merge.
    private const string OursClean = "1\n2\n3\nFOUR\n5\n6\n7\n8\n9\n10\n11\n12\n";

    // Ours changed line 6 too: conflict.
    private const string OursConflict = "1\n2\n3\n4\n5\nsix\n7\n8\n9\n10\n11\n12\n";

    [Fact]
    public void ApplyTree_ContextChanged_MergedCleanFromGitBlobs()
    {
        using var repo = MakeRepo(out string patch);
        File.WriteAllText(Path.Combine(repo.Path, "f.txt"), OursClean);
        TreeApplyResult result = Apply(repo.Path, patch, MergeBases.FromGitDirectory(repo.Path));
        Assert.True(result.Succeeded);
        Assert.True(result.Committed);
        Assert.True(result.Files[0].MergedThreeWay);
        Assert.Equal(0, result.Files[0].Conflicts);
        Assert.Equal("1\n2\n3\nFOUR\n5\nSIX\n7\n8\n9\n10\n11\n12\n", File.ReadAllText(Path.Combine(repo.Path, "f.txt")));
        Assert.Equal(MergeFile(OursClean), File.ReadAllText(Path.Combine(repo.Path, "f.txt")));
    }

    [Fact]
    public void ApplyTree_BothChangedTheLine_ConflictMarkersCommittedAndReported()
    {
        using var repo = MakeRepo(out string patch);
        File.WriteAllText(Path.Combine(repo.Path, "f.txt"), OursConflict);
        TreeApplyResult result = Apply(repo.Path, patch, MergeBases.FromGitDirectory(repo.Path), ConflictStyle.Diff3);
        Assert.False(result.Succeeded);
        Assert.True(result.Committed);
        Assert.Equal(1, result.Files[0].Conflicts);
        Assert.Equal("1\n2\n3\n4\n5\n<<<<<<< ours\nsix\n||||||| base\n6\n=======\nSIX\n>>>>>>> theirs\n7\n8\n9\n10\n11\n12\n", File.ReadAllText(Path.Combine(repo.Path, "f.txt")));
    }

    [Fact]
    public void ApplyTree_ConflictWithFailOnConflict_NothingWritten()
    {
        using var repo = MakeRepo(out string patch);
        File.WriteAllText(Path.Combine(repo.Path, "f.txt"), OursConflict);
        File.WriteAllText(Path.Combine(repo.Path, "g.txt"), "other\n");
        TreeApplyResult result = Apply(repo.Path, patch, MergeBases.FromGitDirectory(repo.Path), failOnConflict: true);
        Assert.False(result.Committed);
        Assert.Equal(OursConflict, File.ReadAllText(Path.Combine(repo.Path, "f.txt")));
    }

    [Fact]
    public void ApplyTree_BaseBlobMissing_RefusedWithReasonAndNothingWritten()
    {
        using var repo = MakeRepo(out string patch);
        File.WriteAllText(Path.Combine(repo.Path, "f.txt"), OursClean);
        using var empty = new TempDir();
        GitObjectStoreTests.Git(empty.Path, "init", "-q");
        TreeApplyResult result = Apply(repo.Path, patch, MergeBases.FromGitDirectory(empty.Path));
        Assert.False(result.Committed);
        Assert.False(result.Files[0].MergedThreeWay);
        Assert.Contains("has no blob", result.Files[0].ThreeWayNote, StringComparison.Ordinal);
        Assert.Equal(OursClean, File.ReadAllText(Path.Combine(repo.Path, "f.txt")));
    }

    [Fact]
    public void ApplyTree_BaseFolderWithAnotherFile_RefusedNotMisapplied()
    {
        using var repo = MakeRepo(out string patch);
        File.WriteAllText(Path.Combine(repo.Path, "f.txt"), OursClean);
        using var bases = new TempDir();
        File.WriteAllText(Path.Combine(bases.Path, "f.txt"), Base.Replace("9\n", "nine\n", StringComparison.Ordinal));
        TreeApplyResult result = Apply(repo.Path, patch, MergeBases.FromFolder(new FileSystem(), bases.Path));
        Assert.False(result.Committed);
        Assert.Contains("is not blob", result.Files[0].ThreeWayNote, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(bases.Path, "f.txt"), Base);
        result = Apply(repo.Path, patch, MergeBases.FromFolder(new FileSystem(), bases.Path));
        Assert.True(result.Succeeded);
        Assert.Equal(MergeFile(OursClean), File.ReadAllText(Path.Combine(repo.Path, "f.txt")));
    }

    [Fact]
    public void ApplyFile_ExplicitBaseContent_Merges()
    {
        byte[] patchText = UnifiedDiff.Create(Encoding.UTF8.GetBytes(Base), Encoding.UTF8.GetBytes(Theirs), "a/f.txt", "b/f.txt");
        FilePatch patch = PatchDocument.Parse(patchText).Files[0];
        byte[] output = PatchApplier.ApplyFile(patch, Encoding.UTF8.GetBytes(OursClean), out FileApplyResult result,
            new ApplyOptions { Fuzz = 0, ThreeWay = new ThreeWayOptions(MergeBases.FromContent(Encoding.UTF8.GetBytes(Base))) });
        Assert.True(result.Succeeded);
        Assert.True(result.MergedThreeWay);
        Assert.Equal(MergeFile(OursClean), Encoding.UTF8.GetString(output));
    }

    [Fact]
    public void ApplyFile_Reverse_BaseIsTheNewSideAndTheMergeUndoesTheChange()
    {
        byte[] patchText = UnifiedDiff.Create(Encoding.UTF8.GetBytes(Base), Encoding.UTF8.GetBytes(Theirs), "a/f.txt", "b/f.txt");
        FilePatch patch = PatchDocument.Parse(patchText).Files[0];
        string ours = Theirs.Replace("4\n", "FOUR\n", StringComparison.Ordinal);
        byte[] output = PatchApplier.ApplyFile(patch, Encoding.UTF8.GetBytes(ours), out FileApplyResult result,
            new ApplyOptions { Fuzz = 0, Reverse = true, ThreeWay = new ThreeWayOptions(MergeBases.FromContent(Encoding.UTF8.GetBytes(Theirs))) });
        Assert.True(result.MergedThreeWay);
        Assert.True(result.Succeeded);
        Assert.Equal(OursClean, Encoding.UTF8.GetString(output));
    }

    [Fact]
    public void Cli_ThreeWay_ExitCodesAndMessages()
    {
        using var repo = MakeRepo(out string patch);
        File.WriteAllText(Path.Combine(repo.Path, "f.txt"), OursClean);
        var clean = CliRunner.Run(repo.Path, null, "apply", "--3way", "-F0", "-i", patch);
        Assert.True(clean.ExitCode == 0, clean.Output + clean.Error);
        Assert.Contains("cleanly (three-way merge)", clean.Output, StringComparison.Ordinal);
        Assert.Equal(MergeFile(OursClean), File.ReadAllText(Path.Combine(repo.Path, "f.txt")));

        File.WriteAllText(Path.Combine(repo.Path, "f.txt"), OursConflict);
        var conflict = CliRunner.Run(repo.Path, null, "apply", "--3way", "--git-dir", repo.Path, "--conflict-style", "diff3", "-F0", "-i", patch);
        Assert.Equal(1, conflict.ExitCode);
        Assert.Contains("U f.txt", conflict.Output, StringComparison.Ordinal);
        Assert.Contains("||||||| base", File.ReadAllText(Path.Combine(repo.Path, "f.txt")), StringComparison.Ordinal);

        // Single file with an explicit base.
        using var loose = new TempDir();
        File.WriteAllText(Path.Combine(loose.Path, "mine.txt"), OursClean);
        File.WriteAllText(Path.Combine(loose.Path, "base.txt"), Base);
        var single = CliRunner.Run(loose.Path, null, "apply", "--3way", "--base", "base.txt", "-F0", "mine.txt", patch);
        Assert.True(single.ExitCode == 0, single.Output + single.Error);
        Assert.Equal(MergeFile(OursClean), File.ReadAllText(Path.Combine(loose.Path, "mine.txt")));

        // Bad input: exit 2 with a clear message.
        var style = CliRunner.Run(repo.Path, null, "apply", "--3way", "--conflict-style", "zdiff9", "-i", patch);
        Assert.Equal(2, style.ExitCode);
        Assert.Contains("merge or diff3", style.Error, StringComparison.Ordinal);
        var without = CliRunner.Run(repo.Path, null, "apply", "--base-dir", loose.Path, "-i", patch);
        Assert.Equal(2, without.ExitCode);
        Assert.Contains("needs --3way", without.Error, StringComparison.Ordinal);
        var noRepo = CliRunner.Run(loose.Path, null, "apply", "--3way", "-i", patch);
        Assert.Equal(2, noRepo.ExitCode);
        Assert.Contains("not in a git repository", noRepo.Error, StringComparison.Ordinal);
        var missing = CliRunner.Run(repo.Path, null, "apply", "--3way", "--git-dir", Path.Combine(loose.Path, "nope"), "-i", patch);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("does not exist", missing.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", missing.Error, StringComparison.Ordinal);
    }

    private static TreeApplyResult Apply(string root, string patch, IMergeBaseSource bases, ConflictStyle style = ConflictStyle.Merge, bool failOnConflict = false) =>
        PatchApplier.ApplyTree(PatchDocument.Parse(File.ReadAllBytes(patch)), new FileSystem(), root,
            new ApplyOptions { Fuzz = 0, ThreeWay = new ThreeWayOptions(bases) { ConflictStyle = style, FailOnConflict = failOnConflict } });

    /// <summary>A repository with f.txt = Base committed; the patch (git diff, abbreviated blob ids) to Theirs is
    /// saved outside it and the work tree reset to Base.</summary>
    /// <summary>The change is already in the file (upstream took the fix) and the hunk's context still matches below it:
    /// the direct apply puts the block in a second time (as GNU patch would); with <see cref="ThreeWayOptions.MergeFirst"/>
    /// the merge sees that both sides made the change and the file stays as it is, as <c>git merge-file</c> and
    /// <c>git apply --3way</c> say. Through the API and the CLI process.</summary>
    [Fact]
    public void MergeFirst_ChangeAlreadyThere_NotAppliedTwice_AsGitApply3Way()
    {
        const string @base = "int f()\n{\n  if (a)\n  {\n    beep();\n    return;\n  }\n\n  go();\n}\n";
        const string block = "  if (b)\n  {\n    beep();\n    return;\n  }\n";
        string theirs = @base.Replace("  }\n\n", "  }\n" + block + "\n", StringComparison.Ordinal);
        string ours = "int f(void)\n" + theirs[(theirs.IndexOf('\n', StringComparison.Ordinal) + 1)..];
        using var temp = new TempDir();
        string repo = temp.Path;
        GitObjectStoreTests.Git(repo, "init", "-q");
        File.WriteAllText(Path.Combine(repo, "f.c"), @base);
        GitObjectStoreTests.Git(repo, "add", "-A");
        GitObjectStoreTests.Git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "base");
        File.WriteAllText(Path.Combine(repo, "f.c"), theirs);
        string patch = Path.Combine(repo, ".git", "theirs.diff");
        File.WriteAllText(patch, GitObjectStoreTests.Git(repo, "diff"));
        File.WriteAllText(Path.Combine(repo, "f.c"), ours);
        GitObjectStoreTests.Git(repo, "add", "-A");
        FilePatch file = Assert.Single(PatchDocument.Parse(File.ReadAllBytes(patch)).Files);

        var direct = new ApplyOptions { Fuzz = 0, ThreeWay = new ThreeWayOptions(MergeBases.FromGitDirectory(repo)) };
        string twice = Encoding.UTF8.GetString(PatchApplier.ApplyFile(file, Encoding.UTF8.GetBytes(ours), out FileApplyResult r1, direct));
        Assert.True(r1.Succeeded);
        Assert.False(r1.MergedThreeWay);
        Assert.Equal(ours.Replace(block, block + block, StringComparison.Ordinal), twice);

        var first = new ApplyOptions { Fuzz = 0, ThreeWay = new ThreeWayOptions(MergeBases.FromGitDirectory(repo)) { MergeFirst = true } };
        string merged = Encoding.UTF8.GetString(PatchApplier.ApplyFile(file, Encoding.UTF8.GetBytes(ours), out FileApplyResult r2, first));
        Assert.True(r2.MergedThreeWay);
        Assert.Equal(0, r2.Conflicts);
        Assert.Equal(ours, merged);
        using (var t = new TempDir())
        {
            File.WriteAllText(Path.Combine(t.Path, "o"), ours);
            File.WriteAllText(Path.Combine(t.Path, "b"), @base);
            File.WriteAllText(Path.Combine(t.Path, "t"), theirs);
            var mf = GnuTools.Run("git", t.Path, "merge-file", "-p", "o", "b", "t");
            Assert.Equal(0, mf.ExitCode);
            Assert.Equal(merged, Encoding.UTF8.GetString(mf.Output));
        }

        // The CLI process: --merge-first leaves the file as it is (clean merge); git apply --3way does the same.
        using var copy = new TempDir();
        GnuTools.CopyTree(repo, copy.Path);
        var (code, output, error) = CliRunner.RunProcess(repo, "apply", "--3way", "--merge-first", "-F0", "-i", patch);
        Assert.True(code == 0, output + error);
        Assert.Equal(ours, File.ReadAllText(Path.Combine(repo, "f.c")));
        GitObjectStoreTests.Git(copy.Path, "add", "-A");
        GitObjectStoreTests.Git(copy.Path, "apply", "--3way", patch);
        Assert.Equal(ours, File.ReadAllText(Path.Combine(copy.Path, "f.c")));
        Assert.Equal(2, CliRunner.RunProcess(repo, "apply", "--merge-first", "-i", patch).ExitCode);
    }

    private static TempDir MakeRepo(out string patch)
    {
        var temp = new TempDir();
        string repo = temp.Path;
        GitObjectStoreTests.Git(repo, "init", "-q");
        File.WriteAllText(Path.Combine(repo, "f.txt"), Base);
        GitObjectStoreTests.Git(repo, "add", "-A");
        GitObjectStoreTests.Git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "base");
        File.WriteAllText(Path.Combine(repo, "f.txt"), Theirs);
        patch = Path.Combine(repo, ".git", "theirs.diff");
        File.WriteAllText(patch, GitObjectStoreTests.Git(repo, "diff"));
        File.WriteAllText(Path.Combine(repo, "f.txt"), Base);
        return temp;
    }

    private static string MergeFile(string ours)
    {
        using var t = new TempDir();
        File.WriteAllText(Path.Combine(t.Path, "o"), ours);
        File.WriteAllText(Path.Combine(t.Path, "b"), Base);
        File.WriteAllText(Path.Combine(t.Path, "t"), Theirs);
        var r = GnuTools.Run("git", t.Path, "merge-file", "-p", "o", "b", "t");
        Assert.Equal(0, r.ExitCode);
        return Encoding.UTF8.GetString(r.Output);
    }
}
