using System.Text;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Hosts.Kvm;

/// <summary><c>patchkit plan</c> and <c>patchkit run</c> with a fleet file for real machines, against the real QEMU guest.</summary>
[Collection(KvmFleetCollection.Name)]
public sealed class KvmCliTests(KvmFleetFixture fleet)
{
    private string WriteInputs(string id, string extraFleetEntry = "", bool requireLab = false, string extraPatches = "", string extraGuestEntry = "")
    {
        string dir = Directory.CreateDirectory(Path.Combine(fleet.Root, "cli-" + id)).FullName;
        File.WriteAllText(Path.Combine(dir, "fix.diff"), "--- /dev/null\n+++ b/mnt/data/" + id + ".txt\n@@ -0,0 +1 @@\n+patched by patchkit run\n");
        File.WriteAllText(Path.Combine(dir, "fleet.json"), $$"""
            { "adapters": [ { "kind": "kvm", "stateFile": "{{fleet.StateFile}}"{{extraFleetEntry}},
                "hosts": [ { "id": "kvm-a", "runDirectory": "{{fleet.HostA}}", "cluster": "lab",
                  "guests": [ { "id": "prod", "qmp": "unix:{{fleet.Prod.Qmp}}", "agent": "unix:{{fleet.Prod.Qga}}",
                                "pidFile": "{{Path.Combine(fleet.HostA, "prod.pid")}}", "stateDirectory": "/mnt/data/patchkit"{{extraGuestEntry}} } ] } ] } ] }
            """);
        File.WriteAllText(Path.Combine(dir, "catalog.json"), $$"""
            { "patches": [ { "id": "{{id}}", "title": "config fix (unified diff)", "appliesTo": [ { "kind": "Linux" } ],
                "severity": "Important", "classification": "Security", "releasedAt": "2025-01-01T00:00:00+00:00",
                "requiresReboot": false, "livePatchable": false, "payload": { "kind": "UnifiedDiff", "uri": "file://{{dir}}/fix.diff" } }{{extraPatches}} ] }
            """);
        File.WriteAllText(Path.Combine(dir, "policy.json"), """
            { "approval": { "minimumSeverity": "Low", "autoApproveAfterDays": 0 },
              "windows": [ { "days": [], "start": "00:00:00", "duration": "23:59:59", "timeZone": "UTC" } ],
              "maxConcurrency": 1, "errorBudget": 1, "requireLab": REQUIRE_LAB }
            """.Replace("REQUIRE_LAB", requireLab ? "true" : "false", StringComparison.Ordinal));
        return dir;
    }

    [QemuFact]
    public void Plan_AFleetFileWithAnUnknownLiveUpdateMode_Exit2_NamesTheKeyAndTheModes()
    {
        fleet.CreateAdapter().DisposeAsync().AsTask().Wait(); // throws with the reason when QEMU is missing
        string dir = WriteInputs("lum-" + Guid.NewGuid().ToString("N")[..8], extraFleetEntry: ", \"liveUpdateMode\": \"cpr-magic\"");
        var (code, output, error) = CliRunner.RunProcess(dir, "plan", "-f", "fleet.json", "-c", "catalog.json", "-p", "policy.json");
        Assert.True(code == 2, $"plan exit {code}: {error}{output}");
        Assert.Contains("liveUpdateMode 'cpr-magic' is not one of auto, x-ignore-shared, cpr-reboot, cpr-transfer", error + output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error + output, StringComparison.Ordinal);
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

    [QemuFact]
    public async Task LabWorkflow_SnapshotCloneTestInTheLabThenPromote_ABrokenPatchAndOneFailingTheVerificationCommandAreHeld_ProductionUntouched()
    {
        await using var adapter = fleet.CreateAdapter();
        string id = "lab-" + Guid.NewGuid().ToString("N")[..8];
        string bad = id + "-broken";
        string dir = Path.Combine(fleet.Root, "cli-" + id);
        Directory.CreateDirectory(dir);
        // the broken patch changes a line that is not there: it fails in the lab clone and must never reach production
        File.WriteAllText(Path.Combine(dir, "broken.diff"), "--- a/mnt/data/" + id + "-target.txt\n+++ b/mnt/data/" + id + "-target.txt\n@@ -1 +1 @@\n-no such line\n+changed\n");
        // this one installs fine, but the fleet file's verification command, run in the clone, rejects what it writes
        string unverified = id + "-unverified";
        File.WriteAllText(Path.Combine(dir, "unverified.diff"), "--- /dev/null\n+++ b/mnt/data/" + unverified + ".txt\n@@ -0,0 +1 @@\n+setting=bad\n");
        string verify = "for f in /mnt/data/" + id + "*.txt; do if grep -q setting=bad \"$f\"; then echo \"bad setting in $f\"; exit 3; fi; done; echo verified ok";
        await adapter.WriteFileAsync(KvmFleetFixture.Op("prod"), "/mnt/data/" + id + "-target.txt", "original\n"u8.ToArray());
        var snapshotsBefore = (await adapter.ListSnapshotsAsync(KvmFleetFixture.Op("prod"))).Select(x => x.Name).Order(StringComparer.Ordinal).ToList();
        WriteInputs(id, requireLab: true, extraPatches:
            ", { \"id\": \"" + bad + "\", \"title\": \"broken\", \"appliesTo\": [ { \"kind\": \"Linux\" } ], \"severity\": \"Important\", \"classification\": \"Security\"," +
            " \"releasedAt\": \"2025-01-01T00:00:00+00:00\", \"requiresReboot\": false, \"livePatchable\": false," +
            " \"payload\": { \"kind\": \"UnifiedDiff\", \"uri\": \"file://" + dir + "/broken.diff\" } }" +
            ", { \"id\": \"" + unverified + "\", \"title\": \"unverified\", \"appliesTo\": [ { \"kind\": \"Linux\" } ], \"severity\": \"Important\", \"classification\": \"Security\"," +
            " \"releasedAt\": \"2025-01-01T00:00:00+00:00\", \"requiresReboot\": false, \"livePatchable\": false," +
            " \"payload\": { \"kind\": \"UnifiedDiff\", \"uri\": \"file://" + dir + "/unverified.diff\" } }",
            extraGuestEntry: ", \"labVerify\": " + new System.Text.Json.Nodes.JsonArray("/bin/sh", "-c", verify).ToJsonString());
        var (code, output, error) = CliRunner.RunProcess(dir, "run", "-f", "fleet.json", "-c", "catalog.json", "-p", "policy.json", "-q", "-o", "out", "--json");
        Assert.True(code is 0 or 1, $"run exit {code}: {error}{output}");
        byte[]? good = await adapter.ReadFileAsync(KvmFleetFixture.Op("prod"), "/mnt/data/" + id + ".txt");
        Assert.Equal("patched by patchkit run\n", Encoding.UTF8.GetString(good!));
        Assert.Equal("original\n", Encoding.UTF8.GetString((await adapter.ReadFileAsync(KvmFleetFixture.Op("prod"), "/mnt/data/" + id + "-target.txt"))!));
        var prod = (await adapter.GetInventoryAsync(CancellationToken.None)).Hosts.Single(h => h.Id == "prod");
        Assert.Contains(prod.InstalledPatches, p => p.PatchId == id);
        Assert.DoesNotContain(prod.InstalledPatches, p => p.PatchId == bad);
        Assert.Empty(await adapter.ListLabClonesAsync(KvmFleetFixture.Op("prod")));
        Assert.Equal(snapshotsBefore, (await adapter.ListSnapshotsAsync(KvmFleetFixture.Op("prod"))).Select(x => x.Name).Order(StringComparer.Ordinal)); // the lab's snapshot is gone
        Assert.Empty(Directory.EnumerateDirectories(fleet.HostA, "lab-*"));
        Assert.Contains("passed on lab clone", output, StringComparison.Ordinal);
        // the verification command rejected the third patch in its clone: held, never on production, its output reported
        Assert.DoesNotContain(prod.InstalledPatches, p => p.PatchId == unverified);
        Assert.Null(await adapter.ReadFileAsync(KvmFleetFixture.Op("prod"), "/mnt/data/" + unverified + ".txt"));
        Assert.Contains("exited 3; output: bad setting in /mnt/data/" + unverified + ".txt", output, StringComparison.Ordinal);
    }
}
