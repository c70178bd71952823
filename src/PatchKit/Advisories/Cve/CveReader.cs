using System.Text.Json;

namespace PatchKit.Advisories.Cve;

/// <summary>Reads CVE JSON 5 records (plain or gzip) with source-generated System.Text.Json.</summary>
public static class CveReader
{
    /// <summary>Reads one record from UTF-8 JSON.</summary>
    /// <param name="utf8Json">The record.</param>
    /// <param name="document">The name used in errors.</param>
    /// <returns>The record.</returns>
    /// <exception cref="AdvisoryFormatException">The bytes are not a CVE record; the message names the JSON path.</exception>
    public static CveRecord Parse(ReadOnlySpan<byte> utf8Json, string document)
    {
        ArgumentNullException.ThrowIfNull(document);
        ReadOnlySpan<byte> json = AdvisoryJson.SkipBom(utf8Json);
        CveRecord? record;
        try
        {
            record = JsonSerializer.Deserialize(json, CveJsonContext.Default.CveRecord);
        }
        catch (JsonException e)
        {
            throw AdvisoryJson.ToFormatException(e, document, json, haveBytes: true, CveJsonContext.Default.CveRecord, utf8Json.Length - json.Length);
        }

        if (record?.CveMetadata?.CveId is not { Length: > 0 })
        {
            throw AdvisoryJson.Missing(document, "$.cveMetadata.cveId");
        }

        return record;
    }

    /// <summary>Reads one record from a file (<c>.json</c> or gzip-compressed).</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The record.</returns>
    /// <exception cref="AdvisoryFormatException">The file is not a CVE record.</exception>
    public static async Task<CveRecord> ReadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        (byte[] buffer, int length) = await AdvisoryJson.ReadAllAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            return Parse(buffer.AsSpan(0, length), path);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
