namespace PatchKit.Tests.Diffs.Series;

/// <summary>STYLE T7 for series: the real CLI (its crash-test host) pushes a real Debian series (cowsay, 21 patches,
/// from tests/fixtures/debian-source) as one transaction and SIGKILLs itself at a seeded commit step. Afterwards, once
/// recovered, the tree (with quilt's <c>.pc/</c>) must be exactly all-old (no patch applied) or all-new (every patch
/// applied), and the real quilt must then agree about what is applied. A killed pop likewise leaves all pushed or all
/// popped.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SeriesCrashTests
{
    private const int Seed = 20261205;

    [Fact]
    public void PushAll_KilledAtSeededCommitSteps_LeavesAllOldOrAllNew()
    {
        string? dsc = SeriesTools.CowsayDsc;
        if (dsc is null || !SeriesTools.HasQuilt)
        {
            SeriesTools.SkipUnlessCi("the debian-source fixture, quilt or dpkg-source");
            return;
        }

        using var temp = new TempDir();
        string pristine = Path.Combine(temp.Path, "pristine");
        SeriesTools.Extract(dsc, pristine);
        var oldListing = TreeListing.List(pristine);

        string reference = Path.Combine(temp.Path, "reference");
        TreeListing.Copy(pristine, reference);
        var (refCode, refOut, refErr) = SeriesTools.Cli(reference, 0, "series", "push", "-a");
        Assert.True(refCode == 0, refOut + refErr);
        var newListing = TreeListing.List(reference);
        int changed = newListing.Count(p => !oldListing.TryGetValue(p.Key, out string? v) || v != p.Value) + oldListing.Keys.Count(k => !newListing.ContainsKey(k));
        int steps = changed + 2; // journal written, one per path, journal removed
        Assert.True(changed > 40, $"only {changed} paths change");

        var random = new Random(Seed);
        int killed = 0, sawOld = 0, sawNew = 0;
        for (int run = 0; run < 22; run++)
        {
            string tree = Path.Combine(temp.Path, "run" + run);
            TreeListing.Copy(pristine, tree);
            int crashAt = run == 0 ? 1 : run == 1 ? steps - 1 : random.Next(1, steps);
            var (code, _, error) = SeriesTools.Cli(tree, crashAt, "series", "push", "-a");
            if (code != 0)
            {
                killed++;
                Assert.True(code is 137 or -9 or 9, $"run {run} (crash at step {crashAt} of {steps}) ended with {code}: {error}");
            }

            // Half the runs recover explicitly, the other half through the next push.
            if (run % 2 == 0)
            {
                var (recoverCode, recoverOut, recoverError) = SeriesTools.Cli(tree, 0, "apply", "--recover");
                Assert.True(recoverCode == 0, recoverOut + recoverError);
                var after = TreeListing.List(tree);
                bool isOld = after.SequenceEqual(oldListing);
                bool isNew = after.SequenceEqual(newListing);
                Assert.True(isOld || isNew, $"run {run}, crash at step {crashAt}: neither all-old nor all-new: {TreeListing.Diff(newListing, after)}");
                sawOld += isOld ? 1 : 0;
                sawNew += isNew ? 1 : 0;
                var applied = SeriesTools.Sh(tree, "quilt applied");
                Assert.True(isOld ? applied.Code != 0 : applied.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 21, $"run {run}: quilt applied says {applied.Output}{applied.Error}");
            }
            else
            {
                var (again, outText, errText) = SeriesTools.Cli(tree, 0, "series", "push", "-a");
                Assert.True(again == 0, $"run {run}: the next push after a crash at step {crashAt} failed: {outText}{errText}");
                Assert.True(TreeListing.List(tree).SequenceEqual(newListing), $"run {run}: not all-new after the next push");
                sawNew++;
            }

            Assert.False(File.Exists(Path.Combine(tree, ".patchkit-journal")));
            Directory.Delete(tree, recursive: true);
        }

        Assert.True(killed >= 20, $"only {killed} runs were killed");
        Assert.True(sawOld > 0 && sawNew > 0, $"old {sawOld}, new {sawNew}");
    }

    [Fact]
    public void PopAll_KilledAtSeededCommitSteps_LeavesAllPushedOrAllPopped()
    {
        string? dsc = SeriesTools.CowsayDsc;
        if (dsc is null || !SeriesTools.HasQuilt)
        {
            SeriesTools.SkipUnlessCi("the debian-source fixture, quilt or dpkg-source");
            return;
        }

        using var temp = new TempDir();
        string pushed = Path.Combine(temp.Path, "pushed");
        SeriesTools.Extract(dsc, pushed);
        Assert.Equal(0, SeriesTools.Cli(pushed, 0, "series", "push", "-a").Code);
        var pushedListing = TreeListing.List(pushed);
        string reference = Path.Combine(temp.Path, "reference");
        TreeListing.Copy(pushed, reference);
        Assert.Equal(0, SeriesTools.Cli(reference, 0, "series", "pop", "-a").Code);
        var poppedListing = TreeListing.List(reference);
        int changed = poppedListing.Count(p => !pushedListing.TryGetValue(p.Key, out string? v) || v != p.Value) + pushedListing.Keys.Count(k => !poppedListing.ContainsKey(k));
        int steps = changed + 2;

        var random = new Random(Seed + 1);
        int killed = 0;
        for (int run = 0; run < 8; run++)
        {
            string tree = Path.Combine(temp.Path, "pop" + run);
            TreeListing.Copy(pushed, tree);
            int crashAt = random.Next(1, steps);
            var (code, _, error) = SeriesTools.Cli(tree, crashAt, "series", "pop", "-a");
            killed += code != 0 ? 1 : 0;
            Assert.True(code is 137 or -9 or 9 or 0, $"pop run {run} (crash at step {crashAt} of {steps}) ended with {code}: {error}");
            Assert.Equal(0, SeriesTools.Cli(tree, 0, "apply", "--recover").Code);
            var after = TreeListing.List(tree);
            Assert.True(after.SequenceEqual(pushedListing) || after.SequenceEqual(poppedListing), $"pop run {run}, crash at step {crashAt}: {TreeListing.Diff(poppedListing, after)}");
            Directory.Delete(tree, recursive: true);
        }

        Assert.True(killed >= 6, $"only {killed} pops were killed");
    }
}
