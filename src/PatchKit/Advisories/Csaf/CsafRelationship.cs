namespace PatchKit.Advisories.Csaf;

/// <summary>A relationship that defines a product from two others (<c>default_component_of</c>, …).</summary>
public sealed class CsafRelationship
{
    /// <summary>Gets the category.</summary>
    public string? Category { get; init; }

    /// <summary>Gets the product id of the component.</summary>
    public string? ProductReference { get; init; }

    /// <summary>Gets the product id it relates to.</summary>
    public string? RelatesToProductReference { get; init; }

    /// <summary>Gets the product the relationship defines.</summary>
    public CsafFullProductName? FullProductName { get; init; }
}
