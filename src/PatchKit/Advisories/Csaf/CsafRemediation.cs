using System.Text.Json;

namespace PatchKit.Advisories.Csaf;

/// <summary>A remediation: category, details, URL (a KB or an errata page), and the products or groups it is for.</summary>
public sealed class CsafRemediation
{
    /// <summary>Gets the category (<c>vendor_fix</c>, <c>workaround</c>, <c>mitigation</c>, <c>no_fix_planned</c>, <c>none_available</c>).</summary>
    public string? Category { get; init; }

    /// <summary>Gets the details.</summary>
    public string? Details { get; init; }

    /// <summary>Gets the URL, or <see langword="null"/>.</summary>
    public string? Url { get; init; }

    /// <summary>Gets the product ids.</summary>
    public IReadOnlyList<string> ProductIds { get; init => field = value ?? []; } = [];

    /// <summary>Gets the product group ids.</summary>
    public IReadOnlyList<string> GroupIds { get; init => field = value ?? []; } = [];

    /// <summary>Gets the date as written.</summary>
    public string? Date { get; init; }

    /// <summary>Gets the entitlements.</summary>
    public IReadOnlyList<string> Entitlements { get; init => field = value ?? []; } = [];

    /// <summary>Gets the restart-required member as raw JSON, or <see langword="null"/>.</summary>
    public JsonElement? RestartRequired { get; init; }
}
