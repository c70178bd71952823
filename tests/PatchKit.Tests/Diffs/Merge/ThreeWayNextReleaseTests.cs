using System.Text;
using PatchKit.Diffs;
using PatchKit.Tests.Infrastructure;
using Xunit.Abstractions;

namespace PatchKit.Tests.Diffs.Merge;

/// <summary>The real corpus's Debian cases (made on Debian 12's packages) applied to the next upstream release of the
/// same package, as Debian 13 ships it (tests/fixtures/debian-next/setup.sh), with the three-way fallback: "ours" is
/// the file of the new release, the base is the case's <c>pre/</c> file, found by the blob id of the patch's
/// <c>index</c> line in a throw-away git repository. Every clean result is checked against <c>git merge-file</c>, and
/// the same files go through <c>git apply --3way</c> in that repository, side by side.</summary>
public class ThreeWayNextReleaseTests : IClassFixture<CommitsCorpusFixture>
{
    private readonly CommitsCorpusFixture _corpus;
    private readonly ITestOutputHelper _output;

    public ThreeWayNextReleaseTests(CommitsCorpusFixture corpus, ITestOutputHelper output)
    {
        _corpus = corpus;
        _output = output;
    }

    /// <summary>The unpacked upstream trees of the next release, one folder per package (with PACKAGE.version beside it).</summary>
    internal static string Trees => Path.Combine(
        Environment.GetEnvironmentVariable("PATCHKIT_FIXTURE_CACHE") is { Length: > 0 } c ? c : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "patchkit-fixtures"),
        "debian-next",
        "trees");

    [CorpusFact(CommitsCorpusFixture.Archive)]
    public void NextUpstreamRelease_CorpusCases_CleanMergesEqualGitMergeFile_SideBySideWithGitApply3Way()
    {
        string[] packages = Directory.Exists(Trees)
            ? [.. Directory.EnumerateFiles(Trees, "*.version").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!]
            : [];
        if (packages.Length == 0)
        {
            Assert.True(Environment.GetEnvironmentVariable("CI") != "true", "the next releases are missing (run tests/fixtures/debian-next/setup.sh); CI must run this test");
            _output.WriteLine("skipped: the next releases are missing (run tests/fixtures/debian-next/setup.sh)");
            return;
        }

        var n = new Counts();
        var failures = new List<string>();
        using var work = new TempDir();
        foreach (string package in packages)
        {
            string tree = Path.Combine(Trees, package);
            string version = File.ReadAllText(Path.Combine(Trees, package + ".version")).Trim();
            string[] cases = [.. _corpus.Cases.Where(c => c.StartsWith(package + "-", StringComparison.Ordinal) && char.IsAsciiDigit(c[package.Length + 1]))];
            int packageFiles = n.Files, packageClean = n.Clean, packageConflicted = n.Conflicted, packageDirect = n.Direct;

            // One repository per package: every case's pre/ blobs in its object store (the bases), the work tree and
            // index holding "ours" for git apply --3way.
            string repo = Path.Combine(work.Path, package);
            Directory.CreateDirectory(repo);
            GitObjectStoreTests.Git(repo, "init", "-q");
            var preFiles = cases.SelectMany(c => Directory.EnumerateFiles(Path.Combine(_corpus.Root, c, "pre"), "*", SearchOption.AllDirectories))
                .Where(f => !new FileInfo(f).Attributes.HasFlag(FileAttributes.ReparsePoint)).ToList();
            foreach (string[] chunk in preFiles.Chunk(200))
            {
                GitObjectStoreTests.Git(repo, ["hash-object", "-w", "--", .. chunk]);
            }

            foreach (string name in cases)
            {
                string caseDir = Path.Combine(_corpus.Root, name);
                string patchFile = Path.Combine(caseDir, "patch.diff");
                PatchDocument doc = PatchDocument.Parse(File.ReadAllBytes(patchFile));
                var targets = new List<(FilePatch Patch, string Path, byte[] Ours)>();
                foreach (FilePatch f in doc.Files.Where(f => f.Operation == FileOperation.Modify && !f.IsBinary && f.Hunks.Count > 0 && f.OldMode != 0xA000 /* symlink */))
                {
                    string rel = f.OldPath![(f.OldPath!.IndexOf('/', StringComparison.Ordinal) + 1)..];
                    string mine = Path.Combine(tree, rel);
                    if (!File.Exists(mine) || new FileInfo(mine).Attributes.HasFlag(FileAttributes.ReparsePoint))
                    {
                        n.Gone++;
                        continue;
                    }

                    targets.Add((f, rel, File.ReadAllBytes(mine)));
                }

                if (targets.Count == 0)
                {
                    continue;
                }

                n.Cases++;
                foreach (var (_, rel, ours) in targets)
                {
                    string path = Path.Combine(repo, rel);
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    File.WriteAllBytes(path, ours);
                }

                GitObjectStoreTests.Git(repo, ["update-index", "--add", "--", .. targets.Select(t => t.Path)]);
                string gitSays = GnuTools.Run("git", repo, ["apply", "--3way", .. targets.Select(t => "--include=" + t.Path), patchFile]).Error;

                foreach (var (patch, rel, ours) in targets)
                {
                    n.Files++;
                    byte[] pre = File.ReadAllBytes(Path.Combine(caseDir, "pre", rel));
                    byte[] post = File.ReadAllBytes(Path.Combine(caseDir, "post", rel));
                    var reference = ThreeWayCorpusTests.MergeFile(work.Path, ours, pre, post);
                    n.MergeFileClean += reference.ExitCode == 0 ? 1 : 0;

                    // git apply --3way's outcome for this file.
                    byte[] gitResult = File.ReadAllBytes(Path.Combine(repo, rel));
                    bool gitMarkers = HasMarkers(gitResult);
                    bool gitClean = !gitMarkers && gitSays.Contains($"Applied patch to '{rel}' cleanly.", StringComparison.Ordinal);
                    if (gitMarkers)
                    {
                        n.GitConflicted++;
                    }
                    else if (gitClean)
                    {
                        n.GitClean++;
                        n.GitAlreadyThere += gitResult.AsSpan().SequenceEqual(ours) ? 1 : 0;
                    }
                    else
                    {
                        n.GitNotApplied++;
                        _output.WriteLine($"{name} {rel}: git apply --3way: {gitSays.Trim()}");
                    }

                    // PatchKit: strict (fuzz 0, as git apply), the fallback from the repository's objects.
                    byte[] result = PatchApplier.ApplyFile(patch, ours, out FileApplyResult r,
                        new ApplyOptions { Fuzz = 0, ThreeWay = new ThreeWayOptions(MergeBases.FromGitDirectory(repo)) });
                    // The same with merge-first (as git apply --3way): every result must be git apply --3way's.
                    byte[] first = PatchApplier.ApplyFile(patch, ours, out FileApplyResult rf,
                        new ApplyOptions { Fuzz = 0, ThreeWay = new ThreeWayOptions(MergeBases.FromGitDirectory(repo)) { MergeFirst = true } });
                    bool firstConflicts = rf.MergedThreeWay && rf.Conflicts > 0;
                    n.FirstClean += rf.MergedThreeWay && !firstConflicts ? 1 : 0;
                    n.FirstConflicted += firstConflicts ? 1 : 0;
                    n.FirstDirect += !rf.MergedThreeWay && rf.Succeeded ? 1 : 0;
                    if (!rf.MergedThreeWay && !rf.Succeeded)
                    {
                        failures.Add($"{name} {rel}: merge-first: not merged: {rf.ThreeWayNote}");
                    }
                    else if (firstConflicts && !gitMarkers)
                    {
                        // The conservative direction (PatchKit's rule for touching or ambiguous changes): counted, not failed.
                        n.FirstConflictGitClean++;
                        _output.WriteLine($"{name} {rel}: merge-first conflicts, git apply --3way {(gitClean ? "clean" : "did not apply")}");
                    }
                    else if (!firstConflicts && (gitMarkers || !first.AsSpan().SequenceEqual(gitResult)))
                    {
                        failures.Add($"{name} {rel}: merge-first clean, git apply --3way {(gitMarkers ? "conflicts" : gitClean ? "clean with other bytes" : "did not apply")}");
                    }
                    else
                    {
                        n.FirstSameAsGit++;
                    }

                    if (!r.MergedThreeWay)
                    {
                        if (r.Succeeded)
                        {
                            n.Direct++;
                            n.DirectGitClean += gitClean && result.AsSpan().SequenceEqual(gitResult) ? 1 : 0;
                            bool same = reference.ExitCode == 0 && result.AsSpan().SequenceEqual(reference.Output);
                            n.DirectEqualMergeFile += same ? 1 : 0;
                            if (!same)
                            {
                                _output.WriteLine($"{name} {rel}: applied directly (offsets {string.Join(",", r.Hunks.Select(h => h.Offset))}); git merge-file {(reference.ExitCode == 0 ? "merges to other bytes" : $"reports {reference.ExitCode} conflict(s)")}");
                            }
                        }
                        else if (r.ThreeWayNote is not null)
                        {
                            n.Refused++;
                            _output.WriteLine($"{name} {rel}: refused: {r.ThreeWayNote}");
                        }
                        else
                        {
                            n.Failed++;
                            _output.WriteLine($"{name} {rel}: failed: {r.Error ?? string.Join("; ", r.Hunks.Where(h => h.Status != HunkStatus.Applied).Select(h => h.Status.ToString()))}");
                        }

                        continue;
                    }

                    if (r.Conflicts > 0)
                    {
                        n.Conflicted++;
                        n.ConflictedGitToo += gitMarkers ? 1 : 0;
                        continue;
                    }

                    n.Clean++;
                    n.AlreadyThere += result.AsSpan().SequenceEqual(ours) ? 1 : 0;
                    if (reference.ExitCode != 0)
                    {
                        failures.Add($"{name} {rel}: PatchKit merged clean, git merge-file reports {reference.ExitCode} conflict(s)");
                    }
                    else if (!result.AsSpan().SequenceEqual(reference.Output))
                    {
                        failures.Add($"{name} {rel}: PatchKit's clean merge differs from git merge-file");
                    }
                    else
                    {
                        n.CleanEqualMergeFile++;
                    }

                    if (gitClean)
                    {
                        n.ComparedWithGit++;
                        n.SameAsGit += result.AsSpan().SequenceEqual(gitResult) ? 1 : 0;
                    }
                }
            }

            _output.WriteLine($"{package} ({version}): {cases.Length} cases, {n.Files - packageFiles} files: direct {n.Direct - packageDirect}, clean {n.Clean - packageClean}, conflicted {n.Conflicted - packageConflicted}");
            Directory.Delete(repo, recursive: true);
        }

        string summary = n.ToString();
        _output.WriteLine(summary);
        Assert.True(failures.Count == 0, summary + "\n" + string.Join("\n", failures.Take(20)));
        Assert.True(n.Clean > 20 && n.Conflicted > 20 && n.Direct > 20, summary);
    }

    private static bool HasMarkers(byte[] content) =>
        content.AsSpan().IndexOf("\n<<<<<<< "u8) >= 0 || content.AsSpan().StartsWith("<<<<<<< "u8);

    private sealed class Counts
    {
        public int Cases, Files, Gone, Direct, DirectEqualMergeFile, Clean, CleanEqualMergeFile, AlreadyThere, Conflicted, ConflictedGitToo, Refused, Failed;
        public int FirstClean, FirstConflicted, FirstDirect, FirstSameAsGit, FirstConflictGitClean;
        public int GitClean, GitAlreadyThere, GitConflicted, GitNotApplied, DirectGitClean, MergeFileClean, ComparedWithGit, SameAsGit;

        public override string ToString() => new StringBuilder()
            .Append($"{Cases} cases, {Files} modified files found in the next release ({Gone} gone from it): ")
            .Append($"PatchKit applied directly {Direct} ({DirectEqualMergeFile} equal to git merge-file, {DirectGitClean} equal to git apply --3way's clean result), merged clean {Clean} ({CleanEqualMergeFile} equal to git merge-file; {AlreadyThere} of them the change already there), ")
            .Append($"merged with conflicts {Conflicted} (git apply --3way conflicts on {ConflictedGitToo} of them), refused {Refused}, other failures {Failed}; ")
            .Append($"git apply --3way clean {GitClean} ({GitAlreadyThere} of them the change already there), conflicts {GitConflicted}, not applied {GitNotApplied}; git merge-file clean {MergeFileClean}; ")
            .Append($"PatchKit clean merge = git apply --3way clean result: {SameAsGit} of {ComparedWithGit}; ")
            .Append($"merge-first: clean {FirstClean}, conflicts {FirstConflicted}, applied directly {FirstDirect}; the same outcome as git apply --3way {FirstSameAsGit} of {Files} (clean: the same bytes), conflicts where git merges clean {FirstConflictGitClean}")
            .ToString();
    }
}
