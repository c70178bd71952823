using System.Globalization;
using System.Text.Json;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Hosts.Esx;

/// <summary>`patchkit run --esx` (the built CLI as a child process) against the simulated vCenter (tests/fixtures/vcsim)
/// and one real sshd per host (tests/fixtures/esxi-ssh, stand-in esxcli started in its own maintenance mode, which it
/// cannot read from vCenter).</summary>
public sealed class EsxCliRunTests
{
    [EsxFact]
    public async Task RunEsx_PatchesTheClusterOverSsh_ReportSaysPatched_NoPasswordInOutput()
    {
        await using var sim = await VcsimServer.StartAsync("-mode", "vcenter", "-products", "8.0.2:22380479", "-host", "2", "-vm", "2", "-standalone-host", "0",
            "-username", "root", "-password", "Esx-Cli-1!", "-reboot-seconds", "1");
        var hosts = sim.Hosts.ToList();
        var ssh = new List<EsxiSshServer>();
        string dir = Directory.CreateTempSubdirectory("patchkit-esx-cli-").FullName;
        try
        {
            foreach (var _ in hosts)
            {
                ssh.Add(await EsxiSshServer.StartAsync("--maintenance", "--version", "8.0.2", "--build", "22380479"));
            }

            await File.WriteAllTextAsync(Path.Combine(dir, "vc-password"), sim.Password + "\n");
            await File.WriteAllTextAsync(Path.Combine(dir, "ssh-password"), ssh[0].Password + "\n");
            var conn = new Dictionary<string, object>
            {
                ["endpoint"] = sim.Url,
                ["userName"] = "root",
                ["passwordFile"] = "vc-password",
                ["thumbprintSha256"] = sim.ThumbprintSha256!,
                ["ssh"] = hosts.Select((h, i) => new Dictionary<string, object>
                {
                    ["hostName"] = h.Name, ["host"] = "127.0.0.1", ["port"] = ssh[i].Port, ["userName"] = ssh[i].User,
                    ["passwordFile"] = "ssh-password", ["hostKeySha256"] = ssh[i].HostKeySha256,
                }).ToList(),
            };
            await File.WriteAllTextAsync(Path.Combine(dir, "esx.json"), JsonSerializer.Serialize(conn));
            await File.WriteAllTextAsync(Path.Combine(dir, "catalog.json"), """
                { "patches": [ { "id": "ESXi-8.0U3b-24280767-standard", "title": "VMware ESXi 8.0 Update 3b", "appliesTo": [ { "kind": "Esx", "versionPrefix": "8.0" } ],
                  "severity": "Critical", "classification": "Security", "releasedAt": "2026-01-01T00:00:00+00:00", "requiresReboot": true, "livePatchable": false,
                  "payload": { "kind": "VendorBundle", "uri": "https://depot.example.com/VMware-ESXi-8.0U3b-24280767-depot.zip" } } ] }
                """);
            string start = DateTimeOffset.UtcNow.AddHours(-1).ToString("HH:00:00", CultureInfo.InvariantCulture);
            await File.WriteAllTextAsync(Path.Combine(dir, "policy.json"),
                "{ \"approval\": { \"minimumSeverity\": \"Moderate\", \"autoApproveAfterDays\": 0 }, \"windows\": [ { \"days\": [], \"start\": \"" + start
                + "\", \"duration\": \"08:00:00\", \"timeZone\": \"UTC\" } ], \"maxConcurrency\": 1, \"errorBudget\": 5, \"canaryFraction\": 0, \"requireLab\": false }");

            var (code, output, error) = CliRunner.RunProcess(dir, "run", "--esx", "esx.json", "-c", "catalog.json", "-p", "policy.json", "-o", "reports", "-r", "esx-cli", "--json", "-q");
            Assert.True(code == 0, "exit " + code + ": " + error + output);
            using var report = JsonDocument.Parse(output);
            var byHost = report.RootElement.GetProperty("hosts").EnumerateArray().ToDictionary(h => h.GetProperty("hostId").GetString()!, h => h.GetProperty("state").GetString());
            foreach (var h in hosts)
            {
                Assert.Equal("Patched", byHost[h.Moref]);
            }

            foreach (var s in ssh)
            {
                Assert.Single(File.ReadAllLines(s.CallLog), l => l.Contains(" esxcli software profile update -p ESXi-8.0U3b-24280767-standard ", StringComparison.Ordinal));
            }

            Assert.DoesNotContain(sim.Password, output + error, StringComparison.Ordinal);
            Assert.DoesNotContain(ssh[0].Password, output + error, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var s in ssh)
            {
                await s.DisposeAsync();
            }

            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void ExampleConnectionFile_Parses_IntoAdapterOptions()
    {
        var file = PatchKit.Cli.Commands.EsxConnectionFile.Parse(File.ReadAllBytes(RepoFiles.Example("esx.json")));
        var o = file.ToOptions(p => p);
        Assert.Equal("https://vcenter.example.com/sdk", o.Endpoint.ToString());
        Assert.Equal("environment variable PATCHKIT_VCENTER_PASSWORD", o.Password.Source);
        var ssh = Assert.Single(o.Ssh);
        Assert.Equal("esx01.example.com", ssh.Value.Host);
        Assert.Equal(22, ssh.Value.Port);
        Assert.StartsWith("SHA256:", ssh.Value.HostKeySha256, StringComparison.Ordinal);
    }

    [Fact]
    public void RunEsx_ConnectionFileWithoutAPinnedHostKey_IsBadInput_Exit2()
    {
        string dir = Directory.CreateTempSubdirectory("patchkit-esx-cli-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "esx.json"), """{ "endpoint": "https://vc.example.com/sdk", "userName": "u", "passwordEnvironment": "VC_PW", "ssh": [ { "hostName": "esx1", "userName": "root", "passwordEnvironment": "ESX_PW" } ] }""");
            File.WriteAllText(Path.Combine(dir, "catalog.json"), """{ "patches": [] }""");
            File.WriteAllText(Path.Combine(dir, "policy.json"), "{}");
            var (code, _, error) = CliRunner.RunProcess(dir, "run", "--esx", "esx.json", "-c", "catalog.json", "-p", "policy.json");
            Assert.Equal(2, code);
            Assert.Contains("hostKeySha256 or knownHostsPath", error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
