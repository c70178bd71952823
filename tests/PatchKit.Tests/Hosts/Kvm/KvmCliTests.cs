using System.Text;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Hosts.Kvm;

/// <summary><c>patchkit plan</c> and <c>patchkit run</c> with a fleet file for real machines, against the real QEMU guest.</summary>
[Collection(KvmFleetCollection.Name)]
public sealed class KvmCliTests(KvmFleetFixture fleet)
{
    private string WriteInputs(string id, string extraFleetEntry = "")
    {
        string dir = Directory.CreateDirectory(Path.Combine(fleet.Root, "cli-" + id)).FullName;
        File.WriteAllText(Path.Combine(dir, "fix.diff"), "--- /dev/null\n+++ b/mnt/data/" + id + ".txt\n@@ -0,0 +1 @@\n+patched by patchkit run\n");
        File.WriteAllText(Path.Combine(dir, "fleet.json"), $$"""
            { "adapters": [ { "kind": "kvm", "stateFile": "{{fleet.StateFile}}"{{extraFleetEntry}},
                "hosts": [ { "id": "kvm-a", "runDirectory": "{{fleet.HostA}}", "cluster": "lab",
                  "guests": [ { "id": "prod", "qmp": "unix:{{fleet.Prod.Qmp}}", "agent": "unix:{{fleet.Prod.Qga}}",
                                "pidFile": "{{Path.Combine(fleet.HostA, "prod.pid")}}", "stateDirectory": "/mnt/data/patchkit" } ] } ] } ] }
            """);
        File.WriteAllText(Path.Combine(dir, "catalog.json"), $$"""
            { "patches": [ { "id": "{{id}}", "title": "config fix (unified diff)", "appliesTo": [ { "kind": "Linux" } ],
                "severity": "Important", "classification": "Security", "releasedAt": "2025-01-01T00:00:00+00:00",
                "requiresReboot": false, "livePatchable": false, "payload": { "kind": "UnifiedDiff", "uri": "file://{{dir}}/fix.diff" } } ] }
            """);
        File.WriteAllText(Path.Combine(dir, "policy.json"), """
            { "approval": { "minimumSeverity": "Low", "autoApproveAfterDays": 0 },
              "windows": [ { "days": [], "start": "00:00:00", "duration": "23:59:59", "timeZone": "UTC" } ],
              "maxConcurrency": 1, "errorBudget": 1, "requireLab": false }
            """);
        return dir;
    }

    [QemuFact]
    public async Task PlanAndRun_WithAFleetFileForRealMachines_PatchLandsInTheGuest()
    {
        fleet.CreateAdapter().DisposeAsync().AsTask().Wait(); // throws with the reason when QEMU is missing
        string id = "cli-" + Guid.NewGuid().ToString("N")[..8];
        string dir = WriteInputs(id);
        var (code, output, error) = CliRunner.RunProcess(dir, "plan", "-f", "fleet.json", "-c", "catalog.json", "-p", "policy.json");
        Assert.True(code == 0, $"plan exit {code}: {error}{output}");
        Assert.Contains("prod", output, StringComparison.Ordinal);
        Assert.Contains(id, output, StringComparison.Ordinal);

        (code, output, error) = CliRunner.RunProcess(dir, "run", "-f", "fleet.json", "-c", "catalog.json", "-p", "policy.json", "-q", "-o", "out");
        Assert.True(code == 0, $"run exit {code}: {error}{output}");
        Assert.Contains("patched 1", output, StringComparison.Ordinal);
        await using var adapter = fleet.CreateAdapter(); // finds prod wherever earlier tests moved it
        byte[]? content = await adapter.ReadFileAsync(KvmFleetFixture.Op("prod"), "/mnt/data/" + id + ".txt");
        Assert.Equal("patched by patchkit run\n", Encoding.UTF8.GetString(content!));
        var installed = (await adapter.GetInventoryAsync(CancellationToken.None)).Hosts.Single(h => h.Id == "prod").InstalledPatches;
        Assert.Contains(installed, p => p.PatchId == id);
    }

    [QemuFact]
    public void FleetFile_InlineCredentials_AreRefusedWithoutEchoingThem_Exit2()
    {
        fleet.CreateAdapter().DisposeAsync().AsTask().Wait();
        string dir = WriteInputs("cred", ", \"credentials\": { \"password\": \"hunter2-secret\" }");
        var (code, output, error) = CliRunner.RunProcess(dir, "plan", "-f", "fleet.json", "-c", "catalog.json", "-p", "policy.json");
        Assert.Equal(2, code);
        Assert.Contains("credentials must be a reference", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-secret", error + output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }
}
