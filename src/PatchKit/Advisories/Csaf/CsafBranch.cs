namespace PatchKit.Advisories.Csaf;

/// <summary>A branch of the product tree: a category and name, sub-branches, or a product at a leaf.</summary>
public sealed class CsafBranch
{
    /// <summary>Gets the category (<c>vendor</c>, <c>product_name</c>, <c>product_version</c>, <c>architecture</c>, …).</summary>
    public string? Category { get; init; }

    /// <summary>Gets the name.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the sub-branches.</summary>
    public IReadOnlyList<CsafBranch> Branches { get; init => field = value ?? []; } = [];

    /// <summary>Gets the product at this leaf, or <see langword="null"/>.</summary>
    public CsafFullProductName? Product { get; init; }
}
