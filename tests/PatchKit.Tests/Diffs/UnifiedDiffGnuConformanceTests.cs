using System.Buffers;
using PatchKit.Diffs;
using PatchKit.Tests.Infrastructure;
using PatchKit.Tests.Diffs.Algorithms;

namespace PatchKit.Tests.Diffs;

/// <summary>GNU diff, run for real, is the reference: random seeded pairs must come out byte for byte the same, and GNU
/// patch must turn the old side into the new one with every algorithm.</summary>
public class UnifiedDiffGnuConformanceTests
{
    private static readonly DateTime s_y2k = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(3, false)]
    [InlineData(1, false)]
    [InlineData(0, false)]
    [InlineData(3, true)]
    public void Write_RandomPairs_ByteForByteEqualToGnuDiff(int context, bool showFunction)
    {
        using var tmp = new TempDir();
        string fa = Path.Combine(tmp.Path, "a"), fb = Path.Combine(tmp.Path, "b");
        for (int seed = 1; seed <= 60; seed++)
        {
            var (a, b) = ScriptCheck.RandomLines(new Random(seed), 80, 2 + (seed % 7));
            byte[] ab = ScriptCheck.Bytes(a), bb = ScriptCheck.Bytes(b);
            File.WriteAllBytes(fa, ab);
            File.WriteAllBytes(fb, bb);
            File.SetLastWriteTimeUtc(fa, s_y2k);
            File.SetLastWriteTimeUtc(fb, s_y2k);
            var gnu = GnuTools.Run("diff", tmp.Path, showFunction ? ["-p", "-U", context.ToString(System.Globalization.CultureInfo.InvariantCulture), "a", "b"] : ["-U", context.ToString(System.Globalization.CultureInfo.InvariantCulture), "a", "b"]);
            var output = new ArrayBufferWriter<byte>();
            var options = new DiffOptions { Context = context, ShowFunction = showFunction };
            UnifiedDiff.Write(new DiffFile("a", ab) { LastWriteTime = s_y2k }, new DiffFile("b", bb) { LastWriteTime = s_y2k }, output, options);
            Assert.True(gnu.Output.AsSpan().SequenceEqual(output.WrittenSpan), $"seed {seed}, -U {context}{(showFunction ? " -p" : string.Empty)}:\nGNU:\n{System.Text.Encoding.UTF8.GetString(gnu.Output)}\nPatchKit:\n{System.Text.Encoding.UTF8.GetString(output.WrittenSpan)}");
        }
    }

    [Theory]
    [InlineData(DiffAlgorithm.Myers)]
    [InlineData(DiffAlgorithm.Histogram)]
    [InlineData(DiffAlgorithm.Patience)]
    public void Write_RandomPairs_GnuPatchRebuildsNewSide(DiffAlgorithm algorithm)
    {
        using var tmp = new TempDir();
        string target = Path.Combine(tmp.Path, "f"), patch = Path.Combine(tmp.Path, "p.diff");
        for (int seed = 1; seed <= 40; seed++)
        {
            var (a, b) = ScriptCheck.RandomLines(new Random(seed * 7919), 150, 2 + (seed % 7));
            byte[] ab = ScriptCheck.Bytes(a), bb = ScriptCheck.Bytes(b);
            File.WriteAllBytes(target, ab);
            var output = new ArrayBufferWriter<byte>();
            UnifiedDiff.Write(new DiffFile("a/f", ab) { LastWriteTime = s_y2k }, new DiffFile("b/f", bb) { LastWriteTime = s_y2k }, output, new DiffOptions { Algorithm = algorithm });
            File.WriteAllBytes(patch, output.WrittenSpan.ToArray());
            var run = GnuTools.Run("patch", tmp.Path, "-p1", "-s", "-i", "p.diff");
            Assert.True(run.ExitCode == 0, $"seed {seed} ({algorithm}): patch exit {run.ExitCode}: {run.Error}");
            Assert.True(File.ReadAllBytes(target).AsSpan().SequenceEqual(bb), $"seed {seed} ({algorithm}): result differs from the new side");
        }
    }
}
