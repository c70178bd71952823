namespace PatchKit.Advisories.Osv;

/// <summary>A severity score: its type (<c>CVSS_V3</c>, <c>CVSS_V4</c>, <c>Ubuntu</c>) and the score or vector string.</summary>
public sealed class OsvSeverity
{
    /// <summary>Gets the score type.</summary>
    public string? Type { get; init; }

    /// <summary>Gets the score (a vector string for CVSS).</summary>
    public string? Score { get; init; }
}
