namespace PatchKit.Advisories.Csaf;

/// <summary>The <c>/product_tree</c> member: branches, full product names, relationships and product groups.</summary>
public sealed class CsafProductTree
{
    /// <summary>Gets the top-level branches.</summary>
    public IReadOnlyList<CsafBranch> Branches { get; init => field = value ?? []; } = [];

    /// <summary>Gets the full product names.</summary>
    public IReadOnlyList<CsafFullProductName> FullProductNames { get; init => field = value ?? []; } = [];

    /// <summary>Gets the relationships.</summary>
    public IReadOnlyList<CsafRelationship> Relationships { get; init => field = value ?? []; } = [];

    /// <summary>Gets the product groups.</summary>
    public IReadOnlyList<CsafProductGroup> ProductGroups { get; init => field = value ?? []; } = [];
}
