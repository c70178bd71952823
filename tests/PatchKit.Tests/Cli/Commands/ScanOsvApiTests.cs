using System.Net;
using System.Net.Sockets;
using PatchKit.Tests.Advisories.Osv;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Cli.Commands;

/// <summary>`patchkit scan --osv-api URL` through the real CLI process against a real local HTTP server with osv.dev's API shape over the
/// corpus's real OSV records (<see cref="OsvApiServer"/>).</summary>
public sealed class ScanOsvApiTests
{
    private const string Inventory = """
        { "hosts": [
          { "id": "web1", "os": { "id": "debian", "versionId": "7" },
            "packages": [ { "format": "dpkg", "name": "nginx-full", "version": "1.2.1-2.2+wheezy2", "arch": "amd64", "source": "nginx" } ] },
          { "id": "noble1", "os": { "id": "ubuntu", "versionId": "24.04" },
            "packages": [ { "format": "dpkg", "name": "openssh-server", "version": "1:9.6p1-3ubuntu13.3", "arch": "amd64", "source": "openssh" } ] }
        ] }
        """;

    [CorpusFact("advisories/osv/debian/DSA-3029-1.json")]
    public void Scan_OsvApiOnly_RecordsFetchedAndMatchedWithReasons()
    {
        using var server = new OsvApiServer("advisories/osv/debian", "advisories/osv/ubuntu");
        using var dir = new TempDir();
        File.WriteAllText(Path.Combine(dir.Path, "inv.json"), Inventory);

        var (code, output, error) = CliRunner.RunProcess(dir.Path, "scan", "-i", "inv.json", "--osv-api", server.BaseUrl);

        Assert.True(code == 1, $"exit {code}: {error}\n{output}");
        Assert.Contains($"patchkit scan: {server.BaseUrl}: 3 package queries, ", error, StringComparison.Ordinal); // nginx; openssh under Ubuntu:24.04 and :LTS
        Assert.Contains("web1: affected: nginx-full (source nginx) 1.2.1-2.2+wheezy2 installed < 1.2.1-2.2+wheezy3 fixed in DSA-3029-1 for Debian:7", output, StringComparison.Ordinal);
        Assert.Contains("noble1: fixed: openssh-server (source openssh) 1:9.6p1-3ubuntu13.3 installed >= 1:9.6p1-3ubuntu13.3 fixed in USN-6859-1 for Ubuntu:24.04:LTS", output, StringComparison.Ordinal);
        Assert.Equal(1, server.Batches);
    }

    [Fact]
    public void Scan_OsvApiDown_Exit2NamingTheUrlWithoutAStackTrace()
    {
        using var dir = new TempDir();
        File.WriteAllText(Path.Combine(dir.Path, "inv.json"), Inventory);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (code, output, error) = CliRunner.RunProcess(dir.Path, "scan", "-i", "inv.json", "--osv-api", $"http://127.0.0.1:{port}/");

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        Assert.StartsWith($"patchkit: http://127.0.0.1:{port}/v1/querybatch: ", error, StringComparison.Ordinal);
        Assert.Contains("refused", error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }
}
