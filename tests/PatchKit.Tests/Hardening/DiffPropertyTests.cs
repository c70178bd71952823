using System.IO.Abstractions.TestingHelpers;
using System.Text;
using CsCheck;
using PatchKit.Diffs;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Hardening;

/// <summary>Properties of the diff engine over CsCheck-generated inputs (STYLE T4). A failure is shrunk to the smallest
/// text and edit script that still fails and printed with its seed; pass that seed to <c>Sample</c> to replay it, and
/// turn it into a fixed case.</summary>
public class DiffPropertyTests
{
    private const int Iterations = 1000;

    private static readonly Gen<DiffAlgorithm> s_algorithm = Gen.OneOf(DiffAlgorithm.Myers, DiffAlgorithm.Histogram, DiffAlgorithm.Patience);

    [Fact]
    public void CreateThenApply_RandomPairs_GivesNewSideAndReverseGivesOldSide()
    {
        Gen.Select(Gens.Text("abcde"), Gens.Edits("abcdexy"), s_algorithm, Gen.Int[0, 3]).Sample(
            (a, edits, algorithm, context) =>
            {
                byte[] b = Gens.Apply(a, edits);
                byte[] patch = UnifiedDiff.Create(a, b, "a/f", "b/f", new DiffOptions { Algorithm = algorithm, Context = context, Text = true });
                if (a.AsSpan().SequenceEqual(b))
                {
                    Assert.True(patch.Length == 0, "identical sides gave a diff");
                    return;
                }

                var file = Assert.Single(PatchDocument.Parse(patch).Files);
                byte[] forward = PatchApplier.ApplyFile(file, a, out var result, new ApplyOptions { Fuzz = 0 });
                Assert.True(result.Succeeded && forward.AsSpan().SequenceEqual(b), $"apply(a, diff(a, b)) != b: got {Gens.Show(forward)} from\n{Encoding.UTF8.GetString(patch)}");

                byte[] backward = PatchApplier.ApplyFile(file, b, out result, new ApplyOptions { Fuzz = 0, Reverse = true });
                Assert.True(result.Succeeded && backward.AsSpan().SequenceEqual(a), $"reverse apply(b, diff(a, b)) != a: got {Gens.Show(backward)}");
            },
            iter: Iterations,
            print: t => $"a={Gens.Show(t.Item1)} edits=[{string.Join(", ", t.Item2.AsEnumerable())}] {t.Item3} -U{t.Item4}");
    }

    [Fact]
    public void ApplyFuzzZero_PatchShiftedIntoLargerFile_ChangesNoByteOutsideHunks()
    {
        // Three fixed lines at each end give every hunk its full context, so no hunk is anchored to the start or end
        // of the file (GNU semantics) and each may move. The lines around the old side are of another alphabet: they
        // can never match a hunk line.
        Gen.Select(Gens.Text("abcde", crlf: false), Gens.Edits("abcdexy"), Gen.Bool.SelectMany(cr => Gens.Text("PQRS", crlf: cr)), Gen.Bool.SelectMany(cr => Gens.Text("TUVW", crlf: cr))).Sample(
            (body, edits, head, tail) =>
            {
                byte[] a = [.. "k1\nk2\nk3\n"u8, .. body, .. "m1\nm2\nm3\n"u8];
                byte[] b = [.. "k1\nk2\nk3\n"u8, .. EndWithNewline(Gens.Apply(body, edits)), .. "m1\nm2\nm3\n"u8];
                if (a.AsSpan().SequenceEqual(b))
                {
                    return;
                }

                byte[] patch = UnifiedDiff.Create(a, b, "a/f", "b/f", new DiffOptions { Text = true });
                var file = Assert.Single(PatchDocument.Parse(patch).Files);
                byte[] output = PatchApplier.ApplyFile(file, [.. head, .. a, .. tail], out var result, new ApplyOptions { Fuzz = 0 });

                Assert.True(result.Succeeded, result.Error);
                Assert.True(output.AsSpan().SequenceEqual([.. head, .. b, .. tail]), $"bytes outside the hunks changed: got {Gens.Show(output)}");
            },
            iter: Iterations,
            print: t => $"body={Gens.Show(t.Item1)} edits=[{string.Join(", ", t.Item2.AsEnumerable())}] head={Gens.Show(t.Item3)} tail={Gens.Show(t.Item4)}");
    }

    [Fact]
    public void Parse_RandomBytesAndMutatedPatches_ThrowsOnlyPatchFormatException()
    {
        byte[] seedPatch = UnifiedDiff.Create("a\nb\nc\nd\n"u8.ToArray(), "a\nB\nc\nd\ne\n"u8.ToArray(), "a/x", "b/x", new DiffOptions { Format = DiffFormat.Git });
        Gen<byte[]> inputs = Gen.OneOf(Gens.PatchLikeBytes, Gens.Overwrites.Select(o => Gens.Overwrite(seedPatch, o)));
        Gen.Select(inputs, Gen.Bool).Sample(
            (input, lenient) =>
            {
                try
                {
                    var document = PatchDocument.Parse(input, new PatchParseOptions { Lenient = lenient });
                    foreach (var f in document.Files)
                    {
                        _ = PatchApplier.ApplyFile(f, "a\nb\nc\nd\n"u8, out _);
                    }
                }
                catch (PatchFormatException)
                {
                }
                catch (PatchApplyException)
                {
                }
            },
            iter: 4000,
            print: t => $"{Gens.Show(t.Item1)} lenient={t.Item2}");
    }

    [Fact]
    public void ApplyTree_HostilePathAfterValidFile_RefusesAndLeavesFileSystemUnchanged()
    {
        string[] hostile =
        [
            "../escape", "a/../../escape", "/etc/passwd", "..", "dir/../../x", ".git/config", "C:\\Windows\\x", "\\\\server\\share\\x",
            "CON", "dir/NUL.txt", "link/through", "a\u0001b/../../c",
        ];
        for (int seed = 0; seed < hostile.Length * 4; seed++)
        {
            string bad = hostile[seed % hostile.Length];
            var fs = new MockFileSystem(new Dictionary<string, MockFileData>(StringComparer.Ordinal)
            {
                ["/mock/tree/good.txt"] = new("one\ntwo\n"),
                ["/mock/tree/.git/config"] = new("[core]\n"),
                ["/mock/outside/secret"] = new("keep\n"),
                ["/etc/passwd"] = new("root\n"),
            });
            fs.Directory.CreateSymbolicLink("/mock/tree/link", "/mock/outside");
            var before = TreeListing.Snapshot(fs);
            string kind = (seed / hostile.Length) switch { 0 => "new", 1 => "modify", 2 => "delete", _ => "rename" };
            string patch = "diff --git a/good.txt b/good.txt\n--- a/good.txt\n+++ b/good.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n" + HostileFile(kind, bad);

            try
            {
                var result = PatchApplier.ApplyTree(PatchDocument.Parse(Encoding.UTF8.GetBytes(patch)), fs, "/mock/tree", new ApplyOptions { StripComponents = 1, PortableNames = true });
                Assert.False(result.Succeeded, $"seed {seed}: '{bad}' ({kind}) was accepted");
            }
            catch (PathSafetyException)
            {
            }
            catch (PatchApplyException)
            {
            }
            catch (PatchFormatException)
            {
            }

            Assert.True(TreeListing.Snapshot(fs).SequenceEqual(before), $"seed {seed}: refusing '{bad}' ({kind}) changed the file system");
        }
    }

    [Fact]
    public async Task ApplyFile_AdversarialRepetitiveFile_FailsWithoutQuadraticSearch()
    {
        // 200,000 identical lines and a hunk whose context matches everywhere but whose removed line matches
        // nowhere: a naive offset search compares ~200,000 positions per fuzz level per hunk, for 50 hunks.
        // Guarded by a generous limit so a quadratic search fails the run instead of hanging it.
        var file = new StringBuilder();
        for (int i = 0; i < 200_000; i++)
        {
            file.Append("same\n");
        }

        var patch = new StringBuilder("--- a/f\n+++ b/f\n");
        for (int h = 0; h < 50; h++)
        {
            patch.Append(System.Globalization.CultureInfo.InvariantCulture, $"@@ -{(h * 4000) + 1},7 +{(h * 4000) + 1},7 @@\n same\n same\n same\n-absent\n+present\n same\n same\n same\n");
        }

        var document = PatchDocument.Parse(Encoding.UTF8.GetBytes(patch.ToString()));
        byte[] bytes = Encoding.UTF8.GetBytes(file.ToString());
        var work = Task.Run(() => PatchApplier.ApplyFile(document.Files[0], bytes, out var r, new ApplyOptions { Fuzz = 2 }).Length);

        var finished = await Task.WhenAny(work, Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.True(finished == work, "50 hunks over 200,000 lines took over a minute: the search is not bounded");
    }

    private static string HostileFile(string kind, string path) => kind switch
    {
        "new" => $"diff --git a/{path} b/{path}\nnew file mode 100644\n--- /dev/null\n+++ b/{path}\n@@ -0,0 +1 @@\n+x\n",
        "modify" => $"diff --git a/{path} b/{path}\n--- a/{path}\n+++ b/{path}\n@@ -1 +1 @@\n-root\n+owned\n",
        "delete" => $"diff --git a/{path} b/{path}\ndeleted file mode 100644\n--- a/{path}\n+++ /dev/null\n@@ -1 +0,0 @@\n-root\n",
        _ => $"diff --git a/{path} b/stolen\nsimilarity index 100%\nrename from {path}\nrename to stolen\n",
    };

    private static byte[] EndWithNewline(byte[] text) => text.Length == 0 || text[^1] == (byte)'\n' ? text : [.. text, (byte)'\n'];
}
