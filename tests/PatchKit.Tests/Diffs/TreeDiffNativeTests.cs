using System.Text;
using PatchKit.Diffs;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Diffs;

/// <summary>The tree diff's native path on real folders (<c>openat</c> below the roots, <c>readdir</c> types, read buffers
/// grown to a file's size, workers beside the walk) against the real GNU diff, byte for byte.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class TreeDiffNativeTests
{
    [Fact]
    public void Write_RealTreesWithLargeFilesSymlinksAndManyPairs_MatchesGnuDiffByteForByte()
    {
        using var dir = new TempDir();
        string a = Path.Combine(dir.Path, "a"), b = Path.Combine(dir.Path, "b");
        var random = new Random(27);
        for (int d = 0; d < 12; d++)
        {
            for (int f = 0; f < 25; f++)
            {
                string rel = Path.Combine("d" + d, "sub" + (f % 3), "f" + f + ".txt");
                string text = Lines(random, 5 + random.Next(40));
                Write(Path.Combine(a, rel), text);
                Write(Path.Combine(b, rel), random.Next(3) == 0 ? text.Replace("line 1", "LINE 1", StringComparison.Ordinal) + "end\n" : text);
            }
        }

        // Larger than the 64 KiB first read buffer (and than the next doubling): grown once to the size.
        string big = Lines(random, 30000);
        Write(Path.Combine(a, "big.txt"), big);
        Write(Path.Combine(b, "big.txt"), big.Insert(big.Length / 2, "inserted\n") + "tail\n");
        Write(Path.Combine(a, "only-old.txt"), "old\n");
        Write(Path.Combine(b, "only-new", "x.txt"), "new\n");
        File.CreateSymbolicLink(Path.Combine(a, "link.txt"), "big.txt");
        File.CreateSymbolicLink(Path.Combine(b, "link.txt"), "big.txt");

        var gnu = Proc.Run("diff", dir.Path, "-Naur", "a", "b");
        var stream = new MemoryStream();
        TreeDiffResult result = TreeDiff.Write(new System.IO.Abstractions.FileSystem(), a, b, stream, new DiffOptions { TreatAbsentAsEmpty = true, Recursive = true, OldLabel = "a", NewLabel = "b", CommandLine = "diff -Naur" });

        Assert.Equal(1, gnu.ExitCode);
        Assert.Equal(1, result.ExitStatus);
        Assert.Equal(gnu.Output, Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void Write_DiffsAndLinesLongerThanAnOutputBlock_MatchesGnuDiffByteForByte()
    {
        // A pair's diff is written into 64 KiB blocks: a 300 KB line, lines that end exactly at a block's end, and diffs
        // of several blocks, to a stream and to a buffer writer.
        using var dir = new TempDir();
        string a = Path.Combine(dir.Path, "a"), b = Path.Combine(dir.Path, "b");
        var random = new Random(2727);
        string longLine = new string('m', 300_000) + "\n";
        Write(Path.Combine(a, "min.js"), "head\n" + longLine + "tail\n");
        Write(Path.Combine(b, "min.js"), "head\n" + longLine.Replace("mmmm", "mnmm", StringComparison.Ordinal) + "tail\n");
        var exact = new StringBuilder();
        for (int i = 0; i < 3000; i++)
        {
            exact.Append(i % 2 == 0 ? new string('e', 63) : new string('o', 127)).Append('\n');
        }

        Write(Path.Combine(a, "exact.txt"), exact.ToString());
        Write(Path.Combine(b, "exact.txt"), exact.ToString().Replace("ee", "eE", StringComparison.Ordinal));
        for (int f = 0; f < 20; f++)
        {
            string text = Lines(random, 2000 + random.Next(2000));
            Write(Path.Combine(a, "many", "f" + f + ".txt"), text);
            Write(Path.Combine(b, "many", "f" + f + ".txt"), Lines(random, 2000 + random.Next(2000)));
        }

        var gnu = Proc.Run("diff", dir.Path, "-Naur", "a", "b");
        var options = new DiffOptions { TreatAbsentAsEmpty = true, Recursive = true, OldLabel = "a", NewLabel = "b", CommandLine = "diff -Naur" };
        var stream = new MemoryStream();
        TreeDiffResult streamed = TreeDiff.Write(new System.IO.Abstractions.FileSystem(), a, b, stream, options);
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        TreeDiffResult buffered = TreeDiff.Write(new System.IO.Abstractions.FileSystem(), a, b, writer, options);

        Assert.Equal(1, gnu.ExitCode);
        Assert.True(gnu.Output.Length > 1_000_000, "the diff spans many blocks");
        Assert.Equal(1, streamed.ExitStatus);
        Assert.Equal(1, buffered.ExitStatus);
        Assert.Equal(gnu.Output, Encoding.UTF8.GetString(stream.ToArray()));
        Assert.Equal(gnu.Output, Encoding.UTF8.GetString(writer.WrittenSpan));
    }

    [Fact]
    public void Run_WriterSlowerThanTheWorkers_HoldsAtMostTheLimitPlusOneDiffPerThread()
    {
        // 24 pairs whose diffs are ~330 KB each (~8 MB in all, inside the window of pairs). While the first write
        // waits, the workers may run ahead only until the diffs they hold reach the limit.
        using var dir = new TempDir();
        string a = Path.Combine(dir.Path, "a"), b = Path.Combine(dir.Path, "b");
        var random = new Random(99);
        for (int f = 0; f < 24; f++)
        {
            Write(Path.Combine(a, "f" + f.ToString("D2", System.Globalization.CultureInfo.InvariantCulture) + ".txt"), Lines(random, 4000));
            Write(Path.Combine(b, "f" + f.ToString("D2", System.Globalization.CultureInfo.InvariantCulture) + ".txt"), Lines(random, 4000));
        }

        var options = new DiffOptions { TreatAbsentAsEmpty = true, Recursive = true, OldLabel = "a", NewLabel = "b", MaxDegreeOfParallelism = 4 };
        var walker = new TreeWalker(new System.IO.Abstractions.FileSystem(), options);
        walker.Start(a, b, "a", "b");
        long largestDiff = 0;
        foreach (string name in Directory.GetFiles(a))
        {
            largestDiff = Math.Max(largestDiff, new FileInfo(name).Length + new FileInfo(Path.Combine(b, Path.GetFileName(name))).Length + 1000);
        }

        long bound = TreeWalker.HeldOutputLimit + ((Environment.ProcessorCount + 1) * (largestDiff + ChunkPool.ChunkSize));
        var output = new WatchingStream(() => walker.HeldOutputBytes, bound);
        TreeDiffResult result = walker.Run(new System.Buffers.ArrayBufferWriter<byte>(), output, CancellationToken.None);

        Assert.Equal(1, result.ExitStatus);
        Assert.Equal(24, result.FilesDiffering);
        Assert.True(output.Length > 5_000_000, "the diffs together are far larger than the limit");
        Assert.True(output.MaxHeld <= bound, $"held {output.MaxHeld} bytes of diffs at once, bound {bound}");
        Assert.Equal(0, walker.HeldOutputBytes);
    }

    [Fact]
    public void Run_LargePairAheadOfManyDiffs_HoldsAtMostTwiceTheLargestPairPlusOneDiffPerThread()
    {
        // A 2.4 MB pair first, then 60 pairs whose diffs are ~110 KB each (~6.6 MB in all). While the large pair is
        // compared the writer waits for it; the other threads may go on past the fixed 2 MiB limit, up to twice the
        // large pair's size, and no further: what is held follows the largest file pair, not the tree's output.
        using var dir = new TempDir();
        string a = Path.Combine(dir.Path, "a"), b = Path.Combine(dir.Path, "b");
        var random = new Random(2828);
        string large = Lines(random, 36000);
        Write(Path.Combine(a, "a-large.txt"), large);
        Write(Path.Combine(b, "a-large.txt"), Lines(random, 36000));
        for (int f = 0; f < 60; f++)
        {
            string name = "f" + f.ToString("D2", System.Globalization.CultureInfo.InvariantCulture) + ".txt";
            Write(Path.Combine(a, "m", name), Lines(random, 1500));
            Write(Path.Combine(b, "m", name), Lines(random, 1500));
        }

        long largestPair = 0, largestDiff = 0;
        foreach (string name in Directory.GetFiles(a, "*", SearchOption.AllDirectories))
        {
            long pair = new FileInfo(name).Length + new FileInfo(Path.Combine(b, Path.GetRelativePath(a, name))).Length;
            largestPair = Math.Max(largestPair, pair);
            largestDiff = Math.Max(largestDiff, pair + 1000);
        }

        Assert.True(2 * largestPair > TreeWalker.HeldOutputLimit, "the large pair raises the limit");
        var options = new DiffOptions { TreatAbsentAsEmpty = true, Recursive = true, OldLabel = "a", NewLabel = "b", CommandLine = "diff -Naur", MaxDegreeOfParallelism = 4 };
        var walker = new TreeWalker(new System.IO.Abstractions.FileSystem(), options);
        walker.Start(a, b, "a", "b");
        long bound = (2 * largestPair) + ((Environment.ProcessorCount + 1) * (largestDiff + ChunkPool.ChunkSize));
        var output = new WatchingStream(() => walker.HeldOutputBytes, bound, waitFirst: false);
        TreeDiffResult result = walker.Run(new System.Buffers.ArrayBufferWriter<byte>(), output, CancellationToken.None);
        var gnu = Proc.Run("diff", dir.Path, "-Naur", "a", "b");

        Assert.Equal(61, result.FilesDiffering);
        Assert.Equal(gnu.Output, Encoding.UTF8.GetString(output.ToArray()));
        Assert.True(output.MaxHeld <= bound, $"held {output.MaxHeld} bytes of diffs at once, bound {bound}");
        Assert.Equal(0, walker.HeldOutputBytes);
    }

    [Fact]
    public void Run_DirectoryOfManyFiles_WalkListsAtMostTheLimitAheadOfTheWriter()
    {
        // 1,500 differing files in one folder: the walk lists them while the pairs are compared and written, never
        // more than its limit ahead (it compares pairs itself when it gets there), and the output is GNU diff's.
        using var dir = new TempDir();
        string a = Path.Combine(dir.Path, "a"), b = Path.Combine(dir.Path, "b");
        for (int f = 0; f < 1500; f++)
        {
            string name = "f" + f.ToString("D4", System.Globalization.CultureInfo.InvariantCulture) + ".txt";
            Write(Path.Combine(a, "many", name), "one\ntwo " + f + "\nthree\n");
            Write(Path.Combine(b, "many", name), "one\nTWO " + f + "\nthree\n");
        }

        var options = new DiffOptions { TreatAbsentAsEmpty = true, Recursive = true, OldLabel = "a", NewLabel = "b", CommandLine = "diff -Naur" };
        var walker = new TreeWalker(new System.IO.Abstractions.FileSystem(), options);
        walker.Start(a, b, "a", "b");
        var output = new WatchingStream(() => walker.PairsListedAhead, long.MaxValue, waitFirst: false);
        TreeDiffResult result = walker.Run(new System.Buffers.ArrayBufferWriter<byte>(), output, CancellationToken.None);
        var gnu = Proc.Run("diff", dir.Path, "-Naur", "a", "b");

        Assert.Equal(1500, result.FilesDiffering);
        Assert.Equal(gnu.Output, Encoding.UTF8.GetString(output.ToArray()));
        Assert.True(output.MaxHeld <= walker.WalkAheadLimit + 1, $"{output.MaxHeld} pairs listed ahead of the writer, limit {walker.WalkAheadLimit}");
    }

    /// <summary>An output whose first write may wait (up to 2 s, or until the bound is passed) so the workers run ahead
    /// of it, and which notes the largest value of <c>held</c> seen at each write.</summary>
    private sealed class WatchingStream(Func<long> held, long bound, bool waitFirst = true) : MemoryStream
    {
        private bool _waited = !waitFirst;

        public long MaxHeld { get; private set; }

        public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (!_waited)
            {
                _waited = true;
                var clock = System.Diagnostics.Stopwatch.StartNew();
                while (clock.ElapsedMilliseconds < 2000 && MaxHeld <= bound)
                {
                    MaxHeld = Math.Max(MaxHeld, held());
                    Thread.Sleep(10);
                }
            }

            MaxHeld = Math.Max(MaxHeld, held());
            base.Write(buffer, offset, count);
        }
    }

    private static string Lines(Random random, int count)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            sb.Append("line ").Append(random.Next(100)).Append(' ').Append('x', random.Next(60)).Append('\n');
        }

        return sb.ToString();
    }

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
