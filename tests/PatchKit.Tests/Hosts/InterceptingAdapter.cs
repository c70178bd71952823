using PatchKit.Hosts;
using PatchKit.Hosts.Simulated;

namespace PatchKit.Tests.Hosts;

/// <summary>A decorator over the simulated adapter for lifecycle tests: records every call and lets a test run code
/// before a call (throw, hang, checkpoint, advance a clock) or replace its result. Everything else is the real
/// simulated fleet, so the fleet's state shows what the lifecycle really did.</summary>
internal sealed class InterceptingAdapter(SimulatedHostAdapter inner, string name = "intercepted") : IHostAdapter, ISnapshotCapability, ILabCloneCapability,
    IMaintenanceModeCapability, IEvacuationCapability, ILiveUpdateCapability, IInstallCapability, IRebootCapability, IGuestExecCapability, IHealthCheckCapability
{
    private readonly object _gate = new();
    private readonly List<(string Method, string HostId, string? Checkpoint)> _calls = [];

    public SimulatedHostAdapter Inner => inner;

    public string Name => name;

    /// <summary>Runs before each call with the method name (without Async) and the operation.</summary>
    public Func<string, HostOperation, Task>? Before { get; set; }

    /// <summary>Replaces a call's result: gets the method name, the operation and the real result.</summary>
    public Func<string, HostOperation, object, object>? After { get; set; }

    /// <summary>Replaces the inventory call.</summary>
    public Func<CancellationToken, Task<FleetInventory>>? Inventory { get; set; }

    public int Disposed { get; private set; }

    public IReadOnlyList<(string Method, string HostId, string? Checkpoint)> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Disposed++;
        return inner.DisposeAsync();
    }

    public Task<FleetInventory> GetInventoryAsync(CancellationToken cancellationToken) =>
        Inventory is { } f ? f(cancellationToken) : inner.GetInventoryAsync(cancellationToken);

    public Task<HostIdentity?> IdentifyAsync(HostOperation operation) => Call("Identify", operation, () => inner.IdentifyAsync(operation));

    public Task<HostStepResult> RunStepAsync(HostOperation operation, HostStep step) => Call("RunStep", operation, () => inner.RunStepAsync(operation, step));

    public Task<HostStepResult> CheckHealthAsync(HostOperation operation) => Call("CheckHealth", operation, () => inner.CheckHealthAsync(operation));

    public Task<SnapshotInfo> CreateSnapshotAsync(HostOperation operation, string name) => Call("CreateSnapshot", operation, () => inner.CreateSnapshotAsync(operation, name));

    public Task<IReadOnlyList<SnapshotInfo>> ListSnapshotsAsync(HostOperation operation) => Call("ListSnapshots", operation, () => inner.ListSnapshotsAsync(operation));

    public Task<HostStepResult> RevertSnapshotAsync(HostOperation operation, string snapshotId) =>
        Call("RevertSnapshot", operation, () => inner.RevertSnapshotAsync(operation, snapshotId));

    public Task<HostStepResult> RemoveSnapshotAsync(HostOperation operation, string snapshotId) =>
        Call("RemoveSnapshot", operation, () => inner.RemoveSnapshotAsync(operation, snapshotId));

    public Task<LabClone> CreateLabCloneAsync(HostOperation operation, string snapshotId, string name) =>
        Call("CreateLabClone", operation, () => inner.CreateLabCloneAsync(operation, snapshotId, name));

    public Task<IReadOnlyList<LabClone>> ListLabClonesAsync(HostOperation operation) => Call("ListLabClones", operation, () => inner.ListLabClonesAsync(operation));

    public Task<HostStepResult> DestroyLabCloneAsync(HostOperation operation) => Call("DestroyLabClone", operation, () => inner.DestroyLabCloneAsync(operation));

    public Task<HostStepResult> EnterMaintenanceModeAsync(HostOperation operation) => Call("EnterMaintenanceMode", operation, () => inner.EnterMaintenanceModeAsync(operation));

    public Task<HostStepResult> ExitMaintenanceModeAsync(HostOperation operation) => Call("ExitMaintenanceMode", operation, () => inner.ExitMaintenanceModeAsync(operation));

    public Task<bool> IsInMaintenanceModeAsync(HostOperation operation) => Call("IsInMaintenanceMode", operation, () => inner.IsInMaintenanceModeAsync(operation));

    public Task<IReadOnlyList<string>> ListGuestsAsync(HostOperation operation) => Call("ListGuests", operation, () => inner.ListGuestsAsync(operation));

    public Task<EvacuationResult> EvacuateAsync(HostOperation operation, IReadOnlyList<string> guestIds) =>
        Call("Evacuate", operation, () => inner.EvacuateAsync(operation, guestIds));

    public Task<EvacuationResult> RebalanceAsync(HostOperation operation, IReadOnlyList<string> guestIds) =>
        Call("Rebalance", operation, () => inner.RebalanceAsync(operation, guestIds));

    public bool CanLiveUpdate(HostRecord host, InstallRequest request, bool livePatchable) => inner.CanLiveUpdate(host, request, livePatchable);

    public Task<HostStepResult> LiveUpdateAsync(HostOperation operation, InstallRequest request) => Call("LiveUpdate", operation, () => inner.LiveUpdateAsync(operation, request));

    public Task<HostStepResult> InstallAsync(HostOperation operation, InstallRequest request) => Call("Install", operation, () => inner.InstallAsync(operation, request));

    public Task<HostStepResult> RebootAndWaitAsync(HostOperation operation) => Call("RebootAndWait", operation, () => inner.RebootAndWaitAsync(operation));

    public Task<GuestExecResult> ExecAsync(HostOperation operation, GuestCommand command) => Call("Exec", operation, () => inner.ExecAsync(operation, command));

    public Task<byte[]?> ReadFileAsync(HostOperation operation, string path) => Call("ReadFile", operation, () => inner.ReadFileAsync(operation, path));

    public Task WriteFileAsync(HostOperation operation, string path, ReadOnlyMemory<byte> content) =>
        Call<object?>("WriteFile", operation, async () => { await inner.WriteFileAsync(operation, path, content); return null; });

    private async Task<T> Call<T>(string method, HostOperation operation, Func<Task<T>> call)
    {
        lock (_gate)
        {
            _calls.Add((method, operation.HostId, operation.Checkpoint));
        }

        if (Before is { } before)
        {
            await before(method, operation);
        }

        T result = await call();
        return After is { } after && result is not null ? (T)after(method, operation, result) : result;
    }
}
