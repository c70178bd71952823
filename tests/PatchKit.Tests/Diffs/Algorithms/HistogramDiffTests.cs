using PatchKit.Diffs;

namespace PatchKit.Tests.Diffs.Algorithms;

public class HistogramDiffTests
{
    [Fact]
    public void Diff_RandomInputs_ScriptRebuildsNewSide()
    {
        for (int seed = 1; seed <= 400; seed++)
        {
            var (a, b) = ScriptCheck.RandomLines(new Random(seed), 120, 2 + (seed % 7));
            byte[] ab = ScriptCheck.Bytes(a), bb = ScriptCheck.Bytes(b);
            var changes = ScriptCheck.Run(ab, bb, DiffAlgorithm.Histogram, minimal: false);
            Assert.True(ScriptCheck.Apply(ab, bb, changes).AsSpan().SequenceEqual(bb), $"seed {seed}");
        }
    }

    [Fact]
    public void Diff_CommonLinesRepeatedOver64Times_FallsBackToMyersAndStaysValid()
    {
        var a = new List<string>();
        var b = new List<string>();
        for (int i = 0; i < 300; i++)
        {
            a.Add("}\n");
            b.Add(i % 7 == 0 ? "changed\n" : "}\n");
        }

        byte[] ab = ScriptCheck.Bytes([.. a]), bb = ScriptCheck.Bytes([.. b]);
        var changes = ScriptCheck.Run(ab, bb, DiffAlgorithm.Histogram, minimal: false);
        Assert.True(ScriptCheck.Apply(ab, bb, changes).AsSpan().SequenceEqual(bb));
        Assert.Equal(ScriptCheck.Cost(ScriptCheck.Run(ab, bb, DiffAlgorithm.Myers, minimal: true)), ScriptCheck.Cost(changes));
    }

    [Fact]
    public void Diff_MovedBlock_KeepsUniqueLinesAsContext()
    {
        byte[] a = "x\nunique1\nunique2\ny\n"u8.ToArray();
        byte[] b = "unique1\nunique2\nx\ny\n"u8.ToArray();
        var changes = ScriptCheck.Run(a, b, DiffAlgorithm.Histogram, minimal: false);
        Assert.Equal(2, ScriptCheck.Cost(changes));
        Assert.True(ScriptCheck.Apply(a, b, changes).AsSpan().SequenceEqual(b));
    }
}
