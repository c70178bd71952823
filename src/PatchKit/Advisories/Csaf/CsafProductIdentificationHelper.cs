using System.Text.Json;

namespace PatchKit.Advisories.Csaf;

/// <summary>How to recognise a product: CPE, package URL, hashes, model and serial numbers.</summary>
public sealed class CsafProductIdentificationHelper
{
    /// <summary>Gets the CPE.</summary>
    public string? Cpe { get; init; }

    /// <summary>Gets the package URL.</summary>
    public string? Purl { get; init; }

    /// <summary>Gets file hashes.</summary>
    public IReadOnlyList<CsafHash> Hashes { get; init => field = value ?? []; } = [];

    /// <summary>Gets model numbers.</summary>
    public IReadOnlyList<string> ModelNumbers { get; init => field = value ?? []; } = [];

    /// <summary>Gets SBOM URLs.</summary>
    public IReadOnlyList<string> SbomUrls { get; init => field = value ?? []; } = [];

    /// <summary>Gets serial numbers.</summary>
    public IReadOnlyList<string> SerialNumbers { get; init => field = value ?? []; } = [];

    /// <summary>Gets stock keeping units.</summary>
    public IReadOnlyList<string> Skus { get; init => field = value ?? []; } = [];

    /// <summary>Gets generic URIs as raw JSON, or <see langword="null"/>.</summary>
    public JsonElement? XGenericUris { get; init; }
}
