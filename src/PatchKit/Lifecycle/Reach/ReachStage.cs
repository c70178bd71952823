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

    public ReachStage(string name, ReachStageOptions options)
    {
        _name = name;
        _include = [.. options.IncludeTags];
        _exclude = [.. options.ExcludeTags];
        _onHostReached = options.OnHostReached;
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

        context.Fleet = new ReachResult(hosts) { AdapterFailures = failures };
        context.ReportProgress(_name, hosts.Count + " hosts and guests found"
            + (failures.Count == 0 ? string.Empty : "; " + failures.Count + " adapters did not answer"), hosts.Count, hosts.Count);
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
