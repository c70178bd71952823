using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace PatchKit.Advisories.Csaf;

/// <summary>
/// Reads CSAF 2.0 documents with source-generated System.Text.Json. Streams and files (plain or gzip) are read incrementally into the model:
/// no DOM of the whole document is built, so a 12 MB advisory costs its model, not its text. Errors name the document and the JSON path
/// (and, for files, what was found there and the byte offset of a syntax error).
/// </summary>
public static class CsafReader
{
    /// <summary>Reads a document from UTF-8 JSON (a leading byte order mark is skipped).</summary>
    /// <param name="utf8Json">The document.</param>
    /// <param name="document">The name used in errors.</param>
    /// <returns>The document.</returns>
    /// <exception cref="AdvisoryFormatException">The bytes are not JSON, a member has the wrong type, or a required member is missing.</exception>
    public static CsafDocument Parse(ReadOnlySpan<byte> utf8Json, string document)
    {
        ArgumentNullException.ThrowIfNull(document);
        ReadOnlySpan<byte> json = AdvisoryJson.SkipBom(utf8Json);
        CsafDocument? result;
        try
        {
            result = JsonSerializer.Deserialize(json, CsafJsonContext.Default.CsafDocument);
        }
        catch (JsonException e)
        {
            throw AdvisoryJson.ToFormatException(e, document, json, haveBytes: true, CsafJsonContext.Default.CsafDocument, utf8Json.Length - json.Length);
        }

        return CheckRequired(result, document);
    }

    /// <summary>Reads a document from a stream without buffering all of it; a byte order mark is skipped. A stream that can seek is
    /// checked for gzip (decompressed) and zstd (refused with a message); pass a decompressing stream for a compressed stream that cannot seek.</summary>
    /// <param name="utf8Json">The stream; it is not disposed.</param>
    /// <param name="document">The name used in errors.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The document.</returns>
    /// <exception cref="AdvisoryFormatException">The stream is not a readable CSAF document; the message names the JSON path and line.</exception>
    public static async Task<CsafDocument> ReadAsync(Stream utf8Json, string document, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        ArgumentNullException.ThrowIfNull(document);
        Stream stream = await AdvisoryJson.OpenDecompressedAsync(utf8Json, document, cancellationToken).ConfigureAwait(false);
        try
        {
            CsafDocument? result = await JsonSerializer.DeserializeAsync(stream, CsafJsonContext.Default.CsafDocument, cancellationToken).ConfigureAwait(false);
            return CheckRequired(result, document);
        }
        catch (JsonException e)
        {
            throw AdvisoryJson.ToFormatException(e, document, default, haveBytes: false, CsafJsonContext.Default.CsafDocument);
        }
        finally
        {
            if (!ReferenceEquals(stream, utf8Json))
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads a document from a file (plain or gzip), streaming; on a format error the file is read again to name what was found and where.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The document.</returns>
    /// <exception cref="AdvisoryFormatException">The file is not a readable CSAF document.</exception>
    public static async Task<CsafDocument> ReadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return await ReadAsync(file, path, cancellationToken).ConfigureAwait(false);
        }
        catch (AdvisoryFormatException e) when (e.InnerException is JsonException)
        {
            // Second pass, only on failure: the bytes tell what was found at the path and the byte offset of a syntax error.
            (byte[] buffer, int length) = await AdvisoryJson.ReadAllAsync(path, cancellationToken).ConfigureAwait(false);
            try
            {
                ReadOnlySpan<byte> json = AdvisoryJson.SkipBom(buffer.AsSpan(0, length));
                throw AdvisoryJson.ToFormatException((JsonException)e.InnerException, path, json, haveBytes: true, CsafJsonContext.Default.CsafDocument, length - json.Length);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>
    /// Reads every <c>*.json</c>, <c>*.json.gz</c> and <c>*.json.zst</c> file under a folder (sub-folders included, in ordinal path order), one
    /// result per file, each streamed; a broken or zstd-compressed document gives a result with its error and the enumeration goes on.
    /// </summary>
    /// <param name="folder">The folder.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The results, one at a time.</returns>
    public static async IAsyncEnumerable<CsafReadResult> ReadFolderAsync(string folder, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string[] files = [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(static f => f.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".json.gz", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".json.zst", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)];
        foreach (string file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            CsafDocument? document = null;
            AdvisoryFormatException? error = null;
            try
            {
                document = await ReadFileAsync(file, cancellationToken).ConfigureAwait(false);
            }
            catch (AdvisoryFormatException e)
            {
                error = e;
            }

            yield return new CsafReadResult(file, document, error);
        }
    }

    private static CsafDocument CheckRequired(CsafDocument? result, string document)
    {
        if (result is null)
        {
            throw new AdvisoryFormatException($"{document}: $: the document is null, wanted a CSAF document (an object).", document, "$", 0, null);
        }

        if (result.Document is not { } meta)
        {
            throw AdvisoryJson.Missing(document, "$.document");
        }

        if (meta.Category is null)
        {
            throw AdvisoryJson.Missing(document, "$.document.category");
        }

        if (meta.CsafVersion is null)
        {
            throw AdvisoryJson.Missing(document, "$.document.csaf_version");
        }

        if (meta.Title is null)
        {
            throw AdvisoryJson.Missing(document, "$.document.title");
        }

        if (meta.Publisher is null)
        {
            throw AdvisoryJson.Missing(document, "$.document.publisher");
        }

        if (meta.Tracking is not { } tracking)
        {
            throw AdvisoryJson.Missing(document, "$.document.tracking");
        }

        if (tracking.Id is null)
        {
            throw AdvisoryJson.Missing(document, "$.document.tracking.id");
        }

        if (tracking.Status is null)
        {
            throw AdvisoryJson.Missing(document, "$.document.tracking.status");
        }

        if (tracking.Version is null)
        {
            throw AdvisoryJson.Missing(document, "$.document.tracking.version");
        }

        return result;
    }
}
