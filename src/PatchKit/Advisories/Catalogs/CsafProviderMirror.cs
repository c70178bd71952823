using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;

namespace PatchKit.Advisories.Catalogs;

/// <summary>What was found for one document of a ROLIE feed in a local mirror.</summary>
/// <param name="Url">The document's URL as the feed gives it.</param>
/// <param name="LocalPath">The mirrored file, or <see langword="null"/> when it is not in the mirror.</param>
/// <param name="HashAlgorithm">The hash file checked (<c>sha512</c>, <c>sha256</c>), or <see langword="null"/> when there is none.</param>
/// <param name="HashVerified">Whether the file's hash equals the hash file's.</param>
/// <param name="SignaturePresent">Whether the OpenPGP signature file (<c>.asc</c>) is in the mirror.</param>
/// <param name="Problem">What is wrong (missing file, hash mismatch, unreadable hash file, missing or bad signature when signatures
/// are checked), or <see langword="null"/>.</param>
public sealed record CsafMirrorEntry(string Url, string? LocalPath, string? HashAlgorithm, bool HashVerified, bool SignaturePresent, string? Problem)
{
    /// <summary>Gets the signature check, or <see langword="null"/> when signatures were not checked
    /// (<see cref="CsafProviderMirror.SignatureVerifier"/> not set) or the document could not be read.</summary>
    public CsafSignatureCheck? Signature { get; init; }
}

/// <summary>
/// A CSAF provider mirrored to a local folder: <c>provider-metadata.json</c> (at the folder's root or under <c>.well-known/csaf/</c>),
/// its ROLIE feeds and the documents they list, with their <c>.sha256</c>/<c>.sha512</c> files checked. URLs are looked up in the
/// folder by their path (<c>https://example.com/.well-known/csaf/white/2024/x.json</c> is <c>.well-known/csaf/white/2024/x.json</c>),
/// then by shorter and shorter tails of it. Signatures (<c>.asc</c>) are checked when <see cref="SignatureVerifier"/> is set (then a
/// document without a good signature is a problem and is left out of the catalog), else only reported present or absent.
/// </summary>
public sealed class CsafProviderMirror : IPatchCatalog
{
    private readonly string _root;

    /// <summary>Initializes a new instance of the <see cref="CsafProviderMirror"/> class.</summary>
    /// <param name="folder">The mirror's root folder.</param>
    public CsafProviderMirror(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        _root = folder;
    }

    /// <summary>Gets the verifier of the documents' OpenPGP signatures; <see langword="null"/> (the default) checks hashes only.</summary>
    public ICsafSignatureVerifier? SignatureVerifier { get; init; }

    /// <summary>Reads the OpenPGP keys the provider metadata names (<c>public_openpgp_keys</c>) and finds each in the mirror.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>One entry per key the metadata lists (none when it lists none).</returns>
    /// <exception cref="AdvisoryFormatException">The provider metadata is missing or not JSON; the message names the file.</exception>
    public async Task<IReadOnlyList<CsafPublicKey>> PublicKeysAsync(CancellationToken cancellationToken = default)
    {
        using JsonDocument meta = await ParseAsync(MetadataFile(), cancellationToken).ConfigureAwait(false);
        var keys = new List<CsafPublicKey>();
        if (meta.RootElement.ValueKind == JsonValueKind.Object && meta.RootElement.TryGetProperty("public_openpgp_keys", out JsonElement list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement key in list.EnumerateArray())
            {
                if (key.ValueKind == JsonValueKind.Object && key.TryGetProperty("url", out JsonElement u) && u.ValueKind == JsonValueKind.String)
                {
                    string? fingerprint = key.TryGetProperty("fingerprint", out JsonElement f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
                    keys.Add(new CsafPublicKey(u.GetString()!, fingerprint, Locate(u.GetString()!)));
                }
            }
        }

        return keys;
    }

    /// <summary>Reads the provider metadata and every feed, and checks each listed document.</summary>
    /// <param name="cancellationToken">Cancels the walk.</param>
    /// <returns>One entry per document a feed lists.</returns>
    /// <exception cref="AdvisoryFormatException">The provider metadata or a feed is missing or not what it should be; the message names the file.</exception>
    public async IAsyncEnumerable<CsafMirrorEntry> CheckAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string metadata = MetadataFile();
        using JsonDocument meta = await ParseAsync(metadata, cancellationToken).ConfigureAwait(false);
        if (!meta.RootElement.TryGetProperty("distributions", out JsonElement distributions) || distributions.ValueKind != JsonValueKind.Array)
        {
            throw new AdvisoryFormatException($"{metadata}: $.distributions: missing or not an array", metadata, "$.distributions", 0, null);
        }

        int d = 0;
        foreach (JsonElement distribution in distributions.EnumerateArray())
        {
            if (distribution.TryGetProperty("rolie", out JsonElement rolie) && rolie.TryGetProperty("feeds", out JsonElement feeds))
            {
                int f = 0;
                foreach (JsonElement feed in feeds.EnumerateArray())
                {
                    string at = $"$.distributions[{d}].rolie.feeds[{f}].url";
                    string url = feed.TryGetProperty("url", out JsonElement u) && u.ValueKind == JsonValueKind.String ? u.GetString()! : throw new AdvisoryFormatException($"{metadata}: {at}: missing", metadata, at, 0, null);
                    string feedFile = Locate(url) ?? throw new AdvisoryFormatException($"{metadata}: {at}: the feed {url} is not in the mirror", metadata, at, 0, null);
                    using JsonDocument feedDoc = await ParseAsync(feedFile, cancellationToken).ConfigureAwait(false);
                    if (!feedDoc.RootElement.TryGetProperty("feed", out JsonElement feedRoot) || !feedRoot.TryGetProperty("entry", out JsonElement entries) || entries.ValueKind != JsonValueKind.Array)
                    {
                        throw new AdvisoryFormatException($"{feedFile}: $.feed.entry: missing or not an array (not a ROLIE feed)", feedFile, "$.feed.entry", 0, null);
                    }

                    foreach (JsonElement entry in entries.EnumerateArray())
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        yield return await CheckEntryAsync(entry, cancellationToken).ConfigureAwait(false);
                    }

                    f++;
                }
            }

            if (distribution.TryGetProperty("directory_url", out JsonElement dir) && dir.ValueKind == JsonValueKind.String)
            {
                // A directory distribution: index.txt lists the documents by path under the directory; hashes and signatures lie beside them.
                string at = $"$.distributions[{d}].directory_url";
                string directory = dir.GetString()!.TrimEnd('/') + "/";
                string index = Locate(directory + "index.txt") ?? throw new AdvisoryFormatException($"{metadata}: {at}: the directory's index.txt ({directory}index.txt) is not in the mirror", metadata, at, 0, null);
                foreach (string line in await File.ReadAllLinesAsync(index, cancellationToken).ConfigureAwait(false))
                {
                    string path = line.Trim();
                    if (path.EndsWith(".json", StringComparison.Ordinal))
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        string url = Uri.TryCreate(directory, UriKind.Absolute, out Uri? b) && Uri.TryCreate(b, path, out Uri? u) ? u.ToString() : directory + path;
                        yield return await CheckDocumentAsync(url, null, null, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            d++;
        }
    }

    /// <inheritdoc/>
    /// <remarks>Only documents whose hash file is present and matches (and, when <see cref="SignatureVerifier"/> is set, whose signature is
    /// good) are read; the others are left out (see <see cref="CheckAsync"/>).</remarks>
    public async IAsyncEnumerable<PatchDefinition> QueryAsync(PatchQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await foreach (CsafMirrorEntry entry in CheckAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!entry.HashVerified || entry.LocalPath is null || entry.Signature is { Valid: false } || (SignatureVerifier is not null && entry.Signature is null))
            {
                continue;
            }

            AdvisoryDocument doc = await AdvisoryDocument.ReadFileAsync(entry.LocalPath, cancellationToken).ConfigureAwait(false);
            if (doc.Error is { } error)
            {
                throw error;
            }

            foreach (PatchDefinition patch in AdvisoryFolderCatalog.PatchesOf(doc))
            {
                if (query.Matches(patch))
                {
                    yield return patch;
                }
            }
        }
    }

    private async Task<CsafMirrorEntry> CheckEntryAsync(JsonElement entry, CancellationToken cancellationToken)
    {
        string? url = entry.TryGetProperty("content", out JsonElement content) && content.TryGetProperty("src", out JsonElement src) ? src.GetString() : null;
        string? hashUrl = null;
        string? signatureUrl = null;
        if (entry.TryGetProperty("link", out JsonElement links) && links.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement link in links.EnumerateArray())
            {
                string? rel = link.TryGetProperty("rel", out JsonElement r) ? r.GetString() : null;
                string? href = link.TryGetProperty("href", out JsonElement h) ? h.GetString() : null;
                if (rel == "self")
                {
                    url ??= href;
                }
                else if (rel == "hash" && href is not null && (hashUrl is null || href.EndsWith(".sha512", StringComparison.Ordinal)))
                {
                    hashUrl = href;
                }
                else if (rel == "signature")
                {
                    signatureUrl = href;
                }
            }
        }

        if (url is null)
        {
            return new CsafMirrorEntry("(none)", null, null, false, false, "the feed entry gives no content.src or self link");
        }

        return await CheckDocumentAsync(url, hashUrl, signatureUrl, cancellationToken).ConfigureAwait(false);
    }

    private async Task<CsafMirrorEntry> CheckDocumentAsync(string url, string? hashUrl, string? signatureUrl, CancellationToken cancellationToken)
    {
        string? local = Locate(url);
        hashUrl ??= url + ".sha512";
        string? hashFile = Locate(hashUrl) ?? Locate(url + ".sha256");
        string? signatureFile = Locate(signatureUrl ?? url + ".asc");
        bool signature = signatureFile is not null;
        if (local is null)
        {
            return new CsafMirrorEntry(url, null, null, false, signature, "the document is not in the mirror");
        }

        if (hashFile is null)
        {
            return new CsafMirrorEntry(url, local, null, false, signature, "no .sha512 or .sha256 file in the mirror");
        }

        string algorithm = hashFile.EndsWith(".sha512", StringComparison.Ordinal) ? "sha512" : "sha256";
        string text = (await File.ReadAllTextAsync(hashFile, cancellationToken).ConfigureAwait(false)).Trim();
        string expected = text.Split([' ', '\t'], 2)[0].ToLowerInvariant();
        byte[] bytes = await File.ReadAllBytesAsync(local, cancellationToken).ConfigureAwait(false);
        string actual = Convert.ToHexStringLower(algorithm == "sha512" ? SHA512.HashData(bytes) : SHA256.HashData(bytes));
        if (expected.Length != actual.Length)
        {
            return new CsafMirrorEntry(url, local, algorithm, false, signature, $"{Path.GetFileName(hashFile)} does not hold a {algorithm} hash");
        }

        if (expected != actual)
        {
            return new CsafMirrorEntry(url, local, algorithm, false, signature, $"{algorithm} mismatch: {Path.GetFileName(hashFile)} says {expected}, the file is {actual}");
        }

        if (SignatureVerifier is null)
        {
            return new CsafMirrorEntry(url, local, algorithm, true, signature, null);
        }

        CsafSignatureCheck check = signatureFile is null
            ? new CsafSignatureCheck(false, "no .asc signature in the mirror")
            : SignatureVerifier.Verify(bytes, await File.ReadAllBytesAsync(signatureFile, cancellationToken).ConfigureAwait(false));
        return new CsafMirrorEntry(url, local, algorithm, true, signature, check.Valid ? null : check.Detail) { Signature = check };
    }

    /// <summary>Whether a folder is a CSAF provider mirror: it holds <c>provider-metadata.json</c> at its root or under <c>.well-known/csaf/</c>.</summary>
    /// <param name="folder">The folder.</param>
    /// <returns><see langword="true"/> when it does.</returns>
    public static bool IsMirror(string folder) =>
        File.Exists(Path.Combine(folder, "provider-metadata.json")) || File.Exists(Path.Combine(folder, ".well-known", "csaf", "provider-metadata.json"));

    private string MetadataFile() => Find("provider-metadata.json") ?? Find(".well-known/csaf/provider-metadata.json")
        ?? throw new AdvisoryFormatException($"{_root}: no provider-metadata.json in the mirror (nor under .well-known/csaf/)", _root, "$", 0, null);

    private static async Task<JsonDocument> ParseAsync(string path, CancellationToken cancellationToken)
    {
        await using FileStream file = File.OpenRead(path);
        try
        {
            return await JsonDocument.ParseAsync(file, default, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new AdvisoryFormatException($"{path}: not JSON: {e.Message}", path, e.Path ?? "$", e.BytePositionInLine ?? 0, e);
        }
    }

    private string? Find(string relative)
    {
        string path = Path.Combine(_root, relative);
        return File.Exists(path) ? path : null;
    }

    /// <summary>A URL's file in the mirror: its whole path, then shorter tails.</summary>
    private string? Locate(string url)
    {
        string path = Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) ? Uri.UnescapeDataString(uri.AbsolutePath) : url;
        string[] segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < segments.Length; i++)
        {
            if (segments[i..].Any(static s => s == ".."))
            {
                return null;
            }

            string candidate = Path.Combine([_root, .. segments[i..]]);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
