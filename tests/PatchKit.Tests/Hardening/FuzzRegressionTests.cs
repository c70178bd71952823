using PatchKit.Diffs;

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
}
