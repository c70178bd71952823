namespace PatchKit.Hosts.Simulated;

/// <content>Indexes of the fleet, so a call about one machine never walks the whole fleet: guests by parent, lab
/// clones by source, hypervisors by kind and cluster. Kept up to date under the adapter's lock by every change that
/// moves a guest or adds or removes a machine; rebuilt whenever the whole state is read again.</content>
public sealed partial class SimulatedHostAdapter
{
    private readonly Dictionary<string, List<SimulatedMachine>> _guestsOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<SimulatedMachine>> _clonesOf = new(StringComparer.Ordinal);
    private readonly Dictionary<(HostKind Kind, string Cluster), List<SimulatedMachine>> _hypervisorsOf = [];
    private long _nextOrder;
    private long _fleetPasses;

    /// <summary>Gets how many times a call walked every machine of the fleet (taking the inventory, reading or writing
    /// the whole state, rebuilding the indexes). A call about one machine must not add to it: the count stays the
    /// same for a fleet ten times larger (the regression test of the run's linear cost).</summary>
    internal long FleetPasses => Interlocked.Read(ref _fleetPasses);

    /// <summary>Every machine, in fleet order; each use is one pass over the fleet and is counted.</summary>
    private List<SimulatedMachine> AllMachines()
    {
        Interlocked.Increment(ref _fleetPasses);
        return _state.Machines;
    }

    private void Index()
    {
        _byId.Clear();
        _guestsOf.Clear();
        _clonesOf.Clear();
        _hypervisorsOf.Clear();
        _nextOrder = 0;
        foreach (var m in AllMachines())
        {
            _byId.Add(m.Id, m);
            m.Order = _nextOrder++;
            AddToIndexes(m);
        }
    }

    /// <summary>The guests of a machine (not lab clones), in fleet order.</summary>
    private List<SimulatedMachine> GuestsOf(string hostId) => _guestsOf.TryGetValue(hostId, out var list) ? list : [];

    /// <summary>The hypervisors of one kind in one cluster (not lab clones), in fleet order.</summary>
    private List<SimulatedMachine> HypervisorsOf(HostKind kind, string cluster) =>
        _hypervisorsOf.TryGetValue((kind, cluster), out var list) ? list : [];

    /// <summary>The lab clones made from a machine, in the order they were made.</summary>
    private List<SimulatedMachine> ClonesOf(string sourceId) => _clonesOf.TryGetValue(sourceId, out var list) ? list : [];

    /// <summary>Adds a machine that is new to the state (a lab clone, or one another process made) to the indexes.</summary>
    private void AddMachine(SimulatedMachine m)
    {
        _state.Machines.Add(m);
        _byId.Add(m.Id, m);
        m.Order = _nextOrder++;
        AddToIndexes(m);
    }

    /// <summary>Removes a lab clone from the state and the indexes; the clone was added last or nearly so, so the
    /// search from the end is short.</summary>
    private bool RemoveClone(string cloneId)
    {
        if (!_byId.TryGetValue(cloneId, out var m) || m.CloneOf is null)
        {
            return false;
        }

        int i = _state.Machines.FindLastIndex(x => ReferenceEquals(x, m));
        if (i >= 0)
        {
            _state.Machines.RemoveAt(i);
        }

        _byId.Remove(cloneId);
        RemoveFromIndexes(m);
        return true;
    }

    /// <summary>Puts a machine read again from its file in place of the one the indexes hold.</summary>
    private void Replace(SimulatedMachine old, SimulatedMachine fresh)
    {
        RemoveFromIndexes(old);
        fresh.Order = old.Order;
        AddToIndexes(fresh);
    }

    /// <summary>Moves a guest to another parent.</summary>
    private void MoveGuest(SimulatedMachine guest, string newParentId)
    {
        RemoveFromIndexes(guest);
        guest.ParentId = newParentId;
        AddToIndexes(guest);
    }

    /// <summary>The list of the index a machine belongs in (a lab clone under its source, a guest under its parent, a
    /// hypervisor under its kind and cluster): one place decides, for adding and removing alike.</summary>
    private List<SimulatedMachine>? IndexListOf(SimulatedMachine m, bool create) => m.CloneOf is { } source
        ? ListIn(_clonesOf, source, create)
        : m.ParentId is { } parent
            ? ListIn(_guestsOf, parent, create)
            : ListIn(_hypervisorsOf, (m.Kind, m.Cluster), create);

    private static List<SimulatedMachine>? ListIn<TKey>(Dictionary<TKey, List<SimulatedMachine>> index, TKey key, bool create)
        where TKey : notnull
    {
        if (!index.TryGetValue(key, out var list) && create)
        {
            index[key] = list = [];
        }

        return list;
    }

    private void AddToIndexes(SimulatedMachine m)
    {
        var list = IndexListOf(m, create: true)!;

        // Fleet order: most machines are indexed in order, so this is an append.
        int at = list.Count;
        while (at > 0 && list[at - 1].Order > m.Order)
        {
            at--;
        }

        list.Insert(at, m);
    }

    /// <summary>Removes a machine from its index list; an emptied list stays (an empty list lists nothing, and a
    /// cluster's or host's list is filled again soon).</summary>
    private void RemoveFromIndexes(SimulatedMachine m) => IndexListOf(m, create: false)?.Remove(m);
}
