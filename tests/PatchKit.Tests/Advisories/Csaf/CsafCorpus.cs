using PatchKit.Advisories.Csaf;
using ZstdSharp;

namespace PatchKit.Tests.Advisories.Csaf;

/// <summary>Opens corpus CSAF documents: plain and gzip through the reader, zstd through ZstdSharp (a test-only decoder).</summary>
internal static class CsafCorpus
{
    public const string Root = "advisories";

    public static async Task<CsafDocument> ReadAsync(string relative)
    {
        string path = Corpus.Require(Path.Combine(Root, relative));
        if (!path.EndsWith(".zst", StringComparison.Ordinal))
        {
            return await CsafReader.ReadFileAsync(path);
        }

        await using FileStream file = File.OpenRead(path);
        await using var zstd = new DecompressionStream(file);
        return await CsafReader.ReadAsync(zstd, path);
    }
}
