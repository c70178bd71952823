using System.Globalization;
using PatchKit.Lifecycle.Repair;
using PatchKit.Lifecycle.Report;

namespace PatchKit.Cli.Rendering;

/// <summary>Prints a dry-run plan for people: waves, order, path and steps per host, window fit, estimated duration.</summary>
internal static class PlanPrinter
{
    public static void Print(TextWriter w, RepairPlan plan, PatchRunReport report)
    {
        var inv = CultureInfo.InvariantCulture;
        w.WriteLine(string.Create(inv, $"Plan: {Plural.Of(plan.Hosts.Count, "host")} in {Plural.Of(plan.Waves.Count, "wave")}, {plan.MaxConcurrency} at a time"));
        w.WriteLine(string.Create(inv, $"Estimated: {plan.PlannedStart:yyyy-MM-dd HH:mm} → {plan.PlannedEnd:yyyy-MM-dd HH:mm} UTC ({plan.EstimatedDuration.TotalHours:F1} h, window waits included)"));
        foreach (var wave in plan.Waves)
        {
            w.WriteLine();
            w.WriteLine(string.Create(inv, $"Wave {wave.Name} ({Plural.Of(wave.HostIds.Count, "host")}, {wave.PlannedStart:MM-dd HH:mm} → {wave.PlannedEnd:MM-dd HH:mm})"));
            foreach (var h in plan.Hosts.Where(x => x.Wave == wave.Name))
            {
                string when = h.PlannedStart is { } s ? string.Create(inv, $"{s:MM-dd HH:mm}, {h.Estimate.TotalMinutes:F0} min") : "NO WINDOW FITS before the horizon";
                w.WriteLine(string.Create(inv, $"  {h.HostId,-18} {h.Kind,-8} {h.Path,-12} {when}"));
                w.WriteLine("      " + string.Join(" → ", h.Steps.Select(st => st.PatchId is null ? Name(st.Kind) : Name(st.Kind) + " " + st.PatchId)));
                w.WriteLine("      why: " + h.Reason);
            }
        }

        if (plan.NotPlanned.Count > 0)
        {
            w.WriteLine();
            w.WriteLine("Left alone:");
            foreach (var o in plan.NotPlanned)
            {
                w.WriteLine($"  {o.HostId,-18} {ReportRenderer.StateText(o.State, o.SkipReason),-26} {o.Message}");
            }
        }

        if (report.Fixes.Count > 0)
        {
            w.WriteLine();
            w.WriteLine("Advisories fixed:");
            foreach (var f in report.Fixes)
            {
                w.WriteLine($"  {f.PatchId,-28} {(f.Cves.Count > 0 ? string.Join(", ", f.Cves) : f.Title)}");
                foreach (string h in f.Hosts)
                {
                    w.WriteLine("    " + h);
                }
            }
        }

        if (report.HeldPatches.Count > 0)
        {
            w.WriteLine();
            w.WriteLine("Held by the approval policy:");
            foreach (var h in report.HeldPatches)
            {
                w.WriteLine($"  {h.PatchId,-28} {h.Reason} ({string.Join(", ", h.HostIds)})");
            }
        }

        if (report.LabTests.Count > 0)
        {
            w.WriteLine();
            w.WriteLine("Lab gate:");
            foreach (var t in report.LabTests)
            {
                w.WriteLine($"  {t.Group,-18} {t.PatchId,-28} {t.Message}");
            }
        }
    }

    private static string Name(RepairStepKind k) => k switch
    {
        RepairStepKind.EnterMaintenance => "enter-maintenance",
        RepairStepKind.ExitMaintenance => "exit-maintenance",
        RepairStepKind.RemoveSnapshot => "remove-snapshot",
        RepairStepKind.LiveUpdate => "live-update",
        _ => k.ToString().ToLowerInvariant(),
    };
}
