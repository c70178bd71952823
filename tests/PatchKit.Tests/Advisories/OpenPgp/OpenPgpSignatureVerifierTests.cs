using PatchKit.Advisories.Catalogs;
using PatchKit.Advisories.OpenPgp;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Advisories.OpenPgp;

/// <summary>Two keys made by the real gpg once for the class (RSA 3072 as providers use, Ed25519) and a real Red Hat CSAF document of
/// the corpus signed by each.</summary>
public sealed class GpgKeysFixture : IDisposable
{
    public const string Document = "advisories/csaf/vendor/redhat/rhsa-2024_4546.json";

    private readonly Lazy<Made> _made;

    public GpgKeysFixture() => _made = new Lazy<Made>(Make);

    public Made Keys => _made.Value;

    public void Dispose()
    {
        if (_made.IsValueCreated)
        {
            _made.Value.Gpg.Dispose();
            _made.Value.Dir.Dispose();
        }
    }

    private static Made Make()
    {
        var gpg = new Gpg();
        var dir = new TempDir();
        string rsa = gpg.GenerateKey("PatchKit Test Provider <csaf@provider.example>", "rsa3072");
        string ed = gpg.GenerateKey("Someone Else <other@example.invalid>", "ed25519");
        string doc = Path.Combine(dir.Path, "rhsa-2024_4546.json");
        File.Copy(Corpus.Require(Document), doc);
        string edDoc = Path.Combine(dir.Path, "ed", "rhsa-2024_4546.json");
        Directory.CreateDirectory(Path.GetDirectoryName(edDoc)!);
        File.Copy(doc, edDoc);
        gpg.Sign(rsa, doc);
        gpg.Sign(ed, edDoc);
        return new Made(gpg, dir, rsa, gpg.ExportArmored(rsa), ed, gpg.ExportArmored(ed), File.ReadAllBytes(doc), File.ReadAllBytes(doc + ".asc"), File.ReadAllBytes(edDoc + ".asc"));
    }

    public sealed record Made(Gpg Gpg, TempDir Dir, string Rsa, byte[] RsaKey, string Ed, byte[] EdKey, byte[] Document, byte[] RsaSignature, byte[] EdSignature);
}

/// <summary>The OpenPGP package against signatures and keys made by the real gpg.</summary>
public sealed class OpenPgpSignatureVerifierTests(GpgKeysFixture fixture) : IClassFixture<GpgKeysFixture>
{
    private static OpenPgpSignatureVerifier Trusting(byte[] key, string? fingerprint = null)
    {
        var v = new OpenPgpSignatureVerifier();
        v.AddKeys(new MemoryStream(key), "key.asc", fingerprint);
        return v;
    }

    [GpgFact(GpgKeysFixture.Document)]
    public void Verify_GoodRsaSignatureOfARealDocument_IsValidAndNamesTheKeyAndOwner()
    {
        var k = fixture.Keys;

        CsafSignatureCheck check = Trusting(k.RsaKey, k.Rsa).Verify(k.Document, k.RsaSignature);

        Assert.True(check.Valid, check.Detail);
        Assert.Equal($"good signature by {k.Rsa} (PatchKit Test Provider <csaf@provider.example>)", check.Detail);
    }

    [GpgFact(GpgKeysFixture.Document)]
    public void Verify_GoodEd25519Signature_IsValid()
    {
        var k = fixture.Keys;

        CsafSignatureCheck check = Trusting(k.EdKey).Verify(k.Document, k.EdSignature);

        Assert.True(check.Valid, check.Detail);
        Assert.StartsWith($"good signature by {k.Ed} ", check.Detail, StringComparison.Ordinal);
    }

    [GpgFact(GpgKeysFixture.Document)]
    public void Verify_DocumentChangedByOneByte_IsBad()
    {
        var k = fixture.Keys;
        byte[] tampered = [.. k.Document];
        int at = Array.IndexOf(tampered, (byte)'8'); // a digit of a version or a date
        tampered[at] = (byte)'9';

        CsafSignatureCheck check = Trusting(k.RsaKey).Verify(tampered, k.RsaSignature);

        Assert.False(check.Valid);
        Assert.StartsWith($"bad signature by {k.Rsa} (PatchKit Test Provider <csaf@provider.example>): the document is not what was signed", check.Detail, StringComparison.Ordinal);
    }

    [GpgFact(GpgKeysFixture.Document)]
    public void Verify_SignedByAKeyNotTrusted_NamesItsKeyIdAndTheTrustedKeys()
    {
        var k = fixture.Keys;

        CsafSignatureCheck check = Trusting(k.RsaKey).Verify(k.Document, k.EdSignature);

        Assert.False(check.Valid);
        Assert.Matches($"^signed by key [0-9A-F]{{16}}, which is not one of the trusted keys \\({k.Rsa}\\)$", check.Detail);
        Assert.EndsWith(check.Detail.Split(' ')[3].TrimEnd(','), k.Ed, StringComparison.Ordinal); // the key id is the fingerprint's tail
    }

    [GpgFact(GpgKeysFixture.Document)]
    public void Verify_NotASignature_IsInvalidNotAnException()
    {
        var k = fixture.Keys;

        CsafSignatureCheck check = Trusting(k.RsaKey).Verify(k.Document, "this is not a signature\n"u8.ToArray());

        Assert.False(check.Valid);
        Assert.StartsWith("not an OpenPGP signature", check.Detail, StringComparison.Ordinal);
    }

    [GpgFact(GpgKeysFixture.Document)]
    public void AddKeys_FingerprintOtherThanTheMetadataStates_ThrowsNamingTheSourceAndBothFingerprints()
    {
        var k = fixture.Keys;
        var v = new OpenPgpSignatureVerifier();

        var e = Assert.Throws<OpenPgpKeyException>(() => v.AddKeys(new MemoryStream(k.EdKey), "https://provider.example/key.asc", k.Rsa));

        Assert.Equal($"https://provider.example/key.asc: the key is {k.Ed}, not {k.Rsa} as the provider metadata says", e.Message);
        Assert.Empty(v.Fingerprints);
    }

    [Fact]
    public void AddKeys_NotAKey_ThrowsNamingTheSource()
    {
        var v = new OpenPgpSignatureVerifier();

        var e = Assert.Throws<OpenPgpKeyException>(() => v.AddKeys(new MemoryStream("<html>not found</html>"u8.ToArray()), "https://provider.example/key.asc"));

        Assert.StartsWith("https://provider.example/key.asc: ", e.Message, StringComparison.Ordinal);
    }
}
