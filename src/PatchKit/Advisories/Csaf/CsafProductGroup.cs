namespace PatchKit.Advisories.Csaf;

/// <summary>A named group of product ids.</summary>
public sealed class CsafProductGroup
{
    /// <summary>Gets the group id.</summary>
    public string? GroupId { get; init; }

    /// <summary>Gets the product ids.</summary>
    public IReadOnlyList<string> ProductIds { get; init => field = value ?? []; } = [];

    /// <summary>Gets the summary.</summary>
    public string? Summary { get; init; }
}
