namespace PatchKit.Diffs;

/// <summary>A decoded <c>GIT binary patch</c>: the forward block and, when present, the reverse block.</summary>
public sealed class GitBinaryPatch
{
    /// <summary>Initializes a new instance of the <see cref="GitBinaryPatch"/> class.</summary>
    /// <param name="forward">The block that turns the old content into the new one.</param>
    /// <param name="reverse">The block that turns the new content into the old one, if present.</param>
    public GitBinaryPatch(GitBinaryBlock forward, GitBinaryBlock? reverse)
    {
        ArgumentNullException.ThrowIfNull(forward);
        Forward = forward;
        Reverse = reverse;
    }

    /// <summary>Gets the forward block.</summary>
    public GitBinaryBlock Forward { get; }

    /// <summary>Gets the reverse block, or <see langword="null"/>.</summary>
    public GitBinaryBlock? Reverse { get; }
}
