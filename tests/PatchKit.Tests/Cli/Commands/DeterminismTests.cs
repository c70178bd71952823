using System.Text.Json;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Cli.Commands;

/// <summary>Two runs of one plan give the same report, times included (real CLI processes, simulated fleet): the
/// repair dispatcher frees lanes in the order of the run's clock, not in the order the host tasks happen to finish, and
/// a lab install interrupted by a kill counts its time on resume.</summary>
public sealed class DeterminismTests
{
    [Fact]
    public void Run_SamePlanTwice_ReportsEqualFieldByField()
    {
        using var dir = new TempDir();
        // The demo fleet: 48 machines over several waves and lanes, where the finishing order in real time varies.
        var first = ReportRuns.Demo(dir.Path);
        var firstJson = Path.ChangeExtension(first, ".json");
        var firstCopy = Path.Combine(dir.Path, "first.json");
        File.Copy(firstJson, firstCopy);
        Directory.Delete(Path.Combine(dir.Path, "demo"), recursive: true);
        var second = ReportRuns.Demo(dir.Path);

        AssertSameReport(firstCopy, Path.ChangeExtension(second, ".json"), sameRun: false);
    }

    [Fact]
    public void Run_ExamplesTwice_WaveEndTimesEqual()
    {
        using var dir = new TempDir();
        string a = ReportRuns.Examples(dir.Path, "first-run", "out-a");
        string b = ReportRuns.Examples(dir.Path, "second-run", "out-b");
        AssertSameReport(a + ".json", b + ".json", sameRun: false);
    }

    [Theory]
    [InlineData(false)] // the kill comes before the install changed the clone
    [InlineData(true)] // after it: the resumed run's install finds the patch installed
    public void Run_KilledInsideALabInstallAndResumed_ReportEqualsTheUninterruptedOne(bool afterTheChange)
    {
        using var dir = new TempDir();
        string whole = ReportRuns.Examples(dir.Path, "r", "whole");

        // Crash points come in pairs around every change of the simulated fleet: the lab's snapshot (1, 2), its first
        // clone (3, 4), then the clone's install (5, 6).
        int crashAt = afterTheChange ? 6 : 5;
        var (resumed, atKill) = ReportRuns.KilledAndResumed(dir.Path, "r", crashAt, "resumed");
        string last = atKill[^1];
        Assert.True(last.Contains("\"kind\":\"StepStarted\"", StringComparison.Ordinal) && last.Contains("\"key\":\"research/", StringComparison.Ordinal)
            && last.Contains("/install\"", StringComparison.Ordinal), "the kill did not come inside a lab install; the journal ends: " + last);

        AssertSameReport(whole + ".json", resumed + ".json", sameRun: true);
    }

    [Theory]
    // Crash points come in pairs around every change of the simulated fleet; after the lab (points 1 to 46) the repair
    // of esx01 enters maintenance mode (51, 52) and installs its patch (53, 54) and reboots (55, 56). The even point is after the change.
    [InlineData(54, "/install/")] // just after a repair install changed the host: found installed on resume
    [InlineData(52, "/enter-maintenance")] // just after a host entered maintenance mode
    [InlineData(56, "/reboot")] // just after the host's reboot: found back with no reboot pending
    public void Run_KilledJustAfterARepairStepAndResumed_ReportEqualsTheUninterruptedOne(int crashAt, string step)
    {
        using var dir = new TempDir();
        string whole = ReportRuns.Examples(dir.Path, "r", "whole");

        var (resumed, atKill) = ReportRuns.KilledAndResumed(dir.Path, "r", crashAt, "resumed");
        string last = atKill[^1];
        Assert.True(last.Contains("\"kind\":\"StepStarted\"", StringComparison.Ordinal) && last.Contains("\"key\":\"repair/", StringComparison.Ordinal)
            && last.Contains(step, StringComparison.Ordinal), "the kill did not come inside a repair step " + step + "; the journal ends: " + last);
        // The resumed attempt found the step done (reconciled), it did not run it as a new step.
        string journal = File.ReadAllText(Path.Combine(dir.Path, "resumed", "r.journal"));
        Assert.Contains("\"reconciled\":true", journal, StringComparison.Ordinal);

        AssertSameReport(whole + ".json", resumed + ".json", sameRun: true);

        // A step found done is not done again: every machine rebooted (and every guest restarted) as often as in the
        // uninterrupted run; the reboot's time came from when the host says it booted, not from a second reboot.
        var wholeState = PatchKit.Hosts.Simulated.SimulatedHostAdapter.ReadState(Path.Combine(dir.Path, "whole", "r.journal.fleet-state.json"));
        var resumedState = PatchKit.Hosts.Simulated.SimulatedHostAdapter.ReadState(Path.Combine(dir.Path, "resumed", "r.journal.fleet-state.json"));
        Assert.Equal(
            wholeState.Machines.Select(m => $"{m.Id}: {m.Reboots} reboots, {m.GuestRestarts} guest restarts, booted {m.BootedAt:u}"),
            resumedState.Machines.Select(m => $"{m.Id}: {m.Reboots} reboots, {m.GuestRestarts} guest restarts, booted {m.BootedAt:u}"));
    }

    /// <summary>Compares two JSON reports field by field; the run id (and, for a resumed run, whether it was resumed) may differ.</summary>
    private static void AssertSameReport(string expectedPath, string actualPath, bool sameRun)
    {
        using var expected = JsonDocument.Parse(File.ReadAllBytes(expectedPath));
        using var actual = JsonDocument.Parse(File.ReadAllBytes(actualPath));
        string expectedId = expected.RootElement.GetProperty("runId").GetString()!;
        string actualId = actual.RootElement.GetProperty("runId").GetString()!;
        var differences = new List<string>();
        Compare("$", expected.RootElement, actual.RootElement, differences, s => s.Replace(actualId, expectedId, StringComparison.Ordinal), sameRun);
        Assert.True(differences.Count == 0, "the reports differ:\n" + string.Join("\n", differences.Take(30)));
        Assert.True(expected.RootElement.GetProperty("hosts").GetArrayLength() > 0);
    }

    private static void Compare(string path, JsonElement a, JsonElement b, List<string> differences, Func<string, string> normalize, bool sameRun)
    {
        if (path is "$.resumed" or "$.runId" || (!sameRun && path.StartsWith("$.history", StringComparison.Ordinal)))
        {
            return; // the history lists the earlier runs of the output folder
        }

        if (a.ValueKind != b.ValueKind)
        {
            differences.Add($"{path}: {a} / {b}");
            return;
        }

        switch (a.ValueKind)
        {
            case JsonValueKind.Object:
                var names = a.EnumerateObject().Select(p => p.Name).Union(b.EnumerateObject().Select(p => p.Name)).ToList();
                foreach (string n in names)
                {
                    bool inA = a.TryGetProperty(n, out var va), inB = b.TryGetProperty(n, out var vb);
                    if (inA != inB)
                    {
                        differences.Add($"{path}.{n}: only in one report");
                    }
                    else
                    {
                        Compare(path + "." + n, va, vb, differences, normalize, sameRun);
                    }
                }

                break;
            case JsonValueKind.Array:
                if (a.GetArrayLength() != b.GetArrayLength())
                {
                    differences.Add($"{path}: {a.GetArrayLength()} / {b.GetArrayLength()} items");
                    break;
                }

                for (int i = 0; i < a.GetArrayLength(); i++)
                {
                    Compare($"{path}[{i}]", a[i], b[i], differences, normalize, sameRun);
                }

                break;
            case JsonValueKind.String:
                if (a.GetString() != normalize(b.GetString()!))
                {
                    differences.Add($"{path}: {a.GetString()} / {b.GetString()}");
                }

                break;
            default:
                if (a.GetRawText() != b.GetRawText())
                {
                    differences.Add($"{path}: {a.GetRawText()} / {b.GetRawText()}");
                }

                break;
        }
    }
}
