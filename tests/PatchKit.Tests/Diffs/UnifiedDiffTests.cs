using System.Buffers;
using System.Text;
using PatchKit.Diffs;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Diffs;

public class UnifiedDiffTests
{
    private static readonly DateTimeOffset s_y2k = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static string Diff(string a, string b, DiffOptions? options = null, bool oldExists = true)
    {
        var output = new ArrayBufferWriter<byte>();
        DiffFile old = oldExists ? new DiffFile("a/f", Encoding.UTF8.GetBytes(a)) { LastWriteTime = s_y2k, Nanoseconds = 5 } : DiffFile.Absent("a/f");
        UnifiedDiff.Write(old, new DiffFile("b/f", Encoding.UTF8.GetBytes(b)) { LastWriteTime = s_y2k }, output, options);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Fact]
    public void Write_OneLineChanged_GnuHeadersWithNanosecondsAndHunk()
    {
        string diff = Diff("a\nb\nc\n", "a\nB\nc\n");
        Assert.StartsWith("--- a/f\t", diff, StringComparison.Ordinal);
        Assert.Contains(".000000005 ", diff, StringComparison.Ordinal);
        Assert.EndsWith("@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n", diff, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_AbsentOld_EpochTimestampAndZeroRange()
    {
        string diff = Diff(string.Empty, "x\n", oldExists: false);
        Assert.Contains("1970-01-01 00:00:00.000000000", diff, StringComparison.Ordinal);
        Assert.EndsWith("@@ -0,0 +1 @@\n+x\n", diff, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_MissingFinalNewline_WritesMarker()
    {
        string diff = Diff("a\nb", "a\nc");
        Assert.EndsWith("@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n", diff, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_IdenticalInputs_WritesNothingAndReturnsFalse()
    {
        var output = new ArrayBufferWriter<byte>();
        bool differs = UnifiedDiff.Write(new DiffFile("a", "x\n"u8.ToArray()), new DiffFile("b", "x\n"u8.ToArray()), output);
        Assert.False(differs);
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void Write_ContextZero_SeparateHunks()
    {
        string diff = Diff("1\n2\n3\n4\n", "1\nx\n3\ny\n", new DiffOptions { Context = 0 });
        Assert.Contains("@@ -2 +2 @@\n-2\n+x\n@@ -4 +4 @@\n-4\n+y\n", diff, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_ShowFunction_NamesPrecedingFunctionLine()
    {
        string a = "int main(void)\n{\n  1;\n  2;\n  3;\n  4;\n}\n";
        string diff = Diff(a, a.Replace("4;", "5;", StringComparison.Ordinal), new DiffOptions { ShowFunction = true });
        Assert.Contains("@@ -3,5 +3,5 @@ int main(void)\n", diff, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_GitFormat_IndexLineHasGitBlobIds()
    {
        using var tmp = new TempDir();
        File.WriteAllText(Path.Combine(tmp.Path, "old"), "a\nb\n");
        File.WriteAllText(Path.Combine(tmp.Path, "new"), "a\nc\n");
        string oldId = Encoding.ASCII.GetString(GnuTools.Run("git", tmp.Path, "hash-object", "old").Output).Trim();
        string newId = Encoding.ASCII.GetString(GnuTools.Run("git", tmp.Path, "hash-object", "new").Output).Trim();
        var output = new ArrayBufferWriter<byte>();
        UnifiedDiff.Write(new DiffFile("f", "a\nb\n"u8.ToArray()), new DiffFile("f", "a\nc\n"u8.ToArray()), output, new DiffOptions { Format = DiffFormat.Git, FullIndex = true });
        string diff = Encoding.UTF8.GetString(output.WrittenSpan);
        Assert.Equal($"diff --git a/f b/f\nindex {oldId}..{newId} 100644\n--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n", diff);
    }

    [Fact]
    public void Write_GitFormatNewFile_NewFileModeAndDevNull()
    {
        var output = new ArrayBufferWriter<byte>();
        UnifiedDiff.Write(DiffFile.Absent("f"), new DiffFile("f", "x\n"u8.ToArray()) { Mode = 0x81ED }, output, new DiffOptions { Format = DiffFormat.Git });
        Assert.Equal("diff --git a/f b/f\nnew file mode 100755\nindex 0000000..587be6b\n--- /dev/null\n+++ b/f\n@@ -0,0 +1 @@\n+x\n", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Write_BinaryWithoutText_ReportsBinaryFilesDiffer()
    {
        var output = new ArrayBufferWriter<byte>();
        UnifiedDiff.Write(new DiffFile("a/x", "a\0"u8.ToArray()), new DiffFile("b/x", "b\0"u8.ToArray()), output);
        Assert.Equal("Binary files a/x and b/x differ\n", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Write_NameWithSpace_QuotedAsGnuDoes()
    {
        var output = new ArrayBufferWriter<byte>();
        UnifiedDiff.Write(new DiffFile("a/x y", "a\n"u8.ToArray()), new DiffFile("b/caf\u00e9", "b\n"u8.ToArray()), output);
        string diff = Encoding.UTF8.GetString(output.WrittenSpan);
        Assert.StartsWith("--- \"a/x y\"\t", diff, StringComparison.Ordinal);
        Assert.Contains("+++ \"b/caf\\303\\251\"\t", diff, StringComparison.Ordinal);
    }
}
