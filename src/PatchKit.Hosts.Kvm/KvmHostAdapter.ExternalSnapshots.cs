using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace PatchKit.Hosts.Kvm;

public sealed partial class KvmHostAdapter
{
    /// <summary>Gets or sets the speed limit of the commit jobs that fold an external snapshot back (bytes per second,
    /// 0 = unlimited); tests slow a commit down to interrupt it.</summary>
    internal long CommitSpeedBytesPerSecond { get; set; }

    private KvmExternalSnapshot? ExternalSnapshot(KvmGuestState g, string name)
    {
        lock (_stateLock)
        {
            return g.ExternalSnapshots.Find(s => s.Name == name);
        }
    }

    /// <summary>The external snapshots whose overlays QEMU still has (a QEMU restarted since has none).</summary>
    private async Task<List<KvmExternalSnapshot>> LiveExternalSnapshotsAsync(QmpClient qmp, KvmGuestState g, CancellationToken cancellationToken)
    {
        List<KvmExternalSnapshot> recorded;
        lock (_stateLock)
        {
            recorded = [.. g.ExternalSnapshots];
        }

        if (recorded.Count == 0)
        {
            return recorded;
        }

        var nodes = await NodeNamesAsync(qmp, cancellationToken).ConfigureAwait(false);
        return recorded.FindAll(s => s.Layers.Count > 0 && s.Layers.TrueForAll(l => nodes.ContainsKey(l.Node)));
    }

    private static async Task<Dictionary<string, QmpNamedNode>> NodeNamesAsync(QmpClient qmp, CancellationToken cancellationToken)
    {
        var nodes = await qmp.ExecuteAsync("query-named-block-nodes", new JsonObject { ["flat"] = true }, KvmJsonContext.Default.ListQmpNamedNode, null, cancellationToken).ConfigureAwait(false) ?? [];
        var map = new Dictionary<string, QmpNamedNode>(StringComparer.Ordinal);
        foreach (var n in nodes)
        {
            map.TryAdd(n.NodeName, n);
        }

        return map;
    }

    /// <summary>Takes an external snapshot: one overlay per writable disk in one <c>transaction</c>.</summary>
    private async Task<SnapshotInfo> CreateExternalSnapshotAsync(QmpClient qmp, KvmGuestState g, string name, HostOperation operation)
    {
        var ct = operation.CancellationToken;
        var live = await LiveExternalSnapshotsAsync(qmp, g, ct).ConfigureAwait(false);
        if (live.Find(s => s.Name == name) is { } existing)
        {
            return Info(existing);
        }

        var blocks = await qmp.ExecuteAsync("query-block", null, KvmJsonContext.Default.ListQmpBlockInfo, null, ct).ConfigureAwait(false) ?? [];
        var disks = blocks.Where(b => b.Inserted is { Ro: false }).ToList();
        if (disks.Count == 0)
        {
            throw new HostAdapterException(g.Id, "the guest has no writable disk to snapshot", null);
        }

        string id = NewNodeId();
        string dir = _hosts[g.HostId].RunDirectory;
        Directory.CreateDirectory(dir);
        var snap = new KvmExternalSnapshot { Name = name, CreatedAt = Time.GetUtcNow() };
        var actions = new JsonArray();
        for (int i = 0; i < disks.Count; i++)
        {
            var d = disks[i].Inserted!;
            string node = id + "-" + i.ToString(CultureInfo.InvariantCulture);
            string file = Path.Combine(dir, g.Id + "." + node + ".qcow2");
            snap.Layers.Add(new KvmOverlay
            {
                Qdev = disks[i].Qdev, BaseNode = d.NodeName, BaseFile = d.File, Node = node, File = file, OriginalFile = Bottom(d.Image) ?? d.File, VirtualSize = d.Image?.VirtualSize ?? 0,
            });
            actions.Add((JsonNode)new JsonObject
            {
                ["type"] = "blockdev-snapshot-sync",
                ["data"] = new JsonObject { ["node-name"] = d.NodeName, ["snapshot-file"] = file, ["snapshot-node-name"] = node, ["format"] = "qcow2" },
            });
        }

        // recorded first: a crash after the transaction leaves a record whose overlays exist (found again), a crash before
        // it one whose overlays do not (ignored and replaced)
        Mutate(_ =>
        {
            g.ExternalSnapshots.RemoveAll(s => s.Name == name);
            g.ExternalSnapshots.Add(snap);
        });
        await operation.CheckpointAsync("external-snapshot:" + name + ":" + id).ConfigureAwait(false);
        try
        {
            await qmp.ExecuteAsync("transaction", new JsonObject { ["actions"] = actions }, null, ct).ConfigureAwait(false);
        }
        catch (QmpException)
        {
            Mutate(_ => g.ExternalSnapshots.Remove(snap));
            foreach (var l in snap.Layers)
            {
                File.Delete(l.File);
            }

            throw;
        }

        return Info(snap);
    }

    private static SnapshotInfo Info(KvmExternalSnapshot s) => new() { SnapshotId = s.Name, Name = s.Name, CreatedAt = s.CreatedAt };

    private static string NewNodeId() => "pkx" + Guid.NewGuid().ToString("N")[..8];

    private static string? Bottom(QmpImageInfo? image)
    {
        string? last = null;
        for (var i = image; i is not null; i = i.BackingImage)
        {
            last = i.Filename;
        }

        return last;
    }

    /// <summary>Folds an external snapshot's overlays back into their bases (<c>block-commit</c>, completed when the
    /// overlay is the active layer), then deletes the overlay files.</summary>
    private async Task<HostStepResult> CommitExternalSnapshotAsync(QmpClient qmp, KvmGuestState g, KvmExternalSnapshot snap, HostOperation operation, long start)
    {
        var ct = operation.CancellationToken;
        var blocks = await qmp.ExecuteAsync("query-block", null, KvmJsonContext.Default.ListQmpBlockInfo, null, ct).ConfigureAwait(false) ?? [];
        foreach (var layer in snap.Layers.ToList())
        {
            string active = blocks.Find(b => b.Qdev == layer.Qdev)?.Inserted?.NodeName
                ?? throw new HostAdapterException(g.Id, "disk " + layer.Qdev + " of the snapshot '" + snap.Name + "' is not attached any more", null);
            string job = "pkc-" + Guid.NewGuid().ToString("N")[..8];
            var args = new JsonObject
            {
                ["job-id"] = job, ["device"] = active, ["top-node"] = layer.Node, ["base-node"] = layer.BaseNode, ["auto-dismiss"] = false,
            };
            if (CommitSpeedBytesPerSecond > 0)
            {
                args["speed"] = CommitSpeedBytesPerSecond;
            }

            // from here on the base takes the overlay's data: the snapshot can only be committed, no longer reverted to
            Mutate(_ => snap.CommitStarted = true);
            await operation.CheckpointAsync("block-commit:" + job).ConfigureAwait(false);
            string? error = await RunBlockJobAsync(qmp, "block-commit", args, job, completeWhenReady: active == layer.Node, g.Id, ct).ConfigureAwait(false);
            if (error is not null)
            {
                return HostStepResult.Fail(
                    "block-commit of the snapshot '" + snap.Name + "' (" + layer.Node + " into " + layer.BaseNode + ") on '" + g.Id + "' did not finish: " + error
                    + "; the snapshot is kept and the guest's disk is whole (it still writes to the overlay " + layer.File
                    + "), but its base is partly updated: remove the snapshot again to finish the commit (it can no longer be reverted to)",
                    Time.GetElapsedTime(start), "JobFailed");
            }

            if (active == layer.Node)
            {
                // a ready commit cancelled from elsewhere concludes without an error but leaves the overlay active
                var now = await qmp.ExecuteAsync("query-block", null, KvmJsonContext.Default.ListQmpBlockInfo, null, ct).ConfigureAwait(false) ?? [];
                if (now.Find(b => b.Qdev == layer.Qdev)?.Inserted?.NodeName == layer.Node)
                {
                    return HostStepResult.Fail("block-commit of the snapshot '" + snap.Name + "' on '" + g.Id + "' ended without switching " + layer.Qdev + " to its base (cancelled after it was ready?); the snapshot is kept", Time.GetElapsedTime(start), "JobFailed");
                }
            }

            if (layer.MonitorOwned)
            {
                await DeleteNodeAsync(qmp, layer.Node).ConfigureAwait(false);
            }

            File.Delete(layer.File);
            Mutate(_ =>
            {
                snap.Layers.Remove(layer);
                foreach (var above in g.ExternalSnapshots.SelectMany(s => s.Layers).Where(l => l.BaseNode == layer.Node))
                {
                    above.BaseNode = layer.BaseNode;
                    above.BaseFile = layer.BaseFile;
                }

                if (snap.Layers.Count == 0)
                {
                    g.ExternalSnapshots.Remove(snap);
                }
            });
        }

        return HostStepResult.Ok(Time.GetElapsedTime(start), "external snapshot '" + snap.Name + "' committed into its base");
    }

    /// <summary>Switches every disk back to the snapshot's base: the guest is stopped, a fresh overlay on the base is
    /// added and the active layer mirrored onto it with <c>sync: none</c> (nothing is copied; completing the job replaces
    /// the active layer), the discarded overlays are deleted and the guest is reset (its memory belongs to the
    /// discarded disk state). The snapshot stays, as an empty overlay, so it can be reverted to again or removed.</summary>
    private async Task<HostStepResult> RevertExternalSnapshotAsync(QmpClient qmp, KvmGuestState g, KvmExternalSnapshot snap, HostOperation operation, long start)
    {
        var ct = operation.CancellationToken;
        if (snap.CommitStarted)
        {
            return HostStepResult.Fail("the external snapshot '" + snap.Name + "' of '" + g.Id + "' was partly committed into its base by an earlier removal that did not finish: it cannot be reverted to; remove it to finish the commit", Time.GetElapsedTime(start), "SnapshotCommitStarted");
        }

        string? bootId = null;
        if (g.Agent is not null)
        {
            try
            {
                await using var agent = await GuestAgentClient.ConnectAsync(g.Agent, AgentOptions(TimeSpan.FromSeconds(2)), ct).ConfigureAwait(false);
                bootId = Encoding.ASCII.GetString(await agent.ReadFileAsync("/proc/sys/kernel/random/boot_id", ct).ConfigureAwait(false)).Trim();
            }
            catch (Exception ex) when (ex is QmpException or KvmConnectionException)
            {
                // the agent does not answer now: any answer after the reset counts
            }
        }

        await qmp.ExecuteAsync("stop", null, null, ct).ConfigureAwait(false);
        var blocks = await qmp.ExecuteAsync("query-block", null, KvmJsonContext.Default.ListQmpBlockInfo, null, ct).ConfigureAwait(false) ?? [];
        var nodes = await NodeNamesAsync(qmp, ct).ConfigureAwait(false);
        int index = g.ExternalSnapshots.IndexOf(snap);
        var later = g.ExternalSnapshots.Skip(index + 1).ToList();
        string id = NewNodeId();
        for (int i = 0; i < snap.Layers.Count; i++)
        {
            var layer = snap.Layers[i];
            var inserted = blocks.Find(b => b.Qdev == layer.Qdev)?.Inserted
                ?? throw new HostAdapterException(g.Id, "disk " + layer.Qdev + " of the snapshot '" + snap.Name + "' is not attached any more", null);
            string baseDriver = nodes.TryGetValue(layer.BaseNode, out var bn) ? bn.Drv : "qcow2";
            string node = id + "-" + i.ToString(CultureInfo.InvariantCulture);
            string file = Path.Combine(Path.GetDirectoryName(layer.File)!, g.Id + "." + node + ".qcow2");
            await QemuProcess.RunAsync(_options.QemuImgBinary, ["create", "-q", "-f", "qcow2", "-u", "-F", baseDriver, "-b", layer.BaseFile, file, layer.VirtualSize.ToString(CultureInfo.InvariantCulture)], null, ct).ConfigureAwait(false);
            await qmp.ExecuteAsync("blockdev-add", new JsonObject
            {
                ["driver"] = "qcow2", ["node-name"] = node, ["file"] = new JsonObject { ["driver"] = "file", ["filename"] = file }, ["backing"] = layer.BaseNode,
            }, null, ct).ConfigureAwait(false);
            string job = "pkr-" + Guid.NewGuid().ToString("N")[..8];
            string? error = await RunBlockJobAsync(qmp, "blockdev-mirror", new JsonObject
            {
                ["job-id"] = job, ["device"] = inserted.NodeName, ["target"] = node, ["sync"] = "none", ["auto-dismiss"] = false,
            }, job, completeWhenReady: true, g.Id, ct).ConfigureAwait(false);
            if (error is not null)
            {
                await DeleteNodeAsync(qmp, node).ConfigureAwait(false);
                File.Delete(file);
                await qmp.ExecuteAsync("cont", null, null, CancellationToken.None).ConfigureAwait(false);
                return HostStepResult.Fail("switching " + layer.Qdev + " of '" + g.Id + "' back to the snapshot '" + snap.Name + "' failed: " + error + "; the guest keeps its disks as they were", Time.GetElapsedTime(start), "JobFailed");
            }

            var switched = await qmp.ExecuteAsync("query-block", null, KvmJsonContext.Default.ListQmpBlockInfo, null, ct).ConfigureAwait(false) ?? [];
            if (switched.Find(b => b.Qdev == layer.Qdev)?.Inserted?.NodeName != node)
            {
                await qmp.ExecuteAsync("cont", null, null, CancellationToken.None).ConfigureAwait(false);
                return HostStepResult.Fail("switching " + layer.Qdev + " of '" + g.Id + "' back to the snapshot '" + snap.Name + "' ended without the switch (job cancelled?); the guest keeps its disks as they were", Time.GetElapsedTime(start), "JobFailed");
            }

            // the discarded layers: this snapshot's overlay and those of later snapshots on the same disk
            var discarded = later.SelectMany(s => s.Layers).Where(l => l.Qdev == layer.Qdev).Append(layer).ToList();
            foreach (var d in discarded)
            {
                if (d.MonitorOwned)
                {
                    await DeleteNodeAsync(qmp, d.Node).ConfigureAwait(false);
                }

                File.Delete(d.File);
            }

            Mutate(_ =>
            {
                layer.Node = node;
                layer.File = file;
                layer.MonitorOwned = true;
            });
        }

        Mutate(_ => g.ExternalSnapshots.RemoveAll(later.Contains));
        await qmp.ExecuteAsync("set-action", new JsonObject { ["reboot"] = "reset" }, null, ct).ConfigureAwait(false);
        await qmp.ExecuteAsync("system_reset", null, null, ct).ConfigureAwait(false);
        await qmp.ExecuteAsync("cont", null, null, ct).ConfigureAwait(false);
        if (g.Agent is not null)
        {
            using var scope = new OperationScope(operation, operation.Timeout == Timeout.InfiniteTimeSpan ? _options.BootTimeout : operation.Timeout);
            await WaitForNewBootAsync(g, bootId, scope.Token).ConfigureAwait(false);
        }

        return HostStepResult.Ok(Time.GetElapsedTime(start), "disks switched back to the external snapshot '" + snap.Name + "' and the guest reset (a disk-only snapshot holds no memory)");
    }

    private static async Task DeleteNodeAsync(QmpClient qmp, string node)
    {
        try
        {
            await qmp.ExecuteAsync("blockdev-del", new JsonObject { ["node-name"] = node }, null, CancellationToken.None).ConfigureAwait(false);
        }
        catch (QmpException)
        {
            // already gone with the graph change
        }
    }

    /// <summary>Starts a block job and follows it through its <c>JOB_STATUS_CHANGE</c> events: sends <c>job-complete</c>
    /// when it is ready (if asked), reads its error when it concludes, dismisses it. Returns the error, or null.</summary>
    private static async Task<string?> RunBlockJobAsync(QmpClient qmp, string command, JsonObject args, string job, bool completeWhenReady, string guestId, CancellationToken cancellationToken)
    {
        using var watch = new BlockJobWatch(qmp, job, guestId);
        await qmp.ExecuteAsync(command, args, null, cancellationToken).ConfigureAwait(false);
        if (completeWhenReady && await watch.WaitReadyAsync(cancellationToken).ConfigureAwait(false) is null && !watch.Concluded)
        {
            try
            {
                await qmp.ExecuteAsync("job-complete", new JsonObject { ["id"] = job }, null, cancellationToken).ConfigureAwait(false);
            }
            catch (QmpException)
            {
                // the job left the ready state meanwhile (cancelled): its conclusion tells
            }
        }

        return await watch.WaitConcludedAsync(cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Follows one block job (created with <c>auto-dismiss: false</c>) through its <c>JOB_STATUS_CHANGE</c> events;
/// subscribe before starting the job. A lost QMP connection ends the wait with a clear error.</summary>
internal sealed class BlockJobWatch : IDisposable
{
    private readonly QmpClient _qmp;
    private readonly string _guestId;
    private readonly Channel<string> _statuses = Channel.CreateUnbounded<string>();
    private readonly IDisposable _subscription;
    private string? _result;
    private bool _aborted;

    public BlockJobWatch(QmpClient qmp, string job, string guestId)
    {
        _qmp = qmp;
        _guestId = guestId;
        Job = job;
        _subscription = qmp.Subscribe(e =>
        {
            if (e.Name == "JOB_STATUS_CHANGE" && e.Data.ValueKind == JsonValueKind.Object
                && e.Data.TryGetProperty("id", out var i) && i.GetString() == job && e.Data.TryGetProperty("status", out var st))
            {
                _statuses.Writer.TryWrite(st.GetString() ?? string.Empty);
            }
        });
        _ = qmp.Completion.ContinueWith(
            _ => _statuses.Writer.TryComplete(new KvmConnectionException(qmp.Endpoint, "QMP connection lost while waiting for the job '" + job + "' of '" + guestId + "' (QEMU exited?)", null)),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public string Job { get; }

    /// <summary>Gets a value indicating whether the job has concluded (and was dismissed).</summary>
    public bool Concluded { get; private set; }

    /// <summary>Waits until the job is ready; returns null then, or the error when it concluded instead.</summary>
    public async Task<string?> WaitReadyAsync(CancellationToken cancellationToken)
    {
        while (!Concluded)
        {
            string status = await NextAsync(cancellationToken).ConfigureAwait(false);
            if (status == "ready")
            {
                return null;
            }

            await NoteAsync(status).ConfigureAwait(false);
        }

        return _result ?? "job '" + Job + "' ended before it was ready";
    }

    /// <summary>Waits until the job concludes, dismisses it and returns its error, or null when it succeeded.</summary>
    public async Task<string?> WaitConcludedAsync(CancellationToken cancellationToken)
    {
        while (!Concluded)
        {
            await NoteAsync(await NextAsync(cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        }

        return _result;
    }

    public void Dispose() => _subscription.Dispose();

    private async Task NoteAsync(string status)
    {
        if (status == "aborting")
        {
            _aborted = true;
        }
        else if (status == "concluded")
        {
            var jobs = await _qmp.ExecuteAsync("query-jobs", null, KvmJsonContext.Default.ListQmpJobInfo, null, CancellationToken.None).ConfigureAwait(false) ?? [];
            string? error = jobs.Find(x => x.Id == Job)?.Error;
            await _qmp.ExecuteAsync("job-dismiss", new JsonObject { ["id"] = Job }, null, CancellationToken.None).ConfigureAwait(false);
            Concluded = true;
            _result = _aborted ? "job '" + Job + "' was cancelled" + (error is null ? string.Empty : " (QEMU: " + error + ")")
                : error is not null ? "job '" + Job + "' failed: " + error : null;
        }
    }

    private async Task<string> NextAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _statuses.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException ex) when (ex.InnerException is KvmConnectionException lost)
        {
            throw new HostAdapterException(_guestId, lost.Message, lost);
        }
    }
}
