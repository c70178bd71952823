using System.Diagnostics;

namespace PatchKit.Tests.Diffs.Conformance;

/// <summary>Extracts ../shared/corpus/real/commits.tar.zst once into a temporary folder.</summary>
public sealed class CommitCorpusFixture : IDisposable
{
    private readonly TempDir? _temp;

    public CommitCorpusFixture()
    {
        string? archive = Corpus.Find("real/commits.tar.zst");
        if (archive is null)
        {
            return;
        }

        _temp = new TempDir();
        var (code, _, error) = Proc.Run("tar", _temp.Path, "--zstd", "-xf", archive);
        if (code != 0)
        {
            throw new InvalidOperationException("tar failed: " + error);
        }

        CasesRoot = Path.Combine(_temp.Path, "commits");
        Cases = Directory.GetDirectories(CasesRoot).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
    }

    public string CasesRoot { get; } = string.Empty;

    public string[] Cases { get; } = [];

    public void Dispose() => _temp?.Dispose();
}
