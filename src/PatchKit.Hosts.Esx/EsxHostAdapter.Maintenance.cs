using PatchKit.Hosts.Esx.Soap;

namespace PatchKit.Hosts.Esx;

public sealed partial class EsxHostAdapter
{
    private static ManagedObjectReference HostRef(string id) => new("HostSystem", id);

    private static ManagedObjectReference VmRef(string id) => new("VirtualMachine", id);

    /// <inheritdoc />
    public Task<HostStepResult> EnterMaintenanceModeAsync(HostOperation operation) => SetMaintenanceAsync(operation, enter: true);

    /// <inheritdoc />
    public Task<HostStepResult> ExitMaintenanceModeAsync(HostOperation operation) => SetMaintenanceAsync(operation, enter: false);

    private async Task<HostStepResult> SetMaintenanceAsync(HostOperation operation, bool enter)
    {
        ArgumentNullException.ThrowIfNull(operation);
        operation.CancellationToken.ThrowIfCancellationRequested();
        long started = _options.TimeProvider.GetTimestamp();
        try
        {
            var host = await GetHostAsync(operation.HostId, operation.CancellationToken).ConfigureAwait(false);
            if (host is null)
            {
                return HostStepResult.Fail("No host '" + operation.HostId + "' in the vSphere inventory.", TimeSpan.Zero, "ManagedObjectNotFound");
            }

            if (host.InMaintenanceMode == enter)
            {
                return HostStepResult.Ok(_options.TimeProvider.GetElapsedTime(started), host.Name + (enter ? " is already in maintenance mode." : " is not in maintenance mode."));
            }

            var info = enter
                ? await RunTaskAsync(operation, "enter-maintenance", "EnterMaintenanceMode_Task", host.Moref, w =>
                {
                    w.WriteElementString("timeout", VimXml.VimNamespace, "0");
                    Bool(w, "evacuatePoweredOffVms", false);
                }).ConfigureAwait(false)
                : await RunTaskAsync(operation, "exit-maintenance", "ExitMaintenanceMode_Task", host.Moref, w => w.WriteElementString("timeout", VimXml.VimNamespace, "0")).ConfigureAwait(false);
            var result = TaskResult(info, (enter ? "Entering" : "Leaving") + " maintenance mode on " + host.Name, started);
            if (enter && result.Succeeded && await GetClusterAsync(host.Parent, operation.CancellationToken).ConfigureAwait(false) is { DrsEvacuates: true } drs)
            {
                // DRS was left to empty the host: check that it did.
                var left = (await LoadInventoryAsync(operation.CancellationToken).ConfigureAwait(false)).Vms
                    .Where(v => v.PoweredOn && v.Host == host.Moref).Select(v => v.Name + " (" + v.Moref.Value + ")").Order(StringComparer.Ordinal).ToList();
                if (left.Count > 0)
                {
                    return HostStepResult.Fail(host.Name + " entered maintenance mode, but DRS (fully automated on cluster " + drs.Name + ") left "
                        + left.Count + " powered-on guest(s) on it: " + string.Join(", ", left) + ".", _options.TimeProvider.GetElapsedTime(started), "DrsDidNotEvacuate");
                }

                return HostStepResult.Ok(result.Duration, host.Name + " entered maintenance mode; DRS (fully automated on cluster " + drs.Name + ") moved its guests away, none is left running on it.");
            }

            return result;
        }
        catch (VimFaultException ex)
        {
            return Failure(operation.HostId, ex, started);
        }
    }

    /// <inheritdoc />
    public async Task<bool> IsInMaintenanceModeAsync(HostOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        operation.CancellationToken.ThrowIfCancellationRequested();
        try
        {
            return (await GetHostAsync(operation.HostId, operation.CancellationToken).ConfigureAwait(false))?.InMaintenanceMode
                ?? throw new HostAdapterException(operation.HostId, "No such host in the vSphere inventory", null);
        }
        catch (VimFaultException ex)
        {
            throw new HostAdapterException(operation.HostId, ex.Message, null);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListGuestsAsync(HostOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        operation.CancellationToken.ThrowIfCancellationRequested();
        try
        {
            var inv = await LoadInventoryAsync(operation.CancellationToken).ConfigureAwait(false);
            return [.. inv.Vms.Where(v => v.PoweredOn && v.Host?.Value == operation.HostId).Select(v => v.Moref.Value).Order(StringComparer.Ordinal)];
        }
        catch (VimFaultException ex)
        {
            throw new HostAdapterException(operation.HostId, ex.Message, null);
        }
    }

    /// <summary>Empties the host of the given powered-on guests. Every guest is placed first on another connected host of
    /// its cluster outside maintenance mode (not a dedicated HA failover host) with room for it: memory (configured or
    /// reserved, whichever is larger, plus overhead), CPU reservation and vCPU count; then the cluster as a whole is
    /// checked against HA admission control (host failures tolerated, or the percentages kept in reserve). When a guest
    /// has no target or HA's reserve would be broken, nothing moves and the result names the host and what is short.
    /// When the cluster's DRS is fully automated, DRS moves the guests itself as the host enters maintenance mode (which
    /// then checks they left); otherwise PatchKit moves them by vMotion (RelocateVM_Task), each to the target with the
    /// most free memory.</summary>
    /// <inheritdoc />
    public async Task<EvacuationResult> EvacuateAsync(HostOperation operation, IReadOnlyList<string> guestIds)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(guestIds);
        operation.CancellationToken.ThrowIfCancellationRequested();
        long started = _options.TimeProvider.GetTimestamp();
        try
        {
            var inv = await LoadInventoryAsync(operation.CancellationToken).ConfigureAwait(false);
            var host = inv.Hosts.FirstOrDefault(h => h.Moref.Value == operation.HostId);
            if (host is null)
            {
                return new EvacuationResult { Status = HostOperationStatus.Failed, Message = "No host '" + operation.HostId + "' in the vSphere inventory." };
            }

            var toMove = inv.Vms.Where(v => v.PoweredOn && v.Host?.Value == host.Moref.Value && guestIds.Contains(v.Moref.Value, StringComparer.Ordinal)).ToList();
            if (toMove.Count == 0)
            {
                return new EvacuationResult { Status = HostOperationStatus.Succeeded, Message = "No listed guest is running on " + host.Name + ".", Duration = _options.TimeProvider.GetElapsedTime(started) };
            }

            if (host.Cluster.Length > 0)
            {
                await LoadPlacementAsync(inv, [.. inv.Hosts.Where(h => h.Parent == host.Parent)], toMove, operation.CancellationToken).ConfigureAwait(false);
            }

            var room = EvacuationPlanner.Plan(inv, host, toMove, _service?.IsVCenter ?? false, _options.Endpoint.ToString());
            if (room.Failed.Count > 0)
            {
                return new EvacuationResult
                {
                    Status = HostOperationStatus.Failed,
                    FailedGuests = room.Failed,
                    Message = "Refused to evacuate " + host.Name + ": " + string.Join("; ", room.Failed.Select(f => f.GuestId + ": " + f.Reason).Distinct(StringComparer.Ordinal)) + ". Nothing was moved.",
                    Duration = _options.TimeProvider.GetElapsedTime(started),
                };
            }

            if (room.Cluster is { DrsEvacuates: true } drs)
            {
                Log.DrsEvacuates(_logger, host.Name, drs.Name, toMove.Count);
                return new EvacuationResult
                {
                    Status = HostOperationStatus.Succeeded,
                    Message = "Cluster " + drs.Name + " has DRS fully automated: DRS moves the " + toMove.Count + " guest(s) of " + host.Name
                        + " as it enters maintenance mode (room checked" + room.HaNote + "); PatchKit checks that they left.",
                    Duration = _options.TimeProvider.GetElapsedTime(started),
                };
            }

            var result = await MoveAsync(operation, room.Moves, host.Name, "evacuate", started).ConfigureAwait(false);
            return room.Cluster is { } c && result.Status == HostOperationStatus.Succeeded
                ? new EvacuationResult
                {
                    Status = result.Status,
                    Moves = result.Moves,
                    FailedGuests = result.FailedGuests,
                    Duration = result.Duration,
                    Message = result.Message.TrimEnd('.') + " by vMotion (cluster " + c.Name + ": " + c.DrsText + ", so PatchKit moves them" + room.HaNote + ").",
                }
                : result;
        }
        catch (VimFaultException ex)
        {
            return new EvacuationResult { Status = ex.IsTransient ? HostOperationStatus.Unreachable : HostOperationStatus.Failed, Message = ex.Message, Duration = _options.TimeProvider.GetElapsedTime(started) };
        }
    }

    /// <summary>Brings the given guests back to the host (RelocateVM_Task); guests already there move nothing. When the
    /// host's cluster has DRS fully automated, nothing is moved: DRS rebalances the cluster, and the result says so.</summary>
    /// <inheritdoc />
    public async Task<EvacuationResult> RebalanceAsync(HostOperation operation, IReadOnlyList<string> guestIds)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(guestIds);
        operation.CancellationToken.ThrowIfCancellationRequested();
        long started = _options.TimeProvider.GetTimestamp();
        try
        {
            var inv = await LoadInventoryAsync(operation.CancellationToken).ConfigureAwait(false);
            var host = inv.Hosts.FirstOrDefault(h => h.Moref.Value == operation.HostId);
            if (host is null)
            {
                return new EvacuationResult { Status = HostOperationStatus.Failed, Message = "No host '" + operation.HostId + "' in the vSphere inventory." };
            }

            if (!host.Connected || host.InMaintenanceMode)
            {
                return new EvacuationResult { Status = HostOperationStatus.Failed, Message = host.Name + " is " + (host.InMaintenanceMode ? "in maintenance mode" : host.ConnectionState) + "; guests are not moved back to it." };
            }

            var plan = inv.Vms.Where(v => guestIds.Contains(v.Moref.Value, StringComparer.Ordinal) && v.Host is { } h && h != host.Moref).Select(v => (v, host)).ToList();
            if (plan.Count > 0 && host.Parent is { Type: "ClusterComputeResource" } p && inv.ClusterConfigs.TryGetValue(p.Value, out var drs) && drs.DrsEvacuates)
            {
                // DRS balances a fully automated cluster itself: moving the guests back would only fight it.
                Log.DrsRebalances(_logger, host.Name, drs.Name, plan.Count);
                return new EvacuationResult
                {
                    Status = HostOperationStatus.Succeeded,
                    Message = "Cluster " + drs.Name + " has DRS fully automated: PatchKit moves none of the " + plan.Count + " guest(s) back to " + host.Name
                        + "; DRS rebalances the cluster itself (guests now elsewhere: " + string.Join(", ", plan.Select(m => m.v.Name).Order(StringComparer.Ordinal)) + ").",
                    Duration = _options.TimeProvider.GetElapsedTime(started),
                };
            }

            return await MoveAsync(operation, plan, host.Name, "rebalance", started).ConfigureAwait(false);
        }
        catch (VimFaultException ex)
        {
            return new EvacuationResult { Status = ex.IsTransient ? HostOperationStatus.Unreachable : HostOperationStatus.Failed, Message = ex.Message, Duration = _options.TimeProvider.GetElapsedTime(started) };
        }
    }

    private async Task<EvacuationResult> MoveAsync(HostOperation operation, List<(EsxVmInfo Vm, EsxHostInfo Target)> plan, string hostName, string kind, long started)
    {
        var moves = new List<GuestMove>();
        var failed = new List<GuestMoveFailure>();
        foreach (var (vm, target) in plan)
        {
            operation.CancellationToken.ThrowIfCancellationRequested();
            try
            {
                var info = await RunTaskAsync(operation, kind + "-" + vm.Moref.Value, "RelocateVM_Task", vm.Moref, w =>
                {
                    w.WriteStartElement("spec", VimXml.VimNamespace);
                    VimClient.WriteMoref(w, "host", target.Moref);
                    w.WriteEndElement();
                    w.WriteElementString("priority", VimXml.VimNamespace, "defaultPriority");
                }).ConfigureAwait(false);
                if (info.State == "success")
                {
                    moves.Add(new GuestMove { GuestId = vm.Moref.Value, FromHostId = vm.Host?.Value ?? string.Empty, ToHostId = target.Moref.Value });
                    Log.GuestMoved(_logger, vm.Moref.Value, vm.Host?.Value ?? string.Empty, target.Moref.Value);
                }
                else
                {
                    failed.Add(new GuestMoveFailure { GuestId = vm.Moref.Value, Reason = "vMotion to " + target.Name + " " + (info.State == "error" ? "failed: " + info.ErrorType + " " + info.ErrorMessage : "did not finish in time") });
                }
            }
            catch (VimFaultException ex)
            {
                failed.Add(new GuestMoveFailure { GuestId = vm.Moref.Value, Reason = ex.Message });
            }
        }

        return new EvacuationResult
        {
            Status = failed.Count == 0 ? HostOperationStatus.Succeeded : moves.Count > 0 ? HostOperationStatus.Partial : HostOperationStatus.Failed,
            Moves = moves,
            FailedGuests = failed,
            Message = (kind == "evacuate" ? "Moved " + moves.Count + " guest(s) off " : "Moved " + moves.Count + " guest(s) back to ") + hostName
                + (failed.Count > 0 ? "; " + failed.Count + " did not move: " + string.Join("; ", failed.Select(f => f.GuestId + ": " + f.Reason)) : string.Empty) + ".",
            Duration = _options.TimeProvider.GetElapsedTime(started),
        };
    }

    /// <summary>RebootHost_Task (not forced: the host must be in maintenance mode), then waits until the host has gone
    /// away and is connected again with a later boot time. A host that does not come back within the operation's
    /// timeout is <see cref="HostOperationStatus.TimedOut"/>.</summary>
    /// <inheritdoc />
    public async Task<HostStepResult> RebootAndWaitAsync(HostOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var ct = operation.CancellationToken;
        ct.ThrowIfCancellationRequested();
        var time = _options.TimeProvider;
        long started = time.GetTimestamp();
        TimeSpan timeout = operation.Timeout == Timeout.InfiniteTimeSpan ? _options.RebootTimeout : operation.Timeout;
        try
        {
            var host = await GetHostAsync(operation.HostId, ct).ConfigureAwait(false);
            if (host is null)
            {
                return HostStepResult.Fail("No host '" + operation.HostId + "' in the vSphere inventory.", TimeSpan.Zero, "ManagedObjectNotFound");
            }

            DateTimeOffset bootBefore = host.BootTime ?? default;
            var info = await RunTaskAsync(operation, "reboot", "RebootHost_Task", host.Moref, w => Bool(w, "force", false)).ConfigureAwait(false);
            if (info.State != "success")
            {
                return TaskResult(info, "Rebooting " + host.Name, started);
            }

            while (true)
            {
                var now = await GetHostAsync(operation.HostId, ct).ConfigureAwait(false);
                if (now is { Connected: true } && now.BootTime > bootBefore)
                {
                    return HostStepResult.Ok(time.GetElapsedTime(started), host.Name + " rebooted and reconnected (booted " + now.BootTime.Value.ToString("u", System.Globalization.CultureInfo.InvariantCulture) + ").");
                }

                if (time.GetElapsedTime(started) >= timeout)
                {
                    return new HostStepResult
                    {
                        Status = HostOperationStatus.TimedOut,
                        Message = host.Name + " did not reconnect within " + timeout.TotalSeconds + " s after the reboot (connection state " + (now?.ConnectionState ?? "unknown") + ").",
                        Duration = time.GetElapsedTime(started),
                    };
                }

                TimeSpan left = timeout - time.GetElapsedTime(started);
                await Task.Delay(left < _options.RebootPollInterval ? left : _options.RebootPollInterval, time, ct).ConfigureAwait(false);
            }
        }
        catch (VimFaultException ex)
        {
            return Failure(operation.HostId, ex, started);
        }
    }

    /// <inheritdoc />
    public async Task<HostStepResult> CheckHealthAsync(HostOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        operation.CancellationToken.ThrowIfCancellationRequested();
        long started = _options.TimeProvider.GetTimestamp();
        try
        {
            var host = await GetHostAsync(operation.HostId, operation.CancellationToken).ConfigureAwait(false);
            if (host is not null)
            {
                return host.Connected
                    ? HostStepResult.Ok(_options.TimeProvider.GetElapsedTime(started), host.Name + " is connected.")
                    : new HostStepResult { Status = HostOperationStatus.Unreachable, Message = host.Name + " is " + host.ConnectionState + ".", Duration = _options.TimeProvider.GetElapsedTime(started) };
            }

            var vm = await GetVmAsync(operation.HostId, operation.CancellationToken).ConfigureAwait(false);
            return vm is null
                ? HostStepResult.Fail("No host or VM '" + operation.HostId + "' in the vSphere inventory.", TimeSpan.Zero, "ManagedObjectNotFound")
                : vm.PoweredOn
                    ? HostStepResult.Ok(_options.TimeProvider.GetElapsedTime(started), vm.Name + " is powered on.")
                    : new HostStepResult { Status = HostOperationStatus.Unreachable, Message = vm.Name + " is " + vm.PowerState + ".", Duration = _options.TimeProvider.GetElapsedTime(started) };
        }
        catch (VimFaultException ex)
        {
            return Failure(operation.HostId, ex, started);
        }
    }
}
