using PatchKit.Lifecycle.Reach;

namespace PatchKit.Lifecycle.Repair;

/// <summary>Repair: plan, then run wave by wave (lab, canary, rest) with up to
/// <see cref="RepairStageOptions.MaxConcurrency"/> hosts at once, each on its own lane of the timeline, waiting for
/// maintenance windows, and halting when the error budget is spent. A dry run stops after the plan.</summary>
internal sealed class RepairStage : PatchStage
{
    private readonly string _name;
    private readonly RepairSettings _s;

    public RepairStage(string name, RepairStageOptions options)
    {
        _name = name;
        _s = new RepairSettings(options);
    }

    protected internal override async ValueTask ExecuteAsync(PatchRunContext context)
    {
        if (context.Fleet is null || context.Assessment is null)
        {
            throw new PipelineStageException(_name, "Reach and Resolve must run before Repair", null);
        }

        var start = context.TimeProvider.GetUtcNow();
        if (context.Research is { LabDuration: var lab } && context.StartedAt + lab > start)
        {
            start = context.StartedAt + lab;
        }

        var plan = RepairPlanner.Plan(context, _s, start);
        string? planText = null;
        if (!context.IsDryRun && (context.RepairQueue is not null || context.TryGetDecision(PlanDecisionKey, out _)))
        {
            // A queued run is repaired from the plan it was queued with, also by a run that only builds its report.
            (plan, planText) = await FrozenPlanAsync(context, plan).ConfigureAwait(false);
        }

        context.Plan = plan;
        Log.PlanMade(context.Logger, plan.Hosts.Count, plan.Waves.Count, plan.EstimatedDuration.TotalHours);
        if (context.IsDryRun)
        {
            context.ReportProgress(_name, $"plan: {plan.Hosts.Count} hosts in {plan.Waves.Count} waves, about {plan.EstimatedDuration.TotalHours:F1} h", plan.Hosts.Count, plan.Hosts.Count);
            return;
        }

        if (context.RepairQueue is { } queue)
        {
            if (context.RepairQueueRole == RepairQueueRole.Enqueue)
            {
                var waveIndex = plan.Waves.Select((w, i) => (w.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
                var items = plan.Hosts.Select(h => new RepairWorkItem(h.HostId, waveIndex.GetValueOrDefault(h.Wave),
                    h.Path == RepairPath.Evacuate ? context.Fleet.Find(h.HostId)?.Host.Cluster ?? string.Empty : null)).ToList();
                await queue.EnqueueAsync(context.RunId, planText!, items, context.CancellationToken).ConfigureAwait(false);
                context.ReportProgress(_name, $"queued: {plan.Hosts.Count} hosts in {plan.Waves.Count} waves for the workers", plan.Hosts.Count, plan.Hosts.Count);
                return;
            }

            await WorkFromQueueAsync(context, queue, plan, start).ConfigureAwait(false);
            return;
        }

        var outcomes = new List<HostOutcome>(plan.Hosts.Count + plan.NotPlanned.Count);
        var waves = new List<RepairWave>();
        int failures = 0;
        bool halted = false;
        string haltReason = string.Empty;
        int done = 0;
        var t = start;
        var horizon = start + _s.WindowHorizon;
        foreach (var wave in plan.Waves)
        {
            var hosts = plan.Hosts.Where(h => h.Wave == wave.Name).ToArray();
            var results = new HostOutcome[hosts.Length];
            if (halted)
            {
                for (int i = 0; i < hosts.Length; i++)
                {
                    results[i] = Untouched(context, hosts[i], haltReason);
                }

                outcomes.AddRange(results);
                continue;
            }

            var waveStart = t;
            int waveFailures = 0;
            var waveEnd = waveStart;

            // Dispatch like a discrete-event simulation: the next host goes to the free lane whose timeline is earliest,
            // so the timeline is the same whether the adapter answers at once (simulated) or after real waits.
            var free = new PriorityQueue<int, (DateTimeOffset, int)>();
            for (int lane = 0; lane < Math.Min(_s.MaxConcurrency, hosts.Length); lane++)
            {
                free.Enqueue(lane, (waveStart, lane));
            }

            // One evacuating host per cluster at a time: its guests need the other hosts of the cluster.
            var running = new List<Task<(int Lane, DateTimeOffset End, int Index)>>();
            var pending = new List<int>(Enumerable.Range(0, hosts.Length));
            var busyClusters = new HashSet<string>(StringComparer.Ordinal);
            var clusterFreeAt = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            string? ClusterOf(PlannedHost h) => h.Path == RepairPath.Evacuate ? context.Fleet.Find(h.HostId)?.Host.Cluster ?? string.Empty : null;
            while (pending.Count > 0 || running.Count > 0)
            {
                while (pending.Count > 0 && free.Count > 0)
                {
                    int pick = pending.FindIndex(i => ClusterOf(hosts[i]) is not { } c || !busyClusters.Contains(c));
                    if (pick < 0)
                    {
                        break;
                    }

                    int index = pending[pick];
                    pending.RemoveAt(pick);
                    free.TryDequeue(out int lane, out var slot);
                    var at = slot.Item1;
                    if (ClusterOf(hosts[index]) is { } cluster)
                    {
                        busyClusters.Add(cluster);
                        if (clusterFreeAt.TryGetValue(cluster, out var freeAt) && freeAt > at)
                        {
                            at = freeAt;
                        }
                    }

                    running.Add(RunHostAsync(hosts[index], index, lane, at));
                }

                var finished = await NextToFinishAsync(context, running).ConfigureAwait(false);
                running.Remove(finished);
                var (freedLane, laneEnd, doneIndex) = await finished.ConfigureAwait(false);
                if (ClusterOf(hosts[doneIndex]) is { } doneCluster)
                {
                    busyClusters.Remove(doneCluster);
                    clusterFreeAt[doneCluster] = laneEnd;
                }

                if (laneEnd > waveEnd)
                {
                    waveEnd = laneEnd;
                }

                free.Enqueue(freedLane, (laneEnd, freedLane));
            }

            async Task<(int, DateTimeOffset, int)> RunHostAsync(PlannedHost planned, int i, int lane, DateTimeOffset laneTime)
            {
                if (Volatile.Read(ref halted))
                {
                    results[i] = Untouched(context, planned, haltReason);
                    return (lane, laneTime, i);
                }

                var run = new HostRepairRun(context, _s, planned, context.Fleet!.Find(planned.HostId)!, laneTime);
                if (!run.StartedEarlier)
                {
                    var at = _s.Schedule.NextStart(laneTime, planned.Estimate, horizon);
                    if (at is null)
                    {
                        results[i] = new HostOutcome
                        {
                            HostId = planned.HostId, Kind = planned.Kind, Wave = planned.Wave, Path = planned.Path, State = HostOutcomeState.Skipped,
                            SkipReason = SkipReason.Window, Message = $"no maintenance window fits {planned.Estimate.TotalMinutes:F0} min before {horizon:yyyy-MM-dd}",
                        };
                        return (lane, laneTime, i);
                    }

                    if (at.Value > laneTime)
                    {
                        Log.WaitingForWindow(context.Logger, at.Value, planned.HostId);
                        await WaitUntilAsync(context, at.Value).ConfigureAwait(false);
                        run = new HostRepairRun(context, _s, planned, context.Fleet.Find(planned.HostId)!, at.Value);
                    }
                }

                var outcome = await run.RunAsync().ConfigureAwait(false);
                results[i] = outcome;
                Log.HostRepaired(context.Logger, outcome.HostId, outcome.State.ToString(), planned.Path.ToString());
                if (_s.OnHostRepaired is { } hook)
                {
                    // The hook may tell the world the host is done: every record of the host is on the disk first.
                    await context.FlushHostAsync(planned.HostId).ConfigureAwait(false);
                    await hook(new OnHostRepairedArguments(context, outcome)).ConfigureAwait(false);
                }

                if (outcome.State is HostOutcomeState.Failed or HostOutcomeState.RolledBack)
                {
                    Interlocked.Increment(ref waveFailures);
                    if (Interlocked.Increment(ref failures) > _s.ErrorBudget && !Volatile.Read(ref halted))
                    {
                        haltReason = $"error budget of {_s.ErrorBudget} failed hosts spent";
                        Volatile.Write(ref halted, true);
                    }
                }

                context.ReportProgress(_name, $"{outcome.HostId}: {Describe(outcome)}", Interlocked.Increment(ref done), plan.Hosts.Count);
                return (lane, run.Lane, i);
            }

            waves.Add(new RepairWave(wave.Name, wave.HostIds, waveStart, waveEnd));
            outcomes.AddRange(results);
            t = waveEnd;
            if (!halted && waveFailures > 0 && _s.HaltOnEarlyWaveFailure && wave.Name is RepairConstants.LabWave or RepairConstants.CanaryWave)
            {
                halted = true;
                haltReason = $"{waveFailures} hosts failed in the {wave.Name} wave";
            }
        }

        // The step ends the hosts' next steps did not carry to the disk (each host's last) go in one flush.
        await context.FlushAllAsync().ConfigureAwait(false);
        if (halted)
        {
            Log.RunHalted(context.Logger, haltReason);
        }

        outcomes.AddRange(plan.NotPlanned);
        context.Repair = new RepairResult { Outcomes = outcomes, Halted = halted, HaltReason = haltReason, Waves = waves };
    }

    /// <summary>The running host whose lane frees next. On the wall clock, the one that finishes first. On a simulated
    /// timeline every running host is let finish (the adapter answers at once) and the one whose lane ends earliest on
    /// the run's clock frees its lane first (ties: the lower lane), as a discrete-event simulation would: which host
    /// happens to finish first in real time must not change when the next one starts, or two runs of one plan would
    /// have different wave end times.</summary>
    private static async Task<Task<(int Lane, DateTimeOffset End, int Index)>> NextToFinishAsync(PatchRunContext context,
        List<Task<(int Lane, DateTimeOffset End, int Index)>> running)
    {
        if (!context.SimulatedTimeline)
        {
            return await Task.WhenAny(running).ConfigureAwait(false);
        }

        try
        {
            await Task.WhenAll(running).ConfigureAwait(false);
        }
        catch (Exception) when (running.Exists(t => t.IsFaulted || t.IsCanceled))
        {
            // The caller awaits the failed task and sees its exception.
            return running.First(t => t.IsFaulted || t.IsCanceled);
        }

        var next = running[0];
        foreach (var t in running)
        {
            var (lane, end, _) = t.Result;
            var (bestLane, bestEnd, _) = next.Result;
            if (end < bestEnd || (end == bestEnd && lane < bestLane))
            {
                next = t;
            }
        }

        return next;
    }

    /// <summary>The decision key under which a queued run's plan is journaled (written once by the process that
    /// enqueues it; every worker repairs from it, whatever the fleet looks like when the worker starts).</summary>
    internal const string PlanDecisionKey = "repair-plan";

    private static async ValueTask<(RepairPlan Plan, string Text)> FrozenPlanAsync(PatchRunContext context, RepairPlan made)
    {
        if (context.TryGetDecision(PlanDecisionKey, out string? frozen) && frozen is not null)
        {
            return (System.Text.Json.JsonSerializer.Deserialize(frozen, LifecycleJsonContext.Default.RepairPlan)!, frozen);
        }

        if (context.RepairQueueRole == RepairQueueRole.Work)
        {
            throw new PipelineStageException(RepairConstants.DefaultName, $"run '{context.RunId}' has no queued plan in the journal: enqueue it first (patchkit run --workers with the same run id and journal)", null);
        }

        string text = System.Text.Json.JsonSerializer.Serialize(made, LifecycleJsonContext.Default.RepairPlan);
        await context.AppendAsync(Journal.JournalRecordKind.Decision, PlanDecisionKey, null, made.Hosts.Count + " hosts planned for the workers", text).ConfigureAwait(false);
        return (made, text);
    }

    /// <summary>Repairs the hosts this process claims from the shared queue until every host of the run is done.
    /// Each claim first reads again what the journal holds about the host (another worker may have started it and
    /// lost its lease), announces the lease's fencing token to the host (from then on the adapter refuses the older
    /// holder) and takes the host's inventory again, then runs the host like a resumed run would.</summary>
    private async ValueTask WorkFromQueueAsync(PatchRunContext context, IRepairWorkQueue queue, RepairPlan plan, DateTimeOffset start)
    {
        var byId = plan.Hosts.ToDictionary(h => h.HostId, StringComparer.Ordinal);
        var outcomes = new List<HostOutcome>();
        var horizon = start + _s.WindowHorizon;
        int done = 0;
        async Task LaneAsync()
        {
            while (await queue.ClaimAsync(context.RunId, context.CancellationToken).ConfigureAwait(false) is { } lease)
            {
                if (!byId.TryGetValue(lease.HostId, out var planned))
                {
                    await queue.CompleteAsync(lease, context.CancellationToken).ConfigureAwait(false);
                    continue;
                }

                context.SetFence(lease.HostId, lease.FencingToken, lease.Lost);
                Log.HostLeased(context.Logger, lease.HostId, lease.FencingToken, lease.TakenOver);
                HostOutcome? outcome;
                try
                {
                    outcome = await RepairLeasedAsync(context, planned, start, horizon).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !context.CancellationToken.IsCancellationRequested)
                {
                    if (ex is not HostLeaseLostException && await queue.RenewAsync(lease, context.CancellationToken).ConfigureAwait(false))
                    {
                        throw; // the lease is still this worker's: a real failure
                    }

                    Log.HostLeaseLost(context.Logger, lease.HostId, lease.FencingToken);
                    continue;
                }

                if (!await queue.CompleteAsync(lease, context.CancellationToken).ConfigureAwait(false))
                {
                    Log.HostLeaseLost(context.Logger, lease.HostId, lease.FencingToken);
                    continue;
                }

                lock (outcomes)
                {
                    outcomes.Add(outcome);
                }

                context.ReportProgress(_name, $"{outcome.HostId}: {Describe(outcome)}", Interlocked.Increment(ref done), plan.Hosts.Count);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, _s.MaxConcurrency)).Select(_ => LaneAsync())).ConfigureAwait(false);
        var order = plan.Hosts.Select((h, i) => (h.HostId, i)).ToDictionary(x => x.HostId, x => x.i, StringComparer.Ordinal);
        outcomes.Sort((a, b) => order[a.HostId].CompareTo(order[b.HostId]));
        context.Repair = new RepairResult { Outcomes = outcomes, Waves = plan.Waves };
    }

    private async Task<HostOutcome> RepairLeasedAsync(PatchRunContext context, PlannedHost planned, DateTimeOffset start, DateTimeOffset horizon)
    {
        await context.RefreshReplayAsync("repair/" + planned.HostId + "/").ConfigureAwait(false);
        var known = context.Fleet!.Find(planned.HostId)!;
        _ = await known.Adapter.IdentifyAsync(context.Operation(planned.HostId)).ConfigureAwait(false);
        var record = known.Adapter is PatchKit.Hosts.IHostRecordSource source
            ? await source.GetHostRecordAsync(context.Operation(planned.HostId)).ConfigureAwait(false)
            : (await known.Adapter.GetInventoryAsync(context.CancellationToken).ConfigureAwait(false)).Hosts.FirstOrDefault(h => h.Id == planned.HostId);
        var reached = record is { } now ? new ReachedHost(now, known.Adapter) : known;
        var laneStart = planned.PlannedStart ?? start;
        var run = new HostRepairRun(context, _s, planned, reached, laneStart);
        if (!run.StartedEarlier)
        {
            var at = _s.Schedule.NextStart(laneStart, planned.Estimate, horizon);
            if (at is null)
            {
                return new HostOutcome
                {
                    HostId = planned.HostId, Kind = planned.Kind, Wave = planned.Wave, Path = planned.Path, State = HostOutcomeState.Skipped,
                    SkipReason = SkipReason.Window, Message = $"no maintenance window fits {planned.Estimate.TotalMinutes:F0} min before {horizon:yyyy-MM-dd}",
                };
            }

            if (at.Value > laneStart)
            {
                run = new HostRepairRun(context, _s, planned, reached, at.Value);
            }
        }

        var outcome = await run.RunAsync().ConfigureAwait(false);
        await context.FlushHostAsync(planned.HostId).ConfigureAwait(false); // durable before the lease is completed
        Log.HostRepaired(context.Logger, outcome.HostId, outcome.State.ToString(), planned.Path.ToString());
        return outcome;
    }

    private static HostOutcome Untouched(PatchRunContext context, PlannedHost planned, string reason) => new()
    {
        HostId = planned.HostId,
        Kind = planned.Kind,
        Cluster = context.Fleet!.Find(planned.HostId)?.Host.Cluster ?? string.Empty,
        Wave = planned.Wave,
        Path = planned.Path,
        State = HostOutcomeState.Skipped,
        SkipReason = SkipReason.ErrorBudget,
        Message = "run halted before this host (" + reason + "); left untouched",
    };

    private static string Describe(HostOutcome o) => o.State switch
    {
        HostOutcomeState.Patched => $"patched ({o.PatchesApplied.Count} {(o.PatchesApplied.Count == 1 ? "patch" : "patches")}, {o.Path})",
        HostOutcomeState.PatchedPendingReboot => "patched, reboot pending",
        HostOutcomeState.RolledBack => "rolled back: " + o.Message,
        HostOutcomeState.Failed => "failed: " + o.Message,
        HostOutcomeState.Skipped => "skipped (" + o.SkipReason + ")",
        _ => o.State.ToString(),
    };

    private static async Task WaitUntilAsync(PatchRunContext context, DateTimeOffset at)
    {
        var wait = at - context.TimeProvider.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, context.TimeProvider, context.CancellationToken).ConfigureAwait(false);
        }
    }
}
