using System.Text;
using BenchmarkDotNet.Attributes;
using PatchKit.Diffs;

namespace PatchKit.Benchmarks;

/// <summary>The reader and the document builder over the big real diff (../shared/corpus/real/big/patch.diff), beside the floor:
/// counting lines with a span <c>IndexOf('\n')</c> over the same bytes.</summary>
[MemoryDiagnoser]
public class ParseBenchmarks
{
    private byte[] _bytes = [];

    /// <summary>Gets where the input came from (the corpus file, or a generated patch when the corpus is absent).</summary>
    public string Source { get; private set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        string? path = FindCorpusFile(Path.Combine("real", "big", "patch.diff"));
        if (path is not null)
        {
            _bytes = File.ReadAllBytes(path);
            Source = path;
        }
        else
        {
            _bytes = Generate(seed: 20261202, targetBytes: 40 << 20);
            Source = "generated (seed 20261202)";
        }

        Console.WriteLine($"// ParseBenchmarks input: {Source}, {_bytes.Length} bytes, {CountLines(_bytes)} lines");
    }

    [Benchmark(Baseline = true, Description = "floor: IndexOf('\\n') line count")]
    public int LineCountFloor() => CountLines(_bytes);

    [Benchmark(Description = "UnifiedDiffReader: every token")]
    public int Reader()
    {
        var reader = new UnifiedDiffReader(_bytes);
        int hunks = 0;
        while (reader.Read())
        {
            if (reader.TokenType == DiffTokenType.HunkHeader)
            {
                hunks++;
            }
        }

        return hunks;
    }

    [Benchmark(Description = "PatchDocument.Parse: full model")]
    public int Document() => PatchDocument.Parse(_bytes).Files.Count;

    private static int CountLines(ReadOnlySpan<byte> span)
    {
        int lines = 0;
        int i;
        while ((i = span.IndexOf((byte)'\n')) >= 0)
        {
            lines++;
            span = span[(i + 1)..];
        }

        return lines;
    }

    private static string? FindCorpusFile(string relative)
    {
        string? env = Environment.GetEnvironmentVariable("PATCHKIT_CORPUS");
        if (!string.IsNullOrEmpty(env))
        {
            string candidate = Path.Combine(env, relative);
            return File.Exists(candidate) ? candidate : null;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PatchKit.sln")))
            {
                string candidate = Path.Combine(dir.FullName, "..", "shared", "corpus", relative);
                return File.Exists(candidate) ? Path.GetFullPath(candidate) : null;
            }
        }

        return null;
    }

    /// <summary>A git diff of many files with hunks of short and long lines, deterministic for a seed.</summary>
    internal static byte[] Generate(int seed, int targetBytes)
    {
        var random = new Random(seed);
        var sb = new StringBuilder(targetBytes + 4096);
        int file = 0;
        while (sb.Length < targetBytes)
        {
            file++;
            sb.Append("diff --git a/src/file").Append(file).Append(".js b/src/file").Append(file).Append(".js\n");
            sb.Append("index 0123456789abcdef0123456789abcdef01234567..fedcba9876543210fedcba9876543210fedcba98 100644\n");
            sb.Append("--- a/src/file").Append(file).Append(".js\n+++ b/src/file").Append(file).Append(".js\n");
            int hunks = random.Next(1, 5);
            int line = 1;
            for (int h = 0; h < hunks; h++)
            {
                line += random.Next(1, 200);
                int context = 3, removed = random.Next(0, 8), added = random.Next(1, 8);
                sb.Append("@@ -").Append(line).Append(',').Append((2 * context) + removed).Append(" +").Append(line).Append(',').Append((2 * context) + added).Append(" @@ function f").Append(h).Append("()\n");
                for (int i = 0; i < context; i++)
                {
                    AppendLine(sb, ' ', random);
                }

                for (int i = 0; i < removed; i++)
                {
                    AppendLine(sb, '-', random);
                }

                for (int i = 0; i < added; i++)
                {
                    AppendLine(sb, '+', random);
                }

                for (int i = 0; i < context; i++)
                {
                    AppendLine(sb, ' ', random);
                }
            }
        }

        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static void AppendLine(StringBuilder sb, char marker, Random random)
    {
        sb.Append(marker);
        int length = random.Next(0, 10) == 0 ? random.Next(200, 4000) : random.Next(0, 80);
        for (int i = 0; i < length; i++)
        {
            sb.Append((char)random.Next(32, 127));
        }

        sb.Append('\n');
    }
}
