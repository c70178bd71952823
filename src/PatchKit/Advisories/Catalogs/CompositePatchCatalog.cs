using System.Runtime.CompilerServices;

namespace PatchKit.Advisories.Catalogs;

/// <summary>Several catalogs as one: each is asked in turn with the same query; the first to name a patch id wins, later ones with the
/// same id are skipped.</summary>
public sealed class CompositePatchCatalog : IPatchCatalog
{
    private readonly IPatchCatalog[] _catalogs;

    /// <summary>Initializes a new instance of the <see cref="CompositePatchCatalog"/> class.</summary>
    /// <param name="catalogs">The catalogs, in order of precedence.</param>
    public CompositePatchCatalog(params IEnumerable<IPatchCatalog> catalogs)
    {
        ArgumentNullException.ThrowIfNull(catalogs);
        _catalogs = [.. catalogs];
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<PatchDefinition> QueryAsync(PatchQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (IPatchCatalog catalog in _catalogs)
        {
            await foreach (PatchDefinition patch in catalog.QueryAsync(query, cancellationToken).ConfigureAwait(false))
            {
                if (seen.Add(patch.Id))
                {
                    yield return patch;
                }
            }
        }
    }
}
