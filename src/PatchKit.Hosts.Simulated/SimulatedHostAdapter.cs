using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace PatchKit.Hosts.Simulated;

/// <summary>An in-process fleet (ESX-like hosts with VMs, KVM hosts with QEMU guests, Windows and Linux guests) that
/// implements <see cref="IHostAdapter"/> and every capability, with simulated timings and injected faults. With
/// <see cref="SimulatedHostAdapterOptions.StatePath"/> its state survives the process, so a crash test can kill the
/// orchestrator and resume against the fleet's real state.</summary>
/// <remarks>Operations do not wait: each reports its simulated duration in <see cref="HostStepResult.Duration"/>, and
/// the lifecycle advances its timeline by it. All members are thread-safe.</remarks>
public sealed partial class SimulatedHostAdapter : IHostAdapter, ISnapshotCapability, ILabCloneCapability, IMaintenanceModeCapability,
    IEvacuationCapability, ILiveUpdateCapability, IInstallCapability, IRebootCapability, IGuestExecCapability, IHealthCheckCapability
{
    private readonly object _gate = new();
    private readonly Dictionary<string, SimulatedMachine> _byId = new(StringComparer.Ordinal);
    private readonly string? _statePath;
    private readonly bool _shared;
    private readonly TimeSpan _callDelay;
    private SimulatedFleetState _state;
    private FileStream? _fileLock;
    private int _depth;
    private bool _dirty;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int? _crashAt;
    private readonly Action _crash;
    private int _crashPoints;

    /// <summary>Initializes a new instance of the <see cref="SimulatedHostAdapter"/> class. When the state file exists
    /// it wins over the description (a resumed run sees the fleet as the crashed run left it).</summary>
    /// <param name="description">The fleet.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    public SimulatedHostAdapter(SimulatedFleetDescription description, SimulatedHostAdapterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(description);
        options ??= new SimulatedHostAdapterOptions();
        _statePath = options.StatePath;
        _time = options.TimeProvider;
        _logger = options.LoggerFactory.CreateLogger("PatchKit.Hosts.Simulated");
        _crashAt = options.Faults.CrashAtPoint;
        _crash = options.Faults.Crash;
        _shared = options.SharedState && _statePath is not null;
        _callDelay = options.CallDelay;
        bool resumed;
        if (_shared)
        {
            // Several processes share the fleet: the first one to take the lock writes the state file.
            _state = new SimulatedFleetState();
            lock (_gate)
            {
                _fileLock = AcquireFileLock(_statePath!);
                try
                {
                    resumed = File.Exists(_statePath);
                    _state = resumed ? ReadState(_statePath!) : FromDescription(description, _time.GetUtcNow());
                    if (!resumed)
                    {
                        Save();
                    }
                }
                finally
                {
                    _fileLock.Dispose();
                    _fileLock = null;
                }
            }
        }
        else
        {
            resumed = _statePath is not null && File.Exists(_statePath);
            _state = resumed ? ReadState(_statePath!) : FromDescription(description, _time.GetUtcNow());
        }

        if (resumed && _time is SimulatedTimeProvider clock)
        {
            clock.AdvanceTo(_state.Now);
        }

        Index();

        _logger.SimulatedFleetLoaded(_state.Machines.Count, _statePath ?? "(memory)");
    }

    /// <inheritdoc/>
    public string Name => "simulated";

    /// <summary>Does nothing: the simulated fleet holds no connection (its state file is written on every change).</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Gets how many crash points have been passed in this process.</summary>
    public int CrashPointsPassed => Volatile.Read(ref _crashPoints);

    /// <summary>Returns the default capabilities of a kind of machine.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The capabilities.</returns>
    public static HostCapabilities DefaultCapabilities(HostKind kind) => kind switch
    {
        HostKind.Esx => HostCapabilities.Snapshot | HostCapabilities.LabClone | HostCapabilities.MaintenanceMode | HostCapabilities.Evacuation
            | HostCapabilities.Install | HostCapabilities.Reboot,
        HostKind.Kvm => HostCapabilities.Snapshot | HostCapabilities.LabClone | HostCapabilities.MaintenanceMode | HostCapabilities.Evacuation
            | HostCapabilities.LiveUpdate | HostCapabilities.Install | HostCapabilities.Reboot | HostCapabilities.GuestExec,
        HostKind.Windows => HostCapabilities.Snapshot | HostCapabilities.LabClone | HostCapabilities.Install | HostCapabilities.Reboot
            | HostCapabilities.GuestExec,
        _ => HostCapabilities.Snapshot | HostCapabilities.LabClone | HostCapabilities.LiveUpdate | HostCapabilities.Install
            | HostCapabilities.Reboot | HostCapabilities.GuestExec,
    };

    /// <inheritdoc/>
    public Task<FleetInventory> GetInventoryAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var scope = Enter(null);
        lock (_gate)
        {
            var guests = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var m in _state.Machines)
            {
                if (m.ParentId is not null && m.CloneOf is null)
                {
                    if (!guests.TryGetValue(m.ParentId, out var list))
                    {
                        guests[m.ParentId] = list = [];
                    }

                    list.Add(m.Id);
                }
            }

            var hosts = new List<HostRecord>(_state.Machines.Count);
            foreach (var m in _state.Machines)
            {
                if (m.CloneOf is null)
                {
                    hosts.Add(ToRecord(m, guests.TryGetValue(m.Id, out var g) ? g : []));
                }
            }

            return Task.FromResult(new FleetInventory { Hosts = hosts, TakenAt = _time.GetUtcNow() });
        }
    }

    /// <inheritdoc/>
    public Task<HostIdentity?> IdentifyAsync(HostOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        using var scope = Enter(operation);
        operation.CancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var m = Get(operation.HostId);
            return Task.FromResult(m.Down ? null : new HostIdentity { HostId = m.Id, Kind = m.Kind, Version = m.Version, Build = m.Build, BootedAt = m.BootedAt });
        }
    }

    /// <inheritdoc/>
    public Task<HostStepResult> RunStepAsync(HostOperation operation, HostStep step)
    {
        ArgumentNullException.ThrowIfNull(operation);
        using var scope = Enter(operation);
        ArgumentNullException.ThrowIfNull(step);
        operation.CancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var m = Get(operation.HostId);
            return Task.FromResult(m.Down
                ? new HostStepResult { Status = HostOperationStatus.Unreachable, Message = "host does not answer" }
                : new HostStepResult { Status = HostOperationStatus.NotApplicable, Message = "the simulated fleet has no vendor step '" + step.Name + "'" });
        }
    }

    /// <inheritdoc/>
    public Task<HostStepResult> CheckHealthAsync(HostOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        using var scope = Enter(operation);
        operation.CancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var m = Get(operation.HostId);
            var t = _state.Timings.HealthCheck;
            if (m.Down)
            {
                return Task.FromResult(new HostStepResult { Status = HostOperationStatus.Unreachable, Message = "host does not answer", Duration = t });
            }

            if (m.Faults.HealthFailsAfterPatch && m.PatchedThisRun)
            {
                _logger.SimulatedFaultInjected(m.Id, "health check fails after patch");
                return Task.FromResult(HostStepResult.Fail("health check failed: service did not start after patching", t));
            }

            foreach (var p in m.Installed)
            {
                if (_state.BrokenPatches.Contains(p.PatchId))
                {
                    return Task.FromResult(HostStepResult.Fail("health check failed after " + p.PatchId, t));
                }
            }

            return Task.FromResult(HostStepResult.Ok(t, "healthy"));
        }
    }

    internal static SimulatedFleetState ReadState(string path) =>
        JsonSerializer.Deserialize(File.ReadAllBytes(path), SimulatedJsonContext.Default.SimulatedFleetState)
            ?? throw new JsonException("empty simulated state file");

    /// <summary>A copy of the state for tests and reports.</summary>
    internal SimulatedFleetState SnapshotState()
    {
        lock (_gate)
        {
            return JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(_state, SimulatedJsonContext.Default.SimulatedFleetState),
                SimulatedJsonContext.Default.SimulatedFleetState)!;
        }
    }

    private static SimulatedFleetState FromDescription(SimulatedFleetDescription d, DateTimeOffset now)
    {
        var state = new SimulatedFleetState { Now = now, BrokenPatches = [.. d.BrokenPatches], Timings = d.Timings };
        foreach (var h in d.Hosts)
        {
            state.Machines.Add(new SimulatedMachine
            {
                Id = h.Id,
                Kind = h.Kind,
                Version = h.Version,
                Build = h.Build,
                Cluster = h.Cluster,
                ParentId = h.ParentId,
                Tags = [.. h.Tags],
                Capabilities = h.Capabilities ?? DefaultCapabilities(h.Kind),
                Installed = [.. h.InstalledPatches],
                Down = h.Down,
                BootedAt = d.StartTime - TimeSpan.FromDays(30),
                Faults = h.Faults,
            });
        }

        return state;
    }

    private static HostRecord ToRecord(SimulatedMachine m, IReadOnlyList<string> guests) => new()
    {
        Id = m.Id,
        Name = m.Id,
        Kind = m.Kind,
        Version = m.Version,
        Build = m.Build,
        Cluster = m.Cluster,
        ParentId = m.ParentId,
        Guests = guests,
        Tags = m.Tags,
        InstalledPatches = [.. m.Installed],
        Status = m.Down ? HostStatus.Unreachable : HostStatus.Reachable,
        InMaintenanceMode = m.InMaintenanceMode,
        PendingReboot = m.PendingReboot,
        Capabilities = m.Capabilities | HostCapabilities.HealthCheck,
    };

    private void Index()
    {
        _byId.Clear();
        foreach (var m in _state.Machines)
        {
            _byId.Add(m.Id, m);
        }
    }

    /// <summary>Enters the adapter's critical section for one call: the lock of this object and, when the state is
    /// shared with other processes, an exclusive lock on the state file (the state is read again under it, so every
    /// call sees what the other processes did). A call with a fencing token smaller than the largest the host has seen
    /// is refused; a larger one is remembered (and written) before the call acts.</summary>
    private Scope Enter(HostOperation? operation)
    {
        if (operation is not null && _callDelay > TimeSpan.Zero)
        {
            // Real-time mode: the call takes wall-clock time before it acts (outside the locks, as a real host would).
            // The capability methods answer synchronously, so the wait blocks the calling thread.
            Task.Delay(_callDelay, TimeProvider.System).GetAwaiter().GetResult();
        }

        Monitor.Enter(_gate);
        try
        {
            if (_depth++ == 0 && _shared)
            {
                _fileLock = AcquireFileLock(_statePath!);
                _state = ReadState(_statePath!);
                Index();
            }

            if (operation?.FencingToken is { } token && _byId.TryGetValue(operation.HostId, out var m))
            {
                if (token < m.Fence)
                {
                    _logger.SimulatedFencedOut(operation.HostId, token, m.Fence);
                    throw new HostAdapterException(operation.HostId, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"Call refused: a newer lease (fencing token {m.Fence}) holds this host; the caller's token {token} is stale"), null);
                }

                if (token > m.Fence)
                {
                    m.Fence = token;
                    _dirty = true;
                }
            }

            return new Scope(this);
        }
        catch
        {
            Leave();
            throw;
        }
    }

    private void Leave()
    {
        try
        {
            if (--_depth == 0)
            {
                if (_dirty)
                {
                    _dirty = false;
                    Save();
                }

                _fileLock?.Dispose();
                _fileLock = null;
            }
        }
        finally
        {
            Monitor.Exit(_gate);
        }
    }

    private static FileStream AcquireFileLock(string statePath)
    {
        // A POSIX record lock (fcntl) on the first byte of STATE.lock: the kernel releases it when the process dies.
        var fs = new FileStream(statePath + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
        var spin = default(SpinWait);
        if (OperatingSystem.IsMacOS())
        {
            return fs; // FileStream.Lock is not available there: one process per state file
        }

        while (true)
        {
            try
            {
                fs.Lock(0, 1);
                return fs;
            }
            catch (IOException)
            {
                // Another process holds the lock: spin, then yield the processor (no timer: the thread pool may be busy).
                spin.SpinOnce(sleep1Threshold: 10);
            }
        }
    }

    private readonly struct Scope(SimulatedHostAdapter owner) : IDisposable
    {
        public void Dispose() => owner.Leave();
    }

    private SimulatedMachine Get(string hostId) =>
        _byId.TryGetValue(hostId, out var m) ? m : throw new HostAdapterException(hostId, "Unknown simulated machine", null);

    /// <summary>Called under the lock just before and just after every change.</summary>
    private void CrashPoint()
    {
        int n = Interlocked.Increment(ref _crashPoints);
        if (_crashAt == n)
        {
            _logger.SimulatedCrash(n);
            _crash();
        }
    }

    /// <summary>Runs a change under the lock between two crash points and persists the state.</summary>
    private T Change<T>(Func<T> change)
    {
        lock (_gate)
        {
            CrashPoint();
            T result = change();
            Save();
            CrashPoint();
            return result;
        }
    }

    private void Save()
    {
        _dirty = false;
        _state.Now = _time.GetUtcNow();
        if (_statePath is null)
        {
            return;
        }

        string tmp = _statePath + ".tmp";
        using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(fs, _state, SimulatedJsonContext.Default.SimulatedFleetState);
            fs.Flush(flushToDisk: true);
        }

        File.Move(tmp, _statePath, overwrite: true);
    }
}
