using System.IO.Abstractions;
using PatchKit.Diffs;

namespace PatchKit.Tests.Diffs.Conformance;

/// <summary>Every case of ../shared/corpus/real/commits.tar.zst: patch.diff and naur.diff applied with -p1 to a copy
/// of pre/ give exactly post/.</summary>
public sealed class CommitCorpusApplyTests : IClassFixture<CommitCorpusFixture>
{
    /// <summary>naur.diff cannot express these changes (see the corpus README): symlinks, and files created or
    /// deleted empty (diff -N writes nothing for them). Mode changes are not compared for naur.diff.</summary>
    private static readonly HashSet<string> s_naurInexpressible = new(StringComparer.Ordinal)
    {
        "derived-022", "derived-023", "derived-024", "derived-025", "derived-028", "exim4-028", "libxml2-030",
    };

    private readonly CommitCorpusFixture _fixture;

    public CommitCorpusApplyTests(CommitCorpusFixture fixture) => _fixture = fixture;

    [CorpusTheory("real/commits.tar.zst")]
    [InlineData("patch.diff")]
    [InlineData("naur.diff")]
    public void ApplyTree_EveryCommitCase_GivesPost(string patchName)
    {
        bool naur = patchName == "naur.diff";
        var failures = new List<string>();
        int checkedCases = 0;
        using var temp = new TempDir();
        var fs = new FileSystem();
        foreach (string name in _fixture.Cases)
        {
            string caseDir = Path.Combine(_fixture.CasesRoot, name);
            if (naur && s_naurInexpressible.Contains(name))
            {
                continue;
            }

            string tree = Path.Combine(temp.Path, name);
            TreeListing.Copy(Path.Combine(caseDir, "pre"), tree);
            try
            {
                var doc = PatchDocument.Parse(File.ReadAllBytes(Path.Combine(caseDir, patchName)));
                var result = PatchApplier.ApplyTree(doc, fs, tree, new ApplyOptions { StripComponents = 1 });
                if (!result.Succeeded)
                {
                    var bad = result.Files.First(f => !f.Succeeded);
                    failures.Add($"{name}: {bad.Path}: {bad.Error ?? string.Join(",", bad.Hunks.Where(h => h.Status != HunkStatus.Applied).Select(h => $"#{h.Index + 1} {h.Status}"))}");
                    continue;
                }

                var expected = TreeListing.List(Path.Combine(caseDir, "post"), withModes: !naur);
                var actual = TreeListing.List(tree, withModes: !naur);
                string diff = TreeListing.Diff(expected, actual);
                if (diff.Length > 0)
                {
                    failures.Add($"{name}: {diff}");
                }
            }
            catch (Exception ex) when (ex is PatchKitException or IOException)
            {
                failures.Add($"{name}: {ex.GetType().Name}: {ex.Message}");
            }

            checkedCases++;
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {_fixture.Cases.Length} cases fail for {patchName}:\n" + string.Join("\n", failures));
        Assert.True(checkedCases > 400);
    }
}
