using System.Text.Json;
using ZstdSharp;

namespace PatchKit.Benchmarks;

/// <summary>Finds ../shared/corpus/advisories beside the repository (or $PATCHKIT_CORPUS) and decompresses its documents.</summary>
internal static class AdvisoryCorpus
{
    public static string Require(string relative)
    {
        string? env = Environment.GetEnvironmentVariable("PATCHKIT_CORPUS");
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PatchKit.sln")))
        {
            dir = dir.Parent;
        }

        string root = !string.IsNullOrEmpty(env) ? env : Path.Combine(dir?.FullName ?? ".", "..", "shared", "corpus");
        string path = Path.GetFullPath(Path.Combine(root, "advisories", relative));
        return File.Exists(path) ? path : throw new FileNotFoundException($"corpus file absent: {path} (the advisory benchmarks need ../shared/corpus/advisories)");
    }

    /// <summary>The document's bytes, zstd-decompressed for <c>.zst</c>.</summary>
    public static byte[] ReadBytes(string relative)
    {
        string path = Require(relative);
        if (!path.EndsWith(".zst", StringComparison.Ordinal))
        {
            return File.ReadAllBytes(path);
        }

        using FileStream file = File.OpenRead(path);
        using var zstd = new DecompressionStream(file);
        using var output = new MemoryStream();
        zstd.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>The pairs of a version vector file (<c>debian.json</c> "pairs", <c>rpm.json</c> "evr").</summary>
    public static (string A, string B)[] Pairs(string file, string member)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(Require(Path.Combine("versions", file))));
        return [.. doc.RootElement.GetProperty(member).EnumerateArray().Select(static p => (p.GetProperty("a").GetString()!, p.GetProperty("b").GetString()!))];
    }
}
