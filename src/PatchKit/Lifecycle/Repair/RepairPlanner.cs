using PatchKit.Advisories;
using PatchKit.Hosts;
using PatchKit.Lifecycle.Reach;

namespace PatchKit.Lifecycle.Repair;

/// <summary>Makes the plan: which hosts, in which wave, by which path, with which steps, and when (lanes of
/// <see cref="RepairSettings.MaxConcurrency"/> fitted into the maintenance windows). Pure: touches no host.</summary>
internal static class RepairPlanner
{
    public static RepairPlan Plan(PatchRunContext context, RepairSettings s, DateTimeOffset start)
    {
        var fleet = context.Fleet!;
        var assessment = context.Assessment!;
        var research = context.Research;
        var lab = new List<PlannedHost>();
        var canary = new List<PlannedHost>();
        var rest = new List<PlannedHost>();
        var notPlanned = new List<HostOutcome>();
        foreach (var reached in fleet.Hosts)
        {
            var host = reached.Host;
            HostOutcome Skip(HostOutcomeState state, SkipReason reason, string message) => new()
            {
                HostId = host.Id, Kind = host.Kind, Cluster = host.Cluster, State = state, SkipReason = reason, Message = message,
            };

            if (host.Status == HostStatus.Unreachable)
            {
                notPlanned.Add(Skip(HostOutcomeState.Skipped, SkipReason.Unreachable, "did not answer during Reach"));
                continue;
            }

            var a = assessment.Find(host.Id);
            if (a is null || a.Applicable.Count == 0)
            {
                notPlanned.Add(Skip(HostOutcomeState.NotApplicable, SkipReason.None, "up to date"));
                continue;
            }

            if (a.Approved.Count == 0)
            {
                notPlanned.Add(Skip(HostOutcomeState.Skipped, SkipReason.Approval, string.Join("; ", a.Held.Select(h => h.PatchId + ": " + h.Reason))));
                continue;
            }

            var promoted = a.Approved.Where(p => research is null || research.IsPromoted(host, p)).ToList();
            if (promoted.Count == 0)
            {
                notPlanned.Add(Skip(HostOutcomeState.Skipped, SkipReason.LabFailed, "every approved patch failed the lab: " + string.Join(", ", a.Approved)));
                continue;
            }

            var planned = PlanHost(reached, promoted.Select(id => assessment.Patches[id]).ToList(), s);
            if (planned is null)
            {
                notPlanned.Add(Skip(HostOutcomeState.Skipped, SkipReason.Capability, "the adapter cannot install patches on this host"));
                continue;
            }

            (host.HasTag(s.LabTag) ? lab : host.HasTag(s.CanaryTag) ? canary : rest).Add(planned);
        }

        if (canary.Count == 0 && rest.Count > 1 && s.CanaryFraction > 0)
        {
            int n = Math.Max(1, (int)Math.Ceiling(rest.Count * s.CanaryFraction));
            canary.AddRange(rest.Take(n));
            rest.RemoveRange(0, n);
        }

        var waves = new List<RepairWave>();
        var hosts = new List<PlannedHost>(lab.Count + canary.Count + rest.Count);
        var t = start;
        foreach (var (name, list) in new[] { (RepairConstants.LabWave, lab), (RepairConstants.CanaryWave, canary), (RepairConstants.RestWave, rest) })
        {
            if (list.Count == 0)
            {
                continue;
            }

            var waveStart = t;
            var lanes = new PriorityQueue<int, DateTimeOffset>();
            for (int i = 0; i < Math.Min(s.MaxConcurrency, list.Count); i++)
            {
                lanes.Enqueue(i, waveStart);
            }

            var end = waveStart;
            var horizon = start + s.WindowHorizon;
            foreach (var h in list)
            {
                lanes.TryDequeue(out int lane, out var free);
                var at = s.Schedule.NextStart(free, h.Estimate, horizon);
                var withTimes = h with { Wave = name, PlannedStart = at, PlannedEnd = at + h.Estimate };
                hosts.Add(withTimes);
                var laneEnd = at is null ? free : at.Value + h.Estimate;
                lanes.Enqueue(lane, laneEnd);
                if (laneEnd > end)
                {
                    end = laneEnd;
                }
            }

            waves.Add(new RepairWave(name, [.. list.Select(h => h.HostId)], waveStart, end));
            t = end;
        }

        return new RepairPlan { PlannedStart = start, PlannedEnd = t, MaxConcurrency = s.MaxConcurrency, Waves = waves, Hosts = hosts, NotPlanned = notPlanned };
    }

    /// <summary>The least disruptive path the adapter, the host and the patches allow.</summary>
    private static PlannedHost? PlanHost(ReachedHost reached, List<PatchDefinition> patches, RepairSettings s)
    {
        var host = reached.Host;
        bool snapshot = reached.Has<ISnapshotCapability>();
        bool hypervisor = host.ParentId is null && host.Kind is HostKind.Esx or HostKind.Kvm;
        bool needsReboot = patches.Exists(p => p.Reboot is RebootBehavior.Always or RebootBehavior.May || (p.Reboot == RebootBehavior.Unknown && p.RequiresReboot));
        bool defer = host.HasTag(s.DeferRebootTag);
        var steps = new List<PlannedStep>();
        RepairPath path;
        string reason;
        if (s.PreferLiveUpdate && reached.TryGet<ILiveUpdateCapability>(out var live)
            && patches.TrueForAll(p => live.CanLiveUpdate(host, InstallRequests.From(p), p.LivePatchable)))
        {
            path = RepairPath.LiveUpdate;
            reason = "every patch can be applied live: no reboot, guests keep running";
        }
        else if (!reached.Has<IInstallCapability>())
        {
            return null;
        }
        else if (!needsReboot)
        {
            path = RepairPath.InstallOnly;
            reason = "no patch needs a reboot";
        }
        else if (defer || !reached.Has<IRebootCapability>())
        {
            path = RepairPath.InstallOnly;
            defer = true;
            reason = "reboot deferred: the host ends patched, pending reboot";
        }
        else if (hypervisor && reached.Has<IEvacuationCapability>() && reached.Has<IMaintenanceModeCapability>())
        {
            path = RepairPath.Evacuate;
            reason = EvacuationReason(host.Guests.Count);
        }
        else
        {
            path = RepairPath.PlainReboot;
            reason = hypervisor && host.Guests.Count > 0
                ? "no live migration available: " + host.Guests.Count + " guests restart with the host"
                : "install and reboot inside the window";
        }

        if (snapshot)
        {
            steps.Add(new(RepairStepKind.Snapshot, null, s.Snapshot));
        }

        var migrate = s.MigratePerGuest * Math.Max(1, host.Guests.Count);
        if (path == RepairPath.Evacuate)
        {
            steps.Add(new(RepairStepKind.Evacuate, null, migrate));
            steps.Add(new(RepairStepKind.EnterMaintenance, null, s.MaintenanceMode));
        }

        foreach (var p in patches)
        {
            steps.Add(path == RepairPath.LiveUpdate ? new(RepairStepKind.LiveUpdate, p.Id, s.LiveUpdate) : new(RepairStepKind.Install, p.Id, s.Install));
        }

        if (path is RepairPath.Evacuate or RepairPath.PlainReboot)
        {
            steps.Add(new(RepairStepKind.Reboot, null, hypervisor ? s.HostReboot : s.GuestReboot));
        }

        steps.Add(new(RepairStepKind.Verify, null, s.Verify));
        if (path == RepairPath.Evacuate)
        {
            steps.Add(new(RepairStepKind.ExitMaintenance, null, s.MaintenanceMode));
            steps.Add(new(RepairStepKind.Rebalance, null, migrate));
        }

        if (snapshot)
        {
            steps.Add(new(RepairStepKind.RemoveSnapshot, null, s.Snapshot));
        }

        var estimate = TimeSpan.Zero;
        foreach (var step in steps)
        {
            estimate += step.Estimate;
        }

        return new PlannedHost
        {
            HostId = host.Id,
            Kind = host.Kind,
            Wave = string.Empty,
            Path = path,
            Patches = [.. patches.Select(p => p.Id)],
            Steps = steps,
            Guests = path == RepairPath.Evacuate ? host.Guests : [],
            Snapshot = snapshot,
            RebootDeferred = defer && needsReboot,
            Estimate = estimate,
            Reason = reason,
        };
    }

    /// <summary>What an evacuated host's outcome says: the guests moved away and back.</summary>
    internal static string EvacuationReason(int guests) =>
        guests.ToString(System.Globalization.CultureInfo.InvariantCulture) + (guests == 1 ? " guest" : " guests") + " live-migrated away and back: no guest restarts";
}
