namespace PatchKit.Advisories.Csaf;

/// <summary>Who published the document.</summary>
public sealed class CsafPublisher
{
    /// <summary>Gets the category (<c>vendor</c>, <c>coordinator</c>, <c>translator</c>, …).</summary>
    public string? Category { get; init; }

    /// <summary>Gets the name.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the namespace URL.</summary>
    public string? Namespace { get; init; }

    /// <summary>Gets the contact details.</summary>
    public string? ContactDetails { get; init; }

    /// <summary>Gets the issuing authority.</summary>
    public string? IssuingAuthority { get; init; }
}
