using System.Globalization;
using System.Text;
using System.Text.Json;
using PatchKit.Lifecycle.Repair;

namespace PatchKit.Lifecycle.Report;

/// <summary>Renders a <see cref="PatchRunReport"/> as JSON (every host), Markdown, or one self-contained HTML page.</summary>
public static partial class ReportRenderer
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    /// <summary>Renders the report as indented UTF-8 JSON.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The JSON.</returns>
    public static byte[] ToJson(PatchRunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return JsonSerializer.SerializeToUtf8Bytes(report, ReportJsonContext.Default.PatchRunReport);
    }

    /// <summary>Reads a report written by <see cref="ToJson"/>.</summary>
    /// <param name="utf8Json">The JSON.</param>
    /// <returns>The report.</returns>
    /// <exception cref="JsonException">The JSON is not a report.</exception>
    public static PatchRunReport FromJson(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, ReportJsonContext.Default.PatchRunReport) ?? throw new JsonException("empty report");

    /// <summary>Renders the report as Markdown.</summary>
    /// <param name="report">The report.</param>
    /// <param name="maxHostRows">How many hosts the table lists.</param>
    /// <returns>The Markdown.</returns>
    public static string ToMarkdown(PatchRunReport report, int maxHostRows = 500)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        sb.Append(s_inv, $"# PatchKit {(report.DryRun ? "plan" : "run")} {report.RunId}\n\n");
        sb.Append(s_inv, $"{report.StartedAt:yyyy-MM-dd HH:mm} → {report.EndedAt:yyyy-MM-dd HH:mm} UTC{(report.Resumed ? " (resumed after an interruption)" : string.Empty)}\n\n");
        if (report.Halted)
        {
            sb.Append(s_inv, $"**Halted:** {report.HaltReason}. Hosts not started were left untouched.\n\n");
        }

        sb.Append("| Patched | Pending reboot | Skipped | Not applicable | Failed | Rolled back |");
        sb.Append(report.DryRun ? " Planned |\n|---|---|---|---|---|---|---|\n" : "\n|---|---|---|---|---|---|\n");
        sb.Append(s_inv, $"| {report.Patched} | {report.PatchedPendingReboot} | {report.Skipped} | {report.NotApplicable} | {report.Failed} | {report.RolledBack} |");
        sb.Append(report.DryRun ? string.Create(s_inv, $" {report.Planned} |\n\n") : "\n\n");
        sb.Append(s_inv, $"- Compliance: **{report.CompliancePercent:F1} %**\n");
        sb.Append(s_inv, $"- Mean days between patches: {(report.MeanDaysBetweenPatches is { } d ? d.ToString("F2", s_inv) : "n/a")} (for comparison: an ESX host patched on every release, about every 18.75 days)\n");
        sb.Append(s_inv, $"- Time in maintenance mode: {report.MaintenanceTime.TotalHours:F1} h\n");
        sb.Append(s_inv, $"- Restarts avoided (live update, live migration): {report.RestartsAvoided}\n\n");
        if (report.NeedsAttention.Count > 0)
        {
            sb.Append("## Needs attention\n\n| Host | Patch | What happened | Next step |\n|---|---|---|---|\n");
            foreach (var a in report.NeedsAttention)
            {
                sb.Append(s_inv, $"| {a.HostId} | {Md(string.Join(", ", a.Patches))} | {Md(a.What)} | {Md(a.NextStep)} |\n");
            }

            sb.Append('\n');
        }

        if (report.Waves.Count > 0)
        {
            sb.Append("## Waves\n\n| Wave | Hosts | Start | End |\n|---|---|---|---|\n");
            foreach (var w in report.Waves)
            {
                sb.Append(s_inv, $"| {w.Name} | {w.HostIds.Count} | {w.PlannedStart:yyyy-MM-dd HH:mm} | {w.PlannedEnd:yyyy-MM-dd HH:mm} |\n");
            }

            sb.Append('\n');
        }

        if (report.LabTests.Count > 0)
        {
            sb.Append("## Lab\n\n| Group | Patch | Cloned from | Verdict |\n|---|---|---|---|\n");
            foreach (var t in report.LabTests)
            {
                sb.Append(s_inv, $"| {t.Group} | {t.PatchId} | {t.SourceHostId} | {(t.Passed ? "promoted" : "held")}: {Md(t.Message)}{Md(IssueText(t))} |\n");
            }

            sb.Append('\n');
        }

        if (report.Fixes.Count > 0)
        {
            sb.Append("## Advisories fixed\n\n| Patch | Fixes | Hosts and why |\n|---|---|---|\n");
            foreach (var f in report.Fixes)
            {
                sb.Append(s_inv, $"| {f.PatchId} | {Md(string.Join(", ", f.Cves))} | {Md(string.Join("; ", f.Hosts))} |\n");
            }

            sb.Append('\n');
        }

        if (report.HeldPatches.Count > 0)
        {
            sb.Append("## Held by the approval policy\n\n| Patch | Rule | Hosts |\n|---|---|---|\n");
            foreach (var hp in report.HeldPatches)
            {
                sb.Append(s_inv, $"| {hp.PatchId} | {Md(hp.Reason)} | {Md(string.Join(", ", hp.HostIds))} |\n");
            }

            sb.Append('\n');
        }

        sb.Append("## Hosts\n\n| Host | Kind | Wave | Path | State | Patches | Maint. min | Days between patches | Note |\n|---|---|---|---|---|---|---|---|---|\n");
        foreach (var h in report.Hosts.Take(maxHostRows))
        {
            sb.Append(s_inv, $"| {h.HostId} | {h.Kind} | {h.Wave} | {h.Path} | {StateText(h.State, h.SkipReason)} | {Patches(h)} | {h.MaintenanceMinutes:F0} | {h.DaysBetweenPatches?.ToString("F1", s_inv) ?? ""} | {Md(h.Message)} |\n");
        }

        if (report.Hosts.Count > maxHostRows)
        {
            sb.Append(s_inv, $"\n{report.Hosts.Count - maxHostRows} more hosts in the JSON report.\n");
        }

        if (report.History.Count > 1)
        {
            sb.Append("\n## History\n\n| Run | At | Compliance % | Patched | Failed |\n|---|---|---|---|---|\n");
            foreach (var e in report.History)
            {
                sb.Append(s_inv, $"| {e.RunId} | {e.GeneratedAt:yyyy-MM-dd HH:mm} | {e.CompliancePercent:F1} | {e.Patched} | {e.Failed} |\n");
            }
        }

        return sb.ToString();
    }

    /// <summary>Returns how reports word a host's outcome (<c>patched, pending reboot</c>, <c>skipped (window)</c>).</summary>
    /// <param name="state">The outcome.</param>
    /// <param name="reason">Why the host was skipped, for <see cref="HostOutcomeState.Skipped"/>.</param>
    /// <returns>The words.</returns>
    public static string StateText(HostOutcomeState state, SkipReason reason) => state switch
    {
        HostOutcomeState.Patched => "patched",
        HostOutcomeState.PatchedPendingReboot => "patched, pending reboot",
        HostOutcomeState.Skipped => "skipped (" + reason switch
        {
            SkipReason.Window => "no window",
            SkipReason.Approval => "not approved",
            SkipReason.LabFailed => "lab failed",
            SkipReason.ErrorBudget => "error budget spent",
            SkipReason.Capability => "missing capability",
            SkipReason.Unreachable => "unreachable",
            _ => reason.ToString().ToLowerInvariant(),
        } + ")",
        HostOutcomeState.NotApplicable => "not applicable",
        HostOutcomeState.Failed => "failed",
        HostOutcomeState.RolledBack => "rolled back",
        _ => "planned",
    };

    /// <summary>The Patches cell of a host row: what was applied, or what was attempted on a host that was not patched.</summary>
    internal static string Patches(HostReport h) =>
        h.PatchesApplied.Count > 0 || h.PatchesAttempted.Count == 0 ? string.Join(", ", h.PatchesApplied) : "attempted: " + string.Join(", ", h.PatchesAttempted);

    private static string Md(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ');

    /// <summary>What the issue tracker holds for a lab verdict, as a suffix of the verdict text ("; issue 12"), or the empty string.</summary>
    internal static string IssueText(Research.LabTestResult t) =>
        t.IssueProblem is { } problem ? "; issue tracker not told: " + problem
        : t.IssueId is { } id ? (t.Passed ? "; issue " + id + " resolved" : "; issue " + id)
        : string.Empty;
}
