namespace PatchKit.Advisories.Csaf;

/// <summary>One hash of a file.</summary>
public sealed class CsafFileHash
{
    /// <summary>Gets the algorithm (<c>sha256</c>).</summary>
    public string? Algorithm { get; init; }

    /// <summary>Gets the hash value.</summary>
    public string? Value { get; init; }
}
