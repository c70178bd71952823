using System.IO.Abstractions.TestingHelpers;
using System.Text;
using CsCheck;
using PatchKit.Diffs;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Hardening;

/// <summary>All-or-nothing tree apply over CsCheck-generated trees and patches (issue 10): a multi-file git patch made
/// from old and new texts is applied to a tree that may have drifted from the old side (a file edited, missing, or a
/// hostile name added to the patch). Either every file ends as the new side, or the apply is refused and the file
/// system, including everything outside the root, is exactly as before. The tree is an in-memory
/// <see cref="MockFileSystem"/>, so a write that escaped the root would be seen and could not harm the machine.</summary>
public class TreePropertyTests
{
    private static readonly string[] s_names = ["a.txt", "dir/b.c", "dir/sub/c.h", "d e.txt", "caf\u00e9", "x/y/z/w"];

    private static readonly string[] s_hostile = ["../escape", "dir/../../escape", "/mock/outside/secret", "link/through", ".git/config", "..", "dir/./../../x"];

    /// <summary>One file of the patch: old and new text, and how the tree drifted from the old text before the apply.</summary>
    /// <param name="Drift">0–5: none; 6: the tree's copy was edited; 7: the tree lacks the file.</param>
    public sealed record FileCase(int Name, byte[] Old, LineEdit[] Edits, LineEdit[] TreeEdits, int Drift)
    {
        public override string ToString() => $"{{{s_names[Name]} drift {Drift} old={Gens.Show(Old)} edits=[{string.Join(", ", Edits.AsEnumerable())}] tree=[{string.Join(", ", TreeEdits.AsEnumerable())}]}}";
    }

    private static readonly Gen<FileCase> s_case = Gen.Select(
        Gen.Int[0, s_names.Length - 1], Gens.Text("abcd", maxLines: 12), Gens.Edits("abxy"), Gens.Edits("QR", maxEdits: 2).Where(e => e.Length > 0), Gen.Int[0, 7],
        (name, old, edits, treeEdits, drift) => new FileCase(name, old, edits, treeEdits, drift));

    [Fact]
    public void ApplyTree_GeneratedTreesAndPatches_AllNewOrUnchanged()
    {
        Gen.Select(s_case.Array[1, 4], Gen.Frequency((3, Gen.Const(-1)), (1, Gen.Int[0, s_hostile.Length - 1])), Gen.Int[0, 4].Select(i => i == 0)).Sample(
            (cases, hostile, partialDryRun) =>
            {
                // One case per name: later duplicates are dropped.
                FileCase[] files = [.. cases.DistinctBy(c => c.Name)];
                var fs = new MockFileSystem(new Dictionary<string, MockFileData>(StringComparer.Ordinal)
                {
                    ["/mock/outside/secret"] = new("keep\n"),
                    ["/mock/tree/.git/config"] = new("[core]\n"),
                });
                fs.Directory.CreateSymbolicLink("/mock/tree/link", "/mock/outside");
                var patch = new StringBuilder();
                foreach (FileCase c in files)
                {
                    string path = "/mock/tree/" + s_names[c.Name];
                    byte[] newText = Gens.Apply(c.Old, c.Edits);
                    if (c.Drift < 7)
                    {
                        fs.AddFile(path, new MockFileData(c.Drift == 6 ? Gens.Apply(c.Old, c.TreeEdits) : c.Old));
                    }

                    patch.Append(Encoding.UTF8.GetString(UnifiedDiff.Create(c.Old, newText, s_names[c.Name], s_names[c.Name], new DiffOptions { Format = DiffFormat.Git, Text = true })));
                }

                if (hostile >= 0)
                {
                    string bad = s_hostile[hostile];
                    patch.Append($"diff --git a/{bad} b/{bad}\nnew file mode 100644\n--- /dev/null\n+++ b/{bad}\n@@ -0,0 +1 @@\n+owned\n");
                }

                var before = TreeListing.Snapshot(fs);
                bool refused;
                try
                {
                    var result = PatchApplier.ApplyTree(PatchDocument.Parse(Encoding.UTF8.GetBytes(patch.ToString())), fs, "/mock/tree", new ApplyOptions { Fuzz = 0, DryRun = partialDryRun });
                    refused = !result.Succeeded;
                }
                catch (Exception e) when (e is PathSafetyException or PatchApplyException)
                {
                    refused = true;
                }

                var after = TreeListing.Snapshot(fs);
                if (refused || partialDryRun)
                {
                    Assert.True(after.SequenceEqual(before), $"refused or dry run, yet the file system changed:\n{Diff(before, after)}");
                }

                // The oracle for each file is the single-file applier on the tree's copy, before the apply.
                var document = PatchDocument.Parse(Encoding.UTF8.GetBytes(patch.ToString()));
                bool allApply = hostile < 0; // every hostile name, .git/config included, must be refused
                foreach (FileCase c in files)
                {
                    string path = "/mock/tree/" + s_names[c.Name];
                    FilePatch? filePatch = document.Files.FirstOrDefault(f => f.NewPath == "b/" + s_names[c.Name]);
                    string? tree = before.FirstOrDefault(kv => kv.Key == path).Value;
                    byte[]? treeBytes = tree is null ? null : Convert.FromBase64String(tree);
                    byte[]? actual = fs.File.Exists(path) ? fs.File.ReadAllBytes(path) : null;
                    byte[]? expected;
                    if (filePatch is null)
                    {
                        expected = treeBytes; // identical sides: no diff, the tree's copy stays
                    }
                    else if (treeBytes is null)
                    {
                        allApply = false; // patching a file the tree lacks
                        expected = null;
                    }
                    else
                    {
                        expected = PatchApplier.ApplyFile(filePatch, treeBytes, out var single, new ApplyOptions { Fuzz = 0 });
                        allApply &= single.Succeeded;
                    }

                    if (!refused && !partialDryRun)
                    {
                        bool same = expected is null ? actual is null && filePatch is null : actual is not null && actual.AsSpan().SequenceEqual(expected);
                        Assert.True(same, $"{s_names[c.Name]}: the tree apply gave {(actual is null ? "no file" : Gens.Show(actual))}, the file applier {(expected is null ? "nothing" : Gens.Show(expected))}");
                    }
                }

                Assert.True(allApply != refused, allApply ? "every file applies on its own, yet the tree apply was refused" : "a file that does not apply (or a hostile name) was accepted");
                Assert.Equal("keep\n", fs.File.ReadAllText("/mock/outside/secret"));
            },
            iter: 600,
            print: t => $"[{string.Join(", ", t.Item1.AsEnumerable())}] hostile={t.Item2} dryRun={t.Item3}");
    }

    private static string Diff(List<KeyValuePair<string, string>> before, List<KeyValuePair<string, string>> after) =>
        string.Join('\n', before.Except(after).Select(kv => "- " + kv.Key).Concat(after.Except(before).Select(kv => "+ " + kv.Key)));
}
