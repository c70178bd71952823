using System.Buffers;

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

    /// <summary>Renders the document as a unified diff: the <see cref="Preamble"/> first, then every file patch in order.</summary>
    /// <param name="output">Where the bytes go.</param>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is null.</exception>
    /// <remarks>
    /// <para>git file patches get <c>diff --git</c> and the extended headers git writes, in git's order, with names
    /// C-quoted as git quotes them; unified ones get <c>---</c>/<c>+++</c> with their timestamps; a context diff's hunks
    /// are written in unified form. Hunk headers omit a count of 1 (<c>@@ -3 +3,2 @@</c>) as git and GNU diff do, and
    /// hunk bodies are copied as they are, line endings and <c>\ No newline at end of file</c> included.</para>
    /// <para>A parsed <c>GIT binary patch</c> block is copied as read; a block built in memory is deflated and base85-encoded
    /// as git does (its zlib bytes may differ from git's, its inflated data does not).</para>
    /// <para>For a patch as git or GNU diff write it (<c>git diff</c>, <c>git format-patch</c> without a signature,
    /// <c>diff -u</c>), rendering the parsed document gives the input byte for byte. Text between file patches (garbage,
    /// <c>Index:</c> lines, later mails' headers, a signature) is not kept by the model and not written.</para>
    /// <para>Nothing is allocated per line.</para>
    /// </remarks>
    public void WriteTo(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        PatchWriter.Write(output, this);
    }
}
