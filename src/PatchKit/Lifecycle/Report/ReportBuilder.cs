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
        var leftovers = context.Fleet?.Leftovers.Where(l => !l.Removed).ToList() ?? [];
        // Looked up per host, built once: a walk of all hosts per host made the report quadratic in the fleet.
        var leftoversOf = leftovers.ToLookup(l => l.HostId, StringComparer.Ordinal);
        var assessed = new Dictionary<string, Resolve.HostAssessment>(StringComparer.Ordinal);
        foreach (var a in context.Assessment?.Hosts ?? [])
        {
            assessed.TryAdd(a.HostId, a);
        }

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

            // A snapshot or lab clone of another run still on the host: not compliant until it is removed.
            var mine = leftoversOf[o.HostId].ToList();
            if (mine.Count > 0)
            {
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
                Message = Join(left ? Join(o.Message, "left in maintenance mode: it was in maintenance mode when the run began and nothing took it out") : o.Message,
                    mine.Count == 0 ? string.Empty : LeftoverText(mine)),
                PatchesApplied = o.PatchesApplied, PatchesAttempted = Attempted(assessed, o), StartedAt = o.StartedAt, EndedAt = o.EndedAt,
                MaintenanceMinutes = Math.Round(o.MaintenanceTime.TotalMinutes, 1), RestartsAvoided = o.RestartsAvoided, DaysBetweenPatches = cadence,
            });
        }

        if (context.Plan is { } plan && context.IsDryRun)
        {
            end = plan.PlannedEnd;
        }

        double compliance = outcomes.Count == 0 ? (leftovers.Count == 0 ? 100 : 0) : Math.Round(100.0 * compliant / outcomes.Count, 1);
        if (compliance == 100 && (leftovers.Count > 0 || leftInMaintenance.Count > 0))
        {
            compliance = 99.9; // rounding must never turn a host left behind into 100 %
        }

        double? mean = cadenceHosts == 0 ? null : Math.Round(cadenceSum / cadenceHosts, 2);
        var now = context.TimeProvider.GetUtcNow();
        var current = new RunHistoryEntry { RunId = context.RunId, GeneratedAt = now, CompliancePercent = compliance, Patched = patched + pending, Failed = failed + rolledBack, MeanDaysBetweenPatches = mean };

        // Several workers of one run report the same run from the same journal: an equal entry already in the history
        // is this report, written by another process, not an earlier run.
        var history = new List<RunHistoryEntry>(earlier.Count + 1);
        foreach (var e in earlier)
        {
            if (e != current)
            {
                history.Add(e);
            }
        }

        history.Add(current);
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
            NeedsAttention = context.IsDryRun ? [] : Attention(hosts, leftInMaintenance, leftovers, context.Research?.Tests ?? []),
            HeldPatches = Held(context),
            Fixes = Fixes(context),
        };
    }

    /// <summary>The approved patches of a host the run did not patch: what a failed, rolled back, skipped or pending host was on.</summary>
    private static IReadOnlyList<string> Attempted(Dictionary<string, Resolve.HostAssessment> assessed, HostOutcome o) =>
        o.State is HostOutcomeState.Patched or HostOutcomeState.NotApplicable || !assessed.TryGetValue(o.HostId, out var a)
            ? []
            : a.Approved.Where(p => !o.PatchesApplied.Contains(p)).ToList();

    /// <summary>Every host an administrator must look at, in the order failed, rolled back, pending reboot, skipped, left
    /// in maintenance mode, each with the next step.</summary>
    private static List<AttentionItem> Attention(List<HostReport> hosts, List<string> leftInMaintenance, List<Reach.Leftover> leftovers, IReadOnlyList<Research.LabTestResult> lab)
    {
        var items = new List<AttentionItem>();
        static int Rank(HostOutcomeState s) => s switch
        {
            HostOutcomeState.Failed => 0,
            HostOutcomeState.RolledBack => 1,
            HostOutcomeState.PatchedPendingReboot => 2,
            _ => 3,
        };

        foreach (var h in hosts.OrderBy(h => Rank(h.State)))
        {
            IReadOnlyList<string> patches = h.PatchesAttempted.Count > 0 ? h.PatchesAttempted : h.PatchesApplied;
            string what = h.Message.Length > 0 ? h.Message : StateText(h.State, h.SkipReason);
            string? next = h.State switch
            {
                HostOutcomeState.Failed => "investigate the failure on the host, then run again: the next run retries it in its next window",
                HostOutcomeState.RolledBack => "the host is back on its snapshot; find why the patch failed there before the next run retries it",
                HostOutcomeState.PatchedPendingReboot => "reboot the host in its next maintenance window to finish the install",
                HostOutcomeState.Skipped => h.SkipReason switch
                {
                    SkipReason.Window => "no maintenance window fit before the horizon: retry in the next window, or widen the policy's windows",
                    SkipReason.LabFailed => LabNext(lab, patches),
                    SkipReason.ErrorBudget => "the run halted when the error budget was spent: fix the failures above, then run again",
                    SkipReason.Capability => "the host's adapter lacks what the patch needs (see the note); patch it by hand or with an adapter that can",
                    SkipReason.Unreachable => "the host did not answer: check its connection and credentials; the next run retries it",
                    _ => null,
                },
                _ => null,
            };
            if (next is not null)
            {
                items.Add(new AttentionItem(h.HostId, patches, StateText(h.State, h.SkipReason) + ": " + what, next));
            }
        }

        foreach (string id in leftInMaintenance)
        {
            if (!items.Exists(i => i.HostId == id))
            {
                items.Add(new AttentionItem(id, [], "left in maintenance mode: it was in maintenance mode when the run began and nothing took it out",
                    "check the host and take it out of maintenance mode"));
            }
        }

        foreach (var group in leftovers.GroupBy(l => l.HostId, StringComparer.Ordinal))
        {
            items.Add(new AttentionItem(group.Key, [], LeftoverText([.. group]),
                group.Any(l => l.RemoveError is not null)
                    ? "removing it failed (" + string.Join("; ", group.Where(l => l.RemoveError is not null).Select(l => l.RemoveError)) + "): remove it by hand"
                    : "when no run is still using it, remove it: run again with --remove-leftovers (ReachStageOptions.RemoveLeftovers), or by hand"));
        }

        return items;
    }

    private static string Join(string a, string b) => a.Length == 0 ? b : b.Length == 0 ? a : a + "; " + b;

    private static string LeftoverText(List<Reach.Leftover> leftovers) =>
        "PatchKit " + string.Join(", ", leftovers.Select(l => (l.Kind == Reach.LeftoverKind.LabClone ? "lab clone '" : "snapshot '") + l.Name + "'"))
        + " of another run left on the host (its journal was lost or cut short, or that run is still going)";

    private static string LabNext(IReadOnlyList<Research.LabTestResult> lab, IReadOnlyList<string> patches)
    {
        var failed = lab.Where(t => !t.Passed && patches.Contains(t.PatchId)).ToList();
        string issues = string.Join(", ", failed.Where(t => t.IssueId is not null).Select(t => "issue " + t.IssueId).Distinct());
        return "investigate the lab failure (the Lab section says what failed" + (issues.Length > 0 ? "; " + issues : string.Empty) + "); the host stays on its current version until the patch passes";
    }

    /// <summary>The patches the approval policy held, grouped by patch and rule.</summary>
    private static List<HeldPatchSummary> Held(PatchRunContext context)
    {
        if (context.Assessment is not { } assessment)
        {
            return [];
        }

        return assessment.Hosts
            .SelectMany(a => a.Held.Select(h => (a.HostId, h.PatchId, h.Reason)))
            .GroupBy(x => (x.PatchId, x.Reason))
            .OrderBy(g => g.Key.PatchId, StringComparer.Ordinal).ThenBy(g => g.Key.Reason, StringComparer.Ordinal)
            .Select(g => new HeldPatchSummary(g.Key.PatchId, g.Key.Reason, g.Select(x => x.HostId).Distinct().OrderBy(x => x, StringComparer.Ordinal).ToList()))
            .ToList();
    }

    /// <summary>The approved patches that name CVEs or packages, with the hosts they were approved for and why each needs it.</summary>
    private static List<AdvisoryFixSummary> Fixes(PatchRunContext context)
    {
        if (context.Assessment is not { } assessment)
        {
            return [];
        }

        var fixes = new List<AdvisoryFixSummary>();
        foreach (var group in assessment.Hosts.SelectMany(a => a.Approved.Select(p => (a.HostId, PatchId: p)))
            .GroupBy(x => x.PatchId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (!assessment.Patches.TryGetValue(group.Key, out var patch) || (patch.Cves.Count == 0 && patch.Packages.Count == 0))
            {
                continue;
            }

            var hosts = new List<string>();
            foreach (string hostId in group.Select(x => x.HostId).Distinct(StringComparer.Ordinal).OrderBy(x => x, StringComparer.Ordinal))
            {
                string? why = context.Fleet?.Find(hostId)?.Host is { } host ? patch.ReasonFor(host) : null;
                hosts.Add(why is null ? hostId : hostId + ": " + why);
            }

            fixes.Add(new AdvisoryFixSummary(patch.Id, patch.Title, patch.Cves, hosts));
        }

        return fixes;
    }

    private static string StateText(HostOutcomeState state, SkipReason reason) => ReportRenderer.StateText(state, reason);

    /// <summary>Mean days between installs: the host's history from Reach plus what this run applied.</summary>
    private static double? Cadence(PatchRunContext context, HostOutcome o)
    {
        var host = context.Fleet?.Find(o.HostId)?.Host;
        if (host is null)
        {
            return null;
        }

        // A patch this run applied counts at the host's end of repair, also when a resumed run's inventory already
        // lists it (installed by the attempt a crash stopped, at that attempt's clock): the figure is an uninterrupted run's.
        bool applied = o.PatchesApplied.Count > 0 && o.EndedAt is not null;
        var dates = new List<DateTimeOffset>(host.InstalledPatches.Count + 1);
        foreach (var p in host.InstalledPatches)
        {
            if (!(applied && o.PatchesApplied.Contains(p.PatchId)))
            {
                dates.Add(p.InstalledAt);
            }
        }

        if (applied)
        {
            dates.Add(o.EndedAt!.Value);
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
