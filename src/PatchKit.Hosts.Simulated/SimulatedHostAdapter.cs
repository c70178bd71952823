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
    IEvacuationCapability, ILiveUpdateCapability, IInstallCapability, IRebootCapability, IGuestExecCapability, IHealthCheckCapability,
    IHostRecordSource
{
    private readonly object _gate = new();
    private readonly Dictionary<string, SimulatedMachine> _byId = new(StringComparer.Ordinal);
    private readonly string? _statePath;
    private readonly bool _shared;
    private readonly TimeSpan _callDelay;
    private SimulatedFleetState _state;
    private FileStream? _fileLock;
    private readonly List<FileStream> _hostLocks = [];
    private string? _hostScope;
    private HashSet<string>? _loadedIds;
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
                    Directory.CreateDirectory(_statePath + ".hosts");
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
            foreach (var m in AllMachines())
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
            foreach (var m in _state.Machines) // the same pass as above: counted once
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
    /// <remarks>With a shared state, a host without guests is read from its own file alone.</remarks>
    public Task<HostRecord?> GetHostRecordAsync(HostOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        using var scope = Enter(operation, hostOnly: !IsHypervisor(operation.HostId));
        operation.CancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_byId.TryGetValue(operation.HostId, out var m) || m.CloneOf is not null)
            {
                return Task.FromResult<HostRecord?>(null);
            }

            var guests = new List<string>();
            if (m.ParentId is null && m.Kind is HostKind.Esx or HostKind.Kvm)
            {
                foreach (var g in GuestsOf(m.Id))
                {
                    guests.Add(g.Id);
                }
            }

            return Task.FromResult<HostRecord?>(ToRecord(m, guests));
        }
    }

    /// <inheritdoc/>
    public Task<HostIdentity?> IdentifyAsync(HostOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        using var scope = EnterHost(operation);
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
        using var scope = EnterHost(operation);
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
        using var scope = EnterHost(operation);
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

    /// <summary>Reads a state file; a shared fleet's state file names its machines, each read from its own file.</summary>
    internal static SimulatedFleetState ReadState(string path)
    {
        var state = JsonSerializer.Deserialize(File.ReadAllBytes(path), SimulatedJsonContext.Default.SimulatedFleetState)
            ?? throw new JsonException("empty simulated state file");
        if (state.MachineIds is { } ids)
        {
            foreach (string id in ids)
            {
                var host = ReadHostFile(path, id) ?? throw new JsonException("the simulated machine " + id + " has no state file");
                state.Machines.Add(host.Machine);
                if (host.Now > state.Now)
                {
                    state.Now = host.Now;
                }
            }

            state.MachineIds = null;
        }

        return state;
    }

    private static SimulatedHostFile? ReadHostFile(string statePath, string id)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(HostFilePath(statePath, id, ".json"));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        return JsonSerializer.Deserialize(bytes, SimulatedJsonContext.Default.SimulatedHostFile)
            ?? throw new JsonException("empty simulated machine file");
    }

    /// <summary>The file of one machine of a shared fleet: <c>STATE.hosts/ID.json</c> (and its lock, <c>ID.lock</c>);
    /// an id that is not a plain file name is hex-encoded.</summary>
    private static string HostFilePath(string statePath, string id, string extension)
    {
        bool plain = id.Length is > 0 and <= 200 && id[0] != '.';
        foreach (char c in id)
        {
            plain &= char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';
        }

        string name = plain ? id : "x" + Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(id));
        return Path.Combine(statePath + ".hosts", name + extension);
    }

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
                Os = h.Os,
                Packages = [.. h.Packages],
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
        Os = m.Os,
        Packages = [.. m.Packages],
        Status = m.Down ? HostStatus.Unreachable : HostStatus.Reachable,
        InMaintenanceMode = m.InMaintenanceMode,
        PendingReboot = m.PendingReboot,
        Capabilities = m.Capabilities | HostCapabilities.HealthCheck,
    };

    /// <summary>Enters the critical section for a call that reads or changes only the machine it is about: with a
    /// shared state, only that machine's file is locked and read again, so calls about different machines from
    /// different processes do not wait for each other.</summary>
    private Scope EnterHost(HostOperation operation) => Enter(operation, hostOnly: true);

    /// <summary>Enters the adapter's critical section for one call: the lock of this object and, when the state is
    /// shared with other processes, exclusive locks on the state's files (the state is read again under them, so every
    /// call sees what the other processes did): the one machine's file for a call about that machine alone, the
    /// fleet's file and every machine's file for a call that reads or moves several machines. A call with a fencing
    /// token smaller than the largest the host has seen is refused; a larger one is remembered (and written) before
    /// the call acts.</summary>
    private Scope Enter(HostOperation? operation, bool hostOnly = false)
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
                if (hostOnly && operation is not null)
                {
                    _hostScope = operation.HostId;
                    _fileLock = AcquireFileLock(HostFilePath(_statePath!, operation.HostId, ".lock"));
                    LoadHost(operation.HostId);
                }
                else
                {
                    _hostScope = null;
                    LockFleet();
                }
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

    /// <summary>Takes the fleet's lock, then every machine's lock in id order (a call about one machine holds only
    /// that machine's lock, so the order cannot deadlock), and reads the whole state again.</summary>
    private void LockFleet()
    {
        _fileLock = AcquireFileLock(_statePath!);
        var fleet = JsonSerializer.Deserialize(File.ReadAllBytes(_statePath!), SimulatedJsonContext.Default.SimulatedFleetState)
            ?? throw new JsonException("empty simulated state file");
        var ids = fleet.MachineIds ?? [];
        var sorted = ids.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        foreach (string id in sorted)
        {
            _hostLocks.Add(AcquireFileLock(HostFilePath(_statePath!, id, ".lock")));
        }

        _state = ReadState(_statePath!);
        _loadedIds = new HashSet<string>(ids, StringComparer.Ordinal);
        Index();
    }

    /// <summary>Reads one machine's file again (under its lock) into the state; a machine another process created
    /// (a lab clone) is added.</summary>
    private void LoadHost(string id)
    {
        var file = ReadHostFile(_statePath!, id);
        if (file is null)
        {
            return;
        }

        if (_byId.TryGetValue(id, out var old))
        {
            // A shared fleet is small (one file per machine, read again on every call); the walk to the machine's
            // place in the list is not counted as a pass over the fleet.
            int i = _state.Machines.FindIndex(x => ReferenceEquals(x, old));
            _state.Machines[i] = file.Machine;
            _byId[id] = file.Machine;
            Replace(old, file.Machine);
        }
        else
        {
            AddMachine(file.Machine);
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

                foreach (var hostLock in _hostLocks)
                {
                    hostLock.Dispose();
                }

                _hostLocks.Clear();
                _fileLock?.Dispose();
                _fileLock = null;
                _hostScope = null;
            }
        }
        finally
        {
            Monitor.Exit(_gate);
        }
    }

    private static FileStream AcquireFileLock(string path)
    {
        // A POSIX record lock (fcntl) on the first byte of the lock file (STATE.lock for the fleet, STATE.hosts/ID.lock
        // for one machine): the kernel releases it when the process dies.
        var fs = new FileStream(path.EndsWith(".lock", StringComparison.Ordinal) ? path : path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
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

        if (!_shared)
        {
            // The whole state in one file, written on every change: a pass over the fleet (tests with a state file only).
            Interlocked.Increment(ref _fleetPasses);
            WriteAtomically(_statePath, _state, SimulatedJsonContext.Default.SimulatedFleetState, flush: true);
            return;
        }

        // A shared fleet: one file per machine. A call about one machine writes that machine's file only; a call
        // about the fleet writes the fleet's file (the machine list) and every machine's. The files are renamed into
        // place but not flushed to disk: a killed process never loses them (the operating system holds them), and the
        // machine's own crash is not what the shared fleet simulates.
        Directory.CreateDirectory(_statePath + ".hosts");
        if (_hostScope is { } hostId)
        {
            if (_byId.TryGetValue(hostId, out var machine))
            {
                WriteAtomically(HostFilePath(_statePath, hostId, ".json"), new SimulatedHostFile { Now = _state.Now, Machine = machine },
                    SimulatedJsonContext.Default.SimulatedHostFile, flush: false);
            }

            return;
        }

        var ids = new List<string>(_state.Machines.Count);
        foreach (var m in AllMachines())
        {
            ids.Add(m.Id);
            WriteAtomically(HostFilePath(_statePath, m.Id, ".json"), new SimulatedHostFile { Now = _state.Now, Machine = m },
                SimulatedJsonContext.Default.SimulatedHostFile, flush: false);
        }

        var fleet = new SimulatedFleetState
        {
            Now = _state.Now, NextId = _state.NextId, BrokenPatches = _state.BrokenPatches, Timings = _state.Timings,
            Migrations = _state.Migrations, MachineIds = ids,
        };
        WriteAtomically(_statePath, fleet, SimulatedJsonContext.Default.SimulatedFleetState, flush: false);
        if (_loadedIds is not null)
        {
            foreach (string gone in _loadedIds.Except(ids, StringComparer.Ordinal))
            {
                File.Delete(HostFilePath(_statePath, gone, ".json"));
            }
        }

        _loadedIds = new HashSet<string>(ids, StringComparer.Ordinal);
    }

    private static void WriteAtomically<T>(string path, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, bool flush)
    {
        string tmp = path + ".tmp";
        using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(fs, value, type);
            if (flush)
            {
                fs.Flush(flushToDisk: true);
            }
        }

        File.Move(tmp, path, overwrite: true);
    }
}
