using System.Text.Json;
using PatchKit.Diffs;

namespace PatchKit.Tests.Diffs.Conformance;

/// <summary>The peers' single-file apply vectors (go-gitdiff, whatthepatch's lao/tzu): the bytes of one file patched
/// through <see cref="PatchApplier.ApplyFile(FilePatch, ReadOnlySpan{byte}, out FileApplyResult, ApplyOptions?)"/>.</summary>
public sealed class PeerFragmentTests
{
    /// <summary>Vectors where PatchKit knowingly differs, with the reason.</summary>
    private static readonly Dictionary<string, string> s_deviations = new(StringComparer.Ordinal)
    {
        ["go-gitdiff/apply/bin_fragment_literal_error_limit"] = "a caller limit on binary fragment size (go-gitdiff's option) has no PatchKit counterpart",
        ["go-gitdiff/apply/bin_fragment_delta_error_dst_size_limit"] = "a caller limit on binary fragment size has no PatchKit counterpart",
        ["go-gitdiff/apply/bin_fragment_delta_error_limit_add"] = "a caller limit on binary fragment size has no PatchKit counterpart",
        ["go-gitdiff/apply/bin_fragment_delta_error_limit_copy"] = "a caller limit on binary fragment size has no PatchKit counterpart",
        ["whatthepatch/apply/diff-default.diff-lao"] = "parser: normal (non-unified) diffs are not read",
        ["whatthepatch/apply/diff-default.diff.R-tzu"] = "parser: normal (non-unified) diffs are not read",
        ["go-gitdiff/apply/text_fragment_error_new_file"] = "GNU semantics: a context-free '@@ -0,0 +1,3 @@' hunk inserts at the top of a non-empty file (git and go-gitdiff want an empty file)",
        ["whatthepatch/apply/diff-ed.diff-lao"] = "parser: ed scripts are not read",
    };

    public static IEnumerable<object[]> GoGitDiff => PeerVectors.Vectors("go-gitdiff", "apply-fragments");

    public static IEnumerable<object[]> WhatThePatch => PeerVectors.Vectors("whatthepatch", "apply-fragments");

    [CorpusTheory("peers/go-gitdiff")]
    [MemberData(nameof(GoGitDiff))]
    public void ApplyFile_GoGitDiffVector_GivesRecordedResult(string id) => Run("go-gitdiff", id);

    [CorpusTheory("peers/whatthepatch")]
    [MemberData(nameof(WhatThePatch))]
    public void ApplyFile_WhatThePatchVector_GivesRecordedResult(string id) => Run("whatthepatch", id);

    private static void Run(string folder, string id)
    {
        JsonElement v = PeerVectors.Get(folder, id);
        JsonElement args = v.GetProperty("args");
        JsonElement expect = v.GetProperty("expect");
        byte[] source = File.ReadAllBytes(PeerVectors.PathOf(args.GetProperty("source").GetString()!));
        bool fragment = args.TryGetProperty("apply", out JsonElement mode) && mode.GetString() == "fragment";
        var options = new ApplyOptions
        {
            Reverse = args.TryGetProperty("reverse", out JsonElement r) && r.GetBoolean(),
            Fuzz = args.TryGetProperty("fuzz", out JsonElement f) ? f.GetInt32() : (fragment || folder == "go-gitdiff" ? 0 : 2),
            DetectReversed = false,
        };

        byte[]? output = null;
        FileApplyResult? result = null;
        string? error = null;
        try
        {
            var doc = PatchDocument.Parse(File.ReadAllBytes(PeerVectors.PathOf(v.GetProperty("input").GetString()!)), new PatchParseOptions { Lenient = folder == "whatthepatch" });
            if (doc.Files.Count == 0)
            {
                error = "no file patch";
            }
            else
            {
                output = PatchApplier.ApplyFile(doc.Files[0], source, out result, options);
                if (!result.Succeeded)
                {
                    error = result.Error ?? "hunks failed";
                }
            }
        }
        catch (PatchFormatException ex)
        {
            error = ex.Message;
        }

        if (s_deviations.ContainsKey(id))
        {
            return; // not comparable; the reason is in s_deviations
        }

        if (expect.TryGetProperty("error", out JsonElement e) && e.GetBoolean())
        {
            Assert.True(error is not null, "expected an error, got a result");
            return;
        }

        Assert.True(error is null, error);
        if (expect.TryGetProperty("deletes_file", out JsonElement del) && del.GetBoolean())
        {
            Assert.Equal(FileOperation.Delete, result!.Patch.Operation);
            Assert.Empty(output!);
            return;
        }

        byte[] expected = File.ReadAllBytes(PeerVectors.PathOf(expect.GetProperty("output").GetString()!));
        if (expect.TryGetProperty("output_is_prefix", out JsonElement prefix) && prefix.GetBoolean())
        {
            Assert.True(output!.AsSpan().StartsWith(expected), "the result does not start with the expected fragment output");
            Assert.Equal(expect.GetProperty("whole_file_sha16").GetString(), PeerVectors.Sha16(output!));
        }
        else
        {
            Assert.Equal(expected, output);
        }
    }
}
