using System.Globalization;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using PatchKit.Advisories.Catalogs;

namespace PatchKit.Advisories.OpenPgp;

/// <summary>A public key file that cannot be used: not OpenPGP, or not the key the provider metadata says it is. The message names the file.</summary>
public sealed class OpenPgpKeyException : PatchKitException
{
    /// <summary>Initializes a new instance of the <see cref="OpenPgpKeyException"/> class.</summary>
    /// <param name="message">The message, naming the key file.</param>
    /// <param name="innerException">The cause, if any.</param>
    public OpenPgpKeyException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Checks detached OpenPGP signatures (<c>.asc</c>, as CSAF providers publish them beside each document) against a set of trusted
/// public keys: the keys a provider names in <c>public_openpgp_keys</c> (fingerprints checked against what the metadata states) or keys
/// given by the user. A signature is good only when it verifies over the document's bytes with a trusted, unrevoked key (or a subkey of
/// one).
/// </summary>
public sealed class OpenPgpSignatureVerifier : ICsafSignatureVerifier
{
    private readonly Dictionary<long, (PgpPublicKey Key, string Fingerprint, string Owner)> _keys = [];
    private readonly List<string> _fingerprints = [];

    /// <summary>Gets the fingerprints (upper-case hex) of the trusted primary keys.</summary>
    public IReadOnlyList<string> Fingerprints => _fingerprints;

    /// <summary>Reads the key to trust from the CSAF provider mirror's <c>public_openpgp_keys</c>: for each listed key, its file in the
    /// mirror, whose fingerprint must be the one the metadata states (when it states one).</summary>
    /// <param name="keys">The keys <see cref="CsafProviderMirror.PublicKeysAsync"/> found.</param>
    /// <param name="problems">Receives one line per key that could not be used (not fetched, unreadable, other fingerprint), naming its URL.</param>
    /// <returns>The verifier; it trusts no key when none could be used (every signature is then reported as made by an unknown key).</returns>
    public static OpenPgpSignatureVerifier ForProvider(IEnumerable<CsafPublicKey> keys, out IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var verifier = new OpenPgpSignatureVerifier();
        var found = new List<string>();
        foreach (CsafPublicKey key in keys)
        {
            if (key.LocalPath is null)
            {
                found.Add($"{key.Url}: the provider's OpenPGP key was not fetched");
                continue;
            }

            try
            {
                using FileStream file = File.OpenRead(key.LocalPath);
                verifier.AddKeys(file, key.Url, key.Fingerprint);
            }
            catch (OpenPgpKeyException e)
            {
                found.Add(e.Message);
            }
            catch (IOException e)
            {
                found.Add($"{key.Url}: {e.Message}");
            }
        }

        problems = found;
        return verifier;
    }

    /// <summary>Trusts the public keys of a key file (ASCII-armoured or binary; one or more keys).</summary>
    /// <param name="keyFile">The key file's content.</param>
    /// <param name="source">Where it comes from (a file or URL), for messages.</param>
    /// <param name="expectedFingerprint">The fingerprint the key must have (hex, spaces ignored), or <see langword="null"/> to trust any key in the file.</param>
    /// <returns>The fingerprints of the primary keys added.</returns>
    /// <exception cref="OpenPgpKeyException">The file holds no OpenPGP public key, or not the expected one; the message names <paramref name="source"/>.</exception>
    public IReadOnlyList<string> AddKeys(Stream keyFile, string source, string? expectedFingerprint = null)
    {
        ArgumentNullException.ThrowIfNull(keyFile);
        ArgumentNullException.ThrowIfNull(source);
        PgpPublicKeyRingBundle bundle;
        try
        {
            bundle = new PgpPublicKeyRingBundle(PgpUtilities.GetDecoderStream(keyFile));
        }
        catch (Exception e) when (e is PgpException or IOException or ArgumentException or InvalidOperationException)
        {
            throw new OpenPgpKeyException($"{source}: not an OpenPGP public key ({e.Message})", e);
        }

        string? expected = expectedFingerprint?.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        var added = new List<string>();
        var seen = new List<string>();
        foreach (PgpPublicKeyRing ring in bundle.GetKeyRings())
        {
            PgpPublicKey primary = ring.GetPublicKey();
            string fingerprint = Convert.ToHexString(primary.GetFingerprint());
            seen.Add(fingerprint);
            if (expected is not null && !string.Equals(fingerprint, expected, StringComparison.Ordinal))
            {
                continue;
            }

            string owner = primary.GetUserIds().FirstOrDefault() ?? string.Empty;
            foreach (PgpPublicKey key in ring.GetPublicKeys())
            {
                _keys[key.KeyId] = (key, fingerprint, owner);
            }

            if (!_fingerprints.Contains(fingerprint))
            {
                _fingerprints.Add(fingerprint);
            }

            added.Add(fingerprint);
        }

        if (added.Count == 0)
        {
            throw new OpenPgpKeyException(seen.Count == 0
                ? $"{source}: holds no OpenPGP public key"
                : $"{source}: the key is {string.Join(", ", seen)}, not {expected} as the provider metadata says", null);
        }

        return added;
    }

    /// <inheritdoc/>
    public CsafSignatureCheck Verify(byte[] document, byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(signature);
        PgpSignatureList? list;
        try
        {
            using Stream decoder = PgpUtilities.GetDecoderStream(new MemoryStream(signature, writable: false));
            var factory = new PgpObjectFactory(decoder);
            PgpObject? o = factory.NextPgpObject();
            if (o is PgpCompressedData compressed)
            {
                o = new PgpObjectFactory(compressed.GetDataStream()).NextPgpObject();
            }

            list = o as PgpSignatureList;
        }
        catch (Exception e) when (e is PgpException or IOException or ArgumentException or InvalidOperationException)
        {
            return new CsafSignatureCheck(false, $"not an OpenPGP signature ({e.Message})");
        }

        if (list is null || list.Count == 0)
        {
            return new CsafSignatureCheck(false, "not an OpenPGP signature");
        }

        string? unknown = null;
        for (int i = 0; i < list.Count; i++)
        {
            PgpSignature sig = list[i];
            string keyId = sig.KeyId.ToString("X16", CultureInfo.InvariantCulture);
            if (!_keys.TryGetValue(sig.KeyId, out var trusted))
            {
                unknown ??= keyId;
                continue;
            }

            if (trusted.Key.HasRevocation())
            {
                return new CsafSignatureCheck(false, $"signed by key {keyId} of {trusted.Fingerprint}, which is revoked");
            }

            bool good;
            try
            {
                sig.InitVerify(trusted.Key);
                byte[] data = sig.SignatureType == PgpSignature.CanonicalTextDocument ? Canonical(document) : document;
                sig.Update(data, 0, data.Length);
                good = sig.Verify();
            }
            catch (PgpException e)
            {
                return new CsafSignatureCheck(false, $"signature by {trusted.Fingerprint} could not be checked ({e.Message})");
            }

            string who = trusted.Owner.Length > 0 ? $" ({trusted.Owner})" : string.Empty;
            return good
                ? new CsafSignatureCheck(true, $"good signature by {trusted.Fingerprint}{who}")
                : new CsafSignatureCheck(false, $"bad signature by {trusted.Fingerprint}{who}: the document is not what was signed");
        }

        return new CsafSignatureCheck(false, $"signed by key {unknown}, which is not one of the trusted keys ({(_fingerprints.Count == 0 ? "none" : string.Join(", ", _fingerprints))})");
    }

    /// <summary>A text signature is over the text with CR LF line ends (RFC 4880 5.2.1).</summary>
    private static byte[] Canonical(byte[] document)
    {
        var output = new MemoryStream(document.Length + (document.Length / 32));
        for (int i = 0; i < document.Length; i++)
        {
            if (document[i] == (byte)'\n' && (i == 0 || document[i - 1] != (byte)'\r'))
            {
                output.WriteByte((byte)'\r');
            }

            output.WriteByte(document[i]);
        }

        return output.ToArray();
    }
}
