using PatchKit.Diffs;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Hardening;

/// <summary>Inputs that fuzz/run.sh found crashing, kept as regression tests (fuzz input form: patch NUL NUL file).</summary>
public class FuzzRegressionTests
{
    public static TheoryData<string, string> ApplyCrashes => new()
    {
        // A suffix context line dropped by fuzz lay past the end of the file: the applier indexed beyond its line table.
        { "apply-suffix-fuzz-past-eof", "LS0tIGAveAorKysgYi94CkBAIC0yMiwzICsxLDMgQEAKIAorCiAgAAAAYQpiA2MK" },
        { "apply-suffix-fuzz-past-eof-2", "LS0tIGEveAorKysgYm94CkBAIC0yMjMgKzEsMyBAQBAgNQstYgorRQogIAAAAGEKYi0tLSBVL3gKKysrIGIKChsbGxv//xsbGxv8GhsKChvkGxsbAAAAACBhLy94QEBAIC0KCgoLCgoKCgoveApAQCAtMSwgICsxLDMzQEAKIGEKLWItLRsbGxsgICAgICAgICAgICAA/yCqGxsBAACb/xsbGxsbGxsbG///GxsbG/waGwoKG+QbCgoKCgoKCgkKCgoKCg==" },
    };

    [Theory]
    [MemberData(nameof(ApplyCrashes))]
    public void ApplyFile_FuzzFinding_ReturnsResultForEveryHunk(string name, string base64)
    {
        byte[] input = Convert.FromBase64String(base64);
        int at = input.AsSpan().IndexOf("\0\0"u8);
        byte[] patch = input[..at];
        byte[] file = input[(at + 2)..];
        var document = PatchDocument.Parse(patch, new PatchParseOptions { Lenient = true });

        foreach (var filePatch in document.Files)
        {
            foreach (int fuzz in new[] { 0, 1, 2, 3 })
            {
                byte[] output = PatchApplier.ApplyFile(filePatch, file, out var result, new ApplyOptions { Fuzz = fuzz });
                Assert.True(result.Hunks.Length == filePatch.Hunks.Count, name);
                if (!result.Succeeded)
                {
                    Assert.Equal(file, output);
                }
            }
        }
    }

    [Fact]
    public void ApplyTree_NameTheFileSystemRejects_ThrowsPatchApplyExceptionAndChangesNothing()
    {
        // Found by the tree target: a created file named "x" under a folder "?" (illegal on MockFileSystem, which
        // follows Windows rules): the file system's ArgumentException escaped the commit.
        byte[] input = Convert.FromBase64String("LS0tID8veAorKysgYi94CkBAIC0wLDMgKzEsMyBAQAp4Cj8tLS0gcS94CisrKyBiL3gKQEAgLTAsMyAreAUtLS0gYS9pLS0tIGEveC0tLSBhL3gKKysrIGIzeAorKysgYi94");
        int at = input.AsSpan().IndexOf("\0\0"u8);
        byte[] patch = at < 0 ? input : input[..at];
        var document = PatchDocument.Parse(patch, new PatchParseOptions { Lenient = true });
        var fs = new System.IO.Abstractions.TestingHelpers.MockFileSystem();
        fs.Directory.CreateDirectory("/mock/tree");
        fs.File.WriteAllText("/mock/tree/x", "a\nb\nc\n");
        var before = fs.AllPaths.Order(StringComparer.Ordinal).ToArray();

        foreach (int strip in new[] { 0, 1, 2, 3 })
        {
            try
            {
                PatchApplier.ApplyTree(document, fs, "/mock/tree", new ApplyOptions { StripComponents = strip });
            }
            catch (PatchKitException)
            {
            }
        }

        Assert.Equal(before, fs.AllPaths.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void ApplyFile_SuffixContextFuzzedPastEndOfFile_KeepsFileLinesAndAppliesChange()
    {
        // Two suffix context lines the file does not have (it ends after "b"): with fuzz 2 GNU patch drops them.
        byte[] patch = "--- a/x\n+++ b/x\n@@ -1,4 +1,4 @@\n a\n-b\n+B\n gone1\n gone2\n"u8.ToArray();
        byte[] file = "a\nb\n"u8.ToArray();
        var document = PatchDocument.Parse(patch);

        byte[] output = PatchApplier.ApplyFile(document.Files[0], file, out var result, new ApplyOptions { Fuzz = 2 });

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("a\nB\n"u8.ToArray(), output);
        Assert.Equal(2, result.Hunks[0].Fuzz);
    }

    /// <summary>Found by the CsCheck round-trip property (a="bcb\n", one inserted line "y\r"): a patch with LF headers
    /// whose only hunk line is a CRLF line lost its CR on an LF file, because the applier took "every hunk line is
    /// CRLF" for "the patch was saved with CRLF". GNU patch decides that from the header line alone; both cases are
    /// checked against the real GNU patch.</summary>
    [Theory]
    [InlineData("--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+y\r\n", "bcb\n")]
    [InlineData("--- a/f\r\n+++ b/f\r\n@@ -1,3 +1,3 @@\r\n a\r\n-b\r\n+B\r\n c\r\n", "a\nb\nc\n")]
    [InlineData("--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+B\r\n", "a\r\nb\r\nc\n")]
    public void ApplyFile_CrLfHunkLines_StripsCrOnlyWhenTheHeaderSaysSoLikeGnuPatch(string patchText, string fileText)
    {
        byte[] patch = System.Text.Encoding.ASCII.GetBytes(patchText);
        byte[] file = System.Text.Encoding.ASCII.GetBytes(fileText);
        using var dir = new TempDir();
        File.WriteAllBytes(Path.Combine(dir.Path, "f"), file);
        File.WriteAllBytes(Path.Combine(dir.Path, "p"), patch);
        var gnu = Diffs.GnuTools.Run("patch", dir.Path, "-s", "-f", "--no-backup-if-mismatch", "-i", "p", "f");
        byte[] expected = File.ReadAllBytes(Path.Combine(dir.Path, "f"));
        Assert.True(gnu.ExitCode == 0, $"GNU patch failed: {gnu.Error}");

        byte[] output = PatchApplier.ApplyFile(PatchDocument.Parse(patch).Files[0], file, out var result);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(Hardening.Gens.Show(expected), Hardening.Gens.Show(output));
    }

    public static TheoryData<string, string> ParseCrashes => new()
    {
        // Context diff whose new section ends the patch in the middle of a line and is emitted before the rest of the
        // old section: the converted body ran two lines together, so the hunk had one line fewer than its header.
        { "parse-context-unterminated-last-line", "KioqIHQKLS0tICoqKw0KKgoKKioqII0KLS0tICRpcgoqKioqKioqKioqKioqKippCioqKiA5KioqKg0KISAkQAoKCisgJHKNCi0tLSA2LS0tLQpcClwKKyAKKioqII0KLS0tICRpcgoqKioqKioqKioqKioqKippCioqKiA5KioqKg0KISAkQAoKCisgJHKNCi0tLSA2LS0tLQpcClwKKyAk" },

        // A git binary literal whose deflate stream the native inflater rejects with ZLibException (an IOException,
        // not InvalidDataException), which escaped Parse.
        { "parse-binary-zlib-exception", "FCorKQoKKioqII0KLS0tICRpcgoqKioqKioqKioqFCorKQoKKioqII0KLS0tICRpcgoqKioqKhQqKykKCioqKiB0Ei0tLSAkaXKAKiogOSoqKioKChQqKykKCioqKiB0Ci0tLSAkaXIKKioqFCorKQoKKioqIHQKLS0tICRpcgoqKioqKiotLS0gL2Rldi9udWxsCisrLSBlcmFsGjgtZ2l0IGEvdGV4Ki0tLSAvZEJ2L251bGwKKysrIC9kZXYvbnVsbApAQCAtMSArMSBALS0tIHQKZGlmZiAtLWdpdCAAL2ZpbG4gYi8KaW5kZXggYjFiEABpZmYgLS1naXQgYS9pbWFnZS5wbmcgYi9pbWFnZS5wbmcKaW5kZXggMGRkMWFyeSBwYXRjaApsaXRlcmFsIDEwClVjbVYrbDBRTFdnUCk8aDszS3xMazBTJWwxc3tqQjEKCmxpdGVyYWwgOApTY3RWK2owUWRpaVApPGg7M0t8THVNKipxOwoKZGk2MDhlNDVhOWM0ZDM1YmZjMWU2ZjI2NmE3OTYzNjRhYTg3NTQuLmJjY2FjMDM1NThiMDA1NDVlN2VhOGNlZDRhM2ExZWUyMzJjYzE4NWEgMTAwNjQ0CkdJVCBiaW5hcnkgcEIxCgpsaXRlcmFsIDgKU2NtVitqMFFkaWlQKTxoOzNLfEx1TSoqcTsKCmRpZmYgLS1naXQgYS90ZXh0LnR4dCBiL3RleHQudHh0CmluZBB4IDMzMTkrLSB0CmRiamVjdDogWzAwCi9maWxuIHgqLS1uZGV4IGIxYjBkaWZmIC0tZ2l0IGEvaW1hZ2UucG5nIGIvaW1hZ2UucG5nCmluZGV4IDBkZDE2MDhlNDVhOWM0ZDM1YmZjMWVyeSBwQi94IGIgMTAwNjQ0CmluZGV4IDAwMC4uZTI0NAppbmRleAwwMDAuLmUyM2ExZWUyMzJjYzE4NSoqKioqKioqKioKKioqIDkqKioqCmUucG5nIGIvaW1hZ2UucG5nCmluZGV4IDBkZDEbMDhlNDVhOWM0ZDM1YmZjMWU2ZjI2NmE3OTYzNjRhYTg3NTQuLmJjY2FjMDM1NThiMDA1NDVlN2VhOGNlZDRhM2ExZWUyMzJjYzE4NWEgMTAwNjQ0CkdJVCliaW5hcnkgcGF0Y2gKbGl0ZXJhbCAxMApVY4RWK2wwUUxXZ1ApPGg7M0t8TGswUyVsMXN7akIxCgpsaXRlcmFsIDgKU2N0VitqMFFkaWlQKTxoOzNLfEx1TSoqcTsKCmRpZnRhIDEwMDY0NApHSVQgYmluYXJ5IHBhdGNoCmxpdGVyYWwgMTAKVWNtVitsMFFMV2dQKTxoOzNLfExrMFMlbDFze2pCMQoKbGl0ZXJhbCA4ClNjbVYrajBRZGlpUCk8aDszS3xMdU0qKnE7CgpkaWZmIC14Ki0tLSAvZEJ2LwoKbGl0dApkaWZmIC0tZ2l0IAAvZmlsbiB4Ki0tbmRleCBiMWIwZGlmZiAtLWdpdCBhL2ltYWdlLnBuZyBiL2ltYWdlLmFuZwppbmRleCAwZGQxNjc4ZTQ1YTljNGQzNWJmYzFlNmZFNjZhNzk2MzY0YWE4NzU0Li5iY2NhYzAzNTU4YjAwNTQ1ZTdlYThjZWQ0YTNhMWVlMjMyY2MxODUqKioqKioqKioqCioqKiA5KioqKgoKAIArKQoKKioqIHQKLS0tICRpcgoqKioqKiotLS0gL2Rldi9utGxsCisrLSB0CmRpZmYgLS1naXQgAC9maWxuIHgqLS12ZGV4IGIxYjBkaWZmIC0tZ2l0IGEvaW1hZ2UucG5nIGIvaW1hZ2UucG5nCmluZGV4IDBkZDE2MDhlNDVhOWNMZDM1YmZjMWU2ZjI2NmE3OTYzNjRhYTg3NTQuLmJjY2FjMDM1NThiMDA1NDVlN2VhAGNlZDRhM2ExZWUyMzJjYzE4NWEgMTAwNjQ0CkdJVCBiaW5hcnkgcGF0Y2hQKTxoOzNLgUx1/wAqcTsKCmRpZmYgLS1naXQgYS90mngqLS0tIC9kQnYvCgpsaXRlcmFsIDgKU2NtVitqMFFkaWlQKTxoOzNLfEx1TSoqcTsKCmRpZmYgLS1naXQgYS90ZXgqLS0tIC9kZXYvbnVsbAorKysgL2Rldi9udWxsCkBAIC0xICsxIEAtLS0gdApkaWZmIC0tZ2l0IAAvZmlsbiBiLwppbmToAyBiMWIwZGlmZiAtLWdpdCBhL2ltYWcKAIArKQoKKioqIHQKLS0tICRpcgoqKioqKiotLS0gL2Rldi9udWxsCisrLSB0CmRpZmYgLS1naXQgAC9maWxuIHgqLS1uZGV4IGIxYjBkaWZmIC0tZ2l0IGEvaW1hZ2UucG5nIGIvaW1hZ2UucG5nCmluZGV4IDBkZDE2MDhlNDVhOWM0ZDM1YmZjMWU2ZjI2NmE3OTaoNjRhYTg3NTQuLmJjY2FjMDM1NThiMDA1NDVlN2VhOGNlZDRhM2ExZWUyMzJjYzE4NWEgMTAwNjQ0CkdJVCBiaW5hcnkgcGF0Y2hQKTxoOzNLgUx1TSoqcTsKCmRpZmYgLS1nc3tqQjEKCmxpdGVyYWwgOApTY3RWK2owUWRpaVApPGg7M0t8THVNKipxOwoKZGlmdGEgMTAwNjQbCkdJVCBiaW5hcnkgcGF0Y2gKbGl0ZXJhbCAxMApVY21WK2wwUUxXZ1ApPGg7M0t8TGswUyVsMXN7akIxCgpsaXRlaXQgYS90ZXgqLS0tIC9kQnYvCgpsaXRlcmFsIDgKU2NtVitqMFFkaWlQKTxoOzNLfEx1TSoqcTsKCmRpZmYgLS1nNi0gdApkaWZmIC0tZ2l0IAAvZmlsbiBiLwppbmRleCBiMWIwZGlmZiAtLWdpdCBhL2ltYWdlLnBuZyBiL2ltYWdlLnBuZwppbmRleCAwZGQxGzA4ZTQ1YTljNGQzNWJmYzFlNmYyNjZhNzk2MzY0YWE4NzU0Li5iY2NhYzAzNTU4YjAwNTQ1ZTdlYThjZWQ0YTNhMWVlMjMyY2MxODVhIDEwMDY0NApHSVQgYmluYXJ5IHBhdGNoCmxpdGVyYWwgMTAKVWNtVitsMFFMV2dQKTxoOzNLfExrMFMlbDFze2pCMQoKbGl0ZXJhbCA4ClNjdDUrajBRZGlpUCk8aDszS3xMdU0qKnE7CgpkaWZmIB4tZ2l0IGEvdGX/dC50eHRhIDEwMDY0NApHSVQgYmluYXJ5IHBhdGNoCmxpdGVyYWwgMTAKVWNtVitsMFFMAAAAADxoOzNLfExrMFMlbDFze2pCMQoKbGl0ZXJhbCA4ClNjbVYrajBRZGlpUCk8aDszS3xMdU0qKnE7CgpkaWZmIC14Ki0tLSAvZEJ2LwoKbGl0ZXJhbCA4LWdpdCBhL3RleCotLS0gL2RCdi9udWxsCisrKyAvZGV2L251bGwKQEAgLTEgKzEgQC0tLSB0CmRpZmYgLS1naXQgAC9maWxuIGIvCmluZGV4IGIxYhAAaUVmIC0tZ2l0IGEvaW1hZ2UQcG5nIGIvaW1hZ2UucG5nCmluZGV4IDBkZDE2MDhlNDVhOWM0ZDM1YmZjMWU2ZjI2NmE3OTYzNjRhYTg3NTQuLmJjY2FjMDM1NThiMDA1NDVlN2VhOGNlZDRhM2ExZWUyMzJjYzE4NWEgMTAwNjQ0CkdJVCBiaW5hcnkgcEIxCgpsaQAA//9sIDgKU2NtVitqMFFkaWlQKTxoOzM=" },
    };

    /// <summary>The parse fuzz target's check: strict and lenient parsing throw nothing but <see cref="PatchFormatException"/>,
    /// and every hunk's lines add up to its header's counts.</summary>
    [Theory]
    [MemberData(nameof(ParseCrashes))]
    public void Parse_FuzzFinding_ThrowsOnlyFormatErrorsAndHunksMatchTheirHeaders(string name, string base64)
    {
        byte[] input = Convert.FromBase64String(base64);
        foreach (bool lenient in new[] { false, true })
        {
            PatchDocument document;
            try
            {
                document = PatchDocument.Parse(input, new PatchParseOptions { Lenient = lenient });
            }
            catch (PatchFormatException)
            {
                continue;
            }

            foreach (FilePatch file in document.Files)
            {
                foreach (Hunk hunk in file.Hunks)
                {
                    int oldLines = 0, newLines = 0;
                    foreach (HunkLine line in hunk.GetLines())
                    {
                        oldLines += line.Kind != HunkLineKind.Added ? 1 : 0;
                        newLines += line.Kind != HunkLineKind.Removed ? 1 : 0;
                    }

                    Assert.True(oldLines == hunk.OldCount && newLines == hunk.NewCount, $"{name} (lenient {lenient}): hunk at line {hunk.LineNumber} says -{hunk.OldCount} +{hunk.NewCount}, body has -{oldLines} +{newLines}");
                }
            }
        }
    }

    [Fact]
    public void Parse_ContextDiffEndingMidLine_KeepsEveryLineAndMarksTheLastWithoutNewline()
    {
        // Minimized from the finding above: the new section's only line ends the patch without a newline.
        byte[] patch = "*** a\n--- b\n***************\n*** 1,3 ****\n! x\n  k\n  l\n--- 1,3 ----\n! z"u8.ToArray();

        Hunk hunk = Assert.Single(Assert.Single(PatchDocument.Parse(patch, new PatchParseOptions { Lenient = true }).Files).Hunks);

        var lines = new List<(HunkLineKind Kind, string Content)>();
        foreach (HunkLine line in hunk.GetLines())
        {
            lines.Add((line.Kind, System.Text.Encoding.ASCII.GetString(line.Content.Span)));
        }

        Assert.Equal([(HunkLineKind.Removed, "x\n"), (HunkLineKind.Added, "z"), (HunkLineKind.Context, "k\n"), (HunkLineKind.Context, "l\n")], lines);
    }
}
