using System.Net;
using System.Text;
using PatchKit.Lifecycle.Repair;

namespace PatchKit.Lifecycle.Report;

/// <content>The self-contained HTML page with inline SVG.</content>
public static partial class ReportRenderer
{
    /// <summary>Renders the report as one self-contained HTML page (no scripts, no external resources) with inline
    /// SVG: waves over time, per-host outcome, and the cadence of patches.</summary>
    /// <param name="report">The report.</param>
    /// <param name="maxHostRows">How many hosts the table lists.</param>
    /// <returns>The HTML.</returns>
    public static string ToHtml(PatchRunReport report, int maxHostRows = 500)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder(64 * 1024);
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>PatchKit ").Append(H(report.RunId)).Append("</title>\n<style>")
          .Append("body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}h1{font-size:1.5em}table{border-collapse:collapse;margin:1em 0}")
          .Append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}th{background:#f3f3f3}.k{display:inline-block;margin:0 1.5em 1em 0}")
          .Append(".k b{display:block;font-size:1.6em}.sw{display:inline-block;width:10px;height:10px;margin-right:4px}svg{background:#fafafa;border:1px solid #eee}")
          .Append(".wide{overflow-x:auto;max-width:100%}@media (max-width:600px){body{margin:1em}}")
          .Append("</style></head><body>\n");
        sb.Append("<h1>PatchKit ").Append(report.DryRun ? "plan " : "run ").Append(H(report.RunId)).Append("</h1>\n<p>")
          .Append(Inv($"{report.StartedAt:yyyy-MM-dd HH:mm} → {report.EndedAt:yyyy-MM-dd HH:mm} UTC")).Append(report.Resumed ? " · resumed after an interruption" : string.Empty).Append("</p>\n");
        if (report.Halted)
        {
            sb.Append("<p style=\"color:#b00\"><b>Halted:</b> ").Append(H(report.HaltReason)).Append(". Hosts not started were left untouched.</p>\n");
        }

        if (report.NeedsAttention.Count > 0)
        {
            sb.Append("<h2>Needs attention</h2>\n<div class=\"wide\"><table><tr><th>Host</th><th>Patch</th><th>What happened</th><th>Next step</th></tr>\n");
            foreach (var a in report.NeedsAttention)
            {
                sb.Append("<tr><td>").Append(H(a.HostId)).Append("</td><td>").Append(H(string.Join(", ", a.Patches))).Append("</td><td>").Append(H(a.What))
                  .Append("</td><td>").Append(H(a.NextStep)).Append("</td></tr>\n");
            }

            sb.Append("</table></div>\n");
        }

        Kpi(sb, "Compliance", Inv($"{report.CompliancePercent:F1} %"));
        Kpi(sb, "Patched", Inv($"{report.Patched}"));
        Kpi(sb, "Pending reboot", Inv($"{report.PatchedPendingReboot}"));
        Kpi(sb, "Skipped", Inv($"{report.Skipped}"));
        Kpi(sb, "Not applicable", Inv($"{report.NotApplicable}"));
        Kpi(sb, "Failed", Inv($"{report.Failed}"));
        Kpi(sb, "Rolled back", Inv($"{report.RolledBack}"));
        Kpi(sb, "Days between patches", report.MeanDaysBetweenPatches is { } d ? Inv($"{d:F1}") : "n/a");
        Kpi(sb, "Maintenance mode", Inv($"{report.MaintenanceTime.TotalHours:F1} h"));
        Kpi(sb, "Restarts avoided", Inv($"{report.RestartsAvoided}"));
        sb.Append("\n<p>");
        foreach (var st in new[] { HostOutcomeState.Patched, HostOutcomeState.PatchedPendingReboot, HostOutcomeState.Skipped, HostOutcomeState.NotApplicable, HostOutcomeState.Failed, HostOutcomeState.RolledBack, HostOutcomeState.Planned })
        {
            sb.Append("<span class=\"sw\" style=\"background:").Append(Color(st)).Append("\"></span>").Append(StateText(st, SkipReason.None).Replace(" (none)", string.Empty, StringComparison.Ordinal)).Append(" &nbsp; ");
        }

        sb.Append("</p>\n<h2>Waves over time</h2>\n");
        Timeline(sb, report);
        sb.Append("<h2>Outcome per host</h2>\n");
        Grid(sb, report);
        sb.Append("<h2>Cadence: days between patches per host</h2>\n");
        Cadence(sb, report);
        if (report.LabTests.Count > 0)
        {
            sb.Append("<h2>Lab gate</h2>\n<div class=\"wide\"><table><tr><th>Group</th><th>Patch</th><th>Cloned from</th><th>Verdict</th></tr>\n");
            foreach (var t in report.LabTests)
            {
                sb.Append("<tr><td>").Append(H(t.Group)).Append("</td><td>").Append(H(t.PatchId)).Append("</td><td>").Append(H(t.SourceHostId))
                  .Append("</td><td>").Append(t.Passed ? "promoted" : "<b>held</b>").Append(": ").Append(H(t.Message)).Append(H(IssueText(t))).Append("</td></tr>\n");
            }

            sb.Append("</table></div>\n");
        }

        if (report.Fixes.Count > 0)
        {
            sb.Append("<h2>Advisories fixed</h2>\n<div class=\"wide\"><table><tr><th>Patch</th><th>Fixes</th><th>Hosts and why</th></tr>\n");
            foreach (var f in report.Fixes)
            {
                sb.Append("<tr><td>").Append(H(f.PatchId)).Append("</td><td>").Append(H(string.Join(", ", f.Cves))).Append("</td><td>")
                  .AppendJoin("<br>", f.Hosts.Select(H)).Append("</td></tr>\n");
            }

            sb.Append("</table></div>\n");
        }

        if (report.HeldPatches.Count > 0)
        {
            sb.Append("<h2>Held by the approval policy</h2>\n<div class=\"wide\"><table><tr><th>Patch</th><th>Rule</th><th>Hosts</th></tr>\n");
            foreach (var hp in report.HeldPatches)
            {
                sb.Append("<tr><td>").Append(H(hp.PatchId)).Append("</td><td>").Append(H(hp.Reason)).Append("</td><td>").Append(H(string.Join(", ", hp.HostIds))).Append("</td></tr>\n");
            }

            sb.Append("</table></div>\n");
        }

        if (report.History.Count > 1)
        {
            sb.Append("<h2>History</h2>\n<div class=\"wide\"><table><tr><th>Run</th><th>At</th><th>Compliance %</th><th>Patched</th><th>Failed</th><th>Days between patches</th></tr>\n");
            foreach (var e in report.History)
            {
                sb.Append(Inv($"<tr><td>{H(e.RunId)}</td><td>{e.GeneratedAt:yyyy-MM-dd HH:mm}</td><td>{e.CompliancePercent:F1}</td><td>{e.Patched}</td><td>{e.Failed}</td><td>{e.MeanDaysBetweenPatches:F1}</td></tr>\n"));
            }

            sb.Append("</table></div>\n");
        }

        sb.Append("<h2>Hosts</h2>\n<div class=\"wide\"><table><tr><th>Host</th><th>Kind</th><th>Cluster</th><th>Wave</th><th>Path</th><th>State</th><th>Patches</th><th>Maint. min</th><th>Restarts avoided</th><th>Note</th></tr>\n");
        foreach (var h in report.Hosts.Take(maxHostRows))
        {
            sb.Append(Inv($"<tr><td>{H(h.HostId)}</td><td>{h.Kind}</td><td>{H(h.Cluster)}</td><td>{H(h.Wave)}</td><td>{h.Path}</td><td style=\"color:{Color(h.State)}\">{H(StateText(h.State, h.SkipReason))}</td><td>{H(Patches(h))}</td><td>{h.MaintenanceMinutes:F0}</td><td>{h.RestartsAvoided}</td><td>{H(h.Message)}</td></tr>\n"));
        }

        sb.Append("</table></div>\n");
        if (report.Hosts.Count > maxHostRows)
        {
            sb.Append(Inv($"<p>{report.Hosts.Count - maxHostRows} more hosts in the JSON report.</p>\n"));
        }

        sb.Append("<p style=\"color:#888\">Compliance counts hosts with no approved patch missing after the run; pending reboots are not compliant.</p>\n</body></html>\n");
        return sb.ToString();
    }

    private static void Timeline(StringBuilder sb, PatchRunReport report)
    {
        var rows = report.Hosts.Where(h => h.StartedAt is not null && h.EndedAt is not null).OrderBy(h => h.StartedAt).ToList();
        if (rows.Count == 0)
        {
            sb.Append("<p>No host was worked on.</p>\n");
            return;
        }

        var t0 = rows.Min(h => h.StartedAt!.Value);
        var t1 = rows.Max(h => h.EndedAt!.Value);
        double span = Math.Max(1, (t1 - t0).TotalMinutes);
        const int Width = 900, Left = 110, RowH = 6, LabelRowH = 13;
        double X(DateTimeOffset t) => Left + (Width * (t - t0).TotalMinutes / span);

        // Wave labels never overlap: each goes on the first label row where the previous label has ended.
        var labelRows = new List<double>();
        var labels = new List<(double X, int Row, string Text)>();
        foreach (var w in report.Waves)
        {
            string text = w.Name + " (" + w.HostIds.Count.ToString(s_inv) + ")";
            double x = X(w.PlannedStart) + 3;
            int row = labelRows.FindIndex(end => end + 6 <= x);
            if (row < 0)
            {
                row = labelRows.Count;
                labelRows.Add(0);
            }

            labelRows[row] = x + LabelWidth(text);
            labels.Add((x, row, text));
        }

        int top = 8 + (Math.Max(1, labelRows.Count) * LabelRowH);
        int shown = Math.Min(rows.Count, 120);
        int height = top + (shown * RowH) + 34;
        int plotBottom = top + (shown * RowH) + 2;
        sb.Append(Inv($"<div class=\"wide\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width + Left + 40}\" height=\"{height}\" role=\"img\" aria-label=\"waves over time\">\n"));
        int wi = 0;
        foreach (var w in report.Waves)
        {
            string fill = (wi++ % 2) == 0 ? "#eef3fb" : "#f6eefb";
            sb.Append(Inv($"<rect x=\"{X(w.PlannedStart):F1}\" y=\"{top - 4}\" width=\"{Math.Max(1, X(w.PlannedEnd) - X(w.PlannedStart)):F1}\" height=\"{plotBottom - top + 4}\" fill=\"{fill}\"><title>{H(w.Name)}: {w.HostIds.Count} hosts</title></rect>\n"));
        }

        // Stretches where no host was being worked on are the waits for the next maintenance window: shown as such.
        var busyUntil = rows[0].EndedAt!.Value;
        foreach (var h in rows.Skip(1))
        {
            if (h.StartedAt!.Value - busyUntil > TimeSpan.FromMinutes(Math.Max(1, span / 100)))
            {
                double gx = X(busyUntil), gw = X(h.StartedAt.Value) - gx;
                sb.Append(Inv($"<rect class=\"wait\" x=\"{gx:F1}\" y=\"{top - 4}\" width=\"{gw:F1}\" height=\"{plotBottom - top + 4}\" fill=\"#e6e6e6\" fill-opacity=\"0.7\"><title>waiting for the next maintenance window: {busyUntil:MM-dd HH:mm} → {h.StartedAt.Value:MM-dd HH:mm}</title></rect>\n"));
                if (gw > 70)
                {
                    sb.Append(Inv($"<text x=\"{gx + (gw / 2):F1}\" y=\"{plotBottom - 4}\" font-size=\"10\" fill=\"#666\" text-anchor=\"middle\">waiting for a window</text>\n"));
                }
            }

            if (h.EndedAt!.Value > busyUntil)
            {
                busyUntil = h.EndedAt.Value;
            }
        }

        foreach (var (x, row, text) in labels)
        {
            sb.Append(Inv($"<text class=\"wave\" x=\"{x:F1}\" y=\"{4 + ((row + 1) * LabelRowH) - 3}\" font-size=\"11\">{H(text)}</text>\n"));
        }

        for (int i = 0; i < shown; i++)
        {
            var h = rows[i * rows.Count / shown];
            double x = X(h.StartedAt!.Value);
            double wd = Math.Max(1.5, X(h.EndedAt!.Value) - x);
            sb.Append(Inv($"<rect x=\"{x:F1}\" y=\"{top + (i * RowH)}\" width=\"{wd:F1}\" height=\"{RowH - 1}\" fill=\"{Color(h.State)}\"><title>{H(h.HostId)} {h.Path}: {H(StateText(h.State, h.SkipReason))}</title></rect>\n"));
        }

        // A time axis with a tick every "nice" step, about eight of them, labelled in UTC.
        TimeSpan[] steps = [TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1),
            TimeSpan.FromHours(2), TimeSpan.FromHours(3), TimeSpan.FromHours(6), TimeSpan.FromHours(12), TimeSpan.FromDays(1), TimeSpan.FromDays(2), TimeSpan.FromDays(7)];
        var step = steps.FirstOrDefault(st => span / st.TotalMinutes <= 8, TimeSpan.FromDays(30));
        var tick = new DateTimeOffset(t0.UtcTicks - (t0.UtcTicks % step.Ticks), TimeSpan.Zero);
        if (tick < t0)
        {
            tick += step;
        }

        string format = step >= TimeSpan.FromDays(1) ? "MM-dd" : (t1 - t0) >= TimeSpan.FromDays(1) ? "MM-dd HH:mm" : "HH:mm";
        sb.Append(Inv($"<line x1=\"{Left}\" y1=\"{plotBottom + 2}\" x2=\"{Left + Width}\" y2=\"{plotBottom + 2}\" stroke=\"#999\"/>\n"));
        for (; tick <= t1; tick += step)
        {
            double x = X(tick);
            sb.Append(Inv($"<line x1=\"{x:F1}\" y1=\"{plotBottom + 2}\" x2=\"{x:F1}\" y2=\"{plotBottom + 6}\" stroke=\"#999\"/><text class=\"tick\" x=\"{x:F1}\" y=\"{plotBottom + 17}\" font-size=\"10\" text-anchor=\"middle\">{tick.ToString(format, s_inv)}</text>\n"));
        }

        sb.Append(Inv($"<text x=\"{Left + Width + 4}\" y=\"{plotBottom + 17}\" font-size=\"10\">UTC</text>"));
        sb.Append(Inv($"<text x=\"4\" y=\"{top + 8}\" font-size=\"11\">{rows.Count} hosts</text>"));
        sb.Append(Inv($"<text x=\"4\" y=\"{height - 3}\" font-size=\"10\" fill=\"#666\">{t0:yyyy-MM-dd HH:mm} → {t1:yyyy-MM-dd HH:mm} UTC</text>"));
        sb.Append("</svg></div>\n");
    }

    /// <summary>The width of an 11 px label in the report's sans-serif font, generously estimated.</summary>
    internal static double LabelWidth(string text) => text.Length * 6.6;

    private static void Grid(StringBuilder sb, PatchRunReport report)
    {
        int n = Math.Min(report.Hosts.Count, 4000);
        const int Cell = 12, PerRow = 75;
        int rows = Math.Max(1, (n + PerRow - 1) / PerRow);
        sb.Append(Inv($"<div class=\"wide\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{(PerRow * Cell) + 4}\" height=\"{(rows * Cell) + 4}\" role=\"img\" aria-label=\"outcome per host\">\n"));
        for (int i = 0; i < n; i++)
        {
            var h = report.Hosts[i];
            sb.Append(Inv($"<rect x=\"{2 + (i % PerRow * Cell)}\" y=\"{2 + (i / PerRow * Cell)}\" width=\"{Cell - 2}\" height=\"{Cell - 2}\" fill=\"{Color(h.State)}\"><title>{H(h.HostId)}: {H(StateText(h.State, h.SkipReason))}</title></rect>\n"));
        }

        sb.Append("</svg></div>\n");
        if (report.Hosts.Count > n)
        {
            sb.Append(Inv($"<p>First {n} of {report.Hosts.Count} hosts.</p>\n"));
        }
    }

    private static void Cadence(StringBuilder sb, PatchRunReport report)
    {
        string[] labels = ["0–7", "7–14", "14–21", "21–28", "28–42", "42+"];
        double[] edges = [7, 14, 21, 28, 42, double.MaxValue];
        var counts = new int[labels.Length];
        foreach (var h in report.Hosts)
        {
            if (h.DaysBetweenPatches is { } d)
            {
                int b = 0;
                while (d >= edges[b])
                {
                    b++;
                }

                counts[b]++;
            }
        }

        int max = Math.Max(1, counts.Max());
        const int BarW = 90, H0 = 160;
        sb.Append(Inv($"<div class=\"wide\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{(labels.Length * BarW) + 20}\" height=\"{H0 + 54}\" role=\"img\" aria-label=\"days between patches\">\n"));
        for (int i = 0; i < labels.Length; i++)
        {
            int bh = counts[i] * H0 / max;
            sb.Append(Inv($"<rect x=\"{10 + (i * BarW)}\" y=\"{24 + H0 - bh}\" width=\"{BarW - 10}\" height=\"{bh}\" fill=\"#4a7fc1\"><title>{counts[i]} hosts</title></rect>"));
            sb.Append(Inv($"<text x=\"{10 + (i * BarW) + ((BarW - 10) / 2)}\" y=\"{H0 + 39}\" font-size=\"11\" text-anchor=\"middle\">{labels[i]} d ({counts[i]})</text>\n"));
        }

        double x1875 = 10 + (2 * BarW) + ((18.75 - 14) / 7 * BarW);
        sb.Append(Inv($"<line x1=\"{x1875:F1}\" y1=\"16\" x2=\"{x1875:F1}\" y2=\"{H0 + 26}\" stroke=\"#c33\" stroke-dasharray=\"4 3\"/><text class=\"reference\" x=\"{x1875 + 4:F1}\" y=\"12\" font-size=\"11\" fill=\"#c33\">18.75 d: every ESX release</text>"));
        sb.Append("</svg></div>\n");
        if (report.MeanDaysBetweenPatches is { } mean)
        {
            sb.Append(Inv($"<p>Fleet mean: {mean:F2} days between patches (for comparison: an ESX host patched on every release, about every 18.75 days).</p>\n"));
        }
    }

    private static void Kpi(StringBuilder sb, string label, string value) =>
        sb.Append("<span class=\"k\"><b>").Append(H(value)).Append("</b>").Append(H(label)).Append("</span>");

    private static string Color(HostOutcomeState s) => s switch
    {
        HostOutcomeState.Patched => "#2e9e4f",
        HostOutcomeState.PatchedPendingReboot => "#9bc53d",
        HostOutcomeState.Skipped => "#e0a526",
        HostOutcomeState.NotApplicable => "#b8b8b8",
        HostOutcomeState.Failed => "#d33c3c",
        HostOutcomeState.RolledBack => "#8e44ad",
        _ => "#4a7fc1",
    };

    private static string H(string? s) => WebUtility.HtmlEncode(s ?? string.Empty);

    private static string Inv(FormattableString s) => s.ToString(s_inv);
}
