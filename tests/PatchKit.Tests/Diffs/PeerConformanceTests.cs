using System.Text;
using System.Text.Json;
using PatchKit.Diffs;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Diffs;

/// <summary>Conformance on other tools' vectors (../shared/corpus/peers, see its README for the schema): every vector with a
/// parse, numstat, refuse (combined diff) or hostile expectation.</summary>
public sealed class PeerConformanceTests
{
    private const string PeersEntry = "peers";

    /// <summary>whatthepatch casefiles in dialects PatchKit does not read (normal, ed and RCS diffs): no file patches come out of them.</summary>
    private static readonly HashSet<string> s_unsupportedDialects = new(StringComparer.Ordinal)
    {
        "whatthepatch/diff-default.diff", "whatthepatch/diff-default-blah.diff", "whatthepatch/diff-ed.diff", "whatthepatch/diff-rcs.diff",
        "whatthepatch/svn-default.patch", "whatthepatch/svn-ed.patch", "whatthepatch/svn-rcs.patch",
    };

    /// <summary>Where PatchKit reads a vector differently from the peer on purpose; each such vector asserts PatchKit's own reading.</summary>
    private static readonly Dictionary<string, string> s_deviations = new(StringComparer.Ordinal)
    {
        // A hunk header at the end of a truncated sample: the counts promise lines that are not there. PatchKit's strict mode
        // reports the hunk (as git apply does); whatthepatch keeps a header-only file.
        ["whatthepatch/svn-header.diff"] = "truncated",
        ["whatthepatch/unified-header.diff"] = "truncated",
        ["whatthepatch/unified-header-notab.diff"] = "truncated",
        ["whatthepatch/git-header.diff"] = "truncated",
        ["whatthepatch/git-header-long.diff"] = "truncated",
        ["whatthepatch/eclipse-attachment-126343.header"] = "truncated",

        // "@@ -1 +1 @@" then an empty line: GNU patch and git read the empty line as a context line, so PatchKit has one hunk; whatthepatch none.
        ["whatthepatch/cvs-header.diff"] = "empty-context",

        // whatthepatch counts a GIT binary patch as a hunk with one added line; PatchKit decodes it into FilePatch.BinaryPatch.
        ["whatthepatch/git-bin.patch"] = "binary-hunks",

        // python-unidiff calls a file added/removed from "-0,0"/"+0,0" ranges alone; PatchKit, like git apply and GNU patch
        // (which decide at apply time), needs /dev/null, an epoch timestamp or a git header for that.
        ["unidiff/svn.diff"] = "range-heuristic",
    };

    public static IEnumerable<object[]> Vectors(string folder, string kind)
    {
        string? peers = Corpus.Find(PeersEntry);
        if (peers is null)
        {
            yield return ["(corpus absent)"];
            yield break;
        }

        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(peers, folder, "expectations.json")));
        foreach (JsonElement v in doc.RootElement.GetProperty("vectors").EnumerateArray())
        {
            if (v.GetProperty("kind").GetString() == kind)
            {
                yield return [v.GetProperty("id").GetString()!];
            }
        }
    }

    [CorpusTheory(PeersEntry)]
    [MemberData(nameof(Vectors), "python-unidiff", "parse")]
    public void Parse_PythonUnidiffSample_MatchesReference(string id)
    {
        var (input, expect) = Load("python-unidiff", id);
        if (expect.TryGetProperty("error", out JsonElement error) && error.GetBoolean())
        {
            Assert.Throws<PatchFormatException>(() => PatchDocument.Parse(input));
            return;
        }

        PatchDocument doc = PatchDocument.Parse(input);
        JsonElement[] files = [.. expect.GetProperty("files").EnumerateArray()];
        Assert.Equal(files.Length, doc.Files.Count);
        bool rangeHeuristic = s_deviations.GetValueOrDefault(id) == "range-heuristic";
        for (int i = 0; i < files.Length; i++)
        {
            FilePatch f = doc.Files[i];
            if (rangeHeuristic)
            {
                Assert.NotEqual(FileOperation.Add, f.Operation);
                Assert.NotEqual(FileOperation.Delete, f.Operation);
            }

            JsonElement e = files[i];
            Assert.Equal(e.GetProperty("added").GetInt32(), f.AddedLines);
            Assert.Equal(e.GetProperty("removed").GetInt32(), f.RemovedLines);
            Assert.Equal(e.GetProperty("hunks").GetInt32(), f.Hunks.Count);
            Assert.Equal(e.GetProperty("is_binary_file").GetBoolean(), f.IsBinary);
            if (!rangeHeuristic)
            {
                Assert.Equal(e.GetProperty("is_added_file").GetBoolean(), f.Operation == FileOperation.Add);
                Assert.Equal(e.GetProperty("is_removed_file").GetBoolean(), f.Operation == FileOperation.Delete);
            }
            int h = 0;
            foreach (JsonElement range in e.GetProperty("hunk_ranges").EnumerateArray())
            {
                int[] r = [.. range.EnumerateArray().Select(x => x.GetInt32())];
                Hunk hunk = f.Hunks[h++];
                Assert.Equal((r[0], r[1], r[2], r[3]), (hunk.OldStart, hunk.OldCount, hunk.NewStart, hunk.NewCount));
            }
        }

        Assert.Equal(expect.GetProperty("added").GetInt32(), doc.Files.Sum(f => f.AddedLines));
        Assert.Equal(expect.GetProperty("removed").GetInt32(), doc.Files.Sum(f => f.RemovedLines));
        AssertGitOutput(input, expect, "git_apply_numstat", "--numstat");
    }

    [CorpusTheory(PeersEntry)]
    [MemberData(nameof(Vectors), "whatthepatch", "parse")]
    public void Parse_WhatthepatchCasefile_MatchesReference(string id)
    {
        var (input, expect) = Load("whatthepatch", id);
        if (expect.TryGetProperty("error", out JsonElement error) && error.GetBoolean())
        {
            Assert.Throws<PatchFormatException>(() => PatchDocument.Parse(input));
            return;
        }

        if (s_unsupportedDialects.Contains(id))
        {
            // Not unified or context: nothing is read when normal and ed diffs are turned off, as the peer reads nothing.
            Assert.Empty(PatchDocument.Parse(input, new PatchParseOptions { Lenient = true, ReadNormalDiffs = false }).Files);
            if (id == "whatthepatch/diff-default.diff")
            {
                // By default a normal diff is read (its three change commands become three hunks with no file names).
                Assert.Equal(3, Assert.Single(PatchDocument.Parse(input).Files).Hunks.Count);
            }
            else if (id == "whatthepatch/diff-ed.diff")
            {
                // An ed script holds no old lines: Parse refuses it and says to read it with ParseEd and its file.
                var ex = Assert.Throws<PatchFormatException>(() => PatchDocument.Parse(input));
                Assert.Contains("ParseEd", ex.Message, StringComparison.Ordinal);
            }

            return;
        }

        JsonElement[] files = [.. expect.GetProperty("files").EnumerateArray()];
        string? deviation = s_deviations.GetValueOrDefault(id);
        if (deviation == "truncated")
        {
            var ex = Assert.Throws<PatchFormatException>(() => PatchDocument.Parse(input));
            Assert.Contains("cut off by the end of the patch", ex.Message, StringComparison.Ordinal);
            Assert.Equal(files.Length, PatchDocument.Parse(input, new PatchParseOptions { Lenient = true }).Files.Count);
            return;
        }

        PatchDocument doc = PatchDocument.Parse(input);
        Assert.Equal(files.Length, doc.Files.Count);
        for (int i = 0; i < files.Length; i++)
        {
            if (deviation == "empty-context")
            {
                Assert.Equal(1, Assert.Single(doc.Files[i].Hunks).OldCount);
                continue;
            }

            if (deviation == "binary-hunks" && doc.Files[i].BinaryPatch is not null)
            {
                Assert.Empty(doc.Files[i].Hunks);
                continue;
            }

            Assert.Equal(files[i].GetProperty("added").GetInt32(), doc.Files[i].AddedLines);
            Assert.Equal(files[i].GetProperty("removed").GetInt32(), doc.Files[i].RemovedLines);
            Assert.Equal(files[i].GetProperty("hunks").GetInt32(), doc.Files[i].Hunks.Count);
        }

        AssertGitOutput(input, expect, "git_apply_numstat", "--numstat");
    }

    [CorpusTheory(PeersEntry)]
    [MemberData(nameof(Vectors), "go-gitdiff", "parse")]
    public void Parse_GoGitdiffTestdata_MatchesReference(string id)
    {
        var (input, expect) = Load("go-gitdiff", id);

        PatchDocument doc = PatchDocument.Parse(input);

        Assert.Equal(expect.GetProperty("files").GetInt32(), doc.Files.Count);
        AssertGitOutput(input, expect, "git_apply_numstat", "--numstat");
        AssertGitOutput(input, expect, "git_apply_summary", "--summary");
    }

    [CorpusTheory(PeersEntry)]
    [MemberData(nameof(Vectors), "git", "parse")]
    public void Parse_GitTestOutput_MatchesReference(string id)
    {
        var (input, expect) = Load("git", id);
        if (expect.TryGetProperty("error", out JsonElement error) && error.GetBoolean())
        {
            var ex = Assert.Throws<PatchFormatException>(() => PatchDocument.Parse(input));
            if (expect.TryGetProperty("error_line", out JsonElement line))
            {
                Assert.Equal(line.GetInt64(), ex.LineNumber);
            }

            return;
        }

        if (expect.TryGetProperty("patches", out JsonElement patches))
        {
            Assert.Equal(patches.GetInt32(), PatchDocument.Parse(input).Files.Count);
            Assert.Equal(patches.GetInt32(), PatchDocument.Parse(input, new PatchParseOptions { Lenient = true }).Files.Count);
            return;
        }

        PatchDocument.Parse(input);
        AssertGitOutput(input, expect, "numstat", "--numstat");
        AssertGitOutput(input, expect, "summary", "--summary");
    }

    [CorpusTheory(PeersEntry)]
    [MemberData(nameof(Vectors), "git", "numstat")]
    public void Stat_GitT4100Patch_PrintsWhatGitPrints(string id)
    {
        var (input, expect) = Load("git", id);
        bool recount = Vector("git", id).TryGetProperty("args", out JsonElement args) && args.TryGetProperty("recount", out JsonElement r) && r.GetBoolean();
        string[] extra = recount ? ["--recount"] : [];

        AssertGitOutput(input, expect, "numstat", "--numstat", extra);
        AssertGitOutput(input, expect, "summary", "--summary", extra);
        string expected = File.ReadAllText(Path.Combine(Corpus.Require(PeersEntry), expect.GetProperty("stat_summary_file").GetString()!));
        var (code, output, errorText) = RunStat(input, [.. extra, "--stat", "--summary"]);
        Assert.True(code == 0, errorText);
        Assert.Equal(expected, output);
    }

    [CorpusTheory(PeersEntry)]
    [MemberData(nameof(Vectors), "git", "refuse")]
    public void Parse_CombinedDiffOutput_IsRefused(string id)
    {
        var (input, _) = Load("git", id);

        var ex = Assert.Throws<PatchFormatException>(() => PatchDocument.Parse(input, new PatchParseOptions { Lenient = true }));

        Assert.Contains("Combined diffs", ex.Message, StringComparison.Ordinal);
    }

    [CorpusTheory(PeersEntry)]
    [MemberData(nameof(Vectors), "local-generated", "hostile")]
    public void Parse_HostileVector_IsFormatError(string id)
    {
        var (input, expect) = Load("local-generated", id);

        var ex = Assert.Throws<PatchFormatException>(() => PatchDocument.Parse(input));

        if (expect.TryGetProperty("error_line", out JsonElement line))
        {
            Assert.Equal(line.GetInt64(), ex.LineNumber);
        }
    }

    private static JsonElement Vector(string folder, string id)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Corpus.Require(PeersEntry), folder, "expectations.json")));
        foreach (JsonElement v in doc.RootElement.GetProperty("vectors").EnumerateArray())
        {
            if (v.GetProperty("id").GetString() == id)
            {
                return v.Clone();
            }
        }

        throw new InvalidOperationException("no vector " + id);
    }

    private static (byte[] Input, JsonElement Expect) Load(string folder, string id)
    {
        JsonElement v = Vector(folder, id);
        byte[] input = File.ReadAllBytes(Path.Combine(Corpus.Require(PeersEntry), v.GetProperty("input").GetString()!));
        return (input, v.GetProperty("expect"));
    }

    private static (int Code, string Output, string Error) RunStat(byte[] input, string[] args)
    {
        using var temp = new TempDir();
        return CliRunner.Run(temp.Path, input, ["stat", .. args, "-"]);
    }

    /// <summary>Where git exited 0, <c>patchkit stat</c> prints exactly its stdout; where git rejected the file, so does patchkit.</summary>
    private static void AssertGitOutput(byte[] input, JsonElement expect, string property, string flag, string[]? extra = null)
    {
        if (!expect.TryGetProperty(property, out JsonElement git))
        {
            return;
        }

        var (code, output, error) = RunStat(input, [.. extra ?? [], flag]);
        if (git.GetProperty("exit").GetInt32() == 0)
        {
            Assert.True(code == 0, $"patchkit stat {flag} failed where git did not: {error}");
            Assert.Equal(git.GetProperty("stdout").GetString(), output);
        }
        else
        {
            Assert.True(code != 0, $"git apply {flag} rejected the file, patchkit printed:\n{output}");
        }
    }
}
