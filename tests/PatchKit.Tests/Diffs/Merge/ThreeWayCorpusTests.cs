using System.IO.Abstractions;
using System.Text;
using PatchKit.Diffs;
using PatchKit.Tests.Infrastructure;
using Xunit.Abstractions;

namespace PatchKit.Tests.Diffs.Merge;

/// <summary>The real corpus's cases (git form, <c>patch.diff</c>) applied to a perturbed <c>pre/</c> tree whose
/// context moved (lines added at the top) or changed (a context line edited, near or next to the change), with the
/// bases in a throw-away git repository where <c>pre/</c> is committed. PatchKit's clean merges are checked against
/// <c>git merge-file</c>; the same trees go through <c>git apply --3way</c> side by side and the counts are printed.</summary>
public class ThreeWayCorpusTests : IClassFixture<CommitsCorpusFixture>
{
    private readonly CommitsCorpusFixture _corpus;
    private readonly ITestOutputHelper _output;

    public ThreeWayCorpusTests(CommitsCorpusFixture corpus, ITestOutputHelper output)
    {
        _corpus = corpus;
        _output = output;
    }

    [CorpusFact(CommitsCorpusFixture.Archive)]
    public void ThreeWay_PerturbedCorpusTrees_CleanMergesEqualGitMergeFile_SideBySideWithGitApply3Way()
    {
        var random = new Random(2323);
        int cases = 0, files = 0, direct = 0, clean = 0, conflicted = 0, refused = 0, failedOther = 0;
        int gitClean = 0, gitConflicted = 0, gitFailed = 0, sameContent = 0, compared = 0, checkedAgainstMergeFile = 0, mergeFileConflictsOnPkClean = 0;
        var failures = new List<string>();
        using var work = new TempDir();
        foreach (string name in _corpus.Cases)
        {
            // Every second case (seeded choice of perturbations below): keeps the run within its time budget.
            if (cases++ % 2 != 0)
            {
                continue;
            }

            string caseDir = Path.Combine(_corpus.Root, name);
            PatchDocument doc = PatchDocument.Parse(File.ReadAllBytes(Path.Combine(caseDir, "patch.diff")));
            var targets = doc.Files.Where(f => f.Operation == FileOperation.Modify && !f.IsBinary && f.Hunks.Count > 0 && f.OldMode != 0xA000 /* symlink (120000 octal) */).ToList();
            if (targets.Count == 0)
            {
                continue;
            }

            string repo = Path.Combine(work.Path, name, "git");
            string pk = Path.Combine(work.Path, name, "pk");
            GnuTools.CopyTree(Path.Combine(caseDir, "pre"), repo);
            GitObjectStoreTests.Git(repo, "init", "-q");
            GitObjectStoreTests.Git(repo, "add", "-A");
            GitObjectStoreTests.Git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "--no-verify", "-m", "pre");

            var ours = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (FilePatch f in targets)
            {
                string rel = Strip1(f.OldPath!);
                string path = Path.Combine(repo, rel);
                byte[] perturbed = Perturb(File.ReadAllBytes(path), f, random);
                File.WriteAllBytes(path, perturbed);
                ours[rel] = perturbed;
            }

            GitObjectStoreTests.Git(repo, "add", "-A");
            GnuTools.CopyTree(repo, pk);
            Directory.Delete(Path.Combine(pk, ".git"), recursive: true);

            // PatchKit: strict (fuzz 0, as git apply), fallback from the repository's objects.
            TreeApplyResult result = PatchApplier.ApplyTree(doc, new FileSystem(), pk,
                new ApplyOptions { Fuzz = 0, ThreeWay = new ThreeWayOptions(MergeBases.FromGitDirectory(repo)) });

            // git apply --3way on the same tree (index = work tree; pre/ blobs in the object store).
            var git = GnuTools.Run("git", repo, "apply", "--3way", Path.Combine(caseDir, "patch.diff"));

            foreach (FileApplyResult r in result.Files)
            {
                if (r.Path is null || !ours.TryGetValue(r.Path, out byte[]? mine))
                {
                    continue;
                }

                files++;
                byte[] gitResult = File.ReadAllBytes(Path.Combine(repo, r.Path));
                bool gitMarkers = gitResult.AsSpan().IndexOf("\n<<<<<<< "u8) >= 0 || gitResult.AsSpan().StartsWith("<<<<<<< "u8);
                bool gitUnchanged = gitResult.AsSpan().SequenceEqual(mine);
                if (gitMarkers)
                {
                    gitConflicted++;
                }
                else if (gitUnchanged)
                {
                    gitFailed++;
                }
                else
                {
                    gitClean++;
                }

                byte[] pre = File.ReadAllBytes(Path.Combine(caseDir, "pre", r.Path));
                byte[] post = File.ReadAllBytes(Path.Combine(caseDir, "post", r.Path));
                if (gitMarkers && r.Succeeded)
                {
                    _output.WriteLine($"{name} {r.Path}: git apply --3way conflicts, PatchKit {(r.MergedThreeWay ? "merged clean" : "applied directly")} (hunks at offsets {string.Join(",", r.Hunks.Select(h => h.Offset))}, fuzz {r.Hunks.Max(h => h.Fuzz)})");
                }

                if (!r.MergedThreeWay)
                {
                    if (r.Succeeded)
                    {
                        direct++;
                    }
                    else if (r.ThreeWayNote is not null)
                    {
                        refused++;
                        _output.WriteLine($"{name} {r.Path}: refused: {r.ThreeWayNote}");
                    }
                    else
                    {
                        failedOther++;
                        _output.WriteLine($"{name} {r.Path}: failed: {r.Error}");
                    }

                    continue;
                }

                if (r.Conflicts > 0)
                {
                    conflicted++;
                    continue;
                }

                clean++;

                // The merged content as the apply computed it (the tree commits only when every file goes through).
                byte[] merged = result.Committed ? File.ReadAllBytes(Path.Combine(pk, r.Path)) : [];
                var mf = MergeFile(work.Path, mine, pre, post);
                checkedAgainstMergeFile++;
                if (mf.ExitCode != 0)
                {
                    mergeFileConflictsOnPkClean++;
                    failures.Add($"{name} {r.Path}: PatchKit merged clean, git merge-file reports {mf.ExitCode} conflict(s)");
                }
                else if (result.Committed && !merged.AsSpan().SequenceEqual(mf.Output))
                {
                    failures.Add($"{name} {r.Path}: PatchKit's clean merge differs from git merge-file");
                }

                if (result.Committed && !gitMarkers && !gitUnchanged)
                {
                    compared++;
                    sameContent += merged.AsSpan().SequenceEqual(gitResult) ? 1 : 0;
                }
            }

            Directory.Delete(Path.Combine(work.Path, name), recursive: true);
        }

        string summary = $"files perturbed {files}: PatchKit direct {direct}, merged clean {clean}, merged with conflicts {conflicted}, refused {refused}, other failures {failedOther}; "
            + $"git apply --3way clean {gitClean}, conflicts {gitConflicted}, not applied {gitFailed}; "
            + $"PatchKit clean merges checked against git merge-file {checkedAgainstMergeFile} (conflict there: {mergeFileConflictsOnPkClean}); "
            + $"PatchKit clean merge = git apply --3way clean result: {sameContent} of {compared}";
        _output.WriteLine(summary);
        Assert.True(failures.Count == 0, summary + "\n" + string.Join("\n", failures.Take(20)));
        Assert.True(clean > 20 && conflicted > 20, summary);
    }

    /// <summary>Runs <c>git merge-file -p ours base theirs</c> on bytes (files o, b, t in <paramref name="dir"/>).</summary>
    internal static (int ExitCode, byte[] Output) MergeFile(string dir, byte[] ours, byte[] @base, byte[] theirs)
    {
        File.WriteAllBytes(Path.Combine(dir, "o"), ours);
        File.WriteAllBytes(Path.Combine(dir, "b"), @base);
        File.WriteAllBytes(Path.Combine(dir, "t"), theirs);
        var r = GnuTools.Run("git", dir, "merge-file", "-p", "o", "b", "t");
        return (r.ExitCode, r.Output);
    }

    private static string Strip1(string path) => path[(path.IndexOf('/', StringComparison.Ordinal) + 1)..];

    /// <summary>Seeded edits of "ours" per hunk: none; the hunk's first context line edited (two or more lines from the
    /// change: a clean merge); the context line next to the change edited (a conflict); a line above the hunk edited (the
    /// hunk still applies). Half the files also get two lines added at the top (every hunk moves).</summary>
    private static byte[] Perturb(byte[] file, FilePatch patch, Random random)
    {
        var lines = new List<byte[]>();
        int start = 0;
        while (start < file.Length)
        {
            int lf = file.AsSpan(start).IndexOf((byte)'\n');
            int end = lf < 0 ? file.Length : start + lf + 1;
            lines.Add(file[start..end]);
            start = end;
        }

        foreach (Hunk h in patch.Hunks.Reverse())
        {
            int leading = 0;
            foreach (HunkLine l in h.GetLines())
            {
                if (l.Kind != HunkLineKind.Context)
                {
                    break;
                }

                leading++;
            }

            int first = h.OldStart - 1; // 0-based index of the hunk's first line
            switch (random.Next(4))
            {
                case 1 when leading >= 2 && first < lines.Count:
                    lines[first] = Mark(lines[first]);
                    break;
                case 2 when leading >= 1 && first + leading - 1 < lines.Count:
                    lines[first + leading - 1] = Mark(lines[first + leading - 1]);
                    break;
                case 3 when first >= 2:
                    lines[first - 2] = Mark(lines[first - 2]);
                    break;
            }
        }

        if (random.Next(2) == 0)
        {
            lines.Insert(0, "/* local line 1 */\n"u8.ToArray());
            lines.Insert(1, "/* local line 2 */\n"u8.ToArray());
        }

        return [.. lines.SelectMany(l => l)];
    }

    private static byte[] Mark(byte[] line)
    {
        int cut = line.Length;
        if (cut > 0 && line[cut - 1] == (byte)'\n')
        {
            cut--;
            if (cut > 0 && line[cut - 1] == (byte)'\r')
            {
                cut--;
            }
        }

        return [.. line[..cut], .. " /* local */"u8.ToArray(), .. line[cut..]];
    }
}
