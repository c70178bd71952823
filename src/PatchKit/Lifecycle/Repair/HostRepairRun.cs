using PatchKit.Advisories;
using PatchKit.Hosts;
using PatchKit.Lifecycle.Reach;

namespace PatchKit.Lifecycle.Repair;

/// <summary>Runs one host's plan through the journal, step by step as <see cref="PlannedHost.Steps"/> lists them, one
/// handler per <see cref="RepairStepKind"/>. Forward steps only start when they fit the open window on the run's
/// timeline (<see cref="RepairTimeline"/>: the wall clock for real runs, a simulated lane for plans and simulated
/// fleets); on a failure or a failed verification the host is reverted to its pre-patch snapshot; the cleanup steps
/// (revert, exit maintenance mode, rebalance, remove snapshot) always run, with their own bounded token when the run
/// was cancelled.</summary>
internal sealed class HostRepairRun
{
    private readonly PatchRunContext _context;
    private readonly RepairSettings _s;
    private readonly PlannedHost _plan;
    private readonly ReachedHost _reached;
    private readonly string _hostId;
    private readonly string _prefix;
    private readonly List<StepRecord> _steps = [];
    private readonly RepairTimeline _timeline;
    private readonly List<string> _applied = [];
    private string? _snapshotId;
    private IReadOnlyList<string>? _evacuated;
    private bool _enteredMaintenance;
    private DateTimeOffset? _maintenanceFrom;
    private string? _failure;
    private bool _windowStop;
    private bool _verifyFailed;
    private bool _rebootRequired;
    private bool _rebootUnknown;
    private bool _rebooted;
    private bool _interrupted;
    private readonly int _attempt;

    public HostRepairRun(PatchRunContext context, RepairSettings settings, PlannedHost plan, ReachedHost reached, DateTimeOffset laneStart)
    {
        _context = context;
        _s = settings;
        _plan = plan;
        _reached = reached;
        _hostId = plan.HostId;
        _attempt = context.CountDecisions(InterruptedKey);
        _prefix = "repair/" + plan.HostId + "/" + (_attempt == 0 ? string.Empty : "retry-" + _attempt.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/");
        _timeline = context.SimulatedTimeline ? RepairTimeline.Simulated(laneStart) : RepairTimeline.WallClock(context.TimeProvider, laneStart);
    }

    public DateTimeOffset Lane => _timeline.Now;

    private string InterruptedKey => "repair/" + _hostId + "/interrupted/";

    /// <summary>Whether an earlier attempt of the run already started this host (then no window gate applies).</summary>
    public bool StartedEarlier => _context.HasJournaled(_prefix);

    public async Task<HostOutcome> RunAsync()
    {
        var started = _timeline.Now;
        try
        {
            await ForwardStepsAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_context.CancellationToken.IsCancellationRequested)
        {
            _interrupted = true;
        }

        // Cleanup: always runs, whatever the window, and survives a cancelled run for a bounded time.
        using var cleanup = CleanupToken();
        bool rolledBack = false;
        if (!_interrupted && _failure is not null && _applied.Count > 0 && _snapshotId is not null && _reached.TryGet<ISnapshotCapability>(out var rs))
        {
            var r = await CleanupAsync(RepairStepKind.Revert, _snapshotId, cleanup,
                async (op, id) => StepOutcome.From(await rs.RevertSnapshotAsync(op, id.Data!).ConfigureAwait(false))).ConfigureAwait(false);
            if (r.Succeeded)
            {
                rolledBack = true;
                Log.HostRolledBack(_context.Logger, _hostId, _snapshotId);
            }
        }

        var maintenance = TimeSpan.Zero;
        foreach (var step in _plan.Steps)
        {
            switch (step.Kind)
            {
                case RepairStepKind.ExitMaintenance when _enteredMaintenance && _reached.TryGet<IMaintenanceModeCapability>(out var mm):
                    await CleanupAsync(RepairStepKind.ExitMaintenance, null, cleanup,
                        async (op, _) => StepOutcome.From(await mm.ExitMaintenanceModeAsync(op).ConfigureAwait(false))).ConfigureAwait(false);
                    maintenance = _timeline.Now - (_maintenanceFrom ?? _timeline.Now);
                    break;
                case RepairStepKind.Rebalance when _evacuated is { Count: > 0 } && _reached.TryGet<IEvacuationCapability>(out var back):
                    await CleanupAsync(RepairStepKind.Rebalance, new StepInput(null, _evacuated), cleanup,
                        async (op, input) => FromEvacuation(await back.RebalanceAsync(op, input.Guests ?? []).ConfigureAwait(false), input.Guests)).ConfigureAwait(false);
                    break;
                case RepairStepKind.RemoveSnapshot when _snapshotId is not null && _reached.TryGet<ISnapshotCapability>(out var rm):
                    await CleanupAsync(RepairStepKind.RemoveSnapshot, _snapshotId, cleanup,
                        async (op, id) => StepOutcome.From(await rm.RemoveSnapshotAsync(op, id.Data!).ConfigureAwait(false))).ConfigureAwait(false);
                    break;
                default:
                    break;
            }
        }

        if (_interrupted)
        {
            // The host is back in service; a resumed run starts its repair again from the beginning, under a new key.
            await _context.AppendAsync(Journal.JournalRecordKind.Decision, InterruptedKey + _attempt, _hostId,
                "repair interrupted; the host was returned to service", null, token: cleanup.Token).ConfigureAwait(false);
            _context.CancellationToken.ThrowIfCancellationRequested();
        }

        return Outcome(started, maintenance, rolledBack);
    }

    private async ValueTask ForwardStepsAsync()
    {
            foreach (var step in _plan.Steps)
            {
                if (_failure is not null || _windowStop)
                {
                    break;
                }

                switch (step.Kind)
                {
                    case RepairStepKind.Snapshot:
                        await SnapshotAsync(step).ConfigureAwait(false);
                        break;
                    case RepairStepKind.Evacuate:
                        await EvacuateAsync(step).ConfigureAwait(false);
                        break;
                    case RepairStepKind.EnterMaintenance:
                        await EnterMaintenanceAsync(step).ConfigureAwait(false);
                        break;
                    case RepairStepKind.Install or RepairStepKind.LiveUpdate:
                        await InstallAsync(step).ConfigureAwait(false);
                        break;
                    case RepairStepKind.Reboot:
                        await RebootAsync(step).ConfigureAwait(false);
                        break;
                    case RepairStepKind.Verify:
                        await VerifyAsync(step).ConfigureAwait(false);
                        break;
                    default:
                        break; // cleanup kinds run below, whatever happened
                }
            }
    }

    private async ValueTask SnapshotAsync(PlannedStep step)
    {
        if (!_reached.TryGet<ISnapshotCapability>(out var snaps))
        {
            return;
        }

        string name = "patchkit-" + _context.RunId + "-" + _hostId;
        var r = await ForwardAsync(step, name,
            async (op, _) =>
            {
                var x = await snaps.CreateSnapshotAsync(op, name).ConfigureAwait(false);
                return new StepOutcome(true, "snapshot " + x.Name, _s.Snapshot, x.SnapshotId, Status: HostOperationStatus.Succeeded);
            },
            async (op, _) =>
            {
                var found = (await snaps.ListSnapshotsAsync(op).ConfigureAwait(false)).FirstOrDefault(x => x.Name == name);
                return found is null ? null : new StepOutcome(true, "snapshot found", TimeSpan.Zero, found.SnapshotId, Status: HostOperationStatus.Succeeded);
            }).ConfigureAwait(false);
        if (r is { Succeeded: false } failed)
        {
            _failure = "snapshot failed: " + failed.Message;
        }
        else if (r is { } ok)
        {
            _snapshotId = ok.Data;
        }
    }

    private async ValueTask EvacuateAsync(PlannedStep step)
    {
        if (!_reached.TryGet<IEvacuationCapability>(out var evac))
        {
            return;
        }

        // The guests on the host right now; journaled with the start record, so a resumed run brings back exactly these.
        var guests = await evac.ListGuestsAsync(_context.Operation(_hostId)).ConfigureAwait(false);
        StepOutcome? r;
        try
        {
            r = await ForwardAsync(step, new StepInput(null, guests),
                async (op, input) => FromEvacuation(await evac.EvacuateAsync(op, input.Guests ?? []).ConfigureAwait(false), input.Guests), null).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Interrupted with guests possibly moved already: the cleanup brings back every guest the step set out to move.
            _evacuated = guests;
            throw;
        }

        if (r is { } done)
        {
            _evacuated = done.Guests ?? [];
            if (!done.Succeeded)
            {
                _failure = "evacuation failed: " + done.Message;
            }
        }
    }

    private async ValueTask EnterMaintenanceAsync(PlannedStep step)
    {
        if (!_reached.TryGet<IMaintenanceModeCapability>(out var mm))
        {
            return;
        }

        Func<HostOperation, StepInput, Task<StepOutcome>> enter = async (op, _) => StepOutcome.From(await mm.EnterMaintenanceModeAsync(op).ConfigureAwait(false));
        var m = await ForwardAsync(step, null, enter,
            async (op, input) => await mm.IsInMaintenanceModeAsync(op).ConfigureAwait(false)
                ? await FoundDoneAsync(op, input, enter, new StepOutcome(true, "in maintenance mode", TimeSpan.Zero, null, Status: HostOperationStatus.Succeeded)).ConfigureAwait(false)
                : null).ConfigureAwait(false);
        if (m is { } entered)
        {
            _enteredMaintenance = true;
            _maintenanceFrom = _timeline.Now - entered.Duration;
            if (!entered.Succeeded)
            {
                _failure = "maintenance mode failed: " + entered.Message;
            }
        }
    }

    /// <summary>A step found done after a crash. On a simulated timeline the host's answers are the timeline, so the
    /// host is asked again (installing an installed patch and entering maintenance mode twice change nothing; a reboot is
    /// never repeated: <see cref="RebootAsync"/> asks the host when it booted) and its
    /// answer gives the time the lost call took and whether a reboot is pending: the resumed run's figures are those of
    /// an uninterrupted one. On real hosts the time before the crash is not known and the step counts as planned.</summary>
    private async Task<StepOutcome?> FoundDoneAsync(HostOperation op, StepInput input, Func<HostOperation, StepInput, Task<StepOutcome>> execute, StepOutcome found)
    {
        if (!_context.SimulatedTimeline)
        {
            return found;
        }

        var again = await execute(op, input).ConfigureAwait(false);
        return again.Succeeded ? again with { Message = found.Message } : found;
    }

    private async ValueTask InstallAsync(PlannedStep step)
    {
        var patch = _context.Assessment!.Patches[step.PatchId!];
        var request = InstallRequests.From(patch);
        bool live = step.Kind == RepairStepKind.LiveUpdate;
        Func<HostOperation, StepInput, Task<StepOutcome>> execute;
        if (live && _reached.TryGet<ILiveUpdateCapability>(out var lu))
        {
            execute = async (op, _) => StepOutcome.From(await lu.LiveUpdateAsync(op, request).ConfigureAwait(false));
        }
        else if (!live && _reached.TryGet<IInstallCapability>(out var ins))
        {
            execute = async (op, _) => StepOutcome.From(await ins.InstallAsync(op, request).ConfigureAwait(false));
        }
        else
        {
            _failure = "the host no longer offers " + (live ? "live update" : "install");
            return;
        }

        var r = await ForwardAsync(step, null, execute,
            async (op, input) => _reached.Host.IsInstalled(patch.Id)
                ? await FoundDoneAsync(op, input, execute, new StepOutcome(true, "found installed", TimeSpan.Zero, null, Status: HostOperationStatus.Unknown)).ConfigureAwait(false)
                : null).ConfigureAwait(false);
        if (r is not { } done)
        {
            return;
        }

        if (!done.Succeeded)
        {
            _failure = "install of " + patch.Id + " failed: " + done.Message + (done.ErrorCode is { } code ? " (error " + code + ")" : string.Empty);
            return;
        }

        _applied.Add(patch.Id);
        if (!live)
        {
            // The reboot decision follows what the install reported; the catalog decides only when the host did not say.
            _rebootRequired |= done.RebootRequired;
            _rebootUnknown |= done.Status is HostOperationStatus.Unknown && patch.RequiresReboot;
        }
    }

    private async ValueTask RebootAsync(PlannedStep step)
    {
        if (!_rebootRequired && !_rebootUnknown)
        {
            return; // every install reported that no reboot is needed
        }

        if (!_reached.TryGet<IRebootCapability>(out var reboot))
        {
            return;
        }

        var r = await ForwardAsync(step, null, async (op, _) => StepOutcome.From(await reboot.RebootAndWaitAsync(op).ConfigureAwait(false)),
            async (op, input) =>
            {
                // The inventory of this attempt was taken after the crash: no pending reboot means it happened. A reboot
                // is not asked for again; the host says when it booted, and from the step's journaled start to that boot
                // is the time the lost reboot took (a simulated run's report then has the figures of an uninterrupted
                // one). A host that does not say, or booted before the step started, gives no time: the step counts as
                // planned.
                var who = await _reached.Adapter.IdentifyAsync(op).ConfigureAwait(false);
                if (who is null || _reached.Host.PendingReboot)
                {
                    return null;
                }

                var took = input.StartedAt is { } started && who.BootedAt > started ? who.BootedAt - started : TimeSpan.Zero;
                return new StepOutcome(true, "host is back and no reboot is pending", took, null, Status: HostOperationStatus.Succeeded);
            }).ConfigureAwait(false);
        if (r is { Succeeded: false } failed)
        {
            _failure = "reboot failed: " + failed.Message;
        }
        else if (r is not null)
        {
            _rebooted = true;
        }
    }

    private async ValueTask VerifyAsync(PlannedStep step)
    {
        if (_applied.Count == 0)
        {
            return;
        }

        var r = await ForwardAsync(step, null, async (op, _) =>
        {
            var health = await StepOutcome.HealthAsync(_reached.TryGet<IHealthCheckCapability>(out var hc) ? hc : null, op).ConfigureAwait(false);
            if (health.Succeeded && _s.VerifyHook is { } hook && !await hook(new OnHostVerifyArguments(_context, _reached.Host, _reached.Adapter, _applied)).ConfigureAwait(false))
            {
                return new StepOutcome(false, "verification hook failed", health.Duration, null, Status: HostOperationStatus.Failed);
            }

            return health;
        }, null).ConfigureAwait(false);
        if (r is { Succeeded: false } failed)
        {
            _verifyFailed = true;
            _failure = "verification failed: " + failed.Message;
        }
    }

    private HostOutcome Outcome(DateTimeOffset started, TimeSpan maintenance, bool rolledBack)
    {
        HostOutcomeState state;
        SkipReason skip = SkipReason.None;
        string message;
        bool pendingReboot = (_rebootRequired || _rebootUnknown) && !_rebooted;
        if (rolledBack)
        {
            state = _verifyFailed ? HostOutcomeState.RolledBack : HostOutcomeState.Failed;
            message = _failure + "; reverted to the pre-patch snapshot";
            _applied.Clear();
        }
        else if (_failure is not null)
        {
            state = HostOutcomeState.Failed;
            message = _failure;
        }
        else if (_windowStop && _applied.Count == 0)
        {
            state = HostOutcomeState.Skipped;
            skip = SkipReason.Window;
            message = "the next step would not finish inside the maintenance window";
        }
        else if (_windowStop || _plan.RebootDeferred || (pendingReboot && _plan.Path != RepairPath.LiveUpdate))
        {
            state = HostOutcomeState.PatchedPendingReboot;
            message = _windowStop ? "installed; the reboot did not fit the window"
                : _plan.RebootDeferred ? "installed; reboot deferred by policy"
                : "installed; the host reported that a reboot is required";
        }
        else
        {
            state = HostOutcomeState.Patched;
            // The guests the evacuation really moved (journaled with the step): the plan counted the guests on the host
            // when it was made, which after a crash and resume may be away still, moved there by the stopped attempt.
            message = _plan.Path == RepairPath.Evacuate && _evacuated is { } moved ? RepairPlanner.EvacuationReason(moved.Count) : _plan.Reason;
        }

        int avoided = state is HostOutcomeState.Patched or HostOutcomeState.PatchedPendingReboot
            ? _plan.Path switch
            {
                RepairPath.LiveUpdate => 1 + _reached.Host.Guests.Count,
                RepairPath.Evacuate => _evacuated?.Count ?? 0,
                _ => 0,
            }
            : 0;
        return new HostOutcome
        {
            HostId = _hostId,
            Kind = _plan.Kind,
            Cluster = _reached.Host.Cluster,
            Wave = _plan.Wave,
            Path = _plan.Path,
            State = state,
            SkipReason = skip,
            Message = message,
            PatchesApplied = [.. _applied],
            StartedAt = started,
            EndedAt = _timeline.Now,
            MaintenanceTime = maintenance,
            RestartsAvoided = avoided,
            Steps = _steps,
        };
    }

    private static StepOutcome FromEvacuation(EvacuationResult x, IReadOnlyList<string>? guests)
    {
        string message = x.Message;
        if (x.FailedGuests.Count > 0)
        {
            message += (message.Length > 0 ? "; " : string.Empty) + "not moved: "
                + string.Join(", ", x.FailedGuests.Select(f => f.GuestId + " (" + f.Reason + ")"));
        }

        return new StepOutcome(x.Succeeded, message, x.Duration, null, Status: x.Status, Guests: guests ?? []);
    }

    /// <summary>A token for cleanup: the run's own while it runs; after the run was cancelled, a fresh one bounded by
    /// the cleanup timeout in real time (the person who pressed Ctrl+C waits in real time, whatever clock the run
    /// uses), so a host is not left in maintenance mode until someone resumes the run.</summary>
    private CancellationTokenSource CleanupToken() =>
        _context.CancellationToken.IsCancellationRequested
            ? new CancellationTokenSource(_s.CleanupTimeout)
            : CancellationTokenSource.CreateLinkedTokenSource(_context.CancellationToken);

    /// <summary>A forward step: <see langword="null"/> when it would not finish inside the open window.</summary>
    private async ValueTask<StepOutcome?> ForwardAsync(PlannedStep step, StepInput data,
        Func<HostOperation, StepInput, Task<StepOutcome>> execute, Func<HostOperation, StepInput, Task<StepOutcome?>>? reconcile)
    {
        _context.CancellationToken.ThrowIfCancellationRequested();
        string key = _prefix + StepName(step.Kind) + (step.PatchId is null ? string.Empty : "/" + step.PatchId);
        if (!_context.HasJournaled(key) && !_s.Schedule.CanFinish(_timeline.BeforeStep(), step.Estimate))
        {
            Log.StepDoesNotFitWindow(_context.Logger, key, _hostId);
            _windowStop = true;
            return null;
        }

        var timeout = step.Kind == RepairStepKind.Reboot ? _s.RebootTimeout : _s.StepTimeout;
        return await RunAsync(step.Kind, step.PatchId, key, data, timeout, _context.CancellationToken, execute, reconcile, step.Estimate).ConfigureAwait(false);
    }

    private ValueTask<StepOutcome> CleanupAsync(RepairStepKind kind, StepInput data, CancellationTokenSource token, Func<HostOperation, StepInput, Task<StepOutcome>> execute)
    {
        _timeline.BeforeStep();
        return RunAsync(kind, null, _prefix + StepName(kind), data, _s.StepTimeout, token.Token, execute, null);
    }

    private async ValueTask<StepOutcome> RunAsync(RepairStepKind kind, string? patchId, string key, StepInput data, TimeSpan timeout, CancellationToken token,
        Func<HostOperation, StepInput, Task<StepOutcome>> execute, Func<HostOperation, StepInput, Task<StepOutcome?>>? reconcile, TimeSpan? estimate = null)
    {
        var at = _timeline.Now;
        _context.LaneTime.Value = at;
        var o = await _context.RunStepAsync(key, _hostId, data, timeout, execute, reconcile, token, estimate, deferEnd: true).ConfigureAwait(false);
        var took = o.Replayed ? _timeline.Replayed(o.Duration) : _timeline.AfterStep(at, o.Duration);
        _steps.Add(new StepRecord(kind, patchId, at, took, o.Succeeded, o.Replayed, o.Message));
        return o;
    }

    private static string StepName(RepairStepKind kind) => kind switch
    {
        RepairStepKind.Snapshot => "snapshot",
        RepairStepKind.Evacuate => "evacuate",
        RepairStepKind.EnterMaintenance => "enter-maintenance",
        RepairStepKind.Install => "install",
        RepairStepKind.LiveUpdate => "live-update",
        RepairStepKind.Reboot => "reboot",
        RepairStepKind.Verify => "verify",
        RepairStepKind.Revert => "revert",
        RepairStepKind.ExitMaintenance => "exit-maintenance",
        RepairStepKind.Rebalance => "rebalance",
        _ => "remove-snapshot",
    };
}
