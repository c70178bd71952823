using PatchKit.Lifecycle.Repair;

namespace PatchKit.Lifecycle.Report;

/// <summary>Turns a run's context into a <see cref="PatchRunReport"/>.</summary>
internal static class ReportBuilder
{
    public static PatchRunReport Build(PatchRunContext context, IReadOnlyList<RunHistoryEntry> earlier)
    {
        IReadOnlyList<HostOutcome> outcomes = context.Repair?.Outcomes ?? PlannedOutcomes(context);
        var hosts = new List<HostReport>(outcomes.Count);
        int patched = 0, pending = 0, skipped = 0, na = 0, failed = 0, rolledBack = 0, planned = 0, compliant = 0, avoided = 0;
        var maintenance = TimeSpan.Zero;
        double cadenceSum = 0;
        int cadenceHosts = 0;
        var end = context.StartedAt;
        var leftInMaintenance = new List<string>();
        foreach (var o in outcomes)
        {
            // A host Reach found in maintenance mode that nothing in this run took out is left there: say so, and do
            // not count it as compliant (a crashed earlier run, or a lost journal, may have left it so).
            bool left = context.Fleet?.Find(o.HostId)?.Host is { InMaintenanceMode: true }
                && !o.Steps.Any(s => s.Kind == RepairStepKind.ExitMaintenance && s.Succeeded);
            int compliantBefore = compliant;
            switch (o.State)
            {
                case HostOutcomeState.Patched: patched++; compliant++; break;
                case HostOutcomeState.PatchedPendingReboot: pending++; break;
                case HostOutcomeState.Skipped: skipped++; if (o.SkipReason == SkipReason.Approval) { compliant++; } break;
                case HostOutcomeState.NotApplicable: na++; compliant++; break;
                case HostOutcomeState.Failed: failed++; break;
                case HostOutcomeState.RolledBack: rolledBack++; break;
                default: planned++; break;
            }

            if (left)
            {
                leftInMaintenance.Add(o.HostId);
                compliant = compliantBefore;
            }

            maintenance += o.MaintenanceTime;
            avoided += o.RestartsAvoided;
            if (o.EndedAt is { } e && e > end)
            {
                end = e;
            }

            double? cadence = Cadence(context, o);
            if (cadence is { } c)
            {
                cadenceSum += c;
                cadenceHosts++;
            }

            hosts.Add(new HostReport
            {
                HostId = o.HostId, Kind = o.Kind, Cluster = o.Cluster, Wave = o.Wave, Path = o.Path, State = o.State, SkipReason = o.SkipReason,
                Message = left ? o.Message + (o.Message.Length > 0 ? "; " : string.Empty) + "left in maintenance mode: it was in maintenance mode when the run began and nothing took it out" : o.Message,
                PatchesApplied = o.PatchesApplied, StartedAt = o.StartedAt, EndedAt = o.EndedAt,
                MaintenanceMinutes = Math.Round(o.MaintenanceTime.TotalMinutes, 1), RestartsAvoided = o.RestartsAvoided, DaysBetweenPatches = cadence,
            });
        }

        if (context.Plan is { } plan && context.IsDryRun)
        {
            end = plan.PlannedEnd;
        }

        double compliance = outcomes.Count == 0 ? 100 : Math.Round(100.0 * compliant / outcomes.Count, 1);
        double? mean = cadenceHosts == 0 ? null : Math.Round(cadenceSum / cadenceHosts, 2);
        var now = context.TimeProvider.GetUtcNow();
        var history = new List<RunHistoryEntry>(earlier)
        {
            new() { RunId = context.RunId, GeneratedAt = now, CompliancePercent = compliance, Patched = patched + pending, Failed = failed + rolledBack, MeanDaysBetweenPatches = mean },
        };
        return new PatchRunReport
        {
            RunId = context.RunId,
            GeneratedAt = now,
            StartedAt = context.StartedAt,
            EndedAt = end,
            DryRun = context.IsDryRun,
            Resumed = context.IsResumed,
            Halted = context.Repair?.Halted ?? false,
            HaltReason = context.Repair?.HaltReason ?? string.Empty,
            Patched = patched,
            PatchedPendingReboot = pending,
            Skipped = skipped,
            NotApplicable = na,
            Failed = failed,
            RolledBack = rolledBack,
            Planned = planned,
            CompliancePercent = compliance,
            MeanDaysBetweenPatches = mean,
            MaintenanceTime = maintenance,
            RestartsAvoided = avoided,
            Waves = context.Repair?.Waves ?? context.Plan?.Waves ?? [],
            Hosts = hosts,
            LabTests = context.Research?.Tests ?? [],
            Plan = context.IsDryRun ? context.Plan : null,
            History = history,
            LeftInMaintenanceMode = leftInMaintenance,
        };
    }

    /// <summary>Mean days between installs: the host's history from Reach plus what this run applied.</summary>
    private static double? Cadence(PatchRunContext context, HostOutcome o)
    {
        var host = context.Fleet?.Find(o.HostId)?.Host;
        if (host is null)
        {
            return null;
        }

        var dates = new List<DateTimeOffset>(host.InstalledPatches.Count + 1);
        foreach (var p in host.InstalledPatches)
        {
            dates.Add(p.InstalledAt);
        }

        if (o.PatchesApplied.Count > 0 && o.EndedAt is { } at && !o.PatchesApplied.All(host.IsInstalled))
        {
            dates.Add(at);
        }

        if (dates.Count < 2)
        {
            return null;
        }

        dates.Sort();
        return Math.Round((dates[^1] - dates[0]).TotalDays / (dates.Count - 1), 2);
    }

    private static List<HostOutcome> PlannedOutcomes(PatchRunContext context)
    {
        var list = new List<HostOutcome>();
        if (context.Plan is { } plan)
        {
            foreach (var h in plan.Hosts)
            {
                list.Add(new HostOutcome
                {
                    HostId = h.HostId, Kind = h.Kind, Cluster = context.Fleet?.Find(h.HostId)?.Host.Cluster ?? string.Empty, Wave = h.Wave, Path = h.Path,
                    State = HostOutcomeState.Planned, Message = h.Reason, StartedAt = h.PlannedStart, EndedAt = h.PlannedEnd,
                    PatchesApplied = h.Patches,
                });
            }

            list.AddRange(plan.NotPlanned);
        }

        return list;
    }
}
