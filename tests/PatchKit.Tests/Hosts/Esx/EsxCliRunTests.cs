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
            await WriteCatalogAsync(dir);
            string start = DateTimeOffset.UtcNow.AddHours(-1).ToString("HH:00:00", CultureInfo.InvariantCulture);
            await WritePolicyAsync(dir, start, "08:00:00");

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

    [EsxFact]
    public async Task RunEsx_HostsWithoutShell_PatchedThroughTheApi_EndToEnd()
    {
        // The embedded form: no SSH entry, API install allowed. The simulator has no HostPatchManager or RebootHost_Task:
        // the launcher's stand-ins answer them and record each InstallHostPatchV2_Task call.
        await using var sim = await VcsimServer.StartAsync("-mode", "vcenter", "-products", "8.0.2:22380479", "-host", "2", "-vm", "2", "-standalone-host", "0",
            "-username", "root", "-password", "Esx-Api-1!", "-reboot-seconds", "1", "-patch-seconds", "1");
        var hosts = sim.Hosts.ToList();
        string dir = Directory.CreateTempSubdirectory("patchkit-esx-api-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "vc-password"), sim.Password + "\n");
            await File.WriteAllTextAsync(Path.Combine(dir, "esx.json"), JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["endpoint"] = sim.Url, ["userName"] = "root", ["passwordFile"] = "vc-password", ["thumbprintSha256"] = sim.ThumbprintSha256!, ["allowApiInstall"] = true,
            }));
            await WriteCatalogAsync(dir);
            await WritePolicyAsync(dir, "00:00:00", "23:59:00");

            var (pcode, plan, perror) = CliRunner.RunProcess(dir, "plan", "--esx", "esx.json", "-c", "catalog.json", "-p", "policy.json");
            Assert.True(pcode == 0, "exit " + pcode + ": " + perror + plan);
            Assert.Equal(hosts.Count, plan.Split("install path: api (InstallHostPatchV2_Task, no shell)").Length - 1);

            var (code, output, error) = CliRunner.RunProcess(dir, "run", "--esx", "esx.json", "-c", "catalog.json", "-p", "policy.json", "-o", "reports", "-r", "esx-api", "--json", "-q");
            Assert.True(code == 0, "exit " + code + ": " + error + output);
            using var report = JsonDocument.Parse(output);
            var byHost = report.RootElement.GetProperty("hosts").EnumerateArray().ToDictionary(h => h.GetProperty("hostId").GetString()!, h => h.GetProperty("state").GetString());
            var calls = File.ReadAllLines(sim.StandinLog).Where(l => l.Contains(" InstallHostPatchV2_Task ", StringComparison.Ordinal)).ToList();
            foreach (var h in hosts)
            {
                Assert.Equal("Patched", byHost[h.Moref]);
                Assert.Single(calls, l => l.Contains(" InstallHostPatchV2_Task " + h.Moref + " ", StringComparison.Ordinal)
                    && l.Contains("bundle=https://depot.example.com/VMware-ESXi-8.0U3b-24280767-depot.zip", StringComparison.Ordinal));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [EsxFact]
    public async Task PlanEsx_ShowsPerHostInstallPathEvacuationAndBuilds_ChangesNothing()
    {
        // Two cluster hosts; only the first has SSH, the second has neither SSH nor the API path.
        await using var sim = await VcsimServer.StartAsync("-mode", "vcenter", "-products", "8.0.2:22380479", "-host", "2", "-vm", "2", "-standalone-host", "0",
            "-username", "root", "-password", "Esx-Plan-1!");
        var hosts = sim.Hosts.ToList();
        await using var ssh = await EsxiSshServer.StartAsync("--version", "8.0.2", "--build", "22380479");
        string dir = Directory.CreateTempSubdirectory("patchkit-esx-plan-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "vc-password"), sim.Password + "\n");
            await File.WriteAllTextAsync(Path.Combine(dir, "ssh-password"), ssh.Password + "\n");
            var conn = new Dictionary<string, object>
            {
                ["endpoint"] = sim.Url,
                ["userName"] = "root",
                ["passwordFile"] = "vc-password",
                ["thumbprintSha256"] = sim.ThumbprintSha256!,
                ["ssh"] = new[]
                {
                    new Dictionary<string, object>
                    {
                        ["hostName"] = hosts[0].Name, ["host"] = "127.0.0.1", ["port"] = ssh.Port, ["userName"] = ssh.User,
                        ["passwordFile"] = "ssh-password", ["hostKeySha256"] = ssh.HostKeySha256,
                    },
                },
            };
            await File.WriteAllTextAsync(Path.Combine(dir, "esx.json"), JsonSerializer.Serialize(conn));
            await WriteCatalogAsync(dir);
            await WritePolicyAsync(dir, "00:00:00", "23:59:00");

            var (code, output, error) = CliRunner.RunProcess(dir, "plan", "--esx", "esx.json", "-c", "catalog.json", "-p", "policy.json");
            Assert.True(code == 0, "exit " + code + ": " + error + output);
            string esx = output[output.IndexOf("ESX hosts:", StringComparison.Ordinal)..];
            string first = esx[esx.IndexOf("  " + hosts[0].Name, StringComparison.Ordinal)..esx.IndexOf("  " + hosts[1].Name, StringComparison.Ordinal)];
            string second = esx[esx.IndexOf("  " + hosts[1].Name, StringComparison.Ordinal)..];
            Assert.Contains("install path: ssh (esxcli)", first, StringComparison.Ordinal);
            Assert.Contains("build: 8.0.2-0.0.22380479 → build 24280767 (ESXi-8.0U3b-24280767-standard)", first, StringComparison.Ordinal);
            foreach (var (text, h, other) in new[] { (first, hosts[0], hosts[1]), (second, hosts[1], hosts[0]) })
            {
                int running = sim.Vms.Count(v => v.Host == h.Moref && v.PowerState == "poweredOn");
                Assert.Contains(running == 0 ? "evacuation: nothing to move" : "evacuation: PatchKit moves " + running + " guest(s) by vMotion to " + other.Name + " (" + running + ")", text, StringComparison.Ordinal);
            }

            Assert.Contains("install path: none (no SSH configured, API install not allowed)", second, StringComparison.Ordinal);
            Assert.Contains("build: 8.0.2-0.0.22380479 → unchanged", second, StringComparison.Ordinal);

            // A plan changes nothing: no install over SSH, no host in maintenance mode, every VM where it was.
            Assert.DoesNotContain(File.ReadAllLines(ssh.CallLog), l => l.Contains(" software profile ", StringComparison.Ordinal));
            await using var adapter = EsxRoomAndDrsTests.Adapter(sim);
            var inv = await adapter.GetInventoryAsync(CancellationToken.None);
            Assert.All(hosts, h => Assert.False(inv.Hosts.Single(x => x.Id == h.Moref).InMaintenanceMode));
            Assert.All(sim.Vms, v => Assert.Equal(v.Host, inv.Hosts.Single(x => x.Id == v.Moref).ParentId));
            Assert.DoesNotContain(sim.Password, output + error, StringComparison.Ordinal);

            // The same vCenter in a fleet file for real machines, by reference to its connection file.
            await File.WriteAllTextAsync(Path.Combine(dir, "fleet.json"), """{ "adapters": [ { "kind": "esx", "connection": "esx.json" } ] }""");
            var (fcode, foutput, ferror) = CliRunner.RunProcess(dir, "plan", "-f", "fleet.json", "-c", "catalog.json", "-p", "policy.json");
            Assert.True(fcode == 0, "exit " + fcode + ": " + ferror + foutput);
            Assert.Contains(hosts[0].Moref, foutput, StringComparison.Ordinal);
            Assert.Contains("ESXi-8.0U3b-24280767-standard", foutput, StringComparison.Ordinal);
        }
        finally
        {
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

    /// <summary>The catalog of these runs: one ESXi 8.0 image profile update from a depot.</summary>
    private static Task WriteCatalogAsync(string dir) => File.WriteAllTextAsync(Path.Combine(dir, "catalog.json"), """
        { "patches": [ { "id": "ESXi-8.0U3b-24280767-standard", "title": "VMware ESXi 8.0 Update 3b", "appliesTo": [ { "kind": "Esx", "versionPrefix": "8.0" } ],
          "severity": "Critical", "classification": "Security", "releasedAt": "2026-01-01T00:00:00+00:00", "requiresReboot": true, "livePatchable": false,
          "payload": { "kind": "VendorBundle", "uri": "https://depot.example.com/VMware-ESXi-8.0U3b-24280767-depot.zip" } } ] }
        """);

    /// <summary>The policy of these runs: one window every day from <paramref name="start"/> (UTC), one host at a time, no lab.</summary>
    private static Task WritePolicyAsync(string dir, string start, string duration) => File.WriteAllTextAsync(Path.Combine(dir, "policy.json"),
        "{ \"approval\": { \"minimumSeverity\": \"Moderate\", \"autoApproveAfterDays\": 0 }, \"windows\": [ { \"days\": [], \"start\": \"" + start
        + "\", \"duration\": \"" + duration + "\", \"timeZone\": \"UTC\" } ], \"maxConcurrency\": 1, \"errorBudget\": 5, \"canaryFraction\": 0, \"requireLab\": false }");
}
