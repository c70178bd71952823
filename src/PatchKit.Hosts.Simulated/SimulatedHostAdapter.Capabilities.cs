using PatchKit.Advisories;

namespace PatchKit.Hosts.Simulated;

/// <content>Snapshots, lab clones, maintenance mode, install, live update and reboot.</content>
public sealed partial class SimulatedHostAdapter
{
    /// <inheritdoc/>
    public Task<SnapshotInfo> CreateSnapshotAsync(HostOperation operation, string name)
    {
        ArgumentNullException.ThrowIfNull(operation);
        using var scope = EnterHost(operation);
        operation.CancellationToken.ThrowIfCancellationRequested();
        string hostId = operation.HostId;
        lock (_gate)
        {
            var m = Get(hostId);
            var existing = m.Snapshots.Find(s => s.Name == name);
            if (existing is not null)
            {
                return Task.FromResult(Info(existing));
            }
        }

        var snap = Change(() =>
        {
            var m = Get(hostId);
            // A shared fleet numbers snapshots per machine (the call holds only this machine's file).
            string id = _shared ? "snap-" + m.Id + "-" + ++m.LastSnapshot : "snap-" + _state.NextId++;
            var s = new SimulatedSnapshot { Id = id, Name = name, CreatedAt = _time.GetUtcNow(), Installed = [.. m.Installed], PendingReboot = m.PendingReboot };
            m.Snapshots.Add(s);
            return s;
        });
        return Task.FromResult(Info(snap));
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<SnapshotInfo>> ListSnapshotsAsync(HostOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        using var scope = EnterHost(operation);
        operation.CancellationToken.ThrowIfCancellationRequested();
        string hostId = operation.HostId;
        lock (_gate)
        {
            var m = Get(hostId);
            IReadOnlyList<SnapshotInfo> list = [.. m.Snapshots.Select(Info)];
            return Task.FromResult(list);
        }
    }

    /// <inheritdoc/>
    public Task<HostStepResult> RevertSnapshotAsync(HostOperation operation, string snapshotId)
    {
        ArgumentNullException.ThrowIfNull(operation);
        using var scope = EnterHost(operation);
        operation.CancellationToken.ThrowIfCancellationRequested();
        string hostId = operation.HostId;
        return Task.FromResult(Change(() =>
        {
            var m = Get(hostId);
            var s = m.Snapshots.Find(x => x.Id == snapshotId);
            if (s is null)
            {
                return HostStepResult.Fail("snapshot " + snapshotId + " not found", TimeSpan.Zero);
            }

            m.Installed = [.. s.Installed];
            m.PendingReboot = s.PendingReboot;
            m.PatchedThisRun = false;
            return HostStepResult.Ok(_state.Timings.Snapshot, "reverted to " + s.Name);
        }));
    }

    /// <inheritdoc/>
    public Task<HostStepResult> RemoveSnapshotAsync(HostOperation operation, string snapshotId)
    {
        ArgumentNullException.ThrowIfNull(operation);
        using var scope = EnterHost(operation);
        operation.CancellationToken.ThrowIfCancellationRequested();
        string hostId = operation.HostId;
        return Task.FromResult(Change(() =>
        {
            var m = Get(hostId);
            int removed = m.Snapshots.RemoveAll(x => x.Id == snapshotId);
            return HostStepResult.Ok(removed > 0 ? _state.Timings.Snapshot : TimeSpan.Zero, removed > 0 ? "removed" : "already gone");
        }));
    }

    /// <inheritdoc/>
    public Task<LabClone> CreateLabCloneAsync(HostOperation operation, string snapshotId, string name)
    {
        ArgumentNullException.ThrowIfNull(operation);
        using var scope = Enter(operation);
        operation.CancellationToken.ThrowIfCancellationRequested();
        string hostId = operation.HostId;
        lock (_gate)
        {
            if (_byId.TryGetValue(name, out var existing) && existing.CloneOf is not null)
            {
                return Task.FromResult(new LabClone { CloneId = existing.Id, SourceHostId = existing.CloneOf!, Name = name });
            }
        }

        var clone = Change(() =>
        {
            var m = Get(hostId);
            var s = m.Snapshots.Find(x => x.Id == snapshotId)
                ?? throw new HostAdapterException(hostId, "Snapshot " + snapshotId + " not found", null);
            var c = new SimulatedMachine
            {
                Id = name,
                Kind = m.Kind,
                Version = m.Version,
                Build = m.Build,
                Cluster = "lab",
                Tags = ["lab-clone"],
                Capabilities = m.Capabilities & ~(HostCapabilities.LabClone | HostCapabilities.Evacuation),
                Installed = [.. s.Installed],
                Os = m.Os,
                Packages = [.. m.Packages],
                PendingReboot = s.PendingReboot,
                BootedAt = _time.GetUtcNow(),
                CloneOf = m.Id,
                Faults = m.Faults,
            };
            AddMachine(c);
            return c;
        });
        return Task.FromResult(new LabClone { CloneId = clone.Id, SourceHostId = hostId, Name = name });
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<LabClone>> ListLabClonesAsync(HostOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        using var scope = Enter(operation);
        operation.CancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<LabClone> list = [.. ClonesOf(operation.HostId).Select(m => new LabClone { CloneId = m.Id, SourceHostId = m.CloneOf!, Name = m.Id })];
            return Task.FromResult(list);
        }
    }

    /// <inheritdoc/>
    public Task<HostStepResult> DestroyLabCloneAsync(HostOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        using var scope = Enter(operation);
        operation.CancellationToken.ThrowIfCancellationRequested();
        string cloneId = operation.HostId;
        return Task.FromResult(Change(() =>
        {
            bool removed = RemoveClone(cloneId);
            return HostStepResult.Ok(removed ? _state.Timings.Snapshot : TimeSpan.Zero, removed ? "destroyed" : "already gone");
        }));
    }

    /// <inheritdoc/>
    public Task<HostStepResult> EnterMaintenanceModeAsync(HostOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        using var scope = EnterHost(operation);
        operation.CancellationToken.ThrowIfCancellationRequested();
        string hostId = operation.HostId;
        return Task.FromResult(Change(() =>
        {
            var m = Get(hostId);
            m.InMaintenanceMode = true;
            return HostStepResult.Ok(_state.Timings.MaintenanceMode);
        }));
    }

    /// <inheritdoc/>
    public Task<HostStepResult> ExitMaintenanceModeAsync(HostOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        using var scope = EnterHost(operation);
        operation.CancellationToken.ThrowIfCancellationRequested();
        string hostId = operation.HostId;
        return Task.FromResult(Change(() =>
        {
            var m = Get(hostId);
            if (m.Down)
            {
                return HostStepResult.Fail("host does not answer", TimeSpan.Zero);
            }

            m.InMaintenanceMode = false;
            return HostStepResult.Ok(_state.Timings.MaintenanceMode);
        }));
    }

    /// <inheritdoc/>
    public Task<bool> IsInMaintenanceModeAsync(HostOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        using var scope = EnterHost(operation);
        operation.CancellationToken.ThrowIfCancellationRequested();
        string hostId = operation.HostId;
        lock (_gate)
        {
            return Task.FromResult(Get(hostId).InMaintenanceMode);
        }
    }

    /// <inheritdoc/>
    public Task<HostStepResult> InstallAsync(HostOperation operation, InstallRequest request)
    {
        ArgumentNullException.ThrowIfNull(operation);
        using var scope = EnterHost(operation);
        ArgumentNullException.ThrowIfNull(request);
        operation.CancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Change(() => InstallCore(Get(operation.HostId), request, live: false)));
    }

    /// <inheritdoc/>
    public bool CanLiveUpdate(HostRecord host, InstallRequest request, bool livePatchable)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(request);
        return livePatchable && (host.Capabilities & HostCapabilities.LiveUpdate) != 0;
    }

    /// <inheritdoc/>
    public Task<HostStepResult> LiveUpdateAsync(HostOperation operation, InstallRequest request)
    {
        ArgumentNullException.ThrowIfNull(operation);
        using var scope = EnterHost(operation);
        ArgumentNullException.ThrowIfNull(request);
        operation.CancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Change(() => InstallCore(Get(operation.HostId), request, live: true)));
    }

    /// <inheritdoc/>
    public Task<HostStepResult> RebootAndWaitAsync(HostOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        using var scope = Enter(operation, hostOnly: !IsHypervisor(operation.HostId));
        operation.CancellationToken.ThrowIfCancellationRequested();
        string hostId = operation.HostId;
        var timeout = operation.Timeout;

        // The boot is stamped on the operation's clock when the caller gave one (a simulated run's step runs at its
        // lane's time), so BootedAt compares with the time the caller started the reboot.
        var now = operation.TimeProvider == TimeProvider.System ? _time.GetUtcNow() : operation.TimeProvider.GetUtcNow();
        return Task.FromResult(Change(() =>
        {
            var m = Get(hostId);
            m.Reboots++;
            var t = m.ParentId is null && m.Kind is HostKind.Esx or HostKind.Kvm ? _state.Timings.HostReboot : _state.Timings.GuestReboot;
            if (m.Faults.NoReturnAfterReboot)
            {
                m.Down = true;
                _logger.SimulatedFaultInjected(m.Id, "did not come back after reboot");
                var waited = timeout == Timeout.InfiniteTimeSpan ? _state.Timings.HostReboot : timeout;
                return new HostStepResult { Status = HostOperationStatus.TimedOut, Message = "host did not come back within " + waited, Duration = waited };
            }

            bool hypervisor = m.ParentId is null && m.Kind is HostKind.Esx or HostKind.Kvm;
            foreach (var g in hypervisor ? GuestsOf(m.Id) : [])
            {
                g.GuestRestarts++;
                g.BootedAt = now + t;
            }

            m.PendingReboot = false;
            m.BootedAt = now + t;
            return HostStepResult.Ok(t, "back after reboot");
        }));
    }

    /// <summary>Whether a reboot of the machine restarts guests (then the call reads and changes several machines).
    /// Kind and parent of a host never change, so the answer does not need the machine's file.</summary>
    private bool IsHypervisor(string hostId)
    {
        lock (_gate)
        {
            return !_byId.TryGetValue(hostId, out var m) || (m.ParentId is null && m.Kind is HostKind.Esx or HostKind.Kvm);
        }
    }

    private static SnapshotInfo Info(SimulatedSnapshot s) => new() { SnapshotId = s.Id, Name = s.Name, CreatedAt = s.CreatedAt };

    private HostStepResult InstallCore(SimulatedMachine m, InstallRequest patch, bool live)
    {
        if (m.Down)
        {
            return HostStepResult.Fail("host does not answer", TimeSpan.Zero);
        }

        var t = live ? _state.Timings.LiveUpdate : _state.Timings.Install;
        if (m.Installed.Exists(p => p.PatchId == patch.PatchId))
        {
            if (m.InstallCounts.GetValueOrDefault(patch.PatchId) > 0)
            {
                // This simulator installed it: the call that did was interrupted before its answer was journaled. On
                // the simulated clock that install took its time, and the host still says whether a reboot is pending,
                // so a resumed run's timeline and reboot decision are those of an uninterrupted one.
                return new HostStepResult
                {
                    Status = m.PendingReboot && !live ? HostOperationStatus.SucceededRebootRequired : HostOperationStatus.Succeeded,
                    Message = "already installed",
                    Duration = t,
                    ErrorCode = m.PendingReboot && !live ? RebootRequiredCode(m) : null,
                };
            }

            return HostStepResult.Ok(TimeSpan.Zero, "already installed");
        }

        if (m.Faults.InstallFails)
        {
            _logger.SimulatedFaultInjected(m.Id, "install fails");
            return HostStepResult.Fail("installer exited with code 1603", t, "1603");
        }

        m.Installed.Add(new InstalledPatch { PatchId = patch.PatchId, InstalledAt = _time.GetUtcNow() });
        m.InstallCounts[patch.PatchId] = m.InstallCounts.GetValueOrDefault(patch.PatchId) + 1;
        m.PatchedThisRun = true;
        bool reboot = patch.Reboot is RebootBehavior.Always or RebootBehavior.May && !live;
        if (reboot)
        {
            m.PendingReboot = true;
        }

        return new HostStepResult
        {
            Status = reboot ? HostOperationStatus.SucceededRebootRequired : HostOperationStatus.Succeeded,
            Message = live ? "applied live" : reboot ? "installed; reboot required" : "installed",
            Duration = t,
            Installed = [patch.PatchId],
            ErrorCode = reboot ? RebootRequiredCode(m) : null,
        };
    }

    /// <summary>The installer code a real machine gives for "installed, reboot required": a Windows machine says 3010
    /// (ERROR_SUCCESS_REBOOT_REQUIRED), as the Windows adapter reports it; other kinds give none.</summary>
    private static string? RebootRequiredCode(SimulatedMachine m) => m.Kind == HostKind.Windows ? "3010" : null;
}
