namespace PatchKit.Diffs;

/// <summary>The outcome of applying a patch to a tree: one <see cref="FileApplyResult"/> per file patch, in order.</summary>
public sealed class TreeApplyResult
{
    internal TreeApplyResult(IReadOnlyList<FileApplyResult> files, bool committed, bool recovered, IReadOnlyList<string> rejectFiles)
    {
        Files = files;
        Committed = committed;
        Recovered = recovered;
        RejectFiles = rejectFiles;
        bool ok = true;
        foreach (FileApplyResult f in files)
        {
            ok &= f.Succeeded;
        }

        Succeeded = ok;
    }

    /// <summary>Gets one result per file patch, in the order of the patch.</summary>
    public IReadOnlyList<FileApplyResult> Files { get; }

    /// <summary>Gets a value indicating whether every file patch applied completely.</summary>
    public bool Succeeded { get; }

    /// <summary>Gets a value indicating whether the tree was changed. It is <see langword="false"/> for a dry run and
    /// when an all-or-nothing apply found a file patch that does not apply (then nothing was written).</summary>
    public bool Committed { get; }

    /// <summary>Gets a value indicating whether an interrupted earlier apply was found and rolled back first.</summary>
    public bool Recovered { get; }

    /// <summary>Gets the reject files written (relative to the tree root), in partial mode.</summary>
    public IReadOnlyList<string> RejectFiles { get; }
}
