namespace PatchKit.Advisories.Csaf;

/// <summary>A product with its id, name and identification helper.</summary>
public sealed class CsafFullProductName
{
    /// <summary>Gets the product id.</summary>
    public string? ProductId { get; init; }

    /// <summary>Gets the name.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the identification helper, or <see langword="null"/>.</summary>
    public CsafProductIdentificationHelper? ProductIdentificationHelper { get; init; }
}
