using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PatchKit.Hosts.Kvm;

/// <summary>The host adapter for KVM/QEMU: guests reached through QMP and the QEMU guest agent, on KVM hosts where this
/// adapter runs. Inventory (QEMU running vs installed version, OS and packages through the agent), internal snapshots,
/// lab clones, evacuation by live migration, live update of the QEMU process (local migration over shared file-backed
/// memory with <c>x-ignore-shared</c>), reboot-and-wait, guest exec and Linux guest patching (unified diffs applied with
/// PatchKit's own applier through the agent, packages through the guest's package manager).</summary>
public sealed partial class KvmHostAdapter : IHostAdapter, ISnapshotCapability, ILabCloneCapability, IMaintenanceModeCapability,
    IEvacuationCapability, ILiveUpdateCapability, IInstallCapability, IRebootCapability, IGuestExecCapability, IHealthCheckCapability
{
    private const HostCapabilities GuestCapabilities = HostCapabilities.Snapshot | HostCapabilities.LabClone | HostCapabilities.Install
        | HostCapabilities.Reboot | HostCapabilities.GuestExec | HostCapabilities.HealthCheck | HostCapabilities.LiveUpdate;

    private const HostCapabilities KvmHostCapabilities = HostCapabilities.MaintenanceMode | HostCapabilities.Evacuation
        | HostCapabilities.LiveUpdate | HostCapabilities.HealthCheck;

    private readonly KvmHostAdapterOptions _options;
    private readonly Dictionary<string, KvmHostDescription> _hosts = new(StringComparer.Ordinal);
    private readonly object _stateLock = new();
    private readonly Dictionary<string, SemaphoreSlim> _guestLocks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _fenceDirectories = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _ignored = new(StringComparer.Ordinal);
    private KvmState _state = new();
    private string? _installedVersion;

    /// <summary>Initializes a new instance of the <see cref="KvmHostAdapter"/> class.</summary>
    /// <param name="options">The hosts and guests, binaries and timeouts.</param>
    /// <exception cref="ArgumentException">Two hosts or guests share an id, or a guest has no QMP socket.</exception>
    public KvmHostAdapter(KvmHostAdapterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        foreach (var h in options.Hosts)
        {
            if (!_hosts.TryAdd(h.Id, h))
            {
                throw new ArgumentException("host id '" + h.Id + "' appears twice", nameof(options));
            }

            _fenceDirectories[h.Id] = FenceDirectoryOf(h);

            foreach (var g in h.Guests)
            {
                ArgumentException.ThrowIfNullOrEmpty(g.Qmp);
                if (_hosts.ContainsKey(g.Id) || !_state.Guests.TryAdd(g.Id, new KvmGuestState
                {
                    Id = g.Id, HostId = h.Id, Qmp = g.Qmp, Agent = g.Agent, PidFile = g.PidFile, StateDirectory = g.StateDirectory,
                    PatchRoot = g.PatchRoot, PatchStrip = g.PatchStrip, Tags = [.. g.Tags], SnapshotMode = g.SnapshotMode,
                    LabVerify = [.. g.LabVerifyCommand], LabVerifyTimeout = g.LabVerifyTimeout,
                }))
                {
                    throw new ArgumentException("guest id '" + g.Id + "' appears twice", nameof(options));
                }

                _fenceDirectories[g.Id] = FenceDirectoryOf(h); // where the guest is declared: the same file wherever it runs now
            }
        }

        LoadState();
    }

    /// <inheritdoc/>
    public string Name => "kvm";

    private TimeProvider Time => _options.Client.TimeProvider;

    /// <inheritdoc/>
    public async Task<FleetInventory> GetInventoryAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string installed = await InstalledVersionAsync(cancellationToken).ConfigureAwait(false);
        var guests = Snapshot();
        var records = await Task.WhenAll(guests.Select(g => GuestRecordAsync(g, cancellationToken))).ConfigureAwait(false);
        var hosts = new List<HostRecord>();
        foreach (var h in _hosts.Values)
        {
            hosts.Add(new HostRecord
            {
                Id = h.Id, Name = h.Id, Kind = HostKind.Kvm, Version = installed, Build = installed, Cluster = h.Cluster,
                Guests = [.. guests.Where(g => g.HostId == h.Id && g.CloneOf is null).Select(g => g.Id)],
                Status = Directory.Exists(h.RunDirectory) ? HostStatus.Reachable : HostStatus.Unreachable,
                InMaintenanceMode = IsInMaintenance(h.Id),
                Capabilities = KvmHostCapabilities | (h.InstallCommand.Count > 0 ? HostCapabilities.Install : 0) | (h.RebootCommand.Count > 0 ? HostCapabilities.Reboot : 0),
            });
        }

        hosts.AddRange(records);
        return new FleetInventory { Hosts = hosts, TakenAt = Time.GetUtcNow() };
    }

    private async Task<HostRecord> GuestRecordAsync(KvmGuestState g, CancellationToken cancellationToken)
    {
        var down = new HostRecord { Id = g.Id, Name = g.Id, Kind = HostKind.Linux, ParentId = g.HostId, Status = HostStatus.Unreachable, Tags = g.Tags, Capabilities = GuestCapabilities };
        QmpClient qmp;
        try
        {
            qmp = await QmpClient.ConnectAsync(g.Qmp, _options.Client, cancellationToken).ConfigureAwait(false);
        }
        catch (KvmConnectionException)
        {
            return down;
        }

        await using (qmp.ConfigureAwait(false))
        {
            var name = await qmp.ExecuteAsync("query-name", null, KvmJsonContext.Default.QmpNameInfo, null, cancellationToken).ConfigureAwait(false);
            var version = await qmp.ExecuteAsync("query-version", null, KvmJsonContext.Default.QmpVersionInfo, null, cancellationToken).ConfigureAwait(false);
            var status = await qmp.ExecuteAsync("query-status", null, KvmJsonContext.Default.QmpStatusInfo, null, cancellationToken).ConfigureAwait(false);
            OsIdentity? os = null;
            IReadOnlyList<InstalledPackage> packages = [];
            IReadOnlyList<InstalledPatch> patches = [];
            HostKind kind = HostKind.Linux;
            if (g.Agent is not null && status?.Running == true)
            {
                try
                {
                    await using var agent = await GuestAgentClient.ConnectAsync(g.Agent, AgentOptions(TimeSpan.FromSeconds(5)), cancellationToken).ConfigureAwait(false);
                    var info = await agent.GetOsInfoAsync(cancellationToken).ConfigureAwait(false);
                    kind = info.Id == "mswindows" ? HostKind.Windows : HostKind.Linux;
                    os = new OsIdentity { Id = info.Id, VersionId = info.VersionId, Build = info.KernelRelease, PrettyName = info.PrettyName };
                    if (kind == HostKind.Linux)
                    {
                        packages = await LinuxPackages.ReadAsync(agent, cancellationToken).ConfigureAwait(false);
                        patches = await ReadInstalledPatchesAsync(agent, g, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (ex is KvmConnectionException or QmpException)
                {
                    // the agent is not answering (booting, or none): the guest is still there, its software unknown
                }
            }

            return new HostRecord
            {
                Id = g.Id, Name = name?.Name ?? g.Id, Kind = kind, ParentId = g.HostId, Tags = g.Tags,
                Version = os?.VersionId ?? string.Empty, Build = os?.Build ?? string.Empty, Os = os, Packages = packages,
                InstalledPatches = patches, RunningEmulatorVersion = version?.ToString() ?? string.Empty,
                Status = HostStatus.Reachable, Capabilities = GuestCapabilities,
            };
        }
    }

    /// <inheritdoc/>
    public async Task<HostIdentity?> IdentifyAsync(HostOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        Fence(operation);
        operation.CancellationToken.ThrowIfCancellationRequested();
        if (_hosts.ContainsKey(operation.HostId))
        {
            string v = await InstalledVersionAsync(operation.CancellationToken).ConfigureAwait(false);
            return new HostIdentity { HostId = operation.HostId, Kind = HostKind.Kvm, Version = v, Build = v };
        }

        var g = Guest(operation.HostId);
        try
        {
            await using var qmp = await QmpClient.ConnectAsync(g.Qmp, _options.Client, operation.CancellationToken).ConfigureAwait(false);
            var version = await qmp.ExecuteAsync("query-version", null, KvmJsonContext.Default.QmpVersionInfo, null, operation.CancellationToken).ConfigureAwait(false);
            if (g.Agent is null)
            {
                return new HostIdentity { HostId = g.Id, Kind = HostKind.Linux, Version = version?.ToString() ?? string.Empty };
            }

            await using var agent = await GuestAgentClient.ConnectAsync(g.Agent, AgentOptions(TimeSpan.FromSeconds(5)), operation.CancellationToken).ConfigureAwait(false);
            var os = await agent.GetOsInfoAsync(operation.CancellationToken).ConfigureAwait(false);
            double uptime = await UptimeAsync(agent, operation.CancellationToken).ConfigureAwait(false);
            return new HostIdentity
            {
                HostId = g.Id, Kind = os.Id == "mswindows" ? HostKind.Windows : HostKind.Linux, Version = os.VersionId, Build = os.KernelRelease,
                BootedAt = Time.GetUtcNow() - TimeSpan.FromSeconds(uptime),
            };
        }
        catch (Exception ex) when (ex is KvmConnectionException or QmpException)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    /// <remarks>Known steps: <c>qmp</c> (arguments: the command, then its arguments as a JSON object) runs one QMP
    /// command on a guest and returns its reply as the message.</remarks>
    public async Task<HostStepResult> RunStepAsync(HostOperation operation, HostStep step)
    {
        ArgumentNullException.ThrowIfNull(operation);
        Fence(operation);
        ArgumentNullException.ThrowIfNull(step);
        operation.CancellationToken.ThrowIfCancellationRequested();
        if (step.Name != "qmp" || step.Arguments.Count == 0 || !_state.Guests.ContainsKey(operation.HostId))
        {
            return new HostStepResult { Status = HostOperationStatus.NotApplicable, Message = "'" + step.Name + "' is not a KVM step" };
        }

        long start = Time.GetTimestamp();
        var args = step.Arguments.Count > 1 ? System.Text.Json.Nodes.JsonNode.Parse(step.Arguments[1]) as System.Text.Json.Nodes.JsonObject : null;
        try
        {
            await using var qmp = await QmpClient.ConnectAsync(Guest(operation.HostId).Qmp, _options.Client, operation.CancellationToken).ConfigureAwait(false);
            var r = await qmp.ExecuteAsync(step.Arguments[0], args, TimeoutOf(operation), operation.CancellationToken).ConfigureAwait(false);
            return HostStepResult.Ok(Time.GetElapsedTime(start), r.ValueKind == JsonValueKind.Undefined ? string.Empty : r.GetRawText());
        }
        catch (QmpException ex)
        {
            return HostStepResult.Fail(ex.Message, Time.GetElapsedTime(start), ex.ErrorClass);
        }
        catch (KvmConnectionException ex)
        {
            return new HostStepResult { Status = HostOperationStatus.Unreachable, Message = ex.Message, Duration = Time.GetElapsedTime(start) };
        }
    }

    /// <inheritdoc/>
    public async Task<HostStepResult> CheckHealthAsync(HostOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        long start = Time.GetTimestamp();
        if (_hosts.TryGetValue(operation.HostId, out var host))
        {
            return Directory.Exists(host.RunDirectory) ? HostStepResult.Ok(Time.GetElapsedTime(start))
                : new HostStepResult { Status = HostOperationStatus.Unreachable, Message = "run directory missing on '" + host.Id + "'" };
        }

        var id = await IdentifyAsync(operation).ConfigureAwait(false);
        if (id is null)
        {
            return new HostStepResult { Status = HostOperationStatus.Unreachable, Message = "'" + operation.HostId + "' does not answer (QMP or guest agent)", Duration = Time.GetElapsedTime(start) };
        }

        var g = Guest(operation.HostId);
        return g.CloneOf is not null && g.LabVerify.Count > 0
            ? await LabVerifyAsync(g, operation, start).ConfigureAwait(false)
            : HostStepResult.Ok(Time.GetElapsedTime(start), "running; agent answers" + (IgnoredProcess(g.Id) is { } stray ? "; " + stray : string.Empty));
    }

    /// <summary>Runs the lab verification command in a clone; exit code 0 passes. The output is kept in the message.</summary>
    private async Task<HostStepResult> LabVerifyAsync(KvmGuestState clone, HostOperation operation, long start)
    {
        string shown = string.Join(' ', clone.LabVerify);
        await using var agent = await ConnectAgentAsync(clone, operation).ConfigureAwait(false);
        var r = await agent.ExecAsync(new GuestCommand { Program = clone.LabVerify[0], Arguments = [.. clone.LabVerify.Skip(1)], Timeout = clone.LabVerifyTimeout }, operation.CancellationToken).ConfigureAwait(false);
        string output = Tail(Encoding.UTF8.GetString(r.StandardOutput.Span) + Encoding.UTF8.GetString(r.StandardError.Span));
        if (r.TimedOut)
        {
            return new HostStepResult { Status = HostOperationStatus.Failed, Message = "lab verification `" + shown + "` did not finish within " + clone.LabVerifyTimeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + " s; output: " + output, Duration = Time.GetElapsedTime(start), ErrorCode = "VerifyTimedOut" };
        }

        string exit = r.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "?";
        return r.ExitCode == 0
            ? HostStepResult.Ok(Time.GetElapsedTime(start), "lab verification `" + shown + "` exited 0; output: " + output)
            : HostStepResult.Fail("lab verification `" + shown + "` exited " + exit + "; output: " + output, Time.GetElapsedTime(start), "VerifyFailed");
    }

    /// <summary>The last 2,000 characters of a command's output, trimmed (enough for a report).</summary>
    private static string Tail(string text)
    {
        text = text.Trim();
        return text.Length <= 2000 ? text : "…" + text[^2000..];
    }

    /// <inheritdoc/>
    public Task<HostStepResult> EnterMaintenanceModeAsync(HostOperation operation) => SetMaintenance(operation, true);

    /// <inheritdoc/>
    public Task<HostStepResult> ExitMaintenanceModeAsync(HostOperation operation) => SetMaintenance(operation, false);

    /// <inheritdoc/>
    public Task<bool> IsInMaintenanceModeAsync(HostOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return Task.FromResult(IsInMaintenance(operation.HostId));
    }

    private Task<HostStepResult> SetMaintenance(HostOperation operation, bool on)
    {
        ArgumentNullException.ThrowIfNull(operation);
        Fence(operation);
        operation.CancellationToken.ThrowIfCancellationRequested();
        if (!_hosts.ContainsKey(operation.HostId))
        {
            return Task.FromResult(new HostStepResult { Status = HostOperationStatus.NotApplicable, Message = "'" + operation.HostId + "' is not a KVM host" });
        }

        Mutate(s =>
        {
            s.MaintenanceHosts.Remove(operation.HostId);
            if (on)
            {
                s.MaintenanceHosts.Add(operation.HostId);
            }
        });
        return Task.FromResult(HostStepResult.Ok(TimeSpan.Zero, on ? "new guests are not placed here" : string.Empty));
    }

    private bool IsInMaintenance(string hostId)
    {
        lock (_stateLock)
        {
            return _state.MaintenanceHosts.Contains(hostId);
        }
    }

    private static string FenceDirectoryOf(KvmHostDescription host) => Path.Combine(host.RunDirectory, ".patchkit-fence");

    /// <summary>Refuses a call whose fencing token is older than the one stored on the KVM host for this guest or host
    /// (<see cref="HostFence"/>), and stores a newer one. Called before every call that changes a guest or host.</summary>
    /// <exception cref="HostAdapterException">A newer lease holds the guest or host: this caller's lease is lost.</exception>
    private void Fence(HostOperation operation)
    {
        if (operation.FencingToken is not { } token)
        {
            return;
        }

        string? directory;
        lock (_stateLock)
        {
            directory = _fenceDirectories.GetValueOrDefault(operation.HostId)
                ?? (_state.Guests.TryGetValue(operation.HostId, out var g) && _hosts.TryGetValue(g.HostId, out var h) ? FenceDirectoryOf(h) : null);
        }

        if (directory is null)
        {
            return; // not a guest or host of this adapter: the call itself says so
        }

        if (HostFence.CompareAndSet(directory, operation.HostId, token) is { } newer)
        {
            throw new HostAdapterException(operation.HostId, string.Create(CultureInfo.InvariantCulture,
                $"Lease lost: a newer lease (fencing token {newer}) holds '{operation.HostId}'; this caller's token {token} is stale, so nothing was done on the host"), null);
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        lock (_stateLock)
        {
            foreach (var l in _guestLocks.Values)
            {
                l.Dispose();
            }

            _guestLocks.Clear();
        }

        return ValueTask.CompletedTask;
    }

    // ---------------------------------------------------------------- helpers
    private async Task<string> InstalledVersionAsync(CancellationToken cancellationToken)
    {
        if (_installedVersion is { } v)
        {
            return v;
        }

        try
        {
            string output = await QemuProcess.RunAsync(_options.QemuBinary, ["--version"], null, cancellationToken).ConfigureAwait(false);
            return _installedVersion = QemuProcess.ParseVersion(output);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return string.Empty;
        }
    }

    private KvmClientOptions AgentOptions(TimeSpan syncTimeout) => new()
    {
        TimeProvider = _options.Client.TimeProvider, ConnectTimeout = syncTimeout, CommandTimeout = _options.Client.CommandTimeout,
    };

    internal KvmGuestState Guest(string id)
    {
        lock (_stateLock)
        {
            return _state.Guests.TryGetValue(id, out var g)
                ? g
                : throw new HostAdapterException(id, "not a guest this KVM adapter manages", null);
        }
    }

    private List<KvmGuestState> Snapshot()
    {
        lock (_stateLock)
        {
            return [.. _state.Guests.Values];
        }
    }

    private SemaphoreSlim LockOf(string guestId)
    {
        lock (_stateLock)
        {
            if (!_guestLocks.TryGetValue(guestId, out var l))
            {
                _guestLocks[guestId] = l = new SemaphoreSlim(1, 1);
            }

            return l;
        }
    }

    private static TimeSpan? TimeoutOf(HostOperation operation) => operation.Timeout == Timeout.InfiniteTimeSpan ? null : operation.Timeout;

    private void Mutate(Action<KvmState> change)
    {
        lock (_stateLock)
        {
            change(_state);
            if (_options.StateFile is { } file)
            {
                string tmp = file + ".tmp";
                File.WriteAllBytes(tmp, JsonSerializer.SerializeToUtf8Bytes(_state, KvmJsonContext.Default.KvmState));
                File.Move(tmp, file, overwrite: true);
            }
        }
    }

    /// <summary>Reads the state file as untrusted input: an entry is taken only when its host is configured and its
    /// sockets and pid file are the ones the configuration names or the ones the adapter derives for that host and
    /// generation (a lab clone's: inside its own folder in a configured run directory); a file that does not parse is
    /// ignored. Then every guest is checked against the running processes (<see cref="Relocate"/>): a state that names
    /// no running QEMU is replaced by where the guest really runs.</summary>
    private void LoadState()
    {
        KvmState? saved = null;
        if (_options.StateFile is { } file && File.Exists(file))
        {
            try
            {
                saved = JsonSerializer.Deserialize(File.ReadAllBytes(file), KvmJsonContext.Default.KvmState);
            }
            catch (JsonException)
            {
                // not a state this adapter wrote: the running processes say where the guests are
            }
        }

        foreach (var (id, g) in saved?.Guests ?? [])
        {
            if (g is null || g.Id != id || !_hosts.TryGetValue(g.HostId, out var host) || g.Generation < 0)
            {
                continue;
            }

            if (g.CloneOf is not null)
            {
                if (_state.Guests.ContainsKey(g.CloneOf) && !_state.Guests.ContainsKey(id) && g.CloneDirectory is { } dir && Inside(dir, host.RunDirectory)
                    && UnixInside(g.Qmp, dir) && (g.Agent is null || UnixInside(g.Agent, dir)) && (g.PidFile is null || Inside(g.PidFile, dir)))
                {
                    g.ExternalSnapshots = [];
                    _state.Guests[id] = g;
                }

                continue;
            }

            if (!_state.Guests.TryGetValue(id, out var configured))
            {
                continue;
            }

            string baseName = Path.Combine(host.RunDirectory, id + "." + g.Generation.ToString(CultureInfo.InvariantCulture));
            bool asConfigured = g.Qmp == configured.Qmp && g.Agent == configured.Agent && g.PidFile == configured.PidFile;
            bool derived = g.Generation > 0 && g.Qmp == "unix:" + baseName + ".qmp" && g.PidFile == baseName + ".pid"
                && g.Agent == (configured.Agent is null ? null : "unix:" + baseName + ".qga");
            if (!asConfigured && !derived)
            {
                continue;
            }

            // what the configuration decides is taken from it, never from the file
            g.SnapshotMode = configured.SnapshotMode;
            g.LabVerify = configured.LabVerify;
            g.LabVerifyTimeout = configured.LabVerifyTimeout;
            g.StateDirectory = configured.StateDirectory;
            g.PatchRoot = configured.PatchRoot;
            g.PatchStrip = configured.PatchStrip;
            g.Tags = configured.Tags;
            g.CloneOf = null;
            g.CloneDirectory = null;
            g.CloneSnapshot = null;
            _state.Guests[id] = g; // where the guest runs now, after live updates and migrations
        }

        _state.MaintenanceHosts = [.. (saved?.MaintenanceHosts ?? []).Where(_hosts.ContainsKey).Distinct(StringComparer.Ordinal)];
        foreach (var g in Snapshot().Where(g => g.CloneOf is null))
        {
            Relocate(g);
        }
    }

    /// <summary>When no running QEMU answers to where <paramref name="g"/> is recorded, or a newer generation of it runs,
    /// looks for it among the processes the adapter may have started for it: the configured one and every
    /// <c>GUEST.GENERATION.pid</c> in a host's run directory whose process is a QEMU on that generation's QMP socket. The
    /// lowest running generation is taken (while a migration is in flight both ends run, and the source is the guest until
    /// the hand-over, which a resumed step finishes), except a stray: a process the guest migrated out of (QMP run state
    /// <c>postmigrate</c>, e.g. the old QEMU of an earlier live update that never quit) while a newer generation runs.
    /// A stray is never taken for the guest (it may share the guest's memory file); it is left alone and named in
    /// <see cref="IgnoredProcess"/> and the guest's health check. Returns whether the record changed.</summary>
    internal bool Relocate(KvmGuestState g)
    {
        var configured = _options.Hosts.SelectMany(h => h.Guests.Select(x => (Host: h, Guest: x))).FirstOrDefault(x => x.Guest.Id == g.Id);
        if (configured.Guest is null)
        {
            return false;
        }

        // every running generation of the guest, lowest first
        var running = new List<(KvmHostDescription Host, int Gen, string Qmp, int Pid)>();
        if (QemuProcess.FindPid(configured.Guest.PidFile, configured.Guest.Qmp) is { } first)
        {
            running.Add((configured.Host, 0, configured.Guest.Qmp, first));
        }

        foreach (var h in _hosts.Values.Where(h => Directory.Exists(h.RunDirectory)))
        {
            foreach (string pidFile in Directory.EnumerateFiles(h.RunDirectory, g.Id + ".*.pid"))
            {
                string gen = Path.GetFileNameWithoutExtension(pidFile)[(g.Id.Length + 1)..];
                string qmp = "unix:" + pidFile[..^".pid".Length] + ".qmp";
                if (int.TryParse(gen, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
                    && QemuProcess.FindPid(pidFile, qmp) is { } pid)
                {
                    running.Add((h, n, qmp, pid));
                }
            }
        }

        running.Sort((x, y) => x.Gen.CompareTo(y.Gen));
        bool recordedRuns = QemuProcess.FindPid(g.PidFile, g.Qmp) is not null;
        if (recordedRuns && !running.Exists(r => r.Gen > g.Generation))
        {
            return false; // where it is recorded, and nothing newer runs
        }

        (KvmHostDescription Host, int Gen)? found = null;
        foreach (var r in running)
        {
            if (r.Gen < running[^1].Gen && QemuProcess.TryQueryStatus(QemuProcess.SocketPath(r.Qmp), TimeSpan.FromSeconds(5)) == "postmigrate")
            {
                lock (_stateLock)
                {
                    _ignored[g.Id] = "QEMU process " + r.Pid.ToString(CultureInfo.InvariantCulture) + " (generation " + r.Gen.ToString(CultureInfo.InvariantCulture)
                        + ", " + r.Qmp + ") is ignored: the guest migrated out of it (run state postmigrate) and a newer generation runs it; it is a leftover of an earlier live update or migration (stop it)";
                }

                continue;
            }

            found = (r.Host, r.Gen);
            break;
        }

        if (found is not { } f || (recordedRuns && f.Gen == g.Generation && f.Host.Id == g.HostId))
        {
            return false;
        }

        Mutate(_ =>
        {
            if (f.Gen == 0)
            {
                g.HostId = f.Host.Id;
                g.Qmp = configured.Guest.Qmp;
                g.Agent = configured.Guest.Agent;
                g.PidFile = configured.Guest.PidFile;
            }
            else
            {
                string baseName = Path.Combine(f.Host.RunDirectory, g.Id + "." + f.Gen.ToString(CultureInfo.InvariantCulture));
                g.HostId = f.Host.Id;
                g.Qmp = "unix:" + baseName + ".qmp";
                g.Agent = configured.Guest.Agent is null ? null : "unix:" + baseName + ".qga";
                g.PidFile = baseName + ".pid";
            }

            g.Generation = f.Gen;
            g.ExternalSnapshots = []; // the running process is the one to ask about its disks
        });
        return true;
    }

    /// <summary>Why a QEMU process that looked like the guest's was not taken for it (a stray lower generation), or null.</summary>
    internal string? IgnoredProcess(string guestId)
    {
        lock (_stateLock)
        {
            return _ignored.GetValueOrDefault(guestId);
        }
    }

    private static bool Inside(string path, string directory)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetFullPath(directory).TrimEnd('/') + "/";
        return full.StartsWith(dir, StringComparison.Ordinal);
    }

    private static bool UnixInside(string endpoint, string directory) =>
        endpoint.StartsWith("unix:", StringComparison.Ordinal) && Inside(endpoint[5..], directory);

    private static async Task<double> UptimeAsync(GuestAgentClient agent, CancellationToken cancellationToken)
    {
        byte[] raw = await agent.ReadFileAsync("/proc/uptime", cancellationToken).ConfigureAwait(false);
        string text = Encoding.ASCII.GetString(raw);
        int sp = text.IndexOf(' ', StringComparison.Ordinal);
        return double.Parse(sp > 0 ? text[..sp] : text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private static async Task<string> ShAsync(GuestAgentClient agent, string script, CancellationToken cancellationToken, params string[] args)
    {
        var r = await agent.ExecAsync(new GuestCommand { Program = "/bin/sh", Arguments = ["-c", script, "sh", .. args], Timeout = TimeSpan.FromMinutes(10) }, cancellationToken).ConfigureAwait(false);
        if (r.ExitCode != 0)
        {
            throw new QmpException("guest-exec", "ExitCode" + (r.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "?"),
                Encoding.UTF8.GetString(r.StandardError.Span).Trim() is { Length: > 0 } err ? err : Encoding.UTF8.GetString(r.StandardOutput.Span).Trim());
        }

        return Encoding.UTF8.GetString(r.StandardOutput.Span);
    }
}
