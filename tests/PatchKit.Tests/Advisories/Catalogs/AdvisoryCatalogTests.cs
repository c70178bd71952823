using System.Security.Cryptography;
using PatchKit.Advisories;
using PatchKit.Advisories.Catalogs;
using PatchKit.Hosts;

namespace PatchKit.Tests.Advisories.Catalogs;

/// <summary>Folders of the corpus's real documents as catalogs, composed, and a CSAF provider mirror built in a temporary folder from real
/// documents with real hash files (one corrupted on purpose).</summary>
public sealed class AdvisoryCatalogTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pk-csaf-mirror-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<List<PatchDefinition>> AllAsync(IPatchCatalog catalog, PatchQuery query)
    {
        var list = new List<PatchDefinition>();
        await foreach (PatchDefinition p in catalog.QueryAsync(query, CancellationToken.None))
        {
            list.Add(p);
        }

        return list;
    }

    [CorpusFact("advisories/vmware/cve")]
    public async Task Folders_QueriedByWhatReachSaw_ComposeFirstIdWins()
    {
        var osv = new AdvisoryFolderCatalog(Corpus.Require("advisories/osv/almalinux"));
        var csaf = new AdvisoryFolderCatalog(Corpus.Require("advisories/csaf/vendor/microsoft"));
        var cve = new AdvisoryFolderCatalog(Corpus.Require("advisories/vmware/cve"));

        // A fleet of ESXi hosts and one Windows host with no packages: the ESXi records (15 name ESXi) and the SharePoint KBs.
        var reach = new PatchQuery { HostKinds = [HostKind.Esx, HostKind.Windows] };
        List<PatchDefinition> esx = await AllAsync(cve, reach);
        Assert.Equal(15, esx.Count);
        Assert.All(esx, static p => Assert.All(p.AppliesTo, static a => Assert.Equal(HostKind.Esx, a.Kind)));
        List<PatchDefinition> kbs = await AllAsync(csaf, reach);
        Assert.Contains(kbs, static p => p.Id == "KB5002741" && p.Cves.Contains("CVE-2025-49701"));

        // Packages Reach saw on Linux hosts: only the AlmaLinux records naming them.
        List<PatchDefinition> qemu = await AllAsync(osv, new PatchQuery { HostKinds = [HostKind.Linux], PackageNames = ["qemu-kvm"] });
        Assert.NotEmpty(qemu);
        Assert.All(qemu, static p => Assert.Contains(p.Packages, static a => a.Name == "qemu-kvm" && a.Ecosystem.StartsWith("AlmaLinux:", StringComparison.Ordinal)));

        var composite = new CompositePatchCatalog(cve, csaf, osv, cve);
        List<PatchDefinition> all = await AllAsync(composite, new PatchQuery { HostKinds = [HostKind.Esx, HostKind.Windows], PackageNames = ["qemu-kvm"] });
        Assert.Equal(esx.Count + kbs.Count + qemu.Count, all.Count); // the second cve catalog adds nothing: its ids are taken
        Assert.Equal(all.Count, all.Select(static p => p.Id).Distinct().Count());
    }

    [CorpusFact("advisories/csaf/vendor/redhat/rhsa-2024_4546.json")]
    public async Task ProviderMirror_HashesVerified_MismatchAndMissingReported_SignaturePresenceOnly()
    {
        string csaf = Path.Combine(_dir, ".well-known", "csaf");
        string white = Path.Combine(csaf, "white", "2024");
        Directory.CreateDirectory(white);
        await File.WriteAllTextAsync(Path.Combine(csaf, "provider-metadata.json"), """
            { "canonical_url": "https://example.com/.well-known/csaf/provider-metadata.json", "list_on_CSAF_aggregators": true, "metadata_version": "2.0",
              "distributions": [ { "rolie": { "feeds": [ { "summary": "TLP:WHITE", "tlp_label": "WHITE", "url": "https://example.com/.well-known/csaf/white/example-feed-tlp-white.json" } ] } } ] }
            """);
        string[] names = ["rhsa-2024_4546.json", "rhsa-2024_6163.json", "rhsa-2023_1441.json"];
        var entries = new List<string>();
        foreach (string name in names)
        {
            byte[] bytes = await File.ReadAllBytesAsync(Corpus.Require("advisories/csaf/vendor/redhat/" + name));
            await File.WriteAllBytesAsync(Path.Combine(white, name), bytes);
            string url = $"https://example.com/.well-known/csaf/white/2024/{name}";
            entries.Add($$"""{ "id": "{{name}}", "title": "{{name}}", "link": [ { "rel": "self", "href": "{{url}}" }, { "rel": "hash", "href": "{{url}}.sha256" }, { "rel": "signature", "href": "{{url}}.asc" } ], "content": { "type": "application/json", "src": "{{url}}" } }""");
        }

        await File.WriteAllTextAsync(Path.Combine(white, names[0] + ".sha256"), Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(white, names[0])))) + "  " + names[0] + "\n");
        await File.WriteAllTextAsync(Path.Combine(white, names[0] + ".asc"), "-----BEGIN PGP SIGNATURE-----\n");
        await File.WriteAllTextAsync(Path.Combine(white, names[1] + ".sha256"), new string('0', 64) + "  " + names[1] + "\n");
        await File.WriteAllTextAsync(Path.Combine(csaf, "white", "example-feed-tlp-white.json"), $$"""{ "feed": { "id": "example-feed", "title": "x", "entry": [ {{string.Join(",", entries)}} ] } }""");

        var mirror = new CsafProviderMirror(_dir);
        var found = new List<CsafMirrorEntry>();
        await foreach (CsafMirrorEntry e in mirror.CheckAsync())
        {
            found.Add(e);
        }

        Assert.Equal(3, found.Count);
        Assert.True(found[0].HashVerified);
        Assert.Equal("sha256", found[0].HashAlgorithm);
        Assert.True(found[0].SignaturePresent);
        Assert.False(found[1].HashVerified);
        Assert.StartsWith("sha256 mismatch: rhsa-2024_6163.json.sha256 says 0000", found[1].Problem, StringComparison.Ordinal);
        Assert.False(found[1].SignaturePresent);
        Assert.Equal("no .sha512 or .sha256 file in the mirror", found[2].Problem);

        // As a catalog: only the verified document is read.
        List<PatchDefinition> patches = await AllAsync(mirror, new PatchQuery { HostKinds = [HostKind.Linux], PackageNames = ["git-lfs"] });
        Assert.Equal(["RHSA-2024:4546"], patches.Select(static p => p.Id));
    }
}
