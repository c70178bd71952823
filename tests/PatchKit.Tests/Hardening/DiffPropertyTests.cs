using System.IO.Abstractions.TestingHelpers;
using System.Text;
using PatchKit.Diffs;

namespace PatchKit.Tests.Hardening;

/// <summary>Properties of the diff engine over seeded random inputs (STYLE T4). Each failure names its seed;
/// a failing seed becomes a fixed case.</summary>
public class DiffPropertyTests
{
    private const int Cases = 300;

    private static readonly DiffAlgorithm[] s_algorithms = [DiffAlgorithm.Myers, DiffAlgorithm.Histogram, DiffAlgorithm.Patience];

    [Fact]
    public void CreateThenApply_RandomPairs_GivesNewSideAndReverseGivesOldSide()
    {
        for (int seed = 0; seed < Cases; seed++)
        {
            var rng = new Random(seed);
            byte[] a = RandomText(rng, "abcde");
            byte[] b = Mutate(rng, a, "abcdexy");
            foreach (var algorithm in s_algorithms)
            {
                int context = rng.Next(0, 4);
                byte[] patch = UnifiedDiff.Create(a, b, "a/f", "b/f", new DiffOptions { Algorithm = algorithm, Context = context, Text = true });
                if (a.AsSpan().SequenceEqual(b))
                {
                    Assert.True(patch.Length == 0, $"seed {seed} {algorithm}: identical sides gave a diff");
                    continue;
                }

                var file = Assert.Single(PatchDocument.Parse(patch).Files);
                byte[] forward = PatchApplier.ApplyFile(file, a, out var result, new ApplyOptions { Fuzz = 0 });
                Assert.True(result.Succeeded && forward.AsSpan().SequenceEqual(b), $"seed {seed} {algorithm} -U{context}: apply(a, diff(a, b)) != b\n{Encoding.UTF8.GetString(patch)}");

                byte[] backward = PatchApplier.ApplyFile(file, b, out result, new ApplyOptions { Fuzz = 0, Reverse = true });
                Assert.True(result.Succeeded && backward.AsSpan().SequenceEqual(a), $"seed {seed} {algorithm} -U{context}: reverse apply(b) != a");
            }
        }
    }

    [Fact]
    public void ApplyFuzzZero_PatchShiftedIntoLargerFile_ChangesNoByteOutsideHunks()
    {
        for (int seed = 0; seed < Cases; seed++)
        {
            var rng = new Random(seed);

            // Three fixed lines at each end give every hunk its full context, so no hunk is anchored to the
            // start or end of the file (GNU semantics) and each may move.
            byte[] body = EndWithNewline(RandomText(rng, "abcde"));
            byte[] a = [.. "k1\nk2\nk3\n"u8, .. body, .. "m1\nm2\nm3\n"u8];
            byte[] b = [.. "k1\nk2\nk3\n"u8, .. EndWithNewline(Mutate(rng, body, "abcdexy")), .. "m1\nm2\nm3\n"u8];
            if (a.AsSpan().SequenceEqual(b))
            {
                continue;
            }

            // Lines of another alphabet around the old side: they can never match a hunk line.
            byte[] head = RandomText(rng, "PQRS", crlf: rng.Next(2) == 0);
            byte[] tail = RandomText(rng, "TUVW", crlf: rng.Next(2) == 0);

            byte[] patch = UnifiedDiff.Create(a, b, "a/f", "b/f", new DiffOptions { Text = true });
            var file = Assert.Single(PatchDocument.Parse(patch).Files);
            byte[] shifted = [.. head, .. a, .. tail];

            byte[] output = PatchApplier.ApplyFile(file, shifted, out var result, new ApplyOptions { Fuzz = 0 });

            Assert.True(result.Succeeded, $"seed {seed}: {result.Error}");
            Assert.True(output.AsSpan().SequenceEqual([.. head, .. b, .. tail]), $"seed {seed}: bytes outside the hunks changed");
        }
    }

    [Fact]
    public void Parse_RandomBytesAndMutatedPatches_ThrowsOnlyPatchFormatException()
    {
        byte[] seedPatch = UnifiedDiff.Create("a\nb\nc\nd\n"u8.ToArray(), "a\nB\nc\nd\ne\n"u8.ToArray(), "a/x", "b/x", new DiffOptions { Format = DiffFormat.Git });
        for (int seed = 0; seed < 2000; seed++)
        {
            var rng = new Random(seed);
            byte[] input = seed % 2 == 0 ? RandomBytes(rng) : MutateBytes(rng, seedPatch);
            foreach (bool lenient in new[] { false, true })
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
                catch (Exception ex)
                {
                    Assert.Fail($"seed {seed} (lenient {lenient}): {ex.GetType().Name} escaped: {ex.Message}");
                }
            }
        }
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
            var rng = new Random(seed);
            string bad = hostile[seed % hostile.Length];
            var fs = new MockFileSystem(new Dictionary<string, MockFileData>(StringComparer.Ordinal)
            {
                ["/mock/tree/good.txt"] = new("one\ntwo\n"),
                ["/mock/tree/.git/config"] = new("[core]\n"),
                ["/mock/outside/secret"] = new("keep\n"),
                ["/etc/passwd"] = new("root\n"),
            });
            fs.Directory.CreateSymbolicLink("/mock/tree/link", "/mock/outside");
            var before = Snapshot(fs);
            string kind = (seed / hostile.Length) switch { 0 => "new", 1 => "modify", 2 => "delete", _ => "rename" };
            string patch = "diff --git a/good.txt b/good.txt\n--- a/good.txt\n+++ b/good.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n" + HostileFile(kind, bad);

            try
            {
                var result = PatchApplier.ApplyTree(PatchDocument.Parse(Encoding.UTF8.GetBytes(patch)), fs, "/mock/tree", new ApplyOptions { StripComponents = 1 });
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

            Assert.True(Snapshot(fs).SequenceEqual(before), $"seed {seed}: refusing '{bad}' ({kind}) changed the file system");
            GC.KeepAlive(rng);
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

    private static List<KeyValuePair<string, string>> Snapshot(MockFileSystem fs) =>
        [.. fs.AllPaths.Order(StringComparer.Ordinal).Select(p => new KeyValuePair<string, string>(p, fs.File.Exists(p) ? Convert.ToBase64String(fs.File.ReadAllBytes(p)) : "<dir>"))];

    private static byte[] EndWithNewline(byte[] text) => text.Length == 0 || text[^1] == (byte)'\n' ? text : [.. text, (byte)'\n'];

    private static byte[] RandomText(Random rng, string alphabet, bool? crlf = null)
    {
        int lines = rng.Next(0, 40);
        var sb = new StringBuilder();
        for (int i = 0; i < lines; i++)
        {
            int len = rng.Next(0, 4);
            for (int j = 0; j < len; j++)
            {
                sb.Append(alphabet[rng.Next(alphabet.Length)]);
            }

            bool useCrLf = crlf ?? rng.Next(8) == 0;
            sb.Append(useCrLf ? "\r\n" : "\n");
        }

        if (lines > 0 && crlf is null && rng.Next(5) == 0)
        {
            sb.Length -= sb[^1] == '\n' && sb.Length > 1 && sb[^2] == '\r' ? 2 : 1; // no newline at end of file
        }

        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    private static byte[] Mutate(Random rng, byte[] a, string alphabet)
    {
        var lines = Encoding.ASCII.GetString(a).Split('\n').ToList();
        int edits = rng.Next(0, 6);
        for (int e = 0; e < edits; e++)
        {
            int at = rng.Next(lines.Count + 1);
            switch (rng.Next(3))
            {
                case 0 when at < lines.Count:
                    lines.RemoveAt(at);
                    break;
                case 1:
                    lines.Insert(Math.Min(at, lines.Count), alphabet[rng.Next(alphabet.Length)].ToString() + (rng.Next(6) == 0 ? "\r" : string.Empty));
                    break;
                default:
                    if (at < lines.Count)
                    {
                        lines[at] = lines[at] + alphabet[rng.Next(alphabet.Length)];
                    }

                    break;
            }
        }

        return Encoding.ASCII.GetBytes(string.Join('\n', lines));
    }

    private static byte[] RandomBytes(Random rng)
    {
        const string pieces = "\n \t+-@\\:/abdfgi0123456789,";
        string[] tokens = ["diff --git a/x b/x\n", "--- a/x\n", "+++ b/x\n", "@@ -1,3 +1,3 @@", "@@ -", " @@\n", "\\ No newline at end of file\n", "GIT binary patch\n", "literal 5\n", "delta 3\n", "rename from x\n", "copy to ../y\n", "*** 1,3 ****\n", "--- 1,3 ----\n", "new file mode 120000\n", "index 1234567..89abcde 100644\n"];
        var bytes = new List<byte>();
        int n = rng.Next(0, 60);
        for (int i = 0; i < n; i++)
        {
            if (rng.Next(3) == 0)
            {
                bytes.AddRange(Encoding.ASCII.GetBytes(tokens[rng.Next(tokens.Length)]));
            }
            else
            {
                bytes.Add(rng.Next(10) == 0 ? (byte)rng.Next(256) : (byte)pieces[rng.Next(pieces.Length)]);
            }
        }

        return [.. bytes];
    }

    private static byte[] MutateBytes(Random rng, byte[] source)
    {
        byte[] copy = [.. source];
        int flips = rng.Next(1, 8);
        for (int i = 0; i < flips && copy.Length > 0; i++)
        {
            copy[rng.Next(copy.Length)] = (byte)"0123456789 +-@\n,\\"[rng.Next(17)];
        }

        return copy;
    }
}
