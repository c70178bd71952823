namespace PatchKit.Tests.Infrastructure;

/// <summary>Runs of the real CLI whose reports the browser and determinism tests read: the demo fleet, a run with
/// failures, held patches and a pending reboot, and a run killed part-way and resumed.</summary>
internal static class ReportRuns
{
    /// <summary>The examples' fleet with trouble: web02's reboot is deferred by its tag (pending reboot), db02's
    /// installer fails, kvm02 fails its health check after patching (rolled back); ESXi80U2-tools stays held (Low).</summary>
    public const string TroubleFleet = """
        {
          "startTime": "2026-01-05T00:00:00+00:00",
          "hosts": [
            { "id": "esx01", "kind": "Esx", "version": "8.0.2", "build": "22380479", "cluster": "prod-esx", "tags": ["lab"],
              "installedPatches": [ { "patchId": "ESXi80U2-202409", "installedAt": "2025-10-01T22:10:00+00:00" } ] },
            { "id": "esx02", "kind": "Esx", "version": "8.0.2", "build": "22380479", "cluster": "prod-esx", "tags": ["prod"] },
            { "id": "web01", "kind": "Windows", "version": "10.0.20348", "build": "2227", "cluster": "prod-esx", "parentId": "esx01", "tags": ["prod"] },
            { "id": "web02", "kind": "Windows", "version": "10.0.20348", "build": "2227", "cluster": "prod-esx", "parentId": "esx02", "tags": ["prod", "reboot:defer"] },
            { "id": "kvm01", "kind": "Kvm", "version": "8.2", "build": "1", "cluster": "prod-kvm", "tags": ["prod"] },
            { "id": "kvm02", "kind": "Kvm", "version": "8.2", "build": "1", "cluster": "prod-kvm", "tags": ["prod"], "faults": { "healthFailsAfterPatch": true } },
            { "id": "db01", "kind": "Linux", "version": "6.8", "build": "0", "cluster": "prod-kvm", "parentId": "kvm01", "tags": ["prod"] },
            { "id": "db02", "kind": "Linux", "version": "6.8", "build": "0", "cluster": "prod-kvm", "parentId": "kvm02", "tags": ["prod"], "faults": { "installFails": true } }
          ]
        }
        """;

    /// <summary>The examples' policy with room for the trouble: no halt after an early failure, a larger error budget.</summary>
    public const string TroublePolicy = """
        {
          "approval": { "minimumSeverity": "Moderate", "autoApproveAfterDays": 7, "excludedPatchIds": [], "excludedHostTags": ["frozen"] },
          "windows": [ { "days": [], "start": "22:00:00", "duration": "06:00:00", "timeZone": "Europe/Berlin" } ],
          "maxConcurrency": 2,
          "errorBudget": 5,
          "canaryFraction": 0.25,
          "haltOnEarlyWaveFailure": false,
          "requireLab": true
        }
        """;

    /// <summary>Runs <c>patchkit demo</c> into <paramref name="dir"/>/demo and returns its HTML report.</summary>
    public static string Demo(string dir)
    {
        var (code, output, error) = CliRunner.RunProcess(dir, "demo", "-q", "-o", "demo");
        Assert.True(code is 0 or 1, error);
        return output.Split('\n').Single(l => l.StartsWith("HTML report: ", StringComparison.Ordinal))["HTML report: ".Length..].Trim();
    }

    /// <summary>Runs the trouble fleet as run <paramref name="runId"/> into <paramref name="dir"/>/<paramref name="output"/>;
    /// returns the report's path without extension.</summary>
    public static string Trouble(string dir, string runId, string output = "trouble")
    {
        File.WriteAllText(Path.Combine(dir, "trouble-fleet.json"), TroubleFleet);
        File.WriteAllText(Path.Combine(dir, "trouble-policy.json"), TroublePolicy);
        var (code, _, error) = CliRunner.RunProcess(dir, "run", "-q", "-f", "trouble-fleet.json", "-c", RepoFiles.Example("catalog.json"),
            "-p", "trouble-policy.json", "-r", runId, "-o", output);
        Assert.True(code == 1, "exit " + code + ": " + error);
        return Path.Combine(dir, output, "patchkit-report-" + runId);
    }

    /// <summary>Runs the examples as run <paramref name="runId"/>, killed (SIGKILL, by the tests' host of the CLI) at the
    /// simulated fleet's crash point <paramref name="crashAt"/>, then resumed by the real CLI; returns the report's path
    /// without extension and the journal's records of the killed attempt.</summary>
    public static (string Stem, string[] JournalAtKill) KilledAndResumed(string dir, string runId, int crashAt, string output = "resumed")
    {
        string[] args = ["run", "-q", "-f", RepoFiles.Example("fleet.json"), "-c", RepoFiles.Example("catalog.json"), "-p", RepoFiles.Example("policy.json"), "-r", runId, "-o", output];
        using (var p = CliRunner.StartProcess(dir, new Dictionary<string, string> { ["PATCHKIT_SIM_CRASH_AT"] = crashAt.ToString(System.Globalization.CultureInfo.InvariantCulture) }, args, crashHooks: true))
        {
            p.StandardInput.Close();
            var stderr = p.StandardError.ReadToEndAsync();
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 137, "the killed attempt exited " + p.ExitCode + ": " + stderr.Result);
        }

        string journal = Path.Combine(dir, output, runId + ".journal");
        string[] atKill = File.ReadAllLines(journal);
        var (code, _, error) = CliRunner.RunProcess(dir, args);
        Assert.True(code == 0, "resume exited " + code + ": " + error);
        return (Path.Combine(dir, output, "patchkit-report-" + runId), atKill);
    }

    /// <summary>Runs the examples uninterrupted as run <paramref name="runId"/>; returns the report's path without extension.</summary>
    public static string Examples(string dir, string runId, string output)
    {
        var (code, _, error) = CliRunner.RunProcess(dir, "run", "-q", "-f", RepoFiles.Example("fleet.json"), "-c", RepoFiles.Example("catalog.json"),
            "-p", RepoFiles.Example("policy.json"), "-r", runId, "-o", output);
        Assert.True(code == 0, "exit " + code + ": " + error);
        return Path.Combine(dir, output, "patchkit-report-" + runId);
    }
}
