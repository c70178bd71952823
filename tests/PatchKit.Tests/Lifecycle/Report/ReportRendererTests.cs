using PatchKit.Hosts;
using PatchKit.Hosts.Simulated;
using PatchKit.Lifecycle.Repair;
using PatchKit.Lifecycle.Report;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Lifecycle.Report;

public sealed class ReportRendererTests
{
    private static PatchRunReport MixedReport()
    {
        var fleet = TestFleet.Fleet(
            TestFleet.Host("lin0", HostKind.Linux) with { InstalledPatches = [new InstalledPatch { PatchId = "old-1", InstalledAt = TestFleet.Start.AddDays(-40) }, new InstalledPatch { PatchId = "old-2", InstalledAt = TestFleet.Start.AddDays(-20) }] },
            TestFleet.Host("lin1", HostKind.Linux) with { Faults = new SimulatedHostFaults { HealthFailsAfterPatch = true } },
            TestFleet.Host("lin2", HostKind.Linux) with { Faults = new SimulatedHostFaults { InstallFails = true } },
            TestFleet.Host("win0", HostKind.Windows, tags: "reboot:defer"),
            TestFleet.Host("esx0", HostKind.Esx),
            TestFleet.Host("kvm0", HostKind.Kvm));
        var catalog = new[]
        {
            TestFleet.Patch("ossl-1", HostKind.Linux, reboot: false),
            TestFleet.Patch("kb-1", HostKind.Windows),
            TestFleet.Patch("esx-low", HostKind.Esx, severity: PatchKit.Advisories.PatchSeverity.Low),
        };
        return TestFleet.Run(fleet, catalog).Result.Report!;
    }

    [Fact]
    public void Build_MixedOutcomes_KeepsEveryStateApart()
    {
        var r = MixedReport();
        Assert.Equal(HostOutcomeState.Patched, r.Hosts.Single(h => h.HostId == "lin0").State);
        Assert.Equal(HostOutcomeState.RolledBack, r.Hosts.Single(h => h.HostId == "lin1").State);
        Assert.Equal(HostOutcomeState.Failed, r.Hosts.Single(h => h.HostId == "lin2").State);
        Assert.Equal(HostOutcomeState.PatchedPendingReboot, r.Hosts.Single(h => h.HostId == "win0").State);
        Assert.Equal(SkipReason.Approval, r.Hosts.Single(h => h.HostId == "esx0").SkipReason);
        Assert.Equal(HostOutcomeState.NotApplicable, r.Hosts.Single(h => h.HostId == "kvm0").State);
        Assert.Equal((1, 1, 1, 1, 1, 1), (r.Patched, r.RolledBack, r.Failed, r.PatchedPendingReboot, r.Skipped, r.NotApplicable));
        Assert.Equal(50.0, r.CompliancePercent);
    }

    [Fact]
    public void Build_MixedOutcomes_NeedsAttentionListsEachHostWithItsPatchAndNextStep()
    {
        var r = MixedReport();
        Assert.Equal(["lin2", "lin1", "win0"], r.NeedsAttention.Select(a => a.HostId));
        var failed = r.NeedsAttention[0];
        Assert.Equal(["ossl-1"], failed.Patches);
        Assert.StartsWith("failed: ", failed.What, StringComparison.Ordinal);
        Assert.Contains("next run retries", failed.NextStep, StringComparison.Ordinal);
        Assert.Equal(["ossl-1"], r.NeedsAttention[1].Patches);
        Assert.Contains("snapshot", r.NeedsAttention[1].NextStep, StringComparison.Ordinal);
        Assert.Contains("reboot the host", r.NeedsAttention[2].NextStep, StringComparison.Ordinal);

        // Failed and rolled back rows name the patch being attempted.
        Assert.Equal(["ossl-1"], r.Hosts.Single(h => h.HostId == "lin2").PatchesAttempted);
        Assert.Equal(["ossl-1"], r.Hosts.Single(h => h.HostId == "lin1").PatchesAttempted);
        Assert.Empty(r.Hosts.Single(h => h.HostId == "lin0").PatchesAttempted);
        string md = ReportRenderer.ToMarkdown(r);
        Assert.Contains("| lin2 | ossl-1 | failed: ", md, StringComparison.Ordinal);
        Assert.Contains("| failed | attempted: ossl-1 |", md, StringComparison.Ordinal);
        Assert.True(md.IndexOf("## Needs attention", StringComparison.Ordinal) < md.IndexOf("## Waves", StringComparison.Ordinal));
        string html = ReportRenderer.ToHtml(r);
        Assert.True(html.IndexOf("<h2>Needs attention</h2>", StringComparison.Ordinal) < html.IndexOf("<h2>Waves over time</h2>", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_PatchHeldByApproval_ListedWithTheRuleInEveryFormat()
    {
        var r = MixedReport();
        var held = Assert.Single(r.HeldPatches);
        Assert.Equal("esx-low", held.PatchId);
        Assert.Equal(["esx0"], held.HostIds);
        Assert.Contains("severity Low", held.Reason, StringComparison.Ordinal);
        Assert.Contains("| esx-low | " + held.Reason + " | esx0 |", ReportRenderer.ToMarkdown(r), StringComparison.Ordinal);
        Assert.Contains("<td>esx-low</td><td>" + held.Reason + "</td>", ReportRenderer.ToHtml(r), StringComparison.Ordinal);
        Assert.Equal("esx-low", Assert.Single(ReportRenderer.FromJson(ReportRenderer.ToJson(r)).HeldPatches).PatchId);
    }

    [Fact]
    public void Render_NoTextForTheProjectsOwnPeople()
    {
        var r = MixedReport();
        foreach (string text in new[] { ReportRenderer.ToMarkdown(r), ReportRenderer.ToHtml(r) })
        {
            Assert.DoesNotContain("seed 0", text, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("every 18.75 days", text, StringComparison.Ordinal);
            Assert.DoesNotContain("(labfailed)", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ToHtml_Timeline_WaveLabelsNeverOverlap_TimeAxisHasTicks_WindowWaitsShown()
    {
        var t0 = new DateTimeOffset(2026, 1, 5, 22, 0, 0, TimeSpan.Zero);
        HostReport Host(string id, double startH, double endH) => new()
        {
            HostId = id, Kind = HostKind.Linux, State = HostOutcomeState.Patched, StartedAt = t0.AddHours(startH), EndedAt = t0.AddHours(endH),
        };

        // Three short waves close together, then a wait of a day for the next window, then the rest.
        var report = new PatchRunReport
        {
            RunId = "r",
            StartedAt = t0,
            EndedAt = t0.AddHours(30),
            Hosts = [Host("a", 0, 0.1), Host("b", 0.1, 0.2), Host("c", 0.2, 0.3), Host("d", 24, 26), Host("e", 26, 30)],
            Waves =
            [
                new RepairWave("lab", ["a"], t0, t0.AddHours(0.1)),
                new RepairWave("canary", ["b"], t0.AddHours(0.1), t0.AddHours(0.2)),
                new RepairWave("rest-of-the-fleet", ["c", "d", "e"], t0.AddHours(0.2), t0.AddHours(30)),
            ],
        };
        string html = ReportRenderer.ToHtml(report);
        var labels = System.Text.RegularExpressions.Regex.Matches(html, "<text class=\"wave\" x=\"([0-9.]+)\" y=\"([0-9.]+)\"[^>]*>([^<]*)</text>")
            .Select(m => (X: double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Y: m.Groups[2].Value, Text: m.Groups[3].Value))
            .ToList();
        Assert.Equal(["lab (1)", "canary (1)", "rest-of-the-fleet (3)"], labels.Select(l => l.Text));
        foreach (var row in labels.GroupBy(l => l.Y))
        {
            var ordered = row.OrderBy(l => l.X).ToList();
            for (int i = 1; i < ordered.Count; i++)
            {
                Assert.True(ordered[i - 1].X + ReportRenderer.LabelWidth(ordered[i - 1].Text) <= ordered[i].X, "labels overlap: " + ordered[i - 1].Text + " / " + ordered[i].Text);
            }
        }

        Assert.True(labels.Select(l => l.Y).Distinct().Count() > 1, "close waves must be staggered");
        Assert.InRange(System.Text.RegularExpressions.Regex.Matches(html, "<text class=\"tick\"").Count, 4, 9);
        Assert.Contains("waiting for the next maintenance window", html, StringComparison.Ordinal);
        Assert.Contains(">waiting for a window</text>", html, StringComparison.Ordinal);
        Assert.Contains("18.75 d: every ESX release", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_HostWithHistory_DaysBetweenPatches()
    {
        var lin0 = MixedReport().Hosts.Single(h => h.HostId == "lin0");
        Assert.NotNull(lin0.DaysBetweenPatches);
        Assert.InRange(lin0.DaysBetweenPatches!.Value, 19.9, 20.1);
    }

    [Fact]
    public void ToHtml_IsOneSelfContainedPageWithInlineSvg()
    {
        string html = ReportRenderer.ToHtml(MixedReport());
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Equal(3, html.Split("<svg ").Length - 1);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("rolled back", html, StringComparison.Ordinal);
        Assert.Contains("18.75", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_RoundTrips()
    {
        var r = MixedReport();
        var back = ReportRenderer.FromJson(ReportRenderer.ToJson(r));
        Assert.Equal(r.Hosts.Count, back.Hosts.Count);
        Assert.Equal(r.CompliancePercent, back.CompliancePercent);
        Assert.Equal(HostOutcomeState.RolledBack, back.Hosts.Single(h => h.HostId == "lin1").State);
    }

    [Fact]
    public void ToMarkdown_HasTheCountsTable()
    {
        string md = ReportRenderer.ToMarkdown(MixedReport());
        Assert.Contains("| Patched | Pending reboot | Skipped | Not applicable | Failed | Rolled back |", md, StringComparison.Ordinal);
        Assert.Contains("| 1 | 1 | 1 | 1 | 1 | 1 |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void ReportStage_TwoRuns_HistoryKeepsBothAndOverwritesNothing()
    {
        using var dir = new TempDir();
        TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), runId: "first", reportDir: dir.Path);

        // Half a second later: the same second in the file name, so the second entry must take the next number.
        var later = TestFleet.Standard();
        later.StartTime += TimeSpan.FromMilliseconds(500);
        var (second, _) = TestFleet.Run(later, TestFleet.Catalog(), runId: "first", reportDir: dir.Path);
        var history = Directory.GetFiles(Path.Combine(dir.Path, "history")).Select(Path.GetFileName).ToArray();
        Assert.Equal(2, history.Length);
        Assert.Contains("20260105T000000-first.json", history);
        Assert.Contains("20260105T000000-first-2.json", history);
        Assert.Equal(2, second.Report!.History.Count);
        Assert.Contains(second.Context.ReportFiles, f => f.EndsWith(".html", StringComparison.Ordinal));
        Assert.All(second.Context.ReportFiles, f => Assert.True(File.Exists(f)));
    }

    [Fact]
    public void ReportStage_TheSameRunReportedByTwoProcesses_IsOneHistoryEntry()
    {
        // Workers of one run each build the report from the shared journal: the same entry, at the same moment.
        using var dir = new TempDir();
        TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), runId: "shared", reportDir: dir.Path);
        var (again, _) = TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), runId: "shared", reportDir: dir.Path);
        Assert.Single(Directory.GetFiles(Path.Combine(dir.Path, "history")));
        Assert.Single(again.Report!.History);

        // Two such files written at once by two processes (both claimed a name) still count once.
        string only = Directory.GetFiles(Path.Combine(dir.Path, "history")).Single();
        File.Copy(only, only[..^".json".Length] + "-2.json");
        var (third, _) = TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), runId: "shared", reportDir: dir.Path);
        Assert.Single(third.Report!.History);
    }
}
