using System.Diagnostics.CodeAnalysis;

namespace PatchKit.Advisories.Osv;

/// <summary>One file of a folder read by <see cref="OsvReader.ReadFolderAsync"/>: its record, or the error that made it unreadable.</summary>
/// <param name="Document">The file path.</param>
/// <param name="Record">The record, or <see langword="null"/> when <paramref name="Error"/> is set.</param>
/// <param name="Error">The format error, or <see langword="null"/> when the record was read.</param>
public sealed record OsvReadResult(string Document, OsvRecord? Record, AdvisoryFormatException? Error)
{
    /// <summary>Gets a value indicating whether the record was read.</summary>
    [MemberNotNullWhen(true, nameof(Record))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Record is not null;
}
