namespace PatchKit.Advisories.Catalogs;

/// <summary>The outcome of checking one document's OpenPGP signature (<c>.asc</c>).</summary>
/// <param name="Valid">Whether the signature is good and made by a trusted key.</param>
/// <param name="Detail">What was found, in words: <c>good signature by 0123…CDEF (Red Hat, Inc.)</c>, <c>bad signature by …</c>,
/// <c>signed by key 0x… which is not one of the provider's keys</c>, <c>not an OpenPGP signature</c>.</param>
public sealed record CsafSignatureCheck(bool Valid, string Detail);

/// <summary>Checks the detached OpenPGP signatures of CSAF documents (the <c>PatchKit.Advisories.OpenPgp</c> package implements it,
/// so the core takes no cryptography dependency).</summary>
public interface ICsafSignatureVerifier
{
    /// <summary>Checks a detached signature over a document's bytes.</summary>
    /// <param name="document">The document, byte for byte as fetched.</param>
    /// <param name="signature">The signature file (ASCII-armoured or binary).</param>
    /// <returns>Whether it is good, and why not.</returns>
    CsafSignatureCheck Verify(byte[] document, byte[] signature);
}

/// <summary>An OpenPGP key a CSAF provider names in <c>public_openpgp_keys</c> of its metadata.</summary>
/// <param name="Url">The key's URL as the metadata gives it.</param>
/// <param name="Fingerprint">The fingerprint the metadata states for it (hex, as written), or <see langword="null"/>.</param>
/// <param name="LocalPath">The key's file in the mirror, or <see langword="null"/> when it was not fetched.</param>
public sealed record CsafPublicKey(string Url, string? Fingerprint, string? LocalPath);
