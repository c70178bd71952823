using System.Buffers;
using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using PatchKit.Diffs;

namespace PatchKit.Benchmarks;

/// <summary>Applies every case of ../shared/corpus/real/commits.tar.zst from memory: parse patch.diff, then apply each
/// text file patch to its pre/ bytes (no file system). jsdiff (npm <c>diff</c>, installed into a temporary folder)
/// parses and applies the same set in the same session; its median is printed in the global setup.</summary>
/// <remarks>Run: <c>dotnet run -c Release --project src/PatchKit.Benchmarks -- --filter '*ApplyBenchmarks*' --job short</c>.
/// Without the corpus the benchmark reports nothing (the setup says so).</remarks>
[MemoryDiagnoser]
public class ApplyBenchmarks
{
    private readonly List<(byte[] Patch, Dictionary<string, byte[]> Pre)> _cases = [];
    private readonly ArrayBufferWriter<byte> _output = new(1 << 20);
    private string? _temp;

    [GlobalSetup]
    public void Setup()
    {
        string? archive = FindCorpus("real/commits.tar.zst");
        if (archive is null)
        {
            Console.WriteLine("// corpus absent: run ../shared/corpus/real/make-corpus.sh --link");
            return;
        }

        _temp = Directory.CreateTempSubdirectory("pk-bench-").FullName;
        Run("tar", _temp, "--zstd", "-xf", archive);
        string root = Path.Combine(_temp, "commits");
        foreach (string dir in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            var pre = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            string preDir = Path.Combine(dir, "pre");
            if (Directory.Exists(preDir))
            {
                foreach (string file in Directory.EnumerateFiles(preDir, "*", SearchOption.AllDirectories))
                {
                    if (new FileInfo(file).LinkTarget is null)
                    {
                        pre[Path.GetRelativePath(preDir, file).Replace(Path.DirectorySeparatorChar, '/')] = File.ReadAllBytes(file);
                    }
                }
            }

            _cases.Add((File.ReadAllBytes(Path.Combine(dir, "patch.diff")), pre));
        }

        Console.WriteLine($"// {_cases.Count} cases, {_cases.Sum(c => c.Patch.Length) / 1024} KiB of patches");
        RunJsDiff(root);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_temp is not null)
        {
            Directory.Delete(_temp, recursive: true);
        }
    }

    /// <summary>Parse and apply all cases from memory; returns the number of bytes written (so nothing is dropped).</summary>
    [Benchmark(Description = "PatchKit parse+apply, all commit cases")]
    public long ParseAndApplyAll()
    {
        long total = 0;
        var options = new ApplyOptions();
        foreach (var (patch, pre) in _cases)
        {
            PatchDocument doc = PatchDocument.Parse(patch);
            foreach (FilePatch file in doc.Files)
            {
                if (file.IsBinary || file.Hunks.Count == 0)
                {
                    continue;
                }

                string? name = file.OldPath is { } p && p.Length > 2 ? p[2..] : null;
                byte[] original = name is not null && pre.TryGetValue(name, out byte[]? bytes) ? bytes : [];
                _output.ResetWrittenCount();
                PatchApplier.ApplyFile(file, original, _output, options);
                total += _output.WrittenCount;
            }
        }

        return total;
    }

    private static void RunJsDiff(string casesRoot)
    {
        string? node = Which("node");
        string? npm = Which("npm");
        if (node is null || npm is null)
        {
            Console.WriteLine("// jsdiff: node or npm missing, not compared");
            return;
        }

        string dir = Directory.CreateTempSubdirectory("pk-jsdiff-").FullName;
        try
        {
            Run(npm, dir, "install", "--silent", "--no-audit", "--no-fund", "--prefix", dir, "diff@9.0.0");
            string script = Path.Combine(dir, "bench.js");
            File.WriteAllText(script, JsBench);
            string output = Run(node, dir, script, casesRoot);
            Console.WriteLine("// " + output.Trim().Replace("\n", "\n// ", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private const string JsBench = """
        const fs = require('fs'), path = require('path');
        const Diff = require(path.join(__dirname, 'node_modules', 'diff'));
        const root = process.argv[2];
        const cases = [];
        for (const name of fs.readdirSync(root).sort()) {
          const dir = path.join(root, name), pre = new Map();
          const walk = (d, rel) => { if (!fs.existsSync(d)) return; for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const a = path.join(d, e.name), r = rel ? rel + '/' + e.name : e.name;
            if (e.isDirectory()) walk(a, r); else if (e.isFile()) pre.set(r, fs.readFileSync(a, 'latin1')); } };
          walk(path.join(dir, 'pre'), '');
          cases.push({ patch: fs.readFileSync(path.join(dir, 'patch.diff'), 'latin1'), pre });
        }
        function once() {
          let bytes = 0, failed = 0;
          for (const c of cases) {
            for (const p of Diff.parsePatch(c.patch)) {
              if (!p.hunks || p.hunks.length === 0) continue;
              const name = p.oldFileName && p.oldFileName.length > 2 ? p.oldFileName.slice(2) : '';
              const r = Diff.applyPatch(c.pre.get(name) || '', p);
              if (r === false) failed++; else bytes += r.length;
            }
          }
          return [bytes, failed];
        }
        once();
        const times = [];
        let last;
        for (let i = 0; i < 15; i++) { const t = process.hrtime.bigint(); last = once(); times.push(Number(process.hrtime.bigint() - t) / 1e6); }
        times.sort((a, b) => a - b);
        console.log(`jsdiff ${require(path.join(__dirname, 'node_modules', 'diff', 'package.json')).version} parsePatch+applyPatch, all ${cases.length} cases: median ${times[7].toFixed(1)} ms (min ${times[0].toFixed(1)}, max ${times[14].toFixed(1)}), ${last[1]} file patches failed`);
        """;

    internal static string? FindCorpus(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PatchKit.sln")))
        {
            dir = dir.Parent;
        }

        string? env = Environment.GetEnvironmentVariable("PATCHKIT_CORPUS");
        string root = !string.IsNullOrEmpty(env) ? env : Path.Combine(dir?.FullName ?? ".", "..", "shared", "corpus");
        string path = Path.Combine(root, relative);
        return File.Exists(path) || Directory.Exists(path) ? path : null;
    }

    private static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    private static string Run(string file, string cwd, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed ({p.ExitCode}): {err.Result}");
        }

        return output;
    }
}
