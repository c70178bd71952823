namespace PatchKit.Advisories;

/// <summary>The JSON shape of a patch catalog file: <c>{ "patches": [ ... ] }</c>.</summary>
public sealed record PatchCatalogDocument
{
    /// <summary>Gets the patches.</summary>
    public IReadOnlyList<PatchDefinition> Patches { get; set; } = [];
}
