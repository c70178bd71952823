namespace PatchKit.Advisories.Osv;

/// <summary>A reference: its type (<c>ADVISORY</c>, <c>FIX</c>, <c>REPORT</c>, <c>WEB</c>, …) and URL.</summary>
public sealed class OsvReference
{
    /// <summary>Gets the reference type.</summary>
    public string? Type { get; init; }

    /// <summary>Gets the URL.</summary>
    public string? Url { get; init; }
}
