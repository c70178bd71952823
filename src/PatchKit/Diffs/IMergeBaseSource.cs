namespace PatchKit.Diffs;

/// <summary>Finds the base (the file as it was when the patch was made) for the three-way fallback.
/// <see cref="MergeBases"/> has the usual sources; implement it for others (a blob store, a package archive).</summary>
public interface IMergeBaseSource
{
    /// <summary>Finds the base of one file patch.</summary>
    /// <param name="path">The file's path before the patch, relative to the tree root (after <c>-p</c> stripping).</param>
    /// <param name="objectId">The blob id the patch names for that side (<c>index abc1234..</c>), abbreviated or
    /// full, or <see langword="null"/> when the patch names none.</param>
    /// <returns>The base's bytes, or <see langword="null"/> when this source does not have it.</returns>
    /// <remarks>The caller checks the content against <paramref name="objectId"/>; a source may return a file whose
    /// id differs, it is then not used.</remarks>
    byte[]? Find(string path, string? objectId);

    /// <summary>Gets a short description for messages (<c>git objects in DIR</c>, <c>folder DIR</c>).</summary>
    string Description { get; }
}
