using PatchKit.Hosts;

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
        var hosts = new List<ReachedHost>();
        foreach (var adapter in context.Adapters)
        {
            var inventory = await adapter.GetInventoryAsync(context.CancellationToken).ConfigureAwait(false);
            int unreachable = 0;
            foreach (var host in inventory.Hosts)
            {
                if (!Included(host))
                {
                    continue;
                }

                if (host.Status == HostStatus.Unreachable)
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

        context.Fleet = new ReachResult(hosts);
        context.ReportProgress(_name, hosts.Count + " hosts and guests found", hosts.Count, hosts.Count);
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
