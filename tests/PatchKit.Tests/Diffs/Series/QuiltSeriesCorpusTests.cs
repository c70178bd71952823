using System.IO.Abstractions;
using PatchKit.Diffs;

namespace PatchKit.Tests.Diffs.Series;

/// <summary>The full quilt series of every Debian source package the corpus is built from (19 packages, 467 patches
/// that change something), unpacked with the real dpkg-source: PatchKit's <c>series push -a</c> (one transaction)
/// must leave byte for byte the tree and the <c>.pc/</c> folder that the real quilt leaves; then the real quilt pops
/// PatchKit's state and PatchKit pops quilt's, and both must give back the unpatched tree.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class QuiltSeriesCorpusTests
{
    public static TheoryData<string> Packages()
    {
        var data = new TheoryData<string>();
        string? downloads = SeriesTools.CorpusDownloads;
        foreach (string package in downloads is null ? new[] { "busybox" } : Directory.EnumerateDirectories(downloads).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal).ToArray())
        {
            data.Add(package);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void PushAll_OneTransaction_GivesQuiltsTreeAndState_AndEachPopsTheOthersState(string package)
    {
        string? downloads = SeriesTools.CorpusDownloads;
        if (downloads is null || !SeriesTools.HasQuilt)
        {
            SeriesTools.SkipUnlessCi("the corpus's Debian downloads, quilt or dpkg-source");
            return;
        }

        string dsc = Directory.EnumerateFiles(Path.Combine(downloads, package), "*.dsc").Single();
        using var temp = new TempDir();
        string byQuilt = Path.Combine(temp.Path, "quilt");
        string byPatchKit = Path.Combine(temp.Path, "patchkit");
        SeriesTools.Extract(dsc, byQuilt);
        Assert.Equal(0, SeriesTools.Sh(temp.Path, "cp -a quilt patchkit").Code);
        var unpatched = TreeListing.List(byQuilt);

        var quiltPush = SeriesTools.Sh(byQuilt, "quilt push -a -q");
        Assert.True(quiltPush.Code == 0, quiltPush.Output + quiltPush.Error);

        var stack = new QuiltStack(new FileSystem(), byPatchKit, "debian/patches");
        int inSeries = stack.ReadSeries().Patches.Count;
        SeriesApplyResult result = stack.Push(all: true);
        Assert.True(result.Succeeded, $"{result.FailedPatch}: {string.Join("; ", result.FailedFiles.Select(f => f.Path + " " + f.Error))}");
        Assert.Equal(inSeries, result.Applied.Count);
        Assert.True(inSeries > 3, $"{package} has only {inSeries} patches");

        var quiltTree = TreeListing.List(byQuilt);
        var patchKitTree = TreeListing.List(byPatchKit);
        Assert.True(quiltTree.SequenceEqual(patchKitTree), $"{package}: PatchKit's tree and .pc/ differ from quilt's: {TreeListing.Diff(quiltTree, patchKitTree)}");
        Assert.False(unpatched.SequenceEqual(TreeListing.List(byPatchKit, skip: p => p.StartsWith(".pc/", StringComparison.Ordinal))), "the series changes the tree");

        // quilt pops what PatchKit pushed; PatchKit pops what quilt pushed.
        var quiltPop = SeriesTools.Sh(byPatchKit, "quilt pop -a -q");
        Assert.True(quiltPop.Code == 0, quiltPop.Output + quiltPop.Error);
        IReadOnlyList<string> popped = new QuiltStack(new FileSystem(), byQuilt, "debian/patches").Pop(all: true);
        Assert.Equal(inSeries, popped.Count);

        var afterQuiltPop = TreeListing.List(byPatchKit, skip: p => p.StartsWith(".pc/", StringComparison.Ordinal));
        var afterPatchKitPop = TreeListing.List(byQuilt, skip: p => p.StartsWith(".pc/", StringComparison.Ordinal));
        Assert.True(unpatched.SequenceEqual(afterQuiltPop), $"{package}: quilt pop -a of PatchKit's state: {TreeListing.Diff(unpatched, afterQuiltPop)}");
        Assert.True(unpatched.SequenceEqual(afterPatchKitPop), $"{package}: PatchKit's pop -a of quilt's state: {TreeListing.Diff(unpatched, afterPatchKitPop)}");
        Assert.True(TreeListing.List(Path.Combine(byQuilt, ".pc")).Keys.SequenceEqual(TreeListing.List(Path.Combine(byPatchKit, ".pc")).Keys), "both leave the same .pc/ files after popping everything");
    }
}
