using System.Text.Json.Nodes;

namespace PatchKit.Hosts.Kvm;

public sealed partial class KvmHostAdapter
{
    /// <inheritdoc/>
    /// <remarks>An internal snapshot (<c>snapshot-save</c> job) of memory and every writable qcow2 disk; the id is the
    /// tag. For a guest in <see cref="KvmSnapshotMode.External"/> mode an external disk-only snapshot instead: one qcow2
    /// overlay per writable disk (<c>blockdev-snapshot-sync</c> in one <c>transaction</c>), in the host's run directory.
    /// A snapshot with that name already there is returned as it is.</remarks>
    public async Task<SnapshotInfo> CreateSnapshotAsync(HostOperation operation, string name)
    {
        ArgumentNullException.ThrowIfNull(operation);
        Fence(operation);
        ArgumentException.ThrowIfNullOrEmpty(name);
        operation.CancellationToken.ThrowIfCancellationRequested();
        var g = Guest(operation.HostId);
        var gate = LockOf(g.Id);
        await gate.WaitAsync(operation.CancellationToken).ConfigureAwait(false);
        try
        {
            await using var qmp = await ConnectQmpAsync(g, operation).ConfigureAwait(false);
            if (g.SnapshotMode == KvmSnapshotMode.External)
            {
                return await CreateExternalSnapshotAsync(qmp, g, name, operation).ConfigureAwait(false);
            }

            var (disks, snaps) = await DisksAsync(qmp, operation.CancellationToken).ConfigureAwait(false);
            if (snaps.Find(s => s.Name == name) is { } existing)
            {
                return existing;
            }

            string job = "pk-save-" + Guid.NewGuid().ToString("N")[..8];
            await operation.CheckpointAsync("snapshot-save:" + job).ConfigureAwait(false);
            await RunJobAsync(qmp, "snapshot-save", new JsonObject
            {
                ["job-id"] = job, ["tag"] = name, ["vmstate"] = disks[0], ["devices"] = new JsonArray([.. disks.Select(d => (JsonNode?)d)]),
            }, job, operation).ConfigureAwait(false);
            var (_, after) = await DisksAsync(qmp, operation.CancellationToken).ConfigureAwait(false);
            return after.Find(s => s.Name == name) ?? throw new HostAdapterException(g.Id, "snapshot-save succeeded but '" + name + "' is not listed", null);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<SnapshotInfo>> ListSnapshotsAsync(HostOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        operation.CancellationToken.ThrowIfCancellationRequested();
        var g = Guest(operation.HostId);
        await using var qmp = await ConnectQmpAsync(g, operation).ConfigureAwait(false);
        var external = (await LiveExternalSnapshotsAsync(qmp, g, operation.CancellationToken).ConfigureAwait(false)).Select(Info);
        var blocks = await qmp.ExecuteAsync("query-block", null, KvmJsonContext.Default.ListQmpBlockInfo, null, operation.CancellationToken).ConfigureAwait(false) ?? [];
        if (!blocks.Exists(b => b.Inserted is { Drv: "qcow2", Ro: false }))
        {
            return [.. external]; // internal snapshots need qcow2; this guest can only have external ones
        }

        return [.. (await DisksAsync(qmp, operation.CancellationToken).ConfigureAwait(false)).Snapshots, .. external];
    }

    /// <inheritdoc/>
    /// <remarks><c>snapshot-load</c>: memory and disks go back to the snapshot; the guest agent is resynchronised on its
    /// next use (its state was rewound with the memory). An external snapshot: the disks are switched back to the
    /// snapshot's base and the guest is reset, then waited for; the snapshot stays (as an empty overlay).</remarks>
    public Task<HostStepResult> RevertSnapshotAsync(HostOperation operation, string snapshotId) =>
        SnapshotJobAsync(operation, snapshotId, load: true);

    /// <inheritdoc/>
    /// <remarks>An external snapshot is folded back: <c>block-commit</c> of its overlays into their bases (followed through
    /// its job events, completed when the overlay is the active layer, dismissed), then the overlay files are deleted. A
    /// commit job that is cancelled or fails leaves the snapshot in place and says so.</remarks>
    public Task<HostStepResult> RemoveSnapshotAsync(HostOperation operation, string snapshotId) =>
        SnapshotJobAsync(operation, snapshotId, load: false);

    private async Task<HostStepResult> SnapshotJobAsync(HostOperation operation, string snapshotId, bool load)
    {
        ArgumentNullException.ThrowIfNull(operation);
        Fence(operation);
        ArgumentException.ThrowIfNullOrEmpty(snapshotId);
        operation.CancellationToken.ThrowIfCancellationRequested();
        long start = Time.GetTimestamp();
        var g = Guest(operation.HostId);
        var gate = LockOf(g.Id);
        await gate.WaitAsync(operation.CancellationToken).ConfigureAwait(false);
        try
        {
            await using var qmp = await ConnectQmpAsync(g, operation).ConfigureAwait(false);
            if (ExternalSnapshot(g, snapshotId) is { } external
                && (await LiveExternalSnapshotsAsync(qmp, g, operation.CancellationToken).ConfigureAwait(false)).Contains(external))
            {
                return load
                    ? await RevertExternalSnapshotAsync(qmp, g, external, operation, start).ConfigureAwait(false)
                    : await CommitExternalSnapshotAsync(qmp, g, external, operation, start).ConfigureAwait(false);
            }
            else if (ExternalSnapshot(g, snapshotId) is { } stale)
            {
                // recorded, but its overlays are not in this QEMU (taken by a process that is gone): only the record is left
                Mutate(_ => g.ExternalSnapshots.Remove(stale));
                return load
                    ? HostStepResult.Fail("the external snapshot '" + snapshotId + "' of '" + g.Id + "' is not in the running QEMU any more", Time.GetElapsedTime(start), "SnapshotNotFound")
                    : HostStepResult.Ok(Time.GetElapsedTime(start), "the external snapshot '" + snapshotId + "' is not in the running QEMU: record removed");
            }

            var (disks, snaps) = await DisksAsync(qmp, operation.CancellationToken).ConfigureAwait(false);
            if (!snaps.Exists(s => s.SnapshotId == snapshotId))
            {
                return load
                    ? HostStepResult.Fail("no snapshot '" + snapshotId + "' on '" + g.Id + "'", Time.GetElapsedTime(start), "SnapshotNotFound")
                    : HostStepResult.Ok(Time.GetElapsedTime(start), "no snapshot '" + snapshotId + "': nothing to remove");
            }

            string cmd = load ? "snapshot-load" : "snapshot-delete";
            string job = "pk-" + (load ? "load-" : "del-") + Guid.NewGuid().ToString("N")[..8];
            var args = new JsonObject { ["job-id"] = job, ["tag"] = snapshotId, ["devices"] = new JsonArray([.. disks.Select(d => (JsonNode?)d)]) };
            if (load)
            {
                args["vmstate"] = disks[0];
            }

            await operation.CheckpointAsync(cmd + ":" + job).ConfigureAwait(false);
            string? error = await RunJobAsync(qmp, cmd, args, job, operation, throwOnError: false).ConfigureAwait(false);
            if (error is not null)
            {
                return HostStepResult.Fail(cmd + " '" + snapshotId + "' on '" + g.Id + "': " + error, Time.GetElapsedTime(start), "JobFailed");
            }

            if (load)
            {
                // snapshot-load leaves the VM as the snapshot was taken (running)
                var st = await qmp.ExecuteAsync("query-status", null, KvmJsonContext.Default.QmpStatusInfo, null, operation.CancellationToken).ConfigureAwait(false);
                if (st?.Running != true)
                {
                    await qmp.ExecuteAsync("cont", null, null, operation.CancellationToken).ConfigureAwait(false);
                }
            }

            return HostStepResult.Ok(Time.GetElapsedTime(start));
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<QmpClient> ConnectQmpAsync(KvmGuestState g, HostOperation operation)
    {
        try
        {
            return await QmpClient.ConnectAsync(g.Qmp, _options.Client, operation.CancellationToken).ConfigureAwait(false);
        }
        catch (KvmConnectionException ex)
        {
            if (Relocate(g))
            {
                // another adapter instance (or a run that died) moved the guest: its QEMU runs elsewhere now
                return await ConnectQmpAsync(g, operation).ConfigureAwait(false);
            }

            throw new HostAdapterException(g.Id, "QMP unreachable at " + g.Qmp, ex);
        }
    }

    /// <summary>The writable qcow2 nodes (the first holds the vmstate) and the internal snapshots found on all of them.</summary>
    private static async Task<(List<string> Disks, List<SnapshotInfo> Snapshots)> DisksAsync(QmpClient qmp, CancellationToken cancellationToken)
    {
        var blocks = await qmp.ExecuteAsync("query-block", null, KvmJsonContext.Default.ListQmpBlockInfo, null, cancellationToken).ConfigureAwait(false) ?? [];
        var disks = blocks.Where(b => b.Inserted is { Drv: "qcow2", Ro: false }).Select(b => b.Inserted!).ToList();
        if (disks.Count == 0)
        {
            throw new HostAdapterException(qmp.Endpoint, "the guest has no writable qcow2 disk: internal snapshots need one", null);
        }

        var snapshots = (disks[0].Image?.Snapshots ?? [])
            .Where(s => disks.TrueForAll(d => (d.Image?.Snapshots ?? []).Exists(x => x.Name == s.Name)))
            .Select(s => new SnapshotInfo { SnapshotId = s.Name, Name = s.Name, CreatedAt = DateTimeOffset.FromUnixTimeSeconds(s.DateSec) })
            .ToList();
        return ([.. disks.Select(d => d.NodeName)], snapshots);
    }

    /// <summary>Starts a job, waits for it to conclude (polling <c>query-jobs</c>), dismisses it; returns its error or null.</summary>
    private async Task<string?> RunJobAsync(QmpClient qmp, string command, JsonObject args, string job, HostOperation operation, bool throwOnError = true)
    {
        using var scope = new OperationScope(operation);
        var cts = scope.Source;
        await qmp.ExecuteAsync(command, args, null, cts.Token).ConfigureAwait(false);
        while (true)
        {
            var jobs = await qmp.ExecuteAsync("query-jobs", null, KvmJsonContext.Default.ListQmpJobInfo, null, cts.Token).ConfigureAwait(false) ?? [];
            var j = jobs.Find(x => x.Id == job);
            if (j is null || j.Status is "concluded" or "null")
            {
                if (j?.Status == "concluded")
                {
                    await qmp.ExecuteAsync("job-dismiss", new JsonObject { ["id"] = job }, null, CancellationToken.None).ConfigureAwait(false);
                }

                if (j?.Error is { } error && throwOnError)
                {
                    throw new HostAdapterException(operation.HostId, command + " failed: " + error, null);
                }

                return j?.Error;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), Time, cts.Token).ConfigureAwait(false);
        }
    }
}
