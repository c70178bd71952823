using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Diffs;

/// <summary>Extracts ../shared/corpus/real/commits.tar.zst into a temporary folder once per test class.</summary>
public sealed class CommitsCorpusFixture : IDisposable
{
    private readonly TempDir? _temp;

    public CommitsCorpusFixture()
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
            throw new InvalidOperationException("tar --zstd -xf failed: " + error);
        }

        Root = Path.Combine(_temp.Path, "commits");
    }

    /// <summary>Gets the extracted <c>commits/</c> folder, or null when the corpus is absent.</summary>
    public string? Root { get; }

    /// <summary>Gets the folder the archive was extracted into (outside any git repository).</summary>
    public string? WorkDirectory => _temp?.Path;

    public void Dispose() => _temp?.Dispose();
}
