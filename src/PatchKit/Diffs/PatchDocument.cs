namespace PatchKit.Diffs;

/// <summary>A parsed patch: the file patches it holds, over one buffer of the patch's bytes.</summary>
public sealed partial class PatchDocument
{
    /// <summary>Initializes a new instance of the <see cref="PatchDocument"/> class.</summary>
    /// <param name="source">The bytes the document was read from.</param>
    /// <param name="files">The file patches in order.</param>
    public PatchDocument(ReadOnlyMemory<byte> source, IReadOnlyList<FilePatch> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        Source = source;
        Files = files;
    }

    /// <summary>Gets the bytes the document was read from; every slice of the model points into them.</summary>
    public ReadOnlyMemory<byte> Source { get; }

    /// <summary>Gets the file patches in the order they appear.</summary>
    public IReadOnlyList<FilePatch> Files { get; }

    /// <summary>Gets the bytes before the first file patch (mail headers, commit message, diffstat, <c>Index:</c> lines); empty when there are none.</summary>
    public ReadOnlyMemory<byte> Preamble { get; init; }
}
