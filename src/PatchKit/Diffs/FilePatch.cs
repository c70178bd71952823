using System.Buffers;

namespace PatchKit.Diffs;

/// <summary>The changes a patch makes to one file: paths, operation, modes, git metadata and hunks.</summary>
/// <remarks>
/// Paths are kept as the raw bytes of the header (C-quoted git paths unquoted, prefixes such as <c>a/</c> kept;
/// strip them with <c>-p</c> when applying) and decoded once, when first asked for, leniently as UTF-8, for display.
/// A side that is <c>/dev/null</c> has an empty raw path and a <see langword="null"/> display path.
/// </remarks>
public sealed class FilePatch
{
    // Decoded on first use: `stat` reads thousands of file patches and prints their raw bytes, never these strings.
    private string? _oldPath;
    private string? _newPath;

    /// <summary>Initializes a new instance of the <see cref="FilePatch"/> class.</summary>
    /// <param name="oldPath">Raw old path (empty for <c>/dev/null</c>).</param>
    /// <param name="newPath">Raw new path (empty for <c>/dev/null</c>).</param>
    /// <param name="operation">What the patch does to the file.</param>
    /// <param name="hunks">The text hunks, in order.</param>
    public FilePatch(ReadOnlyMemory<byte> oldPath, ReadOnlyMemory<byte> newPath, FileOperation operation, IReadOnlyList<Hunk> hunks)
    {
        ArgumentNullException.ThrowIfNull(hunks);
        OldPathBytes = oldPath;
        NewPathBytes = newPath;
        Operation = operation;
        Hunks = hunks;
    }

    /// <summary>Gets the raw old path (empty when the old side is <c>/dev/null</c>).</summary>
    public ReadOnlyMemory<byte> OldPathBytes { get; }

    /// <summary>Gets the raw new path (empty when the new side is <c>/dev/null</c>).</summary>
    public ReadOnlyMemory<byte> NewPathBytes { get; }

    /// <summary>Gets the old path for display, or <see langword="null"/> for <c>/dev/null</c>.</summary>
    public string? OldPath => OldPathBytes.IsEmpty ? null : _oldPath ??= PathText.Decode(OldPathBytes.Span);

    /// <summary>Gets the new path for display, or <see langword="null"/> for <c>/dev/null</c>.</summary>
    public string? NewPath => NewPathBytes.IsEmpty ? null : _newPath ??= PathText.Decode(NewPathBytes.Span);

    /// <summary>Gets what the patch does to the file.</summary>
    public FileOperation Operation { get; }

    /// <summary>Gets the dialect the file patch was written in.</summary>
    public PatchDialect Dialect { get; init; }

    /// <summary>Gets the old mode (for example <c>0o100644</c>) from git headers, or <see langword="null"/> when not given.</summary>
    public int? OldMode { get; init; }

    /// <summary>Gets the new mode (for example <c>0o100755</c>, <c>0o120000</c> for a symlink) from git headers, or <see langword="null"/> when not given.</summary>
    public int? NewMode { get; init; }

    /// <summary>Gets the similarity index in percent for a rename or copy, or <see langword="null"/>.</summary>
    public int? Similarity { get; init; }

    /// <summary>Gets the dissimilarity index in percent for a rewrite, or <see langword="null"/>.</summary>
    public int? Dissimilarity { get; init; }

    /// <summary>Gets the old blob id of the git <c>index</c> line, or <see langword="null"/>.</summary>
    public string? OldObjectId { get; init; }

    /// <summary>Gets the new blob id of the git <c>index</c> line, or <see langword="null"/>.</summary>
    public string? NewObjectId { get; init; }

    /// <summary>Gets a value indicating whether the file is binary (<c>GIT binary patch</c> or <c>Binary files … differ</c>).</summary>
    public bool IsBinary { get; init; }

    /// <summary>Gets the decoded git binary patch, or <see langword="null"/> when there is none (a binary file without data is <see cref="IsBinary"/> only).</summary>
    public GitBinaryPatch? BinaryPatch { get; init; }

    /// <summary>Gets the text hunks in order.</summary>
    public IReadOnlyList<Hunk> Hunks { get; }

    /// <summary>Gets the 1-based line in the patch where this file patch starts, for messages.</summary>
    public long LineNumber { get; init; }

    /// <summary>Gets the number of added lines over all hunks.</summary>
    public int AddedLines { get; init; }

    /// <summary>Gets the number of removed lines over all hunks.</summary>
    public int RemovedLines { get; init; }

    /// <summary>Gets the <c>Subject:</c> of the mail this file patch came in (<c>git format-patch</c>, mbox), as written
    /// (for example <c>[PATCH 2/3] Fix the frobnicator</c>; folded lines joined, RFC 2047 words not decoded), or
    /// <see langword="null"/> when the patch is not a mail.</summary>
    public string? Subject { get; init; }

    /// <summary>Gets the first hunk whose body is shorter than its header (a lenient read of a cut-off patch), or
    /// <see langword="null"/>.</summary>
    public ShortHunk? ShortHunk { get; internal init; }

    /// <summary>Gets the text of the <c>---</c> (context diff: <c>***</c>) header after its prefix, timestamp included; empty when there was none.</summary>
    public ReadOnlyMemory<byte> OldHeader { get; init; }

    /// <summary>Gets the text of the <c>+++</c> (context diff: <c>---</c>) header after its prefix; empty when there was none.</summary>
    public ReadOnlyMemory<byte> NewHeader { get; init; }

    /// <summary>Gets a value indicating whether the patch text itself looks saved with CRLF line endings: its new-file
    /// header line (<c>+++</c>; context diff: <c>---</c>) ends in CRLF, the sign GNU patch reads, or every <c>@@</c>
    /// hunk header line does.</summary>
    public bool SavedWithCrLf { get; internal init; }

    /// <summary>Gets the timestamp of the old header (the text after its tab), empty when there is none.</summary>
    public ReadOnlyMemory<byte> OldTimestamp { get; internal init; }

    /// <summary>Gets the timestamp of the new header, empty when there is none.</summary>
    public ReadOnlyMemory<byte> NewTimestamp { get; internal init; }

    /// <summary>Gets the old name of the <c>diff --git</c> line (unquoted), empty when not git or unclear.</summary>
    internal ReadOnlyMemory<byte> GitOldName { get; init; }

    /// <summary>Gets the new name of the <c>diff --git</c> line (unquoted), empty when not git or unclear.</summary>
    internal ReadOnlyMemory<byte> GitNewName { get; init; }

    /// <summary>Gets the <c>rename from</c>/<c>copy from</c> name (no prefix), empty when there is none.</summary>
    internal ReadOnlyMemory<byte> RenameFrom { get; init; }

    /// <summary>Gets the <c>rename to</c>/<c>copy to</c> name (no prefix), empty when there is none.</summary>
    internal ReadOnlyMemory<byte> RenameTo { get; init; }

    /// <summary>Gets what git apply checks of the hunk bodies, when a streaming summary read dropped them (their
    /// <see cref="Hunk.Body"/> is then empty); <see langword="null"/> when the bodies are kept.</summary>
    internal HunkCheckSummary? StreamedChecks { get; init; }

    /// <summary>Renders this file patch as a unified diff (headers and hunks), as <see cref="PatchDocument.WriteTo"/> renders each file.</summary>
    /// <param name="output">Where the bytes go.</param>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is null.</exception>
    public void WriteTo(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        PatchWriter.Write(output, this);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Operation} {OldPath ?? "/dev/null"} -> {NewPath ?? "/dev/null"} ({Hunks.Count} hunks)";
}
