using PatchKit.Diffs;

namespace PatchKit.Tests.Diffs.Algorithms;

public class PatienceDiffTests
{
    [Fact]
    public void Diff_RandomInputs_ScriptRebuildsNewSide()
    {
        for (int seed = 1; seed <= 400; seed++)
        {
            var (a, b) = ScriptCheck.RandomLines(new Random(seed), 120, 2 + (seed % 7));
            byte[] ab = ScriptCheck.Bytes(a), bb = ScriptCheck.Bytes(b);
            var changes = ScriptCheck.Run(ab, bb, DiffAlgorithm.Patience, minimal: false);
            Assert.True(ScriptCheck.Apply(ab, bb, changes).AsSpan().SequenceEqual(bb), $"seed {seed}");
        }
    }

    [Fact]
    public void Diff_NoUniqueLines_FallsBackToMyers()
    {
        byte[] a = "a\nb\na\nb\n"u8.ToArray();
        byte[] b = "b\na\nb\na\n"u8.ToArray();
        var changes = ScriptCheck.Run(a, b, DiffAlgorithm.Patience, minimal: false);
        Assert.Equal(2, ScriptCheck.Cost(changes));
        Assert.True(ScriptCheck.Apply(a, b, changes).AsSpan().SequenceEqual(b));
    }
}
