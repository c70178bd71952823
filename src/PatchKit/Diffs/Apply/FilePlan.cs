namespace PatchKit.Diffs.Apply;

/// <summary>What one file patch does to the tree, with its paths checked by the <see cref="PathGuard"/> and the
/// direction (<c>-R</c>) already applied.</summary>
internal sealed class FilePlan
{
    public required FilePatch Patch { get; init; }

    public required FileOperation Operation { get; init; }

    /// <summary>Gets the path read (the file patched, or the rename/copy source); <see langword="null"/> for a creation.</summary>
    public string? Source { get; init; }

    /// <summary>Gets the path written (or deleted).</summary>
    public required string Target { get; init; }

    /// <summary>Gets the mode the new side names (<c>0o100644</c>, <c>0o100755</c>, <c>0o120000</c>), or <see langword="null"/>.</summary>
    public int? NewMode { get; init; }

    /// <summary>Gets the mode the old side names, or <see langword="null"/>.</summary>
    public int? OldMode { get; init; }

    public bool NewIsSymlink => NewMode == GitMode.Symlink;

    public bool OldIsSymlink => OldMode == GitMode.Symlink;

    /// <summary>Gets a value indicating whether the exec bit of the source must be read (modes named, rename, copy,
    /// delete: the journal restores it).</summary>
    public bool NeedsMode => NewMode is not null || OldMode is not null || Operation is FileOperation.Rename or FileOperation.Copy or FileOperation.Delete;
}
