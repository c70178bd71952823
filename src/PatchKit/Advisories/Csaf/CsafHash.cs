namespace PatchKit.Advisories.Csaf;

/// <summary>Hashes of one file.</summary>
public sealed class CsafHash
{
    /// <summary>Gets the file name.</summary>
    public string? Filename { get; init; }

    /// <summary>Gets the hashes.</summary>
    public IReadOnlyList<CsafFileHash> FileHashes { get; init => field = value ?? []; } = [];
}
