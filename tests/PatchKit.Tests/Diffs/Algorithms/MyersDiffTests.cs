using PatchKit.Diffs;

namespace PatchKit.Tests.Diffs.Algorithms;

public class MyersDiffTests
{
    [Fact]
    public void Diff_MinimalOnRandomSmallInputs_CostEqualsBruteForceLcs()
    {
        for (int seed = 1; seed <= 400; seed++)
        {
            var r = new Random(seed);
            var (a, b) = ScriptCheck.RandomLines(r, 40, 2 + (seed % 6));
            byte[] ab = ScriptCheck.Bytes(a), bb = ScriptCheck.Bytes(b);
            var changes = ScriptCheck.Run(ab, bb, DiffAlgorithm.Myers, minimal: true);
            int lcs = ScriptCheck.BruteForceLcs(a, b);
            Assert.True(a.Length + b.Length - (2 * lcs) == ScriptCheck.Cost(changes), $"seed {seed}: cost {ScriptCheck.Cost(changes)}, minimal {a.Length + b.Length - (2 * lcs)}");
            Assert.True(ScriptCheck.Apply(ab, bb, changes).AsSpan().SequenceEqual(bb), $"seed {seed}: script does not rebuild the new side");
        }
    }

    [Fact]
    public void Diff_DefaultOnRandomInputs_ScriptRebuildsNewSide()
    {
        for (int seed = 1; seed <= 400; seed++)
        {
            var r = new Random(seed);
            var (a, b) = ScriptCheck.RandomLines(r, 200, 2 + (seed % 7));
            byte[] ab = ScriptCheck.Bytes(a), bb = ScriptCheck.Bytes(b);
            var changes = ScriptCheck.Run(ab, bb, DiffAlgorithm.Myers, minimal: false);
            Assert.True(ScriptCheck.Apply(ab, bb, changes).AsSpan().SequenceEqual(bb), $"seed {seed}");
        }
    }

    [Fact]
    public void Diff_LargeUnrelatedInputs_CostBoundStillGivesValidScript()
    {
        var r = new Random(42);
        var a = new string[30000];
        var b = new string[30000];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = "l" + r.Next(5000) + "\n";
            b[i] = "l" + r.Next(5000) + "\n";
        }

        byte[] ab = ScriptCheck.Bytes(a), bb = ScriptCheck.Bytes(b);
        var bounded = ScriptCheck.Run(ab, bb, DiffAlgorithm.Myers, minimal: false);
        Assert.True(ScriptCheck.Apply(ab, bb, bounded).AsSpan().SequenceEqual(bb));
    }

    [Fact]
    public void Diff_CancelledToken_Throws()
    {
        var r = new Random(3);
        var a = new string[20000];
        var b = new string[20000];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = "x" + r.Next(3000) + "\n";
            b[i] = "x" + r.Next(3000) + "\n";
        }

        byte[] ab = ScriptCheck.Bytes(a), bb = ScriptCheck.Bytes(b);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var changes = new List<PatchKit.Diffs.Algorithms.Change>();
        Assert.ThrowsAny<OperationCanceledException>(() => PatchKit.Diffs.Algorithms.LineDiff.Compute(
            ab, PatchKit.Diffs.Algorithms.LineIndex.LineStarts(ab), bb, PatchKit.Diffs.Algorithms.LineIndex.LineStarts(bb), 3, DiffAlgorithm.Myers, true, changes, cts.Token));
    }
}
