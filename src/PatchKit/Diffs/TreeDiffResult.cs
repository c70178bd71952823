namespace PatchKit.Diffs;

/// <summary>What a <see cref="TreeDiff"/> comparison found.</summary>
public sealed class TreeDiffResult
{
    internal TreeDiffResult(int filesCompared, int filesDiffering, bool hasDifferences, IReadOnlyList<string> errors)
    {
        FilesCompared = filesCompared;
        FilesDiffering = filesDiffering;
        HasDifferences = hasDifferences;
        Errors = errors;
    }

    /// <summary>Gets the number of file pairs whose contents were compared.</summary>
    public int FilesCompared { get; }

    /// <summary>Gets the number of file pairs that differ.</summary>
    public int FilesDiffering { get; }

    /// <summary>Gets a value indicating whether anything differs (a diff, <c>Only in</c>, <c>Binary files … differ</c>, a type mismatch).</summary>
    public bool HasDifferences { get; }

    /// <summary>Gets the problems met, one message each (<c>path: No such file or directory</c>), as GNU diff prints them to standard error.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>Gets GNU diff's exit status for this result: 0 no differences, 1 differences, 2 trouble.</summary>
    public int ExitStatus => Errors.Count > 0 ? 2 : HasDifferences ? 1 : 0;
}
