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
            return TaskResult(info, (enter ? "Entering" : "Leaving") + " maintenance mode on " + host.Name, started);
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

    /// <summary>Moves the given powered-on guests off the host by vMotion (RelocateVM_Task) to other connected hosts of its
    /// cluster outside maintenance mode, each to the one with the most free memory. Every guest is placed before any is
    /// moved: when one has no target with room, nothing moves and the result names each such guest and why.</summary>
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

            string? refusal = !(_service?.IsVCenter ?? false) ? "vMotion needs vCenter; " + _options.Endpoint + " is a standalone host agent"
                : host.Cluster.Length == 0 ? host.Name + " is not in a cluster, so there is no host to move its guests to"
                : null;
            var targets = inv.Hosts.Where(h => h.Parent == host.Parent && h.Moref != host.Moref && h.Connected && !h.InMaintenanceMode).ToList();
            var free = targets.ToDictionary(t => t.Moref.Value, t => (t.MemoryBytes / (1024 * 1024)) - inv.Vms.Where(v => v.PoweredOn && v.Host?.Value == t.Moref.Value).Sum(v => v.MemoryMB), StringComparer.Ordinal);
            var plan = new List<(EsxVmInfo Vm, EsxHostInfo Target)>();
            var failed = new List<GuestMoveFailure>();
            foreach (var vm in toMove.OrderByDescending(v => v.MemoryMB))
            {
                if (refusal is not null)
                {
                    failed.Add(new GuestMoveFailure { GuestId = vm.Moref.Value, Reason = refusal });
                    continue;
                }

                var best = targets.Where(t => free[t.Moref.Value] >= vm.MemoryMB).OrderByDescending(t => free[t.Moref.Value]).ThenBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault();
                if (best is null)
                {
                    failed.Add(new GuestMoveFailure
                    {
                        GuestId = vm.Moref.Value,
                        Reason = targets.Count == 0
                            ? "no other host of cluster " + host.Cluster + " is connected and out of maintenance mode"
                            : "no other host of cluster " + host.Cluster + " has room for " + vm.Name + " (" + vm.MemoryMB + " MB; most free: " + targets.Max(t => free[t.Moref.Value]) + " MB)",
                    });
                    continue;
                }

                free[best.Moref.Value] -= vm.MemoryMB;
                plan.Add((vm, best));
            }

            if (failed.Count > 0)
            {
                return new EvacuationResult
                {
                    Status = HostOperationStatus.Failed,
                    FailedGuests = failed,
                    Message = "Refused to evacuate " + host.Name + ": " + string.Join("; ", failed.Select(f => f.GuestId + ": " + f.Reason).Distinct(StringComparer.Ordinal)) + ". Nothing was moved.",
                    Duration = _options.TimeProvider.GetElapsedTime(started),
                };
            }

            return await MoveAsync(operation, plan, host.Name, "evacuate", started).ConfigureAwait(false);
        }
        catch (VimFaultException ex)
        {
            return new EvacuationResult { Status = ex.IsTransient ? HostOperationStatus.Unreachable : HostOperationStatus.Failed, Message = ex.Message, Duration = _options.TimeProvider.GetElapsedTime(started) };
        }
    }

    /// <summary>Brings the given guests back to the host (RelocateVM_Task); guests already there move nothing.</summary>
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
