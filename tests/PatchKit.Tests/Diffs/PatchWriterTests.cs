using System.Buffers;
using System.Text;
using System.Text.Json;
using PatchKit.Diffs;
using PatchKit.Tests.Infrastructure;
using Xunit.Abstractions;

namespace PatchKit.Tests.Diffs;

/// <summary><see cref="PatchWriter"/> through <see cref="PatchDocument.WriteTo"/>: git's header order and quoting, hunk
/// ranges, context diffs in unified form, built binary blocks (applied by the real git), and byte-for-byte rendering of
/// the peers' <c>roundtrip_exact</c> vectors and of every <c>patch.diff</c> of the commits corpus.</summary>
public sealed class PatchWriterTests : IClassFixture<CommitsCorpusFixture>
{
    private readonly CommitsCorpusFixture _corpus;
    private readonly ITestOutputHelper _output;

    public PatchWriterTests(CommitsCorpusFixture corpus, ITestOutputHelper output)
    {
        _corpus = corpus;
        _output = output;
    }

    internal static byte[] Render(PatchDocument document)
    {
        var buffer = new ArrayBufferWriter<byte>();
        document.WriteTo(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    [Fact]
    public void WriteTo_NullOutput_Throws()
    {
        PatchDocument doc = PatchDocument.Parse("--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y\n"u8.ToArray());
        Assert.Throws<ArgumentNullException>(() => doc.WriteTo(null!));
        Assert.Throws<ArgumentNullException>(() => doc.Files[0].WriteTo(null!));
    }

    [Fact]
    public void WriteTo_GitRenameWithModeChangeAndQuotedNames_WritesGitOrderAndQuoting()
    {
        string patch =
            "diff --git \"a/old \\303\\251.txt\" \"b/new\\tname.txt\"\n" +
            "old mode 100644\n" +
            "new mode 100755\n" +
            "similarity index 90%\n" +
            "rename from \"old \\303\\251.txt\"\n" +
            "rename to \"new\\tname.txt\"\n" +
            "index 1111111..2222222\n" +
            "--- \"a/old \\303\\251.txt\"\n" +
            "+++ \"b/new\\tname.txt\"\n" +
            "@@ -1,2 +1,2 @@ heading\n" +
            " keep\n" +
            "-x\n" +
            "+y\n";
        byte[] input = Encoding.UTF8.GetBytes(patch);

        byte[] output = Render(PatchDocument.Parse(input));

        Assert.Equal(patch, Text(output));
    }

    [Fact]
    public void WriteTo_HunkRanges_OmitCountOfOneAndKeepZero()
    {
        byte[] input = "--- a/f\n+++ b/f\n@@ -3 +2,0 @@\n-x\n@@ -0,0 +1 @@\n+y\n"u8.ToArray();

        byte[] output = Render(PatchDocument.Parse(input));

        Assert.Equal(Text(input), Text(output));
    }

    [Fact]
    public void WriteTo_ExplicitCountOfOne_WrittenWithoutCountAndSameStructure()
    {
        byte[] input = "--- a/f\n+++ b/f\n@@ -1,1 +1,1 @@\n-x\n+y\n"u8.ToArray();
        PatchDocument doc = PatchDocument.Parse(input);

        byte[] output = Render(doc);

        Assert.Equal("--- a/f\n+++ b/f\n@@ -1 +1 @@\n-x\n+y\n", Text(output));
        Assert.Equal(PatchShape.Describe(doc), PatchShape.Describe(PatchDocument.Parse(output)));
    }

    [Fact]
    public void WriteTo_ContextDiff_RendersUnifiedHunks()
    {
        byte[] input = Encoding.ASCII.GetBytes(
            "*** a/f\t2024-01-01 00:00:00\n--- b/f\t2024-01-02 00:00:00\n***************\n*** 1,3 ****\n  one\n! two\n  three\n--- 1,3 ----\n  one\n! TWO\n  three\n");
        PatchDocument doc = PatchDocument.Parse(input);

        byte[] output = Render(doc);

        Assert.Equal("--- a/f\t2024-01-01 00:00:00\n+++ b/f\t2024-01-02 00:00:00\n@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n three\n", Text(output));
        Assert.Equal(PatchShape.Describe(doc), PatchShape.Describe(PatchDocument.Parse(output)));
    }

    [Fact]
    public void WriteTo_PreambleAndNoNewlineMarker_PreambleFirstBodyCopied()
    {
        byte[] input = "From 1 Mon Sep 17 00:00:00 2001\nSubject: [PATCH] x\n\n---\n f | 2 +-\n\ndiff --git a/f b/f\nindex 1111111..2222222 100644\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-x\n\\ No newline at end of file\n+y\r\n"u8.ToArray();

        byte[] output = Render(PatchDocument.Parse(input));

        Assert.Equal(Text(input), Text(output));
    }

    [Fact]
    public void WriteTo_FilteredDocument_RendersOnlyTheKeptFiles()
    {
        byte[] first = UnifiedDiff.Create("a\n"u8.ToArray(), "b\n"u8.ToArray(), "x", "x", new DiffOptions { Format = DiffFormat.Git });
        byte[] second = UnifiedDiff.Create("c\n"u8.ToArray(), "d\n"u8.ToArray(), "y", "y", new DiffOptions { Format = DiffFormat.Git });
        PatchDocument doc = PatchDocument.Parse((byte[])[.. first, .. second]);
        var filtered = new PatchDocument(doc.Source, [doc.Files[1]]);

        byte[] output = Render(filtered);

        Assert.Equal(Text(second), Text(output));
    }

    [Fact]
    public void WriteTo_BuiltFilePatchWithoutParsedHeaders_DerivesGitHeadersFromPaths()
    {
        var hunk = new Hunk(0, 0, 1, 1, default, "+hi\n"u8.ToArray(), 0);
        var file = new FilePatch(default, "b/dir/sp ace.txt"u8.ToArray(), FileOperation.Add, [hunk])
        {
            Dialect = PatchDialect.Git,
            NewMode = 0x81A4,
            OldObjectId = "0000000",
            NewObjectId = "45b983b",
        };
        var buffer = new ArrayBufferWriter<byte>();

        file.WriteTo(buffer);

        Assert.Equal(
            "diff --git a/dir/sp ace.txt b/dir/sp ace.txt\nnew file mode 100644\nindex 0000000..45b983b\n--- /dev/null\n+++ b/dir/sp ace.txt\t\n@@ -0,0 +1 @@\n+hi\n",
            Text(buffer.WrittenSpan.ToArray()));
    }

    [Fact]
    public void WriteTo_BuiltBinaryLiteral_EncodesAsGitAndRealGitApplyCreatesTheFile()
    {
        var rng = new Random(7);
        byte[] content = new byte[3000];
        rng.NextBytes(content);
        content[10] = 0;
        var file = new FilePatch(default, "b/blob.bin"u8.ToArray(), FileOperation.Add, [])
        {
            Dialect = PatchDialect.Git,
            NewMode = 0x81A4,
            IsBinary = true,
            OldObjectId = "0000000000000000000000000000000000000000",
            NewObjectId = GitBlobId(content),
            BinaryPatch = new GitBinaryPatch(new GitBinaryBlock(GitBinaryBlockKind.Literal, content), new GitBinaryBlock(GitBinaryBlockKind.Literal, Array.Empty<byte>())),
        };
        byte[] patch = Render(new PatchDocument(default, [file]));

        // Line-length letters: full lines of 52 bytes are 'z'; every line is the letter plus 5 characters per 4 bytes.
        string[] lines = Text(patch).Split('\n');
        Assert.Contains("literal 3000", lines);
        foreach (string line in lines.SkipWhile(l => !l.StartsWith("literal 3000", StringComparison.Ordinal)).Skip(1).TakeWhile(l => l.Length > 0))
        {
            int n = line[0] <= 'Z' ? line[0] - 'A' + 1 : line[0] - 'a' + 27;
            Assert.Equal(1 + ((n + 3) / 4 * 5), line.Length);
        }

        FilePatch reparsed = Assert.Single(PatchDocument.Parse(patch).Files);
        Assert.Equal(content, reparsed.BinaryPatch!.Forward.Data.ToArray());
        Assert.Empty(reparsed.BinaryPatch.Reverse!.Data.ToArray());

        using var temp = new TempDir();
        File.WriteAllBytes(Path.Combine(temp.Path, "p.diff"), patch);
        var (code, _, error) = Proc.Run("git", temp.Path, "apply", "p.diff");
        Assert.True(code == 0, "git apply failed: " + error);
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(temp.Path, "blob.bin")));
    }

    [Fact]
    public void WriteTo_TenThousandLinesVersusTen_AllocatesNothingPerLine()
    {
        static PatchDocument Doc(int lines)
        {
            var sb = new StringBuilder();
            for (int f = 0; f < 3; f++)
            {
                sb.Append("diff --git \"a/f\\303\\251").Append(f).Append("\" b/g").Append(f).Append("\nold mode 100644\nnew mode 100755\nsimilarity index 50%\nrename from \"f\\303\\251")
                  .Append(f).Append("\"\nrename to g").Append(f).Append("\nindex 1111111..2222222\n--- \"a/f\\303\\251").Append(f).Append("\"\n+++ b/g").Append(f).Append('\n');
                for (int h = 0; h < 2; h++)
                {
                    sb.Append("@@ -").Append((h * lines) + 1).Append(',').Append(lines).Append(" +").Append((h * lines) + 1).Append(',').Append(lines).Append(" @@ fn\n");
                    for (int i = 0; i < lines; i++)
                    {
                        sb.Append(i % 3 == 0 ? "-line\n+LINE\n" : " line\n");
                    }
                }
            }

            return PatchDocument.Parse(Encoding.UTF8.GetBytes(sb.ToString()));
        }

        static long Allocated(PatchDocument doc)
        {
            var buffer = new ArrayBufferWriter<byte>(4 << 20);
            doc.WriteTo(buffer); // warm up
            buffer.ResetWrittenCount();
            long before = GC.GetAllocatedBytesForCurrentThread();
            doc.WriteTo(buffer);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        long small = Allocated(Doc(10));
        long large = Allocated(Doc(10_000));

        Assert.True(large <= small, $"rendering 60,000 lines allocated {large} bytes, 60 lines {small} bytes");
    }

    public static IEnumerable<object[]> RoundtripVectors()
    {
        string? peers = Corpus.Find("peers");
        if (peers is null)
        {
            yield return ["(corpus absent)"];
            yield break;
        }

        foreach (string folder in Directory.GetDirectories(peers).Order(StringComparer.Ordinal))
        {
            string json = Path.Combine(folder, "expectations.json");
            if (!File.Exists(json))
            {
                continue;
            }

            using var doc = JsonDocument.Parse(File.ReadAllBytes(json));
            foreach (JsonElement v in doc.RootElement.GetProperty("vectors").EnumerateArray())
            {
                if (v.TryGetProperty("expect", out JsonElement e) && e.ValueKind == JsonValueKind.Object
                    && e.TryGetProperty("roundtrip_exact", out JsonElement r) && r.ValueKind == JsonValueKind.True)
                {
                    yield return [v.GetProperty("input").GetString()!];
                }
            }
        }
    }

    [Fact]
    public void RoundtripVectors_PeersCorpus_AreFourteen()
    {
        if (Corpus.Find("peers") is null)
        {
            return;
        }

        Assert.Equal(14, RoundtripVectors().Count());
    }

    [CorpusTheory("peers")]
    [MemberData(nameof(RoundtripVectors))]
    public void WriteTo_PeersRoundtripExactVector_RendersInputByteForByte(string input)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(Corpus.Require("peers"), input));
        PatchDocument doc = PatchDocument.Parse(bytes);

        byte[] output = Render(doc);

        Assert.True(output.AsSpan().SequenceEqual(bytes), $"{input}: rendering differs\n--- expected\n{Text(bytes)}\n--- rendered\n{Text(output)}");
    }

    /// <summary>Every peers input that parses in strict mode (any kind, any dialect) renders to a patch that parses to the
    /// same document; the count of byte-for-byte renderings is logged.</summary>
    [CorpusFact("peers")]
    public void WriteTo_EveryParsablePeersInput_ParsesToSameDocument()
    {
        string peers = Corpus.Require("peers");
        var inputs = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string json in Directory.GetFiles(peers, "expectations.json", SearchOption.AllDirectories))
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(json));
            foreach (JsonElement v in doc.RootElement.GetProperty("vectors").EnumerateArray())
            {
                if (v.TryGetProperty("input", out JsonElement input) && input.ValueKind == JsonValueKind.String)
                {
                    inputs.Add(input.GetString()!);
                }
            }
        }

        var failures = new List<string>();
        int parsed = 0;
        int exact = 0;
        foreach (string input in inputs)
        {
            string path = Path.Combine(peers, input);
            if (!File.Exists(path))
            {
                continue;
            }

            byte[] bytes = File.ReadAllBytes(path);
            if (!PatchDocument.TryParse(bytes, null, out PatchDocument? doc, out _))
            {
                continue;
            }

            parsed++;
            byte[] output = Render(doc);
            exact += output.AsSpan().SequenceEqual(bytes) ? 1 : 0;
            if (!PatchDocument.TryParse(output, null, out PatchDocument? again, out PatchDiagnostic diagnostic))
            {
                failures.Add($"{input}: the rendering does not parse: {diagnostic}");
                continue;
            }

            // The writer writes unified diffs: a normal diff read in comes back as the same changes in unified form.
            string before = PatchShape.Describe(doc).Replace("file Normal ", "file Unified ", StringComparison.Ordinal);
            string after = PatchShape.Describe(again);
            if (before != after)
            {
                int at = before.AsSpan().CommonPrefixLength(after);
                failures.Add($"{input}: parse(render(parse(p))) != parse(p) near: {before[Math.Max(0, at - 80)..Math.Min(before.Length, at + 80)].ReplaceLineEndings("|")} vs {after[Math.Max(0, at - 80)..Math.Min(after.Length, at + 80)].ReplaceLineEndings("|")}");
            }
        }

        _output.WriteLine($"{parsed} peers inputs parse, {exact} render byte for byte");
        Assert.True(parsed > 200, $"only {parsed} peers inputs parsed");
        Assert.True(failures.Count == 0, $"{failures.Count} of {parsed}:\n" + string.Join("\n", failures));
    }

    /// <summary>Every <c>patch.diff</c> (<c>git diff --binary --full-index -M</c>) renders byte for byte; the rendered
    /// patch applies with the real <c>git apply --check</c> in <c>pre/</c>.</summary>
    [CorpusFact(CommitsCorpusFixture.Archive)]
    public void WriteTo_EveryCommitsPatchDiff_RendersByteForByteAndGitApplyAccepts()
    {
        var failures = new List<string>();
        int exact = 0;
        int checkedWithGit = 0;
        foreach (string name in _corpus.Cases)
        {
            string dir = Path.Combine(_corpus.Root, name);
            byte[] input = File.ReadAllBytes(Path.Combine(dir, "patch.diff"));
            PatchDocument doc = PatchDocument.Parse(input);
            byte[] output = Render(doc);
            if (output.AsSpan().SequenceEqual(input))
            {
                exact++;
            }
            else
            {
                failures.Add($"{name}: rendering differs at byte {output.AsSpan().CommonPrefixLength(input)} ({output.Length} vs {input.Length} bytes)");
            }

            if (PatchShape.Describe(doc) != PatchShape.Describe(PatchDocument.Parse(output)))
            {
                failures.Add($"{name}: parse(render(parse(p))) != parse(p)");
            }

            if (doc.Files.Count > 0 && Directory.Exists(Path.Combine(dir, "pre")))
            {
                string file = Path.Combine(_corpus.WorkDirectory!, name + ".rendered.diff");
                File.WriteAllBytes(file, output);
                var (code, _, error) = Proc.Run("git", Path.Combine(dir, "pre"), "apply", "--check", file);
                checkedWithGit++;
                if (code != 0)
                {
                    failures.Add($"{name}: git apply --check refused the rendering: {error.Trim()}");
                }
            }
        }

        _output.WriteLine($"{exact}/{_corpus.Cases.Count} byte for byte, {checkedWithGit} accepted by git apply --check");
        Assert.True(_corpus.Cases.Count == 498, $"expected 498 cases, found {_corpus.Cases.Count}");
        Assert.True(failures.Count == 0, $"{exact}/{_corpus.Cases.Count} byte for byte, {checkedWithGit} checked with git apply\n" + string.Join("\n", failures));
    }

    /// <summary>The <c>GIT binary patch</c> cases with every block rebuilt in memory, so the writer deflates and
    /// base85-encodes the data itself: .NET's zlib gives other bytes than git's, so the patch is not byte for byte, but
    /// it parses to the same document and the real <c>git apply</c> turns a copy of <c>pre/</c> into <c>post/</c>.</summary>
    [CorpusFact(CommitsCorpusFixture.Archive)]
    public void WriteTo_CommitsBinaryCasesReencoded_SameDocumentAndGitApplyGivesPost()
    {
        var failures = new List<string>();
        int binaryCases = 0;
        int differing = 0;
        foreach (string name in _corpus.Cases)
        {
            string dir = Path.Combine(_corpus.Root, name);
            byte[] input = File.ReadAllBytes(Path.Combine(dir, "patch.diff"));
            PatchDocument doc = PatchDocument.Parse(input);
            if (!doc.Files.Any(f => f.BinaryPatch is not null))
            {
                continue;
            }

            binaryCases++;
            var files = doc.Files.Select(Reencoded).ToList();
            byte[] output = Render(new PatchDocument(doc.Source, files) { Preamble = doc.Preamble });
            differing += output.AsSpan().SequenceEqual(input) ? 0 : 1;
            if (PatchShape.Describe(doc) != PatchShape.Describe(PatchDocument.Parse(output)))
            {
                failures.Add($"{name}: parse(render(reencoded)) != parse(p)");
                continue;
            }

            using var temp = new TempDir();
            string tree = Path.Combine(temp.Path, "tree");
            TreeListing.Copy(Path.Combine(dir, "pre"), tree);
            string file = Path.Combine(temp.Path, "p.diff");
            File.WriteAllBytes(file, output);
            var (code, _, error) = Proc.Run("git", tree, "apply", file);
            if (code != 0)
            {
                failures.Add($"{name}: git apply refused the re-encoded rendering: {error.Trim()}");
                continue;
            }

            string diff = TreeListing.Diff(TreeListing.List(Path.Combine(dir, "post")), TreeListing.List(tree));
            if (diff.Length > 0)
            {
                failures.Add($"{name}: git apply of the re-encoded rendering does not give post/: {diff}");
            }
        }

        _output.WriteLine($"{binaryCases} binary cases, {differing} differ byte-wise after re-encoding");
        Assert.True(binaryCases == 5, $"expected 5 cases with GIT binary patch, found {binaryCases}");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>The file patch with its binary blocks rebuilt through the public constructor (no encoded lines kept).</summary>
    private static FilePatch Reencoded(FilePatch f)
    {
        if (f.BinaryPatch is not { } b)
        {
            return f;
        }

        var patch = new GitBinaryPatch(
            new GitBinaryBlock(b.Forward.Kind, b.Forward.Data),
            b.Reverse is { } r ? new GitBinaryBlock(r.Kind, r.Data) : null);
        return new FilePatch(f.OldPathBytes, f.NewPathBytes, f.Operation, f.Hunks)
        {
            Dialect = f.Dialect,
            OldMode = f.OldMode,
            NewMode = f.NewMode,
            Similarity = f.Similarity,
            Dissimilarity = f.Dissimilarity,
            OldObjectId = f.OldObjectId,
            NewObjectId = f.NewObjectId,
            IsBinary = f.IsBinary,
            BinaryPatch = patch,
            AddedLines = f.AddedLines,
            RemovedLines = f.RemovedLines,
        };
    }

    internal static string GitBlobId(byte[] content)
    {
        byte[] header = Encoding.ASCII.GetBytes($"blob {content.Length}\0");
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData((byte[])[.. header, .. content]));
    }
}
