namespace PatchKit.Advisories.Csaf;

/// <summary>A note (document or vulnerability level).</summary>
public sealed class CsafNote
{
    /// <summary>Gets the category (<c>description</c>, <c>details</c>, <c>general</c>, <c>summary</c>, <c>legal_disclaimer</c>, …).</summary>
    public string? Category { get; init; }

    /// <summary>Gets the text.</summary>
    public string? Text { get; init; }

    /// <summary>Gets the title.</summary>
    public string? Title { get; init; }

    /// <summary>Gets the audience.</summary>
    public string? Audience { get; init; }
}
