using System.Text;
using System.Text.Json;
using PatchKit.Cli.Commands;
using PatchKit.Hosts.Esx;
using PatchKit.Hosts.Windows;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Cli.Commands;

/// <summary>Windows machines in the fleet file for real machines (<c>"kind": "windows"</c>), beside ESX and KVM: parsed
/// into the Windows adapter's options; bad entries refused with the place in the file and without the credential.
/// Nothing here contacts a Windows machine (none runs here); the adapter itself is tested elsewhere.</summary>
public sealed class RealFleetWindowsTests
{
    [Fact]
    public void ExampleFleet_EsxAndWindowsInOneFile_ParsesIntoBothAdapters()
    {
        string path = RepoFiles.Example("fleet-real.json");
        var fleet = RealFleet.Parse(File.ReadAllBytes(path), path);
        Assert.Equal(2, fleet.Adapters.Count);
        Assert.IsType<EsxHostAdapter>(fleet.Adapters[0]);
        Assert.IsType<WindowsHostAdapter>(fleet.Adapters[1]);

        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var o = RealFleet.Windows(doc.RootElement.GetProperty("adapters")[1], "adapters[1]", "/srv/fleet", new HashSet<string>(StringComparer.Ordinal));
        Assert.Equal(2, o.Hosts.Count);
        var sql = o.Hosts[0];
        Assert.Equal("win-sql01", sql.Id);
        Assert.Equal("SQL 01 (guest on vCenter)", sql.Name);
        Assert.Equal("https://sql01.example.com:5986/wsman", sql.Connection.Endpoint!.ToString());
        Assert.Equal(WinRmAuthentication.Negotiate, sql.Connection.Authentication);
        Assert.Equal("EXAMPLE\\patchkit", sql.Connection.UserName);
        Assert.Equal("environment variable PATCHKIT_WIN_PASSWORD", sql.Connection.Password!.Source);
        Assert.StartsWith("12:34:56", sql.Connection.CertificateThumbprintSha256, StringComparison.Ordinal);
        Assert.Null(sql.GuestAgentEndpoint);
        var lab = o.Hosts[1];
        Assert.Equal("win-lab01", lab.Name);
        Assert.Equal("unix:" + Path.Combine("/srv/fleet", "run/win-lab01.qga"), lab.GuestAgentEndpoint);
    }

    [Theory]
    [InlineData("""{ "id": "w1", "winrm": "https://w1:5986/wsman", "user": "u", "password": "Sup3rS3cret!" }""", "adapters[0].hosts[0].password must be a reference")]
    [InlineData("""{ "id": "w1", "winrm": "http://w1:5985/wsman", "authentication": "basic", "user": "u", "password": { "env": "W" } }""", "Host 'w1': Basic authentication over http://")]
    [InlineData("""{ "id": "w1", "user": "u", "password": { "env": "W" } }""", "adapters[0].hosts[0].winrm (the WinRM endpoint")]
    [InlineData("""{ "id": "w1", "winrm": "https://w1:5986/wsman", "authentication": "kerberos", "user": "u", "password": { "env": "W" } }""", "adapters[0].hosts[0].authentication 'kerberos' is not negotiate, ntlm or basic")]
    public void BadWindowsEntry_RefusedNamingThePlace_NeverTheSecret(string host, string expected)
    {
        string json = """{ "adapters": [ { "kind": "windows", "hosts": [ """ + host + """ ] } ] }""";
        var ex = Assert.Throws<FleetFileException>(() => RealFleet.Parse(Encoding.UTF8.GetBytes(json), "/srv/fleet/fleet.json"));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Sup3rS3cret!", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_FleetFileWithAnInlineWindowsPassword_Exit2_WithoutThePassword()
    {
        string dir = Directory.CreateTempSubdirectory("patchkit-fleet-win-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "fleet.json"), """{ "adapters": [ { "kind": "windows", "hosts": [ { "id": "w1", "winrm": "https://w1:5986/wsman", "user": "u", "password": "Sup3rS3cret!" } ] } ] }""");
            File.Copy(RepoFiles.Example("catalog.json"), Path.Combine(dir, "catalog.json"));
            File.Copy(RepoFiles.Example("policy.json"), Path.Combine(dir, "policy.json"));
            var (code, output, error) = CliRunner.RunProcess(dir, "plan", "-f", "fleet.json", "-c", "catalog.json", "-p", "policy.json");
            Assert.Equal(2, code);
            Assert.Contains("adapters[0].hosts[0].password must be a reference", error + output, StringComparison.Ordinal);
            Assert.DoesNotContain("Sup3rS3cret!", error + output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", error + output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
