using PatchKit.Advisories;

namespace PatchKit.Hosts.Simulated;

/// <content>Snapshots, lab clones, maintenance mode, install, live update and reboot.</content>
public sealed partial class SimulatedHostAdapter
{
    /// <inheritdoc/>
    public Task<SnapshotInfo> CreateSnapshotAsync(string hostId, string name, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var m = Get(hostId);
            var existing = m.Snapshots.Find(s => s.Name == name);
            if (existing is not null)
            {
                return Task.FromResult(new SnapshotInfo(existing.Id, existing.Name, existing.CreatedAt));
            }
        }

        var snap = Change(() =>
        {
            var m = Get(hostId);
            var s = new SimulatedSnapshot { Id = "snap-" + _state.NextId++, Name = name, CreatedAt = _time.GetUtcNow(), Installed = [.. m.Installed], PendingReboot = m.PendingReboot };
            m.Snapshots.Add(s);
            return s;
        });
        return Task.FromResult(new SnapshotInfo(snap.Id, snap.Name, snap.CreatedAt));
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<SnapshotInfo>> ListSnapshotsAsync(string hostId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var m = Get(hostId);
            IReadOnlyList<SnapshotInfo> list = [.. m.Snapshots.Select(s => new SnapshotInfo(s.Id, s.Name, s.CreatedAt))];
            return Task.FromResult(list);
        }
    }

    /// <inheritdoc/>
    public Task<HostStepResult> RevertSnapshotAsync(string hostId, string snapshotId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
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
    public Task<HostStepResult> RemoveSnapshotAsync(string hostId, string snapshotId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Change(() =>
        {
            var m = Get(hostId);
            int removed = m.Snapshots.RemoveAll(x => x.Id == snapshotId);
            return HostStepResult.Ok(removed > 0 ? _state.Timings.Snapshot : TimeSpan.Zero, removed > 0 ? "removed" : "already gone");
        }));
    }

    /// <inheritdoc/>
    public Task<LabClone> CreateLabCloneAsync(string hostId, string snapshotId, string name, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var existing = _state.Machines.Find(x => x.CloneOf is not null && x.Id == name);
            if (existing is not null)
            {
                return Task.FromResult(new LabClone(existing.Id, existing.CloneOf!, name));
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
                PendingReboot = s.PendingReboot,
                BootedAt = _time.GetUtcNow(),
                CloneOf = m.Id,
                Faults = m.Faults,
            };
            _state.Machines.Add(c);
            _byId.Add(c.Id, c);
            return c;
        });
        return Task.FromResult(new LabClone(clone.Id, hostId, name));
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<LabClone>> ListLabClonesAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<LabClone> list = [.. _state.Machines.Where(m => m.CloneOf is not null).Select(m => new LabClone(m.Id, m.CloneOf!, m.Id))];
            return Task.FromResult(list);
        }
    }

    /// <inheritdoc/>
    public Task<HostStepResult> DestroyLabCloneAsync(string cloneId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Change(() =>
        {
            int removed = _state.Machines.RemoveAll(m => m.CloneOf is not null && m.Id == cloneId);
            _byId.Remove(cloneId);
            return HostStepResult.Ok(removed > 0 ? _state.Timings.Snapshot : TimeSpan.Zero, removed > 0 ? "destroyed" : "already gone");
        }));
    }

    /// <inheritdoc/>
    public Task<HostStepResult> EnterMaintenanceModeAsync(string hostId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Change(() =>
        {
            var m = Get(hostId);
            m.InMaintenanceMode = true;
            return HostStepResult.Ok(_state.Timings.MaintenanceMode);
        }));
    }

    /// <inheritdoc/>
    public Task<HostStepResult> ExitMaintenanceModeAsync(string hostId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
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
    public Task<bool> IsInMaintenanceModeAsync(string hostId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(Get(hostId).InMaintenanceMode);
        }
    }

    /// <inheritdoc/>
    public Task<HostStepResult> InstallAsync(string hostId, PatchDefinition patch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patch);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Change(() => InstallCore(Get(hostId), patch, live: false)));
    }

    /// <inheritdoc/>
    public bool CanLiveUpdate(HostRecord host, PatchDefinition patch)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(patch);
        return patch.LivePatchable && (host.Capabilities & HostCapabilities.LiveUpdate) != 0;
    }

    /// <inheritdoc/>
    public Task<HostStepResult> LiveUpdateAsync(string hostId, PatchDefinition patch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patch);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Change(() => InstallCore(Get(hostId), patch, live: true)));
    }

    /// <inheritdoc/>
    public Task<HostStepResult> RebootAndWaitAsync(string hostId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Change(() =>
        {
            var m = Get(hostId);
            m.Reboots++;
            var t = m.ParentId is null && m.Kind is HostKind.Esx or HostKind.Kvm ? _state.Timings.HostReboot : _state.Timings.GuestReboot;
            if (m.Faults.NoReturnAfterReboot)
            {
                m.Down = true;
                _logger.SimulatedFaultInjected(m.Id, "did not come back after reboot");
                return HostStepResult.Fail("host did not come back within " + timeout, timeout);
            }

            foreach (var g in _state.Machines)
            {
                if (g.ParentId == m.Id && g.CloneOf is null)
                {
                    g.GuestRestarts++;
                    g.BootedAt = _time.GetUtcNow() + t;
                }
            }

            m.PendingReboot = false;
            m.BootedAt = _time.GetUtcNow() + t;
            return HostStepResult.Ok(t, "back after reboot");
        }));
    }

    private HostStepResult InstallCore(SimulatedMachine m, PatchDefinition patch, bool live)
    {
        if (m.Down)
        {
            return HostStepResult.Fail("host does not answer", TimeSpan.Zero);
        }

        if (m.Installed.Exists(p => p.PatchId == patch.Id))
        {
            return HostStepResult.Ok(TimeSpan.Zero, "already installed");
        }

        var t = live ? _state.Timings.LiveUpdate : _state.Timings.Install;
        if (m.Faults.InstallFails)
        {
            _logger.SimulatedFaultInjected(m.Id, "install fails");
            return HostStepResult.Fail("installer exited with code 1603", t);
        }

        m.Installed.Add(new InstalledPatch(patch.Id, _time.GetUtcNow()));
        m.InstallCounts[patch.Id] = m.InstallCounts.GetValueOrDefault(patch.Id) + 1;
        m.PatchedThisRun = true;
        if (patch.RequiresReboot && !live)
        {
            m.PendingReboot = true;
        }

        return HostStepResult.Ok(t, live ? "applied live" : "installed");
    }
}
