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
        var plan = RepairPlanner.Plan(context, _s, start);
        context.Plan = plan;
        Log.PlanMade(context.Logger, plan.Hosts.Count, plan.Waves.Count, plan.EstimatedDuration.TotalHours);
        if (context.IsDryRun)
        {
            context.ReportProgress(_name, $"plan: {plan.Hosts.Count} hosts in {plan.Waves.Count} waves, about {plan.EstimatedDuration.TotalHours:F1} h", plan.Hosts.Count, plan.Hosts.Count);
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
            int next = -1;
            int waveFailures = 0;
            var laneEnds = new DateTimeOffset[Math.Min(_s.MaxConcurrency, hosts.Length)];
            var workers = new Task[laneEnds.Length];
            for (int w = 0; w < workers.Length; w++)
            {
                int lane = w;
                workers[w] = Task.Run(async () =>
                {
                    var laneTime = waveStart;
                    int i;
                    while ((i = Interlocked.Increment(ref next)) < hosts.Length)
                    {
                        var planned = hosts[i];
                        if (Volatile.Read(ref halted))
                        {
                            results[i] = Untouched(context, planned, haltReason);
                            continue;
                        }

                        var run = new HostRepairRun(context, _s, planned, context.Fleet.Find(planned.HostId)!, laneTime);
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
                                continue;
                            }

                            if (at.Value > laneTime)
                            {
                                Log.WaitingForWindow(context.Logger, at.Value, planned.HostId);
                                await WaitUntilAsync(context, at.Value).ConfigureAwait(false);
                                laneTime = at.Value;
                                run = new HostRepairRun(context, _s, planned, context.Fleet.Find(planned.HostId)!, laneTime);
                            }
                        }

                        var outcome = await run.RunAsync().ConfigureAwait(false);
                        laneTime = run.Lane;
                        results[i] = outcome;
                        Log.HostRepaired(context.Logger, outcome.HostId, outcome.State.ToString(), planned.Path.ToString());
                        if (_s.OnHostRepaired is { } hook)
                        {
                            await hook(new OnHostRepairedArguments(context, outcome)).ConfigureAwait(false);
                        }

                        if (outcome.State is HostOutcomeState.Failed or HostOutcomeState.RolledBack)
                        {
                            Interlocked.Increment(ref waveFailures);
                            if (Interlocked.Increment(ref failures) > _s.ErrorBudget)
                            {
                                haltReason = $"error budget of {_s.ErrorBudget} failed hosts spent";
                                Volatile.Write(ref halted, true);
                            }
                        }

                        int n = Interlocked.Increment(ref done);
                        context.ReportProgress(_name, $"{outcome.HostId}: {Describe(outcome)}", n, plan.Hosts.Count);
                    }

                    laneEnds[lane] = laneTime;
                }, context.CancellationToken);
            }

            await Task.WhenAll(workers).ConfigureAwait(false);
            var waveEnd = laneEnds.Length == 0 ? waveStart : laneEnds.Max();
            waves.Add(new RepairWave(wave.Name, wave.HostIds, waveStart, waveEnd));
            outcomes.AddRange(results);
            t = waveEnd;
            if (!halted && waveFailures > 0 && _s.HaltOnEarlyWaveFailure && wave.Name is RepairConstants.LabWave or RepairConstants.CanaryWave)
            {
                halted = true;
                haltReason = $"{waveFailures} hosts failed in the {wave.Name} wave";
            }
        }

        if (halted)
        {
            Log.RunHalted(context.Logger, haltReason);
        }

        outcomes.AddRange(plan.NotPlanned);
        context.Repair = new RepairResult { Outcomes = outcomes, Halted = halted, HaltReason = haltReason, Waves = waves };
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
        HostOutcomeState.Patched => $"patched ({o.PatchesApplied.Count} patches, {o.Path})",
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
