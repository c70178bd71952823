using PatchKit.Advisories;
using PatchKit.Hosts;
using PatchKit.Lifecycle.Reach;

namespace PatchKit.Lifecycle.Repair;

/// <summary>Runs one host's plan through the journal on a lane of the timeline: forward steps only start when they
/// fit the open window; on a failure or a failed verification the host is reverted to its pre-patch snapshot; the
/// cleanup steps (revert, exit maintenance mode, rebalance, remove snapshot) always run.</summary>
internal sealed class HostRepairRun
{
    private readonly PatchRunContext _context;
    private readonly RepairSettings _s;
    private readonly PlannedHost _plan;
    private readonly ReachedHost _reached;
    private readonly string _hostId;
    private readonly string _prefix;
    private readonly List<StepRecord> _steps = [];
    private DateTimeOffset _lane;

    public HostRepairRun(PatchRunContext context, RepairSettings settings, PlannedHost plan, ReachedHost reached, DateTimeOffset laneStart)
    {
        _context = context;
        _s = settings;
        _plan = plan;
        _reached = reached;
        _hostId = plan.HostId;
        _prefix = "repair/" + plan.HostId + "/";
        _lane = laneStart;
    }

    public DateTimeOffset Lane => _lane;

    /// <summary>Whether an earlier attempt of the run already started this host (then no window gate applies).</summary>
    public bool StartedEarlier => _context.HasJournaled(_prefix);

    public async Task<HostOutcome> RunAsync()
    {
        var adapter = _reached.Adapter;
        var patches = _plan.Patches.Select(id => _context.Assessment!.Patches[id]).ToList();
        var started = _lane;
        string? snapshotId = null;
        IReadOnlyList<string>? evacuated = null;
        bool enteredMaintenance = false;
        DateTimeOffset? maintenanceFrom = null;
        var maintenance = TimeSpan.Zero;
        var applied = new List<string>();
        string? failure = null;
        bool windowStop = false;
        bool verifyFailed = false;
        bool rolledBack = false;

        if (_plan.Snapshot && adapter is ISnapshotCapability snaps)
        {
            string name = "patchkit-" + _context.RunId + "-" + _hostId;
            var r = await StepAsync(RepairStepKind.Snapshot, null, _s.Snapshot, name,
                async (_, c) => { var x = await snaps.CreateSnapshotAsync(_hostId, name, c).ConfigureAwait(false); return new StepOutcome(true, "snapshot " + x.Name, _s.Snapshot, x.SnapshotId); },
                async (_, c) =>
                {
                    var found = (await snaps.ListSnapshotsAsync(_hostId, c).ConfigureAwait(false)).FirstOrDefault(x => x.Name == name);
                    return found is null ? null : new StepOutcome(true, "snapshot found", TimeSpan.Zero, found.SnapshotId);
                }).ConfigureAwait(false);
            if (r is null)
            {
                windowStop = true;
            }
            else if (!r.Value.Succeeded)
            {
                failure = "snapshot failed: " + r.Value.Message;
            }
            else
            {
                snapshotId = r.Value.Data;
            }
        }

        if (failure is null && !windowStop && _plan.Path == RepairPath.Evacuate && adapter is IEvacuationCapability evac && adapter is IMaintenanceModeCapability mm)
        {
            string guests = string.Join(',', _plan.Guests);
            var r = await StepAsync(RepairStepKind.Evacuate, null, _s.MigratePerGuest * Math.Max(1, _plan.Guests.Count), guests,
                async (data, c) =>
                {
                    var list = Split(data);
                    var x = await evac.EvacuateAsync(_hostId, list, c).ConfigureAwait(false);
                    return new StepOutcome(x.Succeeded, x.Message, x.Duration, data);
                }, null).ConfigureAwait(false);
            if (r is null)
            {
                windowStop = true;
            }
            else
            {
                evacuated = Split(r.Value.Data);
                if (!r.Value.Succeeded)
                {
                    failure = "evacuation failed: " + r.Value.Message;
                }
            }

            if (failure is null && !windowStop)
            {
                var m = await StepAsync(RepairStepKind.EnterMaintenance, null, _s.MaintenanceMode, null,
                    async (_, c) => Outcome(await mm.EnterMaintenanceModeAsync(_hostId, c).ConfigureAwait(false)),
                    async (_, c) => await mm.IsInMaintenanceModeAsync(_hostId, c).ConfigureAwait(false) ? new StepOutcome(true, "in maintenance mode", TimeSpan.Zero, null) : null)
                    .ConfigureAwait(false);
                if (m is null)
                {
                    windowStop = true;
                }
                else
                {
                    enteredMaintenance = true;
                    maintenanceFrom = _lane - m.Value.Duration;
                    if (!m.Value.Succeeded)
                    {
                        failure = "maintenance mode failed: " + m.Value.Message;
                    }
                }
            }
        }

        foreach (var patch in patches)
        {
            if (failure is not null || windowStop)
            {
                break;
            }

            bool live = _plan.Path == RepairPath.LiveUpdate;
            var kind = live ? RepairStepKind.LiveUpdate : RepairStepKind.Install;
            var r = await StepAsync(kind, patch.Id, live ? _s.LiveUpdate : _s.Install, null,
                async (_, c) => Outcome(live
                    ? await ((ILiveUpdateCapability)adapter).LiveUpdateAsync(_hostId, patch, c).ConfigureAwait(false)
                    : await ((IInstallCapability)adapter).InstallAsync(_hostId, patch, c).ConfigureAwait(false)),
                (_, _) => Task.FromResult<StepOutcome?>(_reached.Host.IsInstalled(patch.Id) ? new StepOutcome(true, "found installed", TimeSpan.Zero, null) : null))
                .ConfigureAwait(false);
            if (r is null)
            {
                windowStop = true;
            }
            else if (r.Value.Succeeded)
            {
                applied.Add(patch.Id);
            }
            else
            {
                failure = "install of " + patch.Id + " failed: " + r.Value.Message;
            }
        }

        if (failure is null && !windowStop && _plan.Path is RepairPath.Evacuate or RepairPath.PlainReboot && adapter is IRebootCapability reboot)
        {
            bool hypervisor = _plan.Kind is HostKind.Esx or HostKind.Kvm && _reached.Host.ParentId is null;
            var r = await StepAsync(RepairStepKind.Reboot, null, hypervisor ? _s.HostReboot : _s.GuestReboot, null,
                async (_, c) => Outcome(await reboot.RebootAndWaitAsync(_hostId, _s.RebootTimeout, c).ConfigureAwait(false)),
                async (_, c) =>
                {
                    // The inventory of this attempt was taken after the crash: no pending reboot means it happened.
                    var who = await adapter.IdentifyAsync(_hostId, c).ConfigureAwait(false);
                    return who is not null && !_reached.Host.PendingReboot ? new StepOutcome(true, "host is back and no reboot is pending", TimeSpan.Zero, null) : null;
                }).ConfigureAwait(false);
            if (r is null)
            {
                windowStop = true;
            }
            else if (!r.Value.Succeeded)
            {
                failure = "reboot failed: " + r.Value.Message;
            }
        }

        if (failure is null && !windowStop && applied.Count > 0)
        {
            var r = await StepAsync(RepairStepKind.Verify, null, _s.Verify, null, async (_, c) =>
            {
                var health = await adapter.RunStepAsync(_hostId, new HostStep(RepairConstants.HealthCheck, []), c).ConfigureAwait(false);
                if (health.Succeeded && _s.VerifyHook is { } hook && !await hook(new OnHostVerifyArguments(_context, _reached.Host, adapter, applied)).ConfigureAwait(false))
                {
                    return new StepOutcome(false, "verification hook failed", health.Duration, null);
                }

                return Outcome(health);
            }, null).ConfigureAwait(false);
            if (r is { Succeeded: false })
            {
                verifyFailed = true;
                failure = "verification failed: " + r.Value.Message;
            }
        }

        // Cleanup: always runs, whatever the window.
        if (failure is not null && applied.Count > 0 && snapshotId is not null && adapter is ISnapshotCapability rs)
        {
            var r = await CleanupAsync(RepairStepKind.Revert, _s.Snapshot, snapshotId,
                async (id, c) => Outcome(await rs.RevertSnapshotAsync(_hostId, id!, c).ConfigureAwait(false))).ConfigureAwait(false);
            if (r.Succeeded)
            {
                rolledBack = true;
                Log.HostRolledBack(_context.Logger, _hostId, snapshotId);
            }
        }

        if (enteredMaintenance && adapter is IMaintenanceModeCapability mmExit)
        {
            await CleanupAsync(RepairStepKind.ExitMaintenance, _s.MaintenanceMode, null,
                async (_, c) => Outcome(await mmExit.ExitMaintenanceModeAsync(_hostId, c).ConfigureAwait(false))).ConfigureAwait(false);
            maintenance = _lane - (maintenanceFrom ?? _lane);
        }

        if (evacuated is { Count: > 0 } && adapter is IEvacuationCapability back)
        {
            await CleanupAsync(RepairStepKind.Rebalance, _s.MigratePerGuest * evacuated.Count, string.Join(',', evacuated),
                async (data, c) => { var x = await back.RebalanceAsync(_hostId, Split(data), c).ConfigureAwait(false); return new StepOutcome(x.Succeeded, x.Message, x.Duration, data); })
                .ConfigureAwait(false);
        }

        if (snapshotId is not null && adapter is ISnapshotCapability rm)
        {
            await CleanupAsync(RepairStepKind.RemoveSnapshot, _s.Snapshot, snapshotId,
                async (id, c) => Outcome(await rm.RemoveSnapshotAsync(_hostId, id!, c).ConfigureAwait(false))).ConfigureAwait(false);
        }

        HostOutcomeState state;
        SkipReason skip = SkipReason.None;
        string message;
        if (rolledBack)
        {
            state = verifyFailed ? HostOutcomeState.RolledBack : HostOutcomeState.Failed;
            message = failure + "; reverted to the pre-patch snapshot";
            applied.Clear();
        }
        else if (failure is not null)
        {
            state = HostOutcomeState.Failed;
            message = failure;
        }
        else if (windowStop && applied.Count == 0)
        {
            state = HostOutcomeState.Skipped;
            skip = SkipReason.Window;
            message = "the next step would not finish inside the maintenance window";
        }
        else if (windowStop || _plan.RebootDeferred)
        {
            state = HostOutcomeState.PatchedPendingReboot;
            message = windowStop ? "installed; the reboot did not fit the window" : "installed; reboot deferred by policy";
        }
        else
        {
            state = HostOutcomeState.Patched;
            message = _plan.Reason;
        }

        int avoided = state is HostOutcomeState.Patched or HostOutcomeState.PatchedPendingReboot
            ? _plan.Path switch
            {
                RepairPath.LiveUpdate => 1 + _reached.Host.Guests.Count,
                RepairPath.Evacuate => evacuated?.Count ?? 0,
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
            PatchesApplied = applied,
            StartedAt = started,
            EndedAt = _lane,
            MaintenanceTime = maintenance,
            RestartsAvoided = avoided,
            Steps = _steps,
        };
    }

    private static IReadOnlyList<string> Split(string? data) => string.IsNullOrEmpty(data) ? [] : data.Split(',');

    private static StepOutcome Outcome(HostStepResult r) => new(r.Succeeded, r.Message, r.Duration, null);

    /// <summary>A forward step: <see langword="null"/> when it would not finish inside the open window.</summary>
    private async ValueTask<StepOutcome?> StepAsync(RepairStepKind kind, string? patchId, TimeSpan estimate, string? data,
        Func<string?, CancellationToken, Task<StepOutcome>> execute, Func<string?, CancellationToken, Task<StepOutcome?>>? reconcile)
    {
        string key = _prefix + StepName(kind) + (patchId is null ? string.Empty : "/" + patchId);
        if (!_context.HasJournaled(key) && !_s.Schedule.CanFinish(_lane, estimate))
        {
            Log.StepDoesNotFitWindow(_context.Logger, key, _hostId);
            return null;
        }

        return await RunAsync(kind, patchId, key, data, execute, reconcile).ConfigureAwait(false);
    }

    private ValueTask<StepOutcome> CleanupAsync(RepairStepKind kind, TimeSpan estimate, string? data, Func<string?, CancellationToken, Task<StepOutcome>> execute)
    {
        _ = estimate;
        return RunAsync(kind, null, _prefix + StepName(kind), data, execute, null);
    }

    private async ValueTask<StepOutcome> RunAsync(RepairStepKind kind, string? patchId, string key, string? data,
        Func<string?, CancellationToken, Task<StepOutcome>> execute, Func<string?, CancellationToken, Task<StepOutcome?>>? reconcile)
    {
        var at = _lane;
        long t0 = _context.TimeProvider.GetTimestamp();
        var o = await _context.RunStepAsync(key, _hostId, data, execute, reconcile).ConfigureAwait(false);
        var measured = _context.TimeProvider.GetElapsedTime(t0);
        var took = o.Replayed ? TimeSpan.Zero : (o.Duration > measured ? o.Duration : measured);
        _lane += took;
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
