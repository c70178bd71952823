namespace PatchKit.Advisories.Csaf;

/// <summary>A reference (document or vulnerability level).</summary>
public sealed class CsafReference
{
    /// <summary>Gets the category (<c>self</c> or <c>external</c>).</summary>
    public string? Category { get; init; }

    /// <summary>Gets the summary.</summary>
    public string? Summary { get; init; }

    /// <summary>Gets the URL.</summary>
    public string? Url { get; init; }
}
