using System.Buffers;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace PatchKit.Advisories.Osv;

/// <summary>
/// Reads OSV 1.x records (JSON, plain or gzip) with source-generated System.Text.Json: one record from bytes or a file, or every record of a
/// folder tree as a stream of results that goes on past broken documents.
/// </summary>
public static class OsvReader
{
    /// <summary>Reads one record from UTF-8 JSON (a leading byte order mark is skipped).</summary>
    /// <param name="utf8Json">The record.</param>
    /// <param name="document">The name used in errors (a file path or a feed URL).</param>
    /// <returns>The record.</returns>
    /// <exception cref="AdvisoryFormatException">The bytes are not JSON, a member has the wrong type or an unknown value, or <c>id</c> or <c>modified</c> is missing; the message names the JSON path or byte offset.</exception>
    public static OsvRecord Parse(ReadOnlySpan<byte> utf8Json, string document)
    {
        ArgumentNullException.ThrowIfNull(document);
        ReadOnlySpan<byte> json = AdvisoryJson.SkipBom(utf8Json);
        OsvRecord? record;
        try
        {
            record = JsonSerializer.Deserialize(json, OsvJsonContext.Default.OsvRecord);
        }
        catch (JsonException e)
        {
            throw AdvisoryJson.ToFormatException(e, document, json, haveBytes: true, OsvJsonContext.Default.OsvRecord, utf8Json.Length - json.Length);
        }

        if (record is null)
        {
            throw new AdvisoryFormatException($"{document}: $: the document is null, wanted an OSV record (an object).", document, "$", 0, null);
        }

        if (string.IsNullOrEmpty(record.Id))
        {
            throw AdvisoryJson.Missing(document, "$.id");
        }

        if (record.Modified is null)
        {
            throw AdvisoryJson.Missing(document, "$.modified");
        }

        return record;
    }

    /// <summary>Reads one record from a file (<c>.json</c> or gzip-compressed).</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The record.</returns>
    /// <exception cref="AdvisoryFormatException">The file is not a readable OSV record (see <see cref="Parse"/>).</exception>
    public static async Task<OsvRecord> ReadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        (byte[] buffer, int length) = await AdvisoryJson.ReadAllAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            return Parse(buffer.AsSpan(0, length), path);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Reads every <c>*.json</c> and <c>*.json.gz</c> file under a folder (sub-folders included, in ordinal path order), one result per file.
    /// A broken document gives a result with its error and the enumeration goes on.
    /// </summary>
    /// <param name="folder">The folder.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The results, one at a time; only one file is in memory at once.</returns>
    public static async IAsyncEnumerable<OsvReadResult> ReadFolderAsync(string folder, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string[] files = [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(static f => f.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".json.gz", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)];
        foreach (string file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            OsvRecord? record = null;
            AdvisoryFormatException? error = null;
            try
            {
                record = await ReadFileAsync(file, cancellationToken).ConfigureAwait(false);
            }
            catch (AdvisoryFormatException e)
            {
                error = e;
            }

            yield return new OsvReadResult(file, record, error);
        }
    }

    /// <summary>
    /// Reads every <c>*.json</c> entry of a zip archive, the form osv.dev publishes its feeds in (<c>&lt;ecosystem&gt;/all.zip</c>), one
    /// result per entry in archive order; a broken entry gives a result with its error (named <c>archive!entry</c>) and the enumeration goes on.
    /// </summary>
    /// <param name="zip">The archive; it is not disposed. A stream that cannot seek is buffered whole by <see cref="ZipArchive"/>; pass a file stream for large feeds.</param>
    /// <param name="archiveName">The archive's name, used in the results' document names.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The results, one at a time; one entry's bytes are in memory at once.</returns>
    /// <exception cref="InvalidDataException">The stream is not a zip archive.</exception>
    public static async IAsyncEnumerable<OsvReadResult> ReadZipAsync(Stream zip, string archiveName, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(zip);
        ArgumentNullException.ThrowIfNull(archiveName);
        using var archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            foreach (ZipArchiveEntry entry in archive.Entries)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!entry.FullName.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                string document = archiveName + "!" + entry.FullName;
                int length = 0;
                Stream content = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using (content.ConfigureAwait(false))
                {
                    while (true)
                    {
                        if (length == buffer.Length)
                        {
                            byte[] bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                            buffer.AsSpan(0, length).CopyTo(bigger);
                            ArrayPool<byte>.Shared.Return(buffer);
                            buffer = bigger;
                        }

                        int n = await content.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                        if (n == 0)
                        {
                            break;
                        }

                        length += n;
                    }
                }

                OsvRecord? record = null;
                AdvisoryFormatException? error = null;
                try
                {
                    record = Parse(buffer.AsSpan(0, length), document);
                }
                catch (AdvisoryFormatException e)
                {
                    error = e;
                }

                yield return new OsvReadResult(document, record, error);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
