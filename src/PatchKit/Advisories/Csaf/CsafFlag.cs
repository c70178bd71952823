namespace PatchKit.Advisories.Csaf;

/// <summary>A flag (a VEX justification label) for products or groups.</summary>
public sealed class CsafFlag
{
    /// <summary>Gets the label (<c>vulnerable_code_not_present</c>, …).</summary>
    public string? Label { get; init; }

    /// <summary>Gets the date as written.</summary>
    public string? Date { get; init; }

    /// <summary>Gets the product ids.</summary>
    public IReadOnlyList<string> ProductIds { get; init => field = value ?? []; } = [];

    /// <summary>Gets the product group ids.</summary>
    public IReadOnlyList<string> GroupIds { get; init => field = value ?? []; } = [];
}
