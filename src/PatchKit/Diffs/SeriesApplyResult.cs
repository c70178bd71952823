namespace PatchKit.Diffs;

/// <summary>The outcome of applying patches of a series as one transaction.</summary>
public sealed class SeriesApplyResult
{
    internal SeriesApplyResult(IReadOnlyList<string> applied, bool committed, bool recovered, string? failedPatch, IReadOnlyList<FileApplyResult> failedFiles)
    {
        Applied = applied;
        Committed = committed;
        Recovered = recovered;
        FailedPatch = failedPatch;
        FailedFiles = failedFiles;
    }

    /// <summary>Gets the patches applied, in order; empty when one failed (then nothing was written).</summary>
    public IReadOnlyList<string> Applied { get; }

    /// <summary>Gets a value indicating whether every patch applied (or there was nothing to apply).</summary>
    public bool Succeeded => FailedPatch is null;

    /// <summary>Gets a value indicating whether the tree was changed.</summary>
    public bool Committed { get; }

    /// <summary>Gets a value indicating whether an interrupted earlier apply was found and rolled back first.</summary>
    public bool Recovered { get; }

    /// <summary>Gets the name of the patch that did not apply, or <see langword="null"/>.</summary>
    public string? FailedPatch { get; }

    /// <summary>Gets the file results of the patch that did not apply (empty when all applied).</summary>
    public IReadOnlyList<FileApplyResult> FailedFiles { get; }
}
