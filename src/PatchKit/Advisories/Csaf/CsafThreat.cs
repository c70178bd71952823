namespace PatchKit.Advisories.Csaf;

/// <summary>A threat (<c>impact</c>, <c>exploit_status</c>, <c>target_set</c>) for products or groups.</summary>
public sealed class CsafThreat
{
    /// <summary>Gets the category.</summary>
    public string? Category { get; init; }

    /// <summary>Gets the details.</summary>
    public string? Details { get; init; }

    /// <summary>Gets the date as written.</summary>
    public string? Date { get; init; }

    /// <summary>Gets the product ids.</summary>
    public IReadOnlyList<string> ProductIds { get; init => field = value ?? []; } = [];

    /// <summary>Gets the product group ids.</summary>
    public IReadOnlyList<string> GroupIds { get; init => field = value ?? []; } = [];
}
