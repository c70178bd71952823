using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using PatchKit.Advisories.Csaf;
using PatchKit.Advisories.Cve;
using PatchKit.Advisories.Osv;

namespace PatchKit.Advisories.Catalogs;

/// <summary>One advisory file of a folder, recognised by its top-level members: a CSAF document (<c>document</c>), a CVE JSON 5 record
/// (<c>cveMetadata</c>) or an OSV record (anything else), or the error that kept it from being read.</summary>
/// <param name="Path">The file.</param>
/// <param name="Osv">The OSV record, or <see langword="null"/>.</param>
/// <param name="Csaf">The CSAF document, or <see langword="null"/>.</param>
/// <param name="Cve">The CVE record, or <see langword="null"/>.</param>
/// <param name="Error">Why it could not be read, or <see langword="null"/>.</param>
public sealed record AdvisoryDocument(string Path, OsvRecord? Osv, CsafDocument? Csaf, CveRecord? Cve, AdvisoryFormatException? Error)
{
    /// <summary>Reads every <c>*.json</c> and <c>*.json.gz</c> file under a folder (sub-folders included, ordinal path order; <c>provider-metadata.json</c>,
    /// ROLIE feeds and <c>index.json</c>-style files that are none of the three give an error result), one at a time; a broken file gives a
    /// result with its error and the enumeration goes on.</summary>
    /// <param name="folder">The folder, or one file.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The documents.</returns>
    public static async IAsyncEnumerable<AdvisoryDocument> ReadFolderAsync(string folder, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string[] files = File.Exists(folder) ? [folder] : [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(static f => f.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".json.gz", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)];
        foreach (string file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return await ReadFileAsync(file, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads one advisory file of any of the three formats.</summary>
    /// <param name="path">The file (plain or gzip).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The document, or its error.</returns>
    public static async Task<AdvisoryDocument> ReadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[]? buffer = null;
        try
        {
            (buffer, int length) = await AdvisoryJson.ReadAllAsync(path, cancellationToken).ConfigureAwait(false);
            ReadOnlySpan<byte> json = buffer.AsSpan(0, length);
            return KindOf(AdvisoryJson.SkipBom(json)) switch
            {
                "csaf" => new AdvisoryDocument(path, null, CsafReader.Parse(json, path), null, null),
                "cve" => new AdvisoryDocument(path, null, null, CveReader.Parse(json, path), null),
                _ => new AdvisoryDocument(path, OsvReader.Parse(json, path), null, null, null),
            };
        }
        catch (AdvisoryFormatException e)
        {
            return new AdvisoryDocument(path, null, null, null, e);
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static string KindOf(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return "osv";
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("document"u8) || reader.ValueTextEquals("product_tree"u8))
                {
                    return "csaf";
                }

                if (reader.ValueTextEquals("cveMetadata"u8) || reader.ValueTextEquals("dataType"u8))
                {
                    return "cve";
                }

                if (!reader.Read() || !reader.TrySkip())
                {
                    break;
                }
            }
        }
        catch (JsonException)
        {
            // The reader of the guessed format names the problem.
        }

        return "osv";
    }
}
