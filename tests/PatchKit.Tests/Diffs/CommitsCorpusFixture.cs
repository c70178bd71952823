using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Diffs;

/// <summary>Extracts ../shared/corpus/real/commits.tar.zst into a temporary folder once per test class.</summary>
public sealed class CommitsCorpusFixture : IDisposable
{
    public const string Archive = "real/commits.tar.zst";

    private readonly TempDir? _temp;

    public CommitsCorpusFixture()
    {
        string? archive = Corpus.Find(Archive);
        if (archive is null)
        {
            return;
        }

        _temp = new TempDir();
        var (code, _, error) = Proc.Run("tar", _temp.Path, "--zstd", "-xf", archive);
        if (code != 0)
        {
            throw new InvalidOperationException("tar --zstd -xf failed: " + error);
        }

        Root = Path.Combine(_temp.Path, "commits");
        Cases = [.. Directory.GetDirectories(Root).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
    }

    /// <summary>Gets the extracted <c>commits/</c> folder, or an empty string when the corpus is absent.</summary>
    public string Root { get; } = string.Empty;

    /// <summary>Gets the case names in ordinal order (empty when the corpus is absent).</summary>
    public IReadOnlyList<string> Cases { get; } = [];

    /// <summary>Gets the folder the archive was extracted into (outside any git repository).</summary>
    public string? WorkDirectory => _temp?.Path;

    public void Dispose() => _temp?.Dispose();
}
