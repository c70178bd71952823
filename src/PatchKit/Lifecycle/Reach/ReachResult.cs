namespace PatchKit.Lifecycle.Reach;

/// <summary>What Reach found: every host and guest, in a stable order.</summary>
public sealed class ReachResult
{
    private readonly Dictionary<string, ReachedHost> _byId;

    /// <summary>Initializes a new instance of the <see cref="ReachResult"/> class.</summary>
    /// <param name="hosts">The hosts.</param>
    /// <exception cref="ArgumentException">Two hosts have the same id.</exception>
    public ReachResult(IReadOnlyList<ReachedHost> hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        Hosts = hosts;
        _byId = new Dictionary<string, ReachedHost>(hosts.Count, StringComparer.Ordinal);
        foreach (var h in hosts)
        {
            if (!_byId.TryAdd(h.Host.Id, h))
            {
                throw new ArgumentException($"Host id '{h.Host.Id}' is reported twice (by '{_byId[h.Host.Id].Adapter.Name}' and '{h.Adapter.Name}').", nameof(hosts));
            }
        }
    }

    /// <summary>Gets the hosts.</summary>
    public IReadOnlyList<ReachedHost> Hosts { get; }

    /// <summary>Gets the adapters whose inventory failed (their hosts are missing from <see cref="Hosts"/>), with why.</summary>
    public IReadOnlyList<AdapterFailure> AdapterFailures { get; init; } = [];

    /// <summary>Gets the snapshots and lab clones PatchKit named for another run (a lost or cut journal, or a run
    /// still going), found on the reached hosts; removed ones say so.</summary>
    public IReadOnlyList<Leftover> Leftovers { get; init; } = [];

    /// <summary>Finds a host by id.</summary>
    /// <param name="hostId">The id.</param>
    /// <returns>The host, or <see langword="null"/>.</returns>
    public ReachedHost? Find(string hostId) => _byId.GetValueOrDefault(hostId);
}
