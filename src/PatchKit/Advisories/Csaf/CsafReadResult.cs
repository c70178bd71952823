using System.Diagnostics.CodeAnalysis;

namespace PatchKit.Advisories.Csaf;

/// <summary>One file of a folder read by <see cref="CsafReader.ReadFolderAsync"/>: its document, or the error that made it unreadable.</summary>
/// <param name="Path">The file path.</param>
/// <param name="Document">The document, or <see langword="null"/> when <paramref name="Error"/> is set.</param>
/// <param name="Error">The format error, or <see langword="null"/> when the document was read.</param>
public sealed record CsafReadResult(string Path, CsafDocument? Document, AdvisoryFormatException? Error)
{
    /// <summary>Gets a value indicating whether the document was read.</summary>
    [MemberNotNullWhen(true, nameof(Document))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Document is not null;
}
