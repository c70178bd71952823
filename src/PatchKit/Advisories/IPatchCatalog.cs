namespace PatchKit.Advisories;

/// <summary>Where patches come from: a JSON catalog, a folder of CSAF or OSV documents, a vendor feed. Resolve asks
/// every catalog of the run with what Reach saw and composes the answers (the first catalog to name a patch id wins).</summary>
public interface IPatchCatalog
{
    /// <summary>Streams the patches that can matter to the fleet the query describes. A large source (an OSV dump)
    /// reads only what it needs and never holds the whole feed.</summary>
    /// <param name="query">What Reach saw.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The patches, in any order.</returns>
    IAsyncEnumerable<PatchDefinition> QueryAsync(PatchQuery query, CancellationToken cancellationToken);
}
