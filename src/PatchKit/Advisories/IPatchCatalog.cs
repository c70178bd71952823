namespace PatchKit.Advisories;

/// <summary>Where patches come from: a JSON file now (<see cref="JsonPatchCatalog"/>), CSAF and OSV advisories later.</summary>
public interface IPatchCatalog
{
    /// <summary>Returns every patch the catalog knows, in a stable order.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The patches.</returns>
    ValueTask<IReadOnlyList<PatchDefinition>> GetPatchesAsync(CancellationToken cancellationToken);
}
