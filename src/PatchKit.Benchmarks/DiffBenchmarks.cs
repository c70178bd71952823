using System.Buffers;
using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using DiffPlex;
using DiffPlex.Chunkers;
using PatchKit.Diffs;

namespace PatchKit.Benchmarks;

/// <summary>Diffs every file pair of the commits corpus (each case's pre/ against post/): PatchKit's unified diff with
/// Myers (baseline), histogram and patience, against DiffPlex computing its line diff of the same pairs (decoded to
/// strings in setup, which is not measured; DiffPlex writes no patch).</summary>
[MemoryDiagnoser]
public class DiffBenchmarks
{
    private readonly List<(byte[] Old, byte[] New)> _pairs = [];
    private readonly List<(string Old, string New)> _text = [];
    private readonly ArrayBufferWriter<byte> _output = new(1 << 20);
    private readonly DiffOptions _myers = new() { Text = true };
    private readonly DiffOptions _histogram = new() { Text = true, Algorithm = DiffAlgorithm.Histogram };
    private readonly DiffOptions _patience = new() { Text = true, Algorithm = DiffAlgorithm.Patience };
    private string? _tmp;

    /// <summary>Gets the total bytes of both sides of all pairs (for throughput).</summary>
    public long TotalBytes { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        string archive = FindArchive();
        _tmp = Directory.CreateTempSubdirectory("patchkit-bench-").FullName;
        using (var tar = Process.Start(new ProcessStartInfo("tar", ["--zstd", "-xf", archive, "-C", _tmp]) { UseShellExecute = false })!)
        {
            tar.WaitForExit();
        }

        foreach (string caseDir in Directory.GetDirectories(Path.Combine(_tmp, "commits")).Order(StringComparer.Ordinal))
        {
            string pre = Path.Combine(caseDir, "pre"), post = Path.Combine(caseDir, "post");
            var rel = new SortedSet<string>(StringComparer.Ordinal);
            foreach (string root in new[] { pre, post })
            {
                foreach (string f in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
                {
                    if (new FileInfo(f).LinkTarget is null)
                    {
                        rel.Add(Path.GetRelativePath(root, f));
                    }
                }
            }

            foreach (string r in rel)
            {
                byte[] a = File.Exists(Path.Combine(pre, r)) ? File.ReadAllBytes(Path.Combine(pre, r)) : [];
                byte[] b = File.Exists(Path.Combine(post, r)) ? File.ReadAllBytes(Path.Combine(post, r)) : [];
                _pairs.Add((a, b));
                _text.Add((System.Text.Encoding.UTF8.GetString(a), System.Text.Encoding.UTF8.GetString(b)));
                TotalBytes += a.Length + b.Length;
            }
        }

        Console.WriteLine($"// {_pairs.Count} file pairs, {TotalBytes} bytes");
        Directory.Delete(_tmp, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public long Myers() => Run(_myers);

    [Benchmark]
    public long Histogram() => Run(_histogram);

    [Benchmark]
    public long Patience() => Run(_patience);

    [Benchmark]
    public long DiffPlexLineDiff()
    {
        long blocks = 0;
        var differ = new Differ();
        var chunker = new LineChunker();
        foreach (var (a, b) in _text)
        {
            blocks += differ.CreateDiffs(a, b, ignoreWhiteSpace: false, ignoreCase: false, chunker).DiffBlocks.Count;
        }

        return blocks;
    }

    private long Run(DiffOptions options)
    {
        long bytes = 0;
        foreach (var (a, b) in _pairs)
        {
            _output.ResetWrittenCount();
            UnifiedDiff.Write(new DiffFile("a/f", a), new DiffFile("b/f", b), _output, options);
            bytes += _output.WrittenCount;
        }

        return bytes;
    }

    private static string FindArchive()
    {
        string? env = Environment.GetEnvironmentVariable("PATCHKIT_CORPUS");
        if (!string.IsNullOrEmpty(env))
        {
            return Path.Combine(env, "real", "commits.tar.zst");
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PatchKit.sln")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            throw new InvalidOperationException("PatchKit.sln not found; set PATCHKIT_CORPUS");
        }

        return Path.Combine(dir.FullName, "..", "shared", "corpus", "real", "commits.tar.zst");
    }
}
