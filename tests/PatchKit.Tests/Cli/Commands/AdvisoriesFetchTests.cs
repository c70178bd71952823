using System.Net;
using System.Net.Sockets;
using PatchKit.Tests.Advisories.Catalogs;
using PatchKit.Tests.Advisories.OpenPgp;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Cli.Commands;

/// <summary>`patchkit advisories fetch` and `patchkit scan -a https://…/provider-metadata.json` through the real CLI process, against a
/// real HTTP server serving a CSAF provider made of real corpus documents (Red Hat RHSA-2024:4420, MSRC CVE-2025-49701), signed and
/// keyed by the real gpg.</summary>
public sealed class AdvisoriesFetchTests(GpgKeysFixture keys) : IClassFixture<GpgKeysFixture>
{
    private const string Rhsa = "advisories/csaf/vendor/redhat/rhsa-2024_4420.json";
    private const string Msrc = "advisories/csaf/vendor/microsoft/msrc_cve-2025-49701.json";
    private const string Owner = "(PatchKit Test Provider <csaf@provider.example>)";

    private const string Inventory = """
        { "hosts": [
          { "id": "sp1", "os": { "id": "windows", "name": "Microsoft Windows Server 2019 Datacenter", "build": "10.0.17763.7009" },
            "packages": [ { "format": "unknown", "name": "Microsoft SharePoint Server 2019", "version": "16.0.10417.20020" } ], "kbs": [ "KB5002700" ] },
          { "id": "kvm1", "os": { "id": "rhel", "versionId": "8.10" },
            "packages": [ { "format": "rpm", "name": "qemu-kvm", "version": "15:6.2.0-50.module+el8.10.0+22027+db0a70a4", "arch": "x86_64" } ] }
        ] }
        """;

    private const string Kvm1Fixed = "kvm1: fixed: qemu-kvm (x86_64) 15:6.2.0-50.module+el8.10.0+22027+db0a70a4 installed >= 15:6.2.0-50.module+el8.10.0+22027+db0a70a4 fixed in RHSA-2024:4420 (CVE-2024-4467) for Red Hat Enterprise Linux AppStream (v. 8)\n";
    private const string Sp1Affected = "sp1: affected: Microsoft SharePoint Server 2019 16.0.10417.20020 installed < 16.0.10417.20027 fixed in msrc_CVE-2025-49701 (CVE-2025-49701); fix: KB5002741 is not installed";

    [GpgFact(Rhsa)]
    public void Fetch_SignedProvider_EveryDocumentHashAndSignatureVerified_ThenAllUnchanged()
    {
        var k = keys.Keys;
        using var server = new CsafProviderServer();
        server.Publish([Rhsa, Msrc], p => k.Gpg.Sign(k.Rsa, p), [(k.Rsa, k.RsaKey)]);
        string mirror = Path.Combine(server.Work, "mirror");

        var (code, output, error) = CliRunner.RunProcess(server.Work, "advisories", "fetch", server.MetadataUrl, "--into", "mirror");

        Assert.True(code == 0, $"exit {code}: {error}\n{output}");
        Assert.StartsWith($"9 file(s) fetched, 0 unchanged, into {mirror}\n", output, StringComparison.Ordinal); // metadata, key, feed, 2 × (document, .sha512, .asc)
        Assert.Contains($"ok: {server.DocumentUrl("rhsa-2024_4420.json")}: sha512 verified, good signature by {k.Rsa} {Owner}\n", output, StringComparison.Ordinal);
        Assert.Contains($"ok: {server.DocumentUrl("msrc_cve-2025-49701.json")}: sha512 verified, good signature by {k.Rsa} {Owner}\n", output, StringComparison.Ordinal);
        Assert.EndsWith("2 of 2 document(s) verified (hash and OpenPGP signature, 1 trusted key(s))\n", output, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(Corpus.Require(Rhsa)), File.ReadAllBytes(Path.Combine(mirror, ".well-known", "csaf", "white", "2024", "rhsa-2024_4420.json")));

        var (again, output2, error2) = CliRunner.RunProcess(server.Work, "advisories", "fetch", server.MetadataUrl, "--into", "mirror");

        Assert.True(again == 0, $"exit {again}: {error2}");
        Assert.StartsWith($"0 file(s) fetched, 9 unchanged, into {mirror}\n", output2, StringComparison.Ordinal);
        Assert.EndsWith("2 of 2 document(s) verified (hash and OpenPGP signature, 1 trusted key(s))\n", output2, StringComparison.Ordinal);
    }

    [GpgFact(Rhsa)]
    public void Fetch_DocumentReplacedAndRehashedOnTheServer_BadSignatureNamedAndExit1()
    {
        var k = keys.Keys;
        using var server = new CsafProviderServer();
        server.Publish([Rhsa, Msrc], p => k.Gpg.Sign(k.Rsa, p), [(k.Rsa, k.RsaKey)]);
        // Whoever can write to the server can change a document and its hash file, not its signature.
        string served = server.DocumentPath("msrc_cve-2025-49701.json");
        File.WriteAllText(served, File.ReadAllText(served).Replace("16.0.10417.20027", "16.0.10417.20020", StringComparison.Ordinal));
        server.Rehash("msrc_cve-2025-49701.json");

        var (code, output, error) = CliRunner.RunProcess(server.Work, "advisories", "fetch", server.MetadataUrl, "--into", "mirror");

        Assert.True(code == 1, $"exit {code}: {error}\n{output}");
        Assert.Contains($"problem: {server.DocumentUrl("msrc_cve-2025-49701.json")}: bad signature by {k.Rsa} {Owner}: the document is not what was signed\n", output, StringComparison.Ordinal);
        Assert.Contains($"ok: {server.DocumentUrl("rhsa-2024_4420.json")}: sha512 verified, good signature by", output, StringComparison.Ordinal);
        Assert.EndsWith("1 of 2 document(s) verified (hash and OpenPGP signature, 1 trusted key(s))\n", output, StringComparison.Ordinal);
    }

    [GpgFact(Msrc)]
    public void Scan_ProviderUrl_DocumentSignedByAnUnknownKeyIsLeftOut_UntilTheUserTrustsThatKey()
    {
        var k = keys.Keys;
        using var server = new CsafProviderServer();
        // The Microsoft document is signed by a key the provider does not name.
        server.Publish([Rhsa, Msrc], p => k.Gpg.Sign(p.Contains("msrc", StringComparison.Ordinal) ? k.Ed : k.Rsa, p), [(k.Rsa, k.RsaKey)]);
        File.WriteAllText(Path.Combine(server.Work, "inv.json"), Inventory);
        File.WriteAllBytes(Path.Combine(server.Work, "other.asc"), k.EdKey);

        var (code, output, error) = CliRunner.RunProcess(server.Work, "scan", "-i", "inv.json", "-a", server.MetadataUrl, "--cache", "mirror");

        Assert.True(code == 0, $"exit {code}: {error}\n{output}"); // sp1's only advisory was left out: nothing affected
        Assert.Contains($"patchkit scan: {server.MetadataUrl}: 9 file(s) fetched, 0 unchanged, into {Path.Combine(server.Work, "mirror")}\n", error, StringComparison.Ordinal);
        Assert.Matches($"patchkit scan: warning: {server.DocumentUrl("msrc_cve-2025-49701.json").Replace(".", "\\.", StringComparison.Ordinal)}: signed by key [0-9A-F]{{16}}, which is not one of the trusted keys \\({k.Rsa}\\) \\(left out\\)\n", error);
        Assert.Contains(Kvm1Fixed, output, StringComparison.Ordinal);
        Assert.DoesNotContain("sp1: affected", output, StringComparison.Ordinal);
        Assert.EndsWith("2 host(s), 1 advisories, 0 affected, 0 unknown, 0 host(s) affected\n", output, StringComparison.Ordinal);

        var (trusted, output2, error2) = CliRunner.RunProcess(server.Work, "scan", "-i", "inv.json", "-a", server.MetadataUrl, "--cache", "mirror", "--key", "other.asc");

        Assert.True(trusted == 1, $"exit {trusted}: {error2}\n{output2}");
        Assert.Contains($"patchkit scan: {server.MetadataUrl}: 0 file(s) fetched, 9 unchanged", error2, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", error2, StringComparison.Ordinal);
        Assert.Contains(Sp1Affected, output2, StringComparison.Ordinal);
        Assert.Contains(Kvm1Fixed, output2, StringComparison.Ordinal);
        Assert.EndsWith("2 host(s), 2 advisories, 1 affected, 0 unknown, 1 host(s) affected\n", output2, StringComparison.Ordinal);

        // The mirror folder itself is an advisory source too: checked the same way, without the network.
        var (offline, output3, error3) = CliRunner.RunProcess(server.Work, "scan", "-i", "inv.json", "-a", "mirror");
        Assert.True(offline == 0, $"exit {offline}: {error3}");
        Assert.Contains("(left out)", error3, StringComparison.Ordinal);
        Assert.Contains(Kvm1Fixed, output3, StringComparison.Ordinal);
    }

    [CorpusFact(Rhsa)]
    public void Fetch_DirectoryProviderWithoutKeys_HashesOnly_ThenACorruptedDocumentIsNamed()
    {
        using var server = new CsafProviderServer();
        server.Publish([Rhsa, Msrc], sign: null, keys: [], directory: true);

        var (code, output, error) = CliRunner.RunProcess(server.Work, "advisories", "fetch", server.MetadataUrl, "--into", "mirror");

        Assert.True(code == 0, $"exit {code}: {error}\n{output}");
        Assert.StartsWith($"6 file(s) fetched, 0 unchanged", output, StringComparison.Ordinal); // metadata, index.txt, 2 × (document, .sha512); no .asc (404, not a problem)
        Assert.Contains($"ok: {server.DocumentUrl("rhsa-2024_4420.json")}: sha512 verified\n", output, StringComparison.Ordinal);
        Assert.EndsWith("2 of 2 document(s) verified (hash only: the provider names no OpenPGP key in public_openpgp_keys and no --key was given)\n", output, StringComparison.Ordinal);

        string served = server.DocumentPath("rhsa-2024_4420.json");
        File.AppendAllText(served, " ");
        File.SetLastWriteTimeUtc(served, DateTime.UtcNow.AddSeconds(-5));

        var (bad, output2, error2) = CliRunner.RunProcess(server.Work, "advisories", "fetch", server.MetadataUrl, "--into", "mirror");

        Assert.True(bad == 1, $"exit {bad}: {error2}\n{output2}");
        Assert.StartsWith("1 file(s) fetched, 5 unchanged", output2, StringComparison.Ordinal);
        Assert.Matches($"problem: {server.DocumentUrl("rhsa-2024_4420.json").Replace(".", "\\.", StringComparison.Ordinal)}: sha512 mismatch: rhsa-2024_4420\\.json\\.sha512 says [0-9a-f]{{128}}, the file is [0-9a-f]{{128}}\n", output2);
        Assert.EndsWith("1 of 2 document(s) verified (hash only: the provider names no OpenPGP key in public_openpgp_keys and no --key was given)\n", output2, StringComparison.Ordinal);
    }

    [Fact]
    public void Fetch_NothingListening_Exit2NamingTheUrlWithoutAStackTrace()
    {
        using var dir = new TempDir();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        string url = $"http://127.0.0.1:{port}/.well-known/csaf/provider-metadata.json";

        var (code, output, error) = CliRunner.RunProcess(dir.Path, "advisories", "fetch", url, "--into", "mirror");

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        Assert.StartsWith($"patchkit: {url}: ", error, StringComparison.Ordinal);
        Assert.Contains("refused", error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fetch|not-a-url", "patchkit advisories: 'not-a-url' is not an http(s) URL")]
    [InlineData("fetch", "patchkit advisories: missing the provider's metadata URL (…/provider-metadata.json)")]
    [InlineData("pull|http://127.0.0.1:9/x.json", "patchkit advisories: unknown sub-command 'pull' (fetch)")]
    public void Fetch_BadArguments_Exit2(string args, string message)
    {
        using var dir = new TempDir();

        var (code, _, error) = CliRunner.RunProcess(dir.Path, ["advisories", .. args.Split('|')]);

        Assert.Equal(2, code);
        Assert.StartsWith(message + "\n", error, StringComparison.Ordinal);
    }
}
