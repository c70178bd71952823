using System.Text.Json.Nodes;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Integrations.Bugzilla;

/// <summary>`patchkit run --bugzilla` end to end: the CLI as its own process, the simulated fleet with a patch that breaks
/// the health check in the lab, and <see cref="StandInBugzillaServer"/> (a stand-in for Bugzilla 5.2 started by the test:
/// a real Bugzilla cannot be installed on the build machines). Every test checks that the API key reached no output, log,
/// journal or report.</summary>
public sealed class RunWithBugzillaTests : IAsyncLifetime, IDisposable
{
    private const string KeyVariable = "PATCHKIT_TEST_BUGZILLA_KEY";
    private readonly string _key = "bzkey-" + Guid.NewGuid().ToString("N");
    private readonly TempDir _dir = new();
    private StandInBugzillaServer _server = null!;

    public Task InitializeAsync()
    {
        _server = new StandInBugzillaServer(_key);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Run_LabFailure_OneBugAcrossKillAndResume_ThenResolvedWhenThePatchPasses()
    {
        WriteInputs(brokenPatches: ["KB5098765"]);
        string[] run1 = Args("r1", "fleet.json");

        // SIGKILL right after the tracker filed the bug, before the filing is journaled.
        var p = CliRunner.StartProcess(_dir.Path, Env(_key, ("PATCHKIT_TEST_KILL_AFTER_ISSUE_FILED", "1")), run1, crashHooks: true);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(120_000), "the run did not end");
        Assert.Equal(137, p.ExitCode);
        AssertNoKey(await stdout + await stderr);
        var bug = Assert.Single(_server.Bugs.Values);

        // Resume: the stable key finds the bug, so the run comments on it instead of filing another.
        var (code, output, error) = CliRunner.RunProcessWithEnvironment(_dir.Path, Env(_key), run1);
        Assert.True(code is 0 or 1, error);
        AssertNoKey(output + error);
        Assert.Single(_server.Bugs.Values);
        Assert.Equal(2, bug.Comments.Count);

        Assert.Equal("PatchKit", bug.Product);
        Assert.Equal("Lab", bug.Component);
        Assert.Equal("1.0", bug.Version);
        Assert.Equal("CONFIRMED", bug.Status);
        var lab = LabTest("r1", "KB5098765");
        string group = lab["group"]!.GetValue<string>();
        Assert.False(lab["passed"]!.GetValue<bool>());
        Assert.Equal(bug.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), lab["issueId"]!.GetValue<string>());
        Assert.Equal("[patchkit:lab-verify:KB5098765:" + group + "]", bug.Whiteboard);
        Assert.Contains("KB5098765", bug.Summary, StringComparison.Ordinal);
        Assert.Contains(group, bug.Summary, StringComparison.Ordinal);
        string description = bug.Comments[0];
        Assert.Contains("Host group:   " + group, description, StringComparison.Ordinal);
        Assert.Contains("Run:          r1", description, StringComparison.Ordinal);
        Assert.Contains("Report:       " + Path.Combine(_dir.Path, "reports", "patchkit-report-r1.html"), description, StringComparison.Ordinal);
        Assert.Contains(lab["message"]!.GetValue<string>(), description, StringComparison.Ordinal);
        Assert.Contains("Verification: the adapter's health check", description, StringComparison.Ordinal);
        Assert.Contains("issue " + bug.Id, File.ReadAllText(Path.Combine(_dir.Path, "reports", "patchkit-report-r1.md")), StringComparison.Ordinal);

        // A later run where the patch passes the lab (the fleet no longer breaks on it) resolves the bug.
        WriteInputs(brokenPatches: [], fleetFile: "fleet-fixed.json");
        (code, output, error) = CliRunner.RunProcessWithEnvironment(_dir.Path, Env(_key), Args("r2", "fleet-fixed.json"));
        Assert.True(code is 0 or 1, error);
        Assert.Single(_server.Bugs.Values);
        Assert.Equal("RESOLVED", bug.Status);
        Assert.Equal("FIXED", bug.Resolution);
        Assert.Contains("passed lab verification", bug.Comments[^1], StringComparison.Ordinal);
        var passed = LabTest("r2", "KB5098765");
        Assert.True(passed["passed"]!.GetValue<bool>());
        Assert.Equal(bug.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), passed["issueId"]!.GetValue<string>());
        AssertNoKey(output + error);
        AssertNoKeyOnDisk();
    }

    [Fact]
    public void Run_WrongApiKey_RunFinishesAsWithoutTracker_ReportSaysWhatCouldNotBeFiled()
    {
        WriteInputs(brokenPatches: ["KB5098765"]);
        var (baseCode, baseOut, baseErr) = CliRunner.RunProcessWithEnvironment(_dir.Path, Env(_key), ["run", "-f", "fleet.json", "-c", "catalog.json", "-p", "policy.json",
            "-r", "plain", "-o", "reports", "-q"]);
        Assert.True(baseCode is 0 or 1, baseErr);

        string wrong = "bzwrong-" + Guid.NewGuid().ToString("N");
        var (code, output, error) = CliRunner.RunProcessWithEnvironment(_dir.Path, Env(wrong), Args("r1", "fleet.json"));
        Assert.Equal(baseCode, code);
        Assert.Equal(Summary(baseOut), Summary(output));
        Assert.Empty(_server.Bugs);
        var lab = LabTest("r1", "KB5098765");
        Assert.False(lab["passed"]!.GetValue<bool>());
        Assert.Null(lab["issueId"]);
        string problem = lab["issueProblem"]!.GetValue<string>();
        Assert.Contains("API key", problem, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("issue tracker not told: " + problem, File.ReadAllText(Path.Combine(_dir.Path, "reports", "patchkit-report-r1.md")), StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, output + error + ReadAllOutputs(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_TrackerFailsMidRun_FirstBugFiled_SecondReportedWithTheFailure_RunFinishes()
    {
        WriteInputs(brokenPatches: ["KB5098765", "openssl-hardening"]);
        _server.StopAfterBugsFiled = 1;
        var (code, output, error) = CliRunner.RunProcessWithEnvironment(_dir.Path, Env(_key), Args("r1", "fleet.json"));
        Assert.True(code is 0 or 1, error);
        var bug = Assert.Single(_server.Bugs.Values);
        var a = LabTest("r1", "KB5098765");
        var b = LabTest("r1", "openssl-hardening");
        var (filed, missed) = a["issueId"] is not null ? (a, b) : (b, a);
        Assert.Equal(bug.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), filed["issueId"]!.GetValue<string>());
        Assert.Null(missed["issueId"]);
        Assert.Contains("answered HTTP 503", missed["issueProblem"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(missed["passed"]!.GetValue<bool>());
        AssertNoKey(output + error);
        AssertNoKeyOnDisk();
    }

    [Fact]
    public void Run_BugzillaWithoutLabIssuesInPolicy_Exit2_NamesThePolicy_NothingWritten()
    {
        WriteInputs(brokenPatches: ["KB5098765"]);
        File.WriteAllText(Path.Combine(_dir.Path, "policy.json"), "{ \"requireLab\": true }");
        var (code, output, error) = CliRunner.RunProcessWithEnvironment(_dir.Path, Env(_key), Args("r1", "fleet.json"));
        Assert.Equal(2, code);
        Assert.Contains("policy file 'policy.json' has no labIssues", error, StringComparison.Ordinal);
        Cli.CliErrorTests.AssertReadable(error);
        Assert.Empty(output);
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "reports")));
    }

    [Fact]
    public void Run_PlainHttpWithoutOptIn_Exit2_KeyNotSent()
    {
        WriteInputs(brokenPatches: ["KB5098765"]);
        File.WriteAllText(Path.Combine(_dir.Path, "bugzilla.json"),
            "{ \"url\": \"" + _server.BaseAddress + "\", \"apiKeyEnvironment\": \"" + KeyVariable + "\" }");
        var (code, _, error) = CliRunner.RunProcessWithEnvironment(_dir.Path, Env(_key), Args("r1", "fleet.json"));
        Assert.Equal(2, code);
        Assert.Contains("bugzilla connection file 'bugzilla.json' is not valid: $.url is plain http", error, StringComparison.Ordinal);
        Cli.CliErrorTests.AssertReadable(error);
        Assert.Empty(_server.Requests);
    }

    private static string Summary(string output) => output.Split('\n').Single(l => l.StartsWith("patched ", StringComparison.Ordinal));

    private string[] Args(string runId, string fleet) =>
        ["run", "-f", fleet, "-c", "catalog.json", "-p", "policy.json", "-r", runId, "-o", "reports", "--bugzilla", "bugzilla.json", "-q"];

    private static Dictionary<string, string> Env(string key, params (string Name, string Value)[] more)
    {
        var env = new Dictionary<string, string> { [KeyVariable] = key };
        foreach (var (n, v) in more)
        {
            env[n] = v;
        }

        return env;
    }

    private void WriteInputs(string[] brokenPatches, string fleetFile = "fleet.json")
    {
        var fleet = JsonNode.Parse(File.ReadAllText(RepoFiles.Example("fleet.json")))!.AsObject();
        fleet["brokenPatches"] = new JsonArray(brokenPatches.Select(b => (JsonNode)JsonValue.Create(b)).ToArray());
        File.WriteAllText(Path.Combine(_dir.Path, fleetFile), fleet.ToJsonString());
        File.Copy(RepoFiles.Example("catalog.json"), Path.Combine(_dir.Path, "catalog.json"), overwrite: true);
        var policy = JsonNode.Parse(File.ReadAllText(RepoFiles.Example("policy.json")))!.AsObject();
        policy["labIssues"] = new JsonObject { ["product"] = "PatchKit", ["component"] = "Lab", ["version"] = "1.0" };
        File.WriteAllText(Path.Combine(_dir.Path, "policy.json"), policy.ToJsonString());
        File.WriteAllText(Path.Combine(_dir.Path, "bugzilla.json"),
            "{ \"url\": \"" + _server.BaseAddress + "\", \"apiKeyEnvironment\": \"" + KeyVariable + "\", \"allowPlainHttp\": true, \"requestTimeoutSeconds\": 10 }");
    }

    private JsonObject LabTest(string runId, string patchId)
    {
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir.Path, "reports", "patchkit-report-" + runId + ".json")))!;
        return report["labTests"]!.AsArray().Select(t => t!.AsObject()).Single(t => t["patchId"]!.GetValue<string>() == patchId);
    }

    private void AssertNoKey(string text)
    {
        Assert.DoesNotContain(_key, text, StringComparison.Ordinal);
        Assert.DoesNotContain("api_key", text, StringComparison.Ordinal);
    }

    private void AssertNoKeyOnDisk() => Assert.DoesNotContain(_key, ReadAllOutputs(), StringComparison.Ordinal);

    private string ReadAllOutputs() =>
        string.Concat(Directory.EnumerateFiles(_dir.Path, "*", SearchOption.AllDirectories).Select(File.ReadAllText));
}
