using System.Text.Json;

namespace PatchKit.Advisories.Csaf;

/// <summary>CVSS scores for some products; the CVSS objects are kept as raw JSON.</summary>
public sealed class CsafScore
{
    /// <summary>Gets the product ids.</summary>
    public IReadOnlyList<string> Products { get; init => field = value ?? []; } = [];

    /// <summary>Gets the CVSS v2 object, or <see langword="null"/>.</summary>
    public JsonElement? CvssV2 { get; init; }

    /// <summary>Gets the CVSS v3 object, or <see langword="null"/>.</summary>
    public JsonElement? CvssV3 { get; init; }
}
