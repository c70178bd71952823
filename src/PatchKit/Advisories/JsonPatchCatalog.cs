using System.Text.Json;
using PatchKit.Internal;

namespace PatchKit.Advisories;

/// <summary>A catalog read from a JSON document (<see cref="PatchCatalogDocument"/>) or built from a list.</summary>
public sealed class JsonPatchCatalog : IPatchCatalog
{
    private readonly IReadOnlyList<PatchDefinition> _patches;

    /// <summary>Initializes a new instance of the <see cref="JsonPatchCatalog"/> class from patches.</summary>
    /// <param name="patches">The patches.</param>
    public JsonPatchCatalog(IEnumerable<PatchDefinition> patches)
    {
        ArgumentNullException.ThrowIfNull(patches);
        _patches = [.. patches];
    }

    /// <summary>Reads a catalog from UTF-8 JSON.</summary>
    /// <param name="utf8Json">The document.</param>
    /// <returns>The catalog.</returns>
    /// <exception cref="JsonException">The document is not a valid catalog: not JSON, an unknown key, a value of the wrong
    /// kind, a missing key, a duplicate patch id. The message lists every problem with its JSON path, line and column.</exception>
    public static JsonPatchCatalog Parse(ReadOnlySpan<byte> utf8Json)
    {
        var doc = JsonInput.Read(utf8Json, AdvisoriesJsonContext.Default.PatchCatalogDocument, "catalog", null, PatchCatalogValidator.Validate);
        return new JsonPatchCatalog(doc.Patches);
    }

    /// <summary>Reads a catalog file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The catalog.</returns>
    /// <exception cref="JsonException">The file is not a valid catalog; the message names the file and lists every problem
    /// with its JSON path, line and column.</exception>
    public static JsonPatchCatalog Load(string path) => JsonInput.Load(path, static bytes => Parse(bytes));

    /// <summary>Writes a catalog as UTF-8 JSON.</summary>
    /// <param name="patches">The patches.</param>
    /// <returns>The document.</returns>
    public static byte[] Serialize(IEnumerable<PatchDefinition> patches) =>
        JsonSerializer.SerializeToUtf8Bytes(new PatchCatalogDocument { Patches = [.. patches] }, AdvisoriesJsonContext.Default.PatchCatalogDocument);

    /// <inheritdoc/>
    public async IAsyncEnumerable<PatchDefinition> QueryAsync(PatchQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await Task.CompletedTask.ConfigureAwait(false);
        foreach (var p in _patches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (query.Matches(p))
            {
                yield return p;
            }
        }
    }
}
