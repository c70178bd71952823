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
}
