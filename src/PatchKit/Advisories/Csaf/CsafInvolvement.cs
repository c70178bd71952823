namespace PatchKit.Advisories.Csaf;

/// <summary>An involvement of a party in handling the vulnerability.</summary>
public sealed class CsafInvolvement
{
    /// <summary>Gets the party category.</summary>
    public string? Party { get; init; }

    /// <summary>Gets the status.</summary>
    public string? Status { get; init; }

    /// <summary>Gets the date as written.</summary>
    public string? Date { get; init; }

    /// <summary>Gets the summary.</summary>
    public string? Summary { get; init; }
}
