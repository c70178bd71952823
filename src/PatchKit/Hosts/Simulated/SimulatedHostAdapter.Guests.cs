using System.Diagnostics;
using System.Text;

namespace PatchKit.Hosts.Simulated;

/// <content>Live migration and guest exec.</content>
public sealed partial class SimulatedHostAdapter
{
    /// <inheritdoc/>
    public Task<EvacuationResult> EvacuateAsync(string hostId, IReadOnlyList<string> guestIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(guestIds);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Change(() =>
        {
            var host = Get(hostId);
            var moves = new List<GuestMove>();
            var duration = TimeSpan.Zero;
            Dictionary<string, int>? loads = null;
            foreach (string guestId in guestIds)
            {
                var g = Get(guestId);
                if (g.ParentId != hostId)
                {
                    continue;
                }

                if (host.Faults.MigrationHangs)
                {
                    _logger.SimulatedFaultInjected(hostId, "migration hangs");
                    return new EvacuationResult(false, moves, "live migration of " + guestId + " did not finish within " + _state.Timings.MigrationTimeout,
                        duration + _state.Timings.MigrationTimeout);
                }

                var target = PickTarget(host, loads ??= CandidateLoads(host));
                if (target is null)
                {
                    return new EvacuationResult(false, moves, "no host in cluster '" + host.Cluster + "' can take " + guestId, duration);
                }

                g.ParentId = target.Id;
                _state.Migrations++;
                moves.Add(new GuestMove(guestId, hostId, target.Id));
                duration += _state.Timings.MigratePerGuest;
            }

            return new EvacuationResult(true, moves, moves.Count + " guests migrated", duration);
        }));
    }

    /// <inheritdoc/>
    public Task<EvacuationResult> RebalanceAsync(string hostId, IReadOnlyList<string> guestIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(guestIds);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Change(() =>
        {
            var moves = new List<GuestMove>();
            var duration = TimeSpan.Zero;
            foreach (string guestId in guestIds)
            {
                var g = Get(guestId);
                if (g.ParentId == hostId || g.ParentId is null)
                {
                    continue;
                }

                moves.Add(new GuestMove(guestId, g.ParentId, hostId));
                g.ParentId = hostId;
                _state.Migrations++;
                duration += _state.Timings.MigratePerGuest;
            }

            return new EvacuationResult(true, moves, moves.Count + " guests migrated back", duration);
        }));
    }

    /// <inheritdoc/>
    public Task<GuestExecResult> ExecAsync(string hostId, string command, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(arguments);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var m = Get(hostId);
            if (m.Down)
            {
                throw new HostAdapterException(hostId, "Guest agent does not answer", null);
            }

            return Task.FromResult(command == "echo"
                ? new GuestExecResult(0, string.Join(' ', arguments) + "\n", string.Empty)
                : new GuestExecResult(127, string.Empty, command + ": command not found\n"));
        }
    }

    /// <inheritdoc/>
    public Task<byte[]?> ReadFileAsync(string hostId, string path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var m = Get(hostId);
            byte[]? content = path == "/etc/patchkit-installed"
                ? Encoding.UTF8.GetBytes(string.Join('\n', m.Installed.Select(p => p.PatchId)) + "\n")
                : null;
            return Task.FromResult(content);
        }
    }

    /// <inheritdoc/>
    public Task WriteFileAsync(string hostId, string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _ = Get(hostId);
        }

        return Task.CompletedTask;
    }

    private SimulatedMachine? PickTarget(SimulatedMachine source, Dictionary<string, int> loads)
    {
        SimulatedMachine? best = null;
        int bestLoad = int.MaxValue;
        foreach (var (id, load) in loads)
        {
            if (load < bestLoad)
            {
                best = _byId[id];
                bestLoad = load;
            }
        }

        if (best is not null)
        {
            loads[best.Id] = bestLoad + 1;
        }

        Debug.Assert(best != source, "the source is never a candidate");
        return best;
    }

    /// <summary>Guest counts of the hosts that can take guests from <paramref name="source"/>.</summary>
    private Dictionary<string, int> CandidateLoads(SimulatedMachine source)
    {
        var loads = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var m in _state.Machines)
        {
            if (m != source && m.ParentId is null && m.CloneOf is null && !m.Down && !m.InMaintenanceMode && m.Kind == source.Kind
                && m.Cluster == source.Cluster)
            {
                loads[m.Id] = 0;
            }
        }

        foreach (var g in _state.Machines)
        {
            if (g.ParentId is not null && loads.TryGetValue(g.ParentId, out int n))
            {
                loads[g.ParentId] = n + 1;
            }
        }

        return loads;
    }
}
