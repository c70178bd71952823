using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Diffs;

/// <summary>Extracts ../shared/corpus/real/commits.tar.zst into a temporary folder once per creator test class, with the case names.</summary>
public sealed class CreatorCorpusFixture : IDisposable
{
    public const string Archive = "real/commits.tar.zst";

    private readonly TempDir? _dir;

    public CreatorCorpusFixture()
    {
        string? archive = Corpus.Find(Archive);
        if (archive is null)
        {
            Cases = [];
            Root = string.Empty;
            return;
        }

        _dir = new TempDir();
        var run = GnuTools.Run("tar", _dir.Path, "--zstd", "-xf", archive);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException("tar failed: " + run.Error);
        }

        Root = Path.Combine(_dir.Path, "commits");
        Cases = [.. Directory.GetDirectories(Root).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
    }

    public string Root { get; }

    public IReadOnlyList<string> Cases { get; }

    public void Dispose() => _dir?.Dispose();
}
