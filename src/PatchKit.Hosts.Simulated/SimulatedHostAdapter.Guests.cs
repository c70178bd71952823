using System.Diagnostics;
using System.Text;

namespace PatchKit.Hosts.Simulated;

/// <content>Live migration and guest exec.</content>
public sealed partial class SimulatedHostAdapter
{
    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> ListGuestsAsync(HostOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        using var scope = Enter(operation);
        operation.CancellationToken.ThrowIfCancellationRequested();
        string hostId = operation.HostId;
        lock (_gate)
        {
            _ = Get(hostId);
            IReadOnlyList<string> list = [.. GuestsOf(hostId).Select(m => m.Id)];
            return Task.FromResult(list);
        }
    }

    /// <inheritdoc/>
    public Task<EvacuationResult> EvacuateAsync(HostOperation operation, IReadOnlyList<string> guestIds)
    {
        ArgumentNullException.ThrowIfNull(operation);
        using var scope = Enter(operation);
        ArgumentNullException.ThrowIfNull(guestIds);
        operation.CancellationToken.ThrowIfCancellationRequested();
        string hostId = operation.HostId;
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
                    string why = "live migration did not finish within " + _state.Timings.MigrationTimeout;
                    return new EvacuationResult
                    {
                        Status = moves.Count > 0 ? HostOperationStatus.Partial : HostOperationStatus.Failed, Moves = moves,
                        FailedGuests = [new GuestMoveFailure { GuestId = guestId, Reason = why }],
                        Message = "live migration of " + guestId + " did not finish within " + _state.Timings.MigrationTimeout,
                        Duration = duration + _state.Timings.MigrationTimeout,
                    };
                }

                var target = PickTarget(host, loads ??= CandidateLoads(host));
                if (target is null)
                {
                    return new EvacuationResult
                    {
                        Status = moves.Count > 0 ? HostOperationStatus.Partial : HostOperationStatus.Failed, Moves = moves,
                        FailedGuests = [new GuestMoveFailure { GuestId = guestId, Reason = "no host in cluster '" + host.Cluster + "' has room" }],
                        Message = "no host in cluster '" + host.Cluster + "' can take " + guestId, Duration = duration,
                    };
                }

                MoveGuest(g, target.Id);
                _state.Migrations++;
                moves.Add(new GuestMove { GuestId = guestId, FromHostId = hostId, ToHostId = target.Id });
                duration += _state.Timings.MigratePerGuest;
            }

            return new EvacuationResult { Status = HostOperationStatus.Succeeded, Moves = moves, Message = moves.Count + " guests migrated", Duration = duration };
        }));
    }

    /// <inheritdoc/>
    public Task<EvacuationResult> RebalanceAsync(HostOperation operation, IReadOnlyList<string> guestIds)
    {
        ArgumentNullException.ThrowIfNull(operation);
        using var scope = Enter(operation);
        ArgumentNullException.ThrowIfNull(guestIds);
        operation.CancellationToken.ThrowIfCancellationRequested();
        string hostId = operation.HostId;
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

                moves.Add(new GuestMove { GuestId = guestId, FromHostId = g.ParentId, ToHostId = hostId });
                MoveGuest(g, hostId);
                _state.Migrations++;
                duration += _state.Timings.MigratePerGuest;
            }

            return new EvacuationResult { Status = HostOperationStatus.Succeeded, Moves = moves, Message = moves.Count + " guests migrated back", Duration = duration };
        }));
    }

    /// <inheritdoc/>
    public Task<GuestExecResult> ExecAsync(HostOperation operation, GuestCommand command)
    {
        ArgumentNullException.ThrowIfNull(operation);
        using var scope = EnterHost(operation);
        ArgumentNullException.ThrowIfNull(command);
        operation.CancellationToken.ThrowIfCancellationRequested();
        string hostId = operation.HostId;
        lock (_gate)
        {
            var m = Get(hostId);
            if (m.Down)
            {
                throw new HostAdapterException(hostId, "Guest agent does not answer", null);
            }

            return Task.FromResult(command.Program switch
            {
                "echo" => new GuestExecResult { ExitCode = 0, StandardOutput = Encoding.UTF8.GetBytes(string.Join(' ', command.Arguments) + "\n") },
                "cat" => new GuestExecResult { ExitCode = 0, StandardOutput = command.StandardInput.ToArray() },
                _ => new GuestExecResult { ExitCode = 127, StandardError = Encoding.UTF8.GetBytes(command.Program + ": command not found\n") },
            });
        }
    }

    /// <inheritdoc/>
    public Task<byte[]?> ReadFileAsync(HostOperation operation, string path)
    {
        ArgumentNullException.ThrowIfNull(operation);
        using var scope = EnterHost(operation);
        operation.CancellationToken.ThrowIfCancellationRequested();
        string hostId = operation.HostId;
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
    public Task WriteFileAsync(HostOperation operation, string path, ReadOnlyMemory<byte> content)
    {
        ArgumentNullException.ThrowIfNull(operation);
        using var scope = EnterHost(operation);
        operation.CancellationToken.ThrowIfCancellationRequested();
        string hostId = operation.HostId;
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
        // The hypervisors of the source's cluster only (a cluster is small), each with its number of guests.
        var loads = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var m in HypervisorsOf(source.Kind, source.Cluster))
        {
            if (m != source && !m.Down && !m.InMaintenanceMode)
            {
                loads[m.Id] = GuestsOf(m.Id).Count;
            }
        }

        return loads;
    }
}
