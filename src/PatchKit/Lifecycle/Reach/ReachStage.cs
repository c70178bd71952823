using PatchKit.Hosts;
using PatchKit.Internal;

namespace PatchKit.Lifecycle.Reach;

/// <summary>Reach: take inventory through every adapter, filter by tags, record unreachable hosts as a status.</summary>
internal sealed class ReachStage : PatchStage
{
    private readonly string _name;
    private readonly string[] _include;
    private readonly string[] _exclude;
    private readonly Func<OnHostReachedArguments, ValueTask>? _onHostReached;
    private readonly bool _removeLeftovers;

    public ReachStage(string name, ReachStageOptions options)
    {
        _name = name;
        _include = [.. options.IncludeTags];
        _exclude = [.. options.ExcludeTags];
        _onHostReached = options.OnHostReached;
        _removeLeftovers = options.RemoveLeftovers;
    }

    protected internal override async ValueTask ExecuteAsync(PatchRunContext context)
    {
        // Every adapter is asked at once; one that fails (a vCenter that does not answer) costs only its own hosts.
        var inventories = await Task.WhenAll(context.Adapters.Select(a => InventoryAsync(context, a))).ConfigureAwait(false);
        var hosts = new List<ReachedHost>();
        var failures = new List<AdapterFailure>();
        for (int i = 0; i < inventories.Length; i++)
        {
            var adapter = context.Adapters[i];
            var (inventory, failure) = inventories[i];
            if (failure is not null)
            {
                failures.Add(new AdapterFailure { Adapter = adapter.Name, Message = failure });
                continue;
            }

            int unreachable = 0;
            foreach (var host in inventory!.Hosts)
            {
                if (!Included(host))
                {
                    continue;
                }

                if (host.Status != HostStatus.Reachable)
                {
                    unreachable++;
                    Log.HostUnreachable(context.Logger, host.Id);
                }

                hosts.Add(new ReachedHost(host, adapter));
                if (_onHostReached is { } hook)
                {
                    await hook(new OnHostReachedArguments(context, host, adapter)).ConfigureAwait(false);
                }
            }

            Log.InventoryTaken(context.Logger, adapter.Name, inventory.Hosts.Count, unreachable);
        }

        // What a run whose journal was lost or cut short left on the hosts: its snapshots and lab clones (hosts left in
        // maintenance mode are in the inventory itself; the report takes both into account).
        // A worker of a shared run (patchkit worker) leaves this to the run that planned it: every worker asking every
        // host twice more would delay the takeover of a lost lease.
        var leftovers = new List<Leftover>();
        bool scan = !(context.RepairQueue is not null && context.RepairQueueRole == Repair.RepairQueueRole.Work);
        foreach (var found in await Task.WhenAll(hosts.Where(h => scan && h.Host.Status == HostStatus.Reachable).Select(h => LeftoversAsync(context, h))).ConfigureAwait(false))
        {
            leftovers.AddRange(found);
        }

        context.Fleet = new ReachResult(hosts) { AdapterFailures = failures, Leftovers = leftovers };
        context.ReportProgress(_name, hosts.Count + " hosts and guests found"
            + (failures.Count == 0 ? string.Empty : "; " + failures.Count + " adapters did not answer"), hosts.Count, hosts.Count);
    }

    /// <summary>Lists the host's snapshots and lab clones PatchKit named for another run, and removes them when asked
    /// (never in a dry run). A host whose adapter fails to list them is logged and passed over.</summary>
    private async Task<List<Leftover>> LeftoversAsync(PatchRunContext context, ReachedHost host)
    {
        var found = new List<Leftover>();
        string id = host.Host.Id;
        var op = new HostOperation(id) { CancellationToken = context.CancellationToken };
        bool remove = _removeLeftovers && !context.IsDryRun;
        try
        {
            if (host.TryGet(out ISnapshotCapability? snapshots))
            {
                foreach (var s in await snapshots.ListSnapshotsAsync(op).ConfigureAwait(false))
                {
                    if (Leftover.IsLeftover(s.Name, Leftover.SnapshotPrefix, context.RunId))
                    {
                        found.Add(await RemovedAsync(new Leftover { HostId = id, Kind = LeftoverKind.Snapshot, Name = s.Name, Id = s.SnapshotId }, remove,
                            () => snapshots.RemoveSnapshotAsync(op, s.SnapshotId)).ConfigureAwait(false));
                    }
                }
            }

            if (host.TryGet(out ILabCloneCapability? lab))
            {
                foreach (var c in await lab.ListLabClonesAsync(op).ConfigureAwait(false))
                {
                    if (Leftover.IsLeftover(c.Name, Leftover.ClonePrefix, context.RunId))
                    {
                        found.Add(await RemovedAsync(new Leftover { HostId = id, Kind = LeftoverKind.LabClone, Name = c.Name, Id = c.CloneId }, remove,
                            () => lab.DestroyLabCloneAsync(new HostOperation(c.CloneId) { CancellationToken = context.CancellationToken })).ConfigureAwait(false));
                    }
                }
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A host that cannot list its snapshots is not a reason to stop the run.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.LeftoverScanFailed(context.Logger, id, Redactor.Redact(ex.Message));
        }

        foreach (var l in found)
        {
            Log.LeftoverFound(context.Logger, l.HostId, l.Kind == LeftoverKind.Snapshot ? "snapshot" : "lab clone", l.Name, l.Removed ? "removed" : "left in place");
        }

        return found;
    }

    private static async Task<Leftover> RemovedAsync(Leftover leftover, bool remove, Func<Task<HostStepResult>> removeAsync)
    {
        if (!remove)
        {
            return leftover;
        }

        HostStepResult r = await removeAsync().ConfigureAwait(false);
        return r.Succeeded
            ? new Leftover { HostId = leftover.HostId, Kind = leftover.Kind, Name = leftover.Name, Id = leftover.Id, Removed = true }
            : new Leftover { HostId = leftover.HostId, Kind = leftover.Kind, Name = leftover.Name, Id = leftover.Id, RemoveError = Redactor.Redact(r.Message) };
    }

    private static async Task<(FleetInventory? Inventory, string? Failure)> InventoryAsync(PatchRunContext context, IHostAdapter adapter)
    {
        try
        {
            return (await adapter.GetInventoryAsync(context.CancellationToken).ConfigureAwait(false), null);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // One adapter's failure is a status of its hosts, not the end of the run (STYLE E4).
        catch (Exception ex)
#pragma warning restore CA1031
        {
            string message = Redactor.Redact(ex.Message) + " (" + ex.GetType().Name + ")";
            Log.AdapterUnreachable(context.Logger, adapter.Name, message);
            return (null, message);
        }
    }

    private bool Included(HostRecord host)
    {
        foreach (string t in _exclude)
        {
            if (host.HasTag(t))
            {
                return false;
            }
        }

        if (_include.Length == 0)
        {
            return true;
        }

        foreach (string t in _include)
        {
            if (host.HasTag(t))
            {
                return true;
            }
        }

        return false;
    }
}
