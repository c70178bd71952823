using System.Buffers;
using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using PatchKit.Diffs;

namespace PatchKit.Benchmarks;

/// <summary>What diagnosing failed hunks costs, on the real corpus (../shared/corpus/real/commits.tar.zst), with
/// <see cref="ApplyOptions.DiagnoseFailures"/> off and on in the same run: every case's patch.diff applied to its pre/
/// files (all hunks apply: the diagnosis never runs, so both must match), and applied again to its post/ files with
/// reversed-patch detection off (almost every hunk fails: the worst case, a diagnosis per hunk).</summary>
/// <remarks>Run: <c>dotnet run -c Release --project src/PatchKit.Benchmarks -- --filter '*DiagnosisBenchmarks*' --job short</c>.</remarks>
[MemoryDiagnoser]
public class DiagnosisBenchmarks
{
    private readonly List<(FilePatch File, byte[] Pre, byte[] Post)> _files = [];
    private readonly ArrayBufferWriter<byte> _output = new(1 << 20);
    private ApplyOptions _applies = new();
    private ApplyOptions _fails = new();

    [Params(false, true)]
    public bool Diagnose { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string? archive = ApplyBenchmarks.FindCorpus("real/commits.tar.zst");
        if (archive is null)
        {
            Console.WriteLine("// corpus absent: run ../shared/corpus/real/make-corpus.sh --link");
            return;
        }

        string temp = Directory.CreateTempSubdirectory("pk-bench-").FullName;
        try
        {
            using (var tar = Process.Start(new ProcessStartInfo("tar", ["--zstd", "-xf", archive]) { WorkingDirectory = temp })!)
            {
                tar.WaitForExit();
            }

            foreach (string dir in Directory.GetDirectories(Path.Combine(temp, "commits")).Order(StringComparer.Ordinal))
            {
                foreach (FilePatch f in PatchDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "patch.diff"))).Files)
                {
                    if (f.IsBinary || f.Hunks.Count == 0 || f.Operation != FileOperation.Modify || f.OldPath is null)
                    {
                        continue;
                    }

                    string name = f.OldPath[2..];
                    string pre = Path.Combine(dir, "pre", name);
                    string post = Path.Combine(dir, "post", name);
                    if (File.Exists(pre) && File.Exists(post) && new FileInfo(pre).LinkTarget is null)
                    {
                        _files.Add((f, File.ReadAllBytes(pre), File.ReadAllBytes(post)));
                    }
                }
            }
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }

        _applies = new ApplyOptions { DiagnoseFailures = Diagnose };
        _fails = new ApplyOptions { DiagnoseFailures = Diagnose, DetectReversed = false, Fuzz = 0 };
        int failed = _files.Sum(f => PatchApplierFailed(f.File, f.Post));
        Console.WriteLine($"// {_files.Count} file patches, {_files.Sum(f => f.File.Hunks.Count)} hunks; applied to post/: {failed} hunks fail");
    }

    /// <summary>Every file patch applied to its pre/ bytes: every hunk applies.</summary>
    [Benchmark(Description = "apply to pre/ (all hunks apply)")]
    public long ApplyToPre()
    {
        long total = 0;
        foreach (var (file, pre, _) in _files)
        {
            _output.ResetWrittenCount();
            PatchApplier.ApplyFile(file, pre, _output, _applies);
            total += _output.WrittenCount;
        }

        return total;
    }

    /// <summary>Every file patch applied to its post/ bytes: its hunks fail (their new side is there).</summary>
    [Benchmark(Description = "apply to post/ (hunks fail)")]
    public long ApplyToPost()
    {
        long total = 0;
        foreach (var (file, _, post) in _files)
        {
            _output.ResetWrittenCount();
            total += PatchApplier.ApplyFile(file, post, _output, _fails).FailedCount;
        }

        return total;
    }

    private int PatchApplierFailed(FilePatch file, byte[] post)
    {
        _output.ResetWrittenCount();
        return PatchApplier.ApplyFile(file, post, _output, _fails).FailedCount;
    }
}
