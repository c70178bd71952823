namespace PatchKit.Tests.Infrastructure;

/// <summary>Finds the shared corpus (../shared/corpus beside the repository, or $PATCHKIT_CORPUS) and the repository root.</summary>
public static class Corpus
{
    private static readonly Lazy<string> s_repoRoot = new(FindRepoRoot);

    public static string RepoRoot => s_repoRoot.Value;

    /// <summary>Gets the corpus folder, or null when it is not there.</summary>
    public static string? Root
    {
        get
        {
            string? env = Environment.GetEnvironmentVariable("PATCHKIT_CORPUS");
            string path = !string.IsNullOrEmpty(env) ? env : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "corpus"));
            return Directory.Exists(path) ? path : null;
        }
    }

    /// <summary>A folder or file under the corpus, or null when absent.</summary>
    public static string? Find(string relative)
    {
        string? root = Root;
        if (root is null)
        {
            return null;
        }

        string path = Path.Combine(root, relative);
        return Directory.Exists(path) || File.Exists(path) ? path : null;
    }

    public static string Require(string relative) =>
        Find(relative) ?? throw new InvalidOperationException($"corpus entry '{relative}' is missing (tests using it should be skipped by CorpusFactAttribute)");

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PatchKit.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("PatchKit.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A fact that is skipped, with the reason, when a corpus entry is absent.</summary>
public sealed class CorpusFactAttribute : FactAttribute
{
    public CorpusFactAttribute(string relative)
    {
        if (Corpus.Find(relative) is null)
        {
            Skip = $"corpus entry '{relative}' is absent (run ../shared/corpus/real/make-corpus.sh --link)";
        }
    }
}

/// <summary>A theory that is skipped, with the reason, when a corpus entry is absent.</summary>
public sealed class CorpusTheoryAttribute : TheoryAttribute
{
    public CorpusTheoryAttribute(string relative)
    {
        if (Corpus.Find(relative) is null)
        {
            Skip = $"corpus entry '{relative}' is absent (run ../shared/corpus/real/make-corpus.sh --link)";
        }
    }
}
