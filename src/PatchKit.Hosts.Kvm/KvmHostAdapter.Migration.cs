using System.Globalization;
using System.Text.Json.Nodes;

namespace PatchKit.Hosts.Kvm;

public sealed partial class KvmHostAdapter
{
    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> ListGuestsAsync(HostOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        operation.CancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<string> ids = [.. Snapshot().Where(g => g.HostId == operation.HostId && g.CloneOf is null).Select(g => g.Id).Order(StringComparer.Ordinal)];
        return Task.FromResult(ids);
    }

    /// <inheritdoc/>
    /// <remarks>Live migration to another host of the same cluster that is not in maintenance mode, sharing the disk
    /// image (the hosts see the same storage) or copying it (<see cref="KvmHostDescription.SharedStorage"/>); a
    /// migration that does not converge within <see cref="KvmHostAdapterOptions.MigrationBudget"/> is cancelled and the
    /// guest keeps running where it was. A resumed step whose earlier attempt died mid-migration (its checkpoint names
    /// the migration) waits for that migration and finishes it instead of starting a second one.</remarks>
    public async Task<EvacuationResult> EvacuateAsync(HostOperation operation, IReadOnlyList<string> guestIds)
    {
        ArgumentNullException.ThrowIfNull(operation);
        Fence(operation);
        ArgumentNullException.ThrowIfNull(guestIds);
        operation.CancellationToken.ThrowIfCancellationRequested();
        var from = _hosts.TryGetValue(operation.HostId, out var h) ? h : throw new HostAdapterException(operation.HostId, "not a KVM host", null);
        var target = _hosts.Values.FirstOrDefault(x => x.Id != from.Id && x.Cluster == from.Cluster && !IsInMaintenance(x.Id));
        return await MoveAsync(operation, guestIds, g => g.HostId == from.Id, target, "no other host in cluster '" + from.Cluster + "' outside maintenance mode").ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<EvacuationResult> RebalanceAsync(HostOperation operation, IReadOnlyList<string> guestIds)
    {
        ArgumentNullException.ThrowIfNull(operation);
        Fence(operation);
        ArgumentNullException.ThrowIfNull(guestIds);
        operation.CancellationToken.ThrowIfCancellationRequested();
        var home = _hosts.TryGetValue(operation.HostId, out var h) ? h : throw new HostAdapterException(operation.HostId, "not a KVM host", null);
        return await MoveAsync(operation, guestIds, g => g.HostId != home.Id, home, string.Empty).ConfigureAwait(false);
    }

    private async Task<EvacuationResult> MoveAsync(HostOperation operation, IReadOnlyList<string> guestIds, Func<KvmGuestState, bool> needsMove, KvmHostDescription? target, string noTarget)
    {
        long start = Time.GetTimestamp();
        var moves = new List<GuestMove>();
        var failed = new List<GuestMoveFailure>();
        int resumed = 0;
        foreach (string id in guestIds)
        {
            operation.CancellationToken.ThrowIfCancellationRequested();
            var g = Guest(id);
            string fromHost = g.HostId;
            if (!needsMove(g))
            {
                continue; // already where it should be: repeating a move moves nothing
            }

            if (target is null)
            {
                failed.Add(new GuestMoveFailure { GuestId = id, Reason = noTarget });
                continue;
            }

            try
            {
                if ((await MigrateAsync(g, target, liveUpdate: false, operation).ConfigureAwait(false)).Resumed)
                {
                    resumed++;
                }

                moves.Add(new GuestMove { GuestId = id, FromHostId = fromHost, ToHostId = target.Id });
            }
            catch (Exception ex) when (ex is HostAdapterException or QmpException or KvmConnectionException or InvalidOperationException or TimeoutException)
            {
                failed.Add(new GuestMoveFailure { GuestId = id, Reason = ex.Message });
            }
        }

        var status = failed.Count == 0 ? HostOperationStatus.Succeeded : moves.Count > 0 ? HostOperationStatus.Partial : HostOperationStatus.Failed;
        return new EvacuationResult
        {
            Status = status, Moves = moves, FailedGuests = failed, Duration = Time.GetElapsedTime(start),
            Message = moves.Count + " guest(s) moved by live migration"
                + (resumed > 0 ? " (" + resumed + " by finishing the migration an interrupted attempt had begun)" : string.Empty)
                + (failed.Count > 0 ? ", " + failed.Count + " failed" : string.Empty),
        };
    }

    /// <inheritdoc/>
    /// <remarks>A guest (or every guest of a KVM host) can be live updated when its QEMU process uses file-backed shared
    /// memory; the request's payloads are not installed by this call (the new QEMU binary is already installed on the
    /// host: the update moves running guests onto it).</remarks>
    public bool CanLiveUpdate(HostRecord host, InstallRequest request, bool livePatchable)
    {
        ArgumentNullException.ThrowIfNull(host);
        return livePatchable && (host.Kind == HostKind.Kvm ? _hosts.ContainsKey(host.Id) : _state.Guests.ContainsKey(host.Id));
    }

    /// <inheritdoc/>
    /// <remarks>Starts the installed QEMU binary on the same memory file and moves the guest onto it as
    /// <see cref="KvmHostAdapterOptions.LiveUpdateMode"/> says: local migration with <c>x-ignore-shared</c> (only device
    /// state and non-shared RAM move), or QEMU's <c>cpr-transfer</c> or <c>cpr-reboot</c> mode; checks the new process
    /// runs, then stops the old one: the guest never reboots. The message names the mode each guest was moved with.</remarks>
    public async Task<HostStepResult> LiveUpdateAsync(HostOperation operation, InstallRequest request)
    {
        ArgumentNullException.ThrowIfNull(operation);
        Fence(operation);
        ArgumentNullException.ThrowIfNull(request);
        operation.CancellationToken.ThrowIfCancellationRequested();
        long start = Time.GetTimestamp();
        var guests = _hosts.ContainsKey(operation.HostId)
            ? Snapshot().Where(g => g.HostId == operation.HostId).ToList()
            : [Guest(operation.HostId)];
        var done = new List<string>();
        var failed = new List<string>();
        var notes = new List<string>();
        foreach (var g in guests)
        {
            try
            {
                var r = await MigrateAsync(g, _hosts[g.HostId], liveUpdate: true, operation).ConfigureAwait(false);
                done.Add(g.Id);
                notes.Add(g.Id + ": QEMU " + r.FromVersion + " -> " + r.ToVersion + " (" + (r.Mode.Length > 0 ? r.Mode + ", " : string.Empty) + _options.QemuBinary + (r.Resumed ? ", an interrupted update finished" : string.Empty) + "), downtime " + r.DowntimeMs.ToString(CultureInfo.InvariantCulture) + " ms");
            }
            catch (Exception ex) when (ex is HostAdapterException or QmpException or KvmConnectionException or InvalidOperationException or TimeoutException)
            {
                failed.Add(g.Id);
                notes.Add(g.Id + ": " + ex.Message);
            }
        }

        var status = failed.Count == 0 ? HostOperationStatus.Succeeded : done.Count > 0 ? HostOperationStatus.Partial : HostOperationStatus.Failed;
        return new HostStepResult
        {
            Status = status, Installed = done, Failed = failed, Duration = Time.GetElapsedTime(start),
            Message = "live update: " + string.Join("; ", notes),
        };
    }

    /// <summary>Moves a guest to a new QEMU process (on <paramref name="target"/>): live update when it is the same host
    /// and memory stays in the shared file, migration otherwise.</summary>
    internal async Task<MigrationOutcome> MigrateAsync(KvmGuestState g, KvmHostDescription target, bool liveUpdate, HostOperation operation)
    {
        var gate = LockOf(g.Id);
        await gate.WaitAsync(operation.CancellationToken).ConfigureAwait(false);
        try
        {
            return await MigrateCoreAsync(g, target, liveUpdate, operation).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<MigrationOutcome> MigrateCoreAsync(KvmGuestState g, KvmHostDescription target, bool liveUpdate, HostOperation operation)
    {
        var ct = operation.CancellationToken;
        if (g.ExternalSnapshots.Count > 0)
        {
            // the new process is started from the old one's command line, which names the base images, not the overlays
            throw new HostAdapterException(g.Id, "it has external snapshot(s) (" + string.Join(", ", g.ExternalSnapshots.Select(s => s.Name)) + "): remove or revert them before moving it to another QEMU process", null);
        }

        if (operation.Checkpoint is { } cp && cp.StartsWith("migrate:" + g.Id + ":", StringComparison.Ordinal)
            && await ResumeMigrationAsync(g, cp, liveUpdate, operation).ConfigureAwait(false) is { } finished)
        {
            return finished;
        }

        int oldPid = QemuProcess.FindPid(g.PidFile, g.Qmp) ?? throw new HostAdapterException(g.Id, "its QEMU process was not found (pid file or QMP socket " + g.Qmp + ")", null);
        var argv = QemuProcess.TryReadCommandLine(oldPid) ?? throw new HostAdapterException(g.Id, "cannot read QEMU's command line", null);
        string? oldMem = QemuProcess.MemPath(argv);
        if (liveUpdate && oldMem is null)
        {
            throw new HostAdapterException(g.Id, "live update needs file-backed shared memory (-object memory-backend-file,share=on)", null);
        }

        int gen = g.Generation + 1;
        string baseName = Path.Combine(target.RunDirectory, g.Id + "." + gen.ToString(CultureInfo.InvariantCulture));
        string newQmp = baseName + ".qmp";
        string? newAgent = g.Agent is null ? null : baseName + ".qga";
        string mig = baseName + ".mig";
        string? newMem = liveUpdate ? oldMem : oldMem is null ? null : Path.Combine(Path.GetDirectoryName(oldMem)!, "patchkit-" + g.Id + "-" + gen.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6] + ".ram");
        bool copyDisks = !liveUpdate && (!target.SharedStorage || !_hosts[g.HostId].SharedStorage);
        var spec = new RewriteSpec
        {
            PidFile = baseName + ".pid", LogFile = baseName + ".log", Incoming = "defer", Paused = copyDisks,
            DataDirectories = liveUpdate ? [.. _options.QemuDataDirectories] : [],
        };
        spec.Replacements.Add((QemuProcess.SocketPath(g.Qmp), newQmp));
        if (g.Agent is not null)
        {
            spec.Replacements.Add((QemuProcess.SocketPath(g.Agent), newAgent!));
        }

        foreach (string sock in QemuProcess.ServerSocketPaths(argv))
        {
            if (sock != QemuProcess.SocketPath(g.Qmp) && (g.Agent is null || sock != QemuProcess.SocketPath(g.Agent)))
            {
                // other monitors and sockets: the old process removes its socket files when it quits
                string file = Path.GetFileName(sock);
                string prefix = g.Id + "." + (gen - 1).ToString(CultureInfo.InvariantCulture) + ".";
                spec.Replacements.Add((sock, baseName + "." + (file.StartsWith(prefix, StringComparison.Ordinal) ? file[prefix.Length..] : file)));
            }
        }

        if (!liveUpdate && oldMem is not null)
        {
            spec.Replacements.Add(("mem-path=" + oldMem, "mem-path=" + newMem));
        }

        string binary = liveUpdate ? _options.QemuBinary : argv[0];
        Directory.CreateDirectory(target.RunDirectory);
        await using var src = await ConnectQmpAsync(g, operation).ConfigureAwait(false);
        string fromVersion = (await src.ExecuteAsync("query-version", null, KvmJsonContext.Default.QmpVersionInfo, null, ct).ConfigureAwait(false))?.ToString() ?? string.Empty;
        var mode = liveUpdate ? await LiveUpdateModeAsync(g, argv, fromVersion, ct).ConfigureAwait(false) : KvmLiveUpdateMode.IgnoreShared;
        bool cpr = mode is KvmLiveUpdateMode.CprReboot or KvmLiveUpdateMode.CprTransfer;
        string cprSocket = baseName + ".cpr";
        string stateFile = baseName + ".state";
        if (mode == KvmLiveUpdateMode.CprTransfer)
        {
            spec.CprSocket = cprSocket;
        }
        var copies = new List<DiskCopy>();
        if (copyDisks)
        {
            // no shared storage: every writable disk gets an empty image of its size on the target, filled over NBD
            var blocks = await src.ExecuteAsync("query-block", null, KvmJsonContext.Default.ListQmpBlockInfo, null, ct).ConfigureAwait(false) ?? [];
            string prefix = g.Id + "." + g.Generation.ToString(CultureInfo.InvariantCulture) + ".";
            foreach (var b in blocks.Where(b => b.Inserted is { Ro: false }))
            {
                var d = b.Inserted!;
                string name = Path.GetFileName(d.File);
                string file = baseName + "." + (name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : name);
                copies.Add(new DiskCopy(d.NodeName, d.File, file, d.Drv, d.Image?.VirtualSize ?? 0, "pkm" + gen.ToString(CultureInfo.InvariantCulture) + "-" + copies.Count.ToString(CultureInfo.InvariantCulture)));
                spec.Replacements.Add(("filename=" + d.File, "filename=" + file));
            }
        }

        await operation.CheckpointAsync("migrate:" + g.Id + ":" + gen.ToString(CultureInfo.InvariantCulture) + ":" + target.Id + (cpr ? ":" + ModeName(mode) : string.Empty)).ConfigureAwait(false);
        foreach (var c in copies)
        {
            await QemuProcess.RunAsync(_options.QemuImgBinary, ["create", "-q", "-f", c.Driver, c.TargetFile, c.VirtualSize.ToString(CultureInfo.InvariantCulture)], null, ct).ConfigureAwait(false);
        }

        int? newPid = null;
        Task<string>? starting = null;
        QmpClient? dst = null;
        IDisposable? onResume = null;
        var mirrors = new List<BlockJobWatch>();
        bool moved = false;
        try
        {
            var env = liveUpdate && _options.QemuModuleDirectory is { } modules ? new Dictionary<string, string> { ["QEMU_MODULE_DIR"] = modules } : null;
            var args = QemuProcess.Rewrite(argv, spec);
            var caps = new JsonArray(
                new JsonObject { ["capability"] = "x-ignore-shared", ["state"] = liveUpdate && mode != KvmLiveUpdateMode.CprTransfer },
                new JsonObject { ["capability"] = "events", ["state"] = true });
            await src.ExecuteAsync("migrate-set-capabilities", new JsonObject { ["capabilities"] = caps.DeepClone() }, null, ct).ConfigureAwait(false);
            var parameters = new JsonObject { ["downtime-limit"] = _options.DowntimeLimitMilliseconds, ["max-bandwidth"] = _options.MaxBandwidthBytesPerSecond };
            if (cpr)
            {
                parameters["mode"] = ModeName(mode);
            }

            await src.ExecuteAsync("migrate-set-parameters", parameters, null, ct).ConfigureAwait(false);
            DateTimeOffset? stopped = null;
            DateTimeOffset? resumed = null;
            using var s1 = src.Subscribe(e => { if (e.Name == "STOP") { stopped ??= e.Timestamp; } });
            QmpMigrationInfo info;
            if (mode == KvmLiveUpdateMode.CprTransfer)
            {
                // the new QEMU reads the old one's memory file descriptors from the cpr channel before it opens its
                // monitor: its start returns only once the migration has begun
                starting = QemuProcess.RunAsync(binary, args, env, ct);
                await WaitForSocketOrExitAsync(cprSocket, starting, ct).ConfigureAwait(false);
                newPid = QemuProcess.FindPid(spec.PidFile, newQmp);
                await src.ExecuteAsync("migrate", new JsonObject { ["channels"] = new JsonArray(UnixChannel("main", mig), UnixChannel("cpr", cprSocket)) }, null, ct).ConfigureAwait(false);
                await starting.ConfigureAwait(false);
                starting = null;
                await QemuProcess.WaitForSocketAsync(newQmp, TimeSpan.FromSeconds(30), Time, ct).ConfigureAwait(false);
                newPid = QemuProcess.FindPid(spec.PidFile, newQmp);
                dst = await QmpClient.ConnectAsync("unix:" + newQmp, _options.Client, ct).ConfigureAwait(false);
                onResume = dst.Subscribe(e => { if (e.Name == "RESUME") { resumed ??= e.Timestamp; } });
                await dst.ExecuteAsync("migrate-incoming", new JsonObject { ["uri"] = "unix:" + mig }, null, ct).ConfigureAwait(false);
                info = await WaitMigrationAsync(src, g, operation).ConfigureAwait(false);
            }
            else
            {
                await QemuProcess.RunAsync(binary, args, env, ct).ConfigureAwait(false);
                await QemuProcess.WaitForSocketAsync(newQmp, TimeSpan.FromSeconds(30), Time, ct).ConfigureAwait(false);
                newPid = QemuProcess.FindPid(spec.PidFile, newQmp);
                dst = await QmpClient.ConnectAsync("unix:" + newQmp, _options.Client, ct).ConfigureAwait(false);
                onResume = dst.Subscribe(e => { if (e.Name == "RESUME") { resumed ??= e.Timestamp; } });
                await dst.ExecuteAsync("migrate-set-capabilities", new JsonObject { ["capabilities"] = caps.DeepClone() }, null, ct).ConfigureAwait(false);
                if (copies.Count > 0)
                {
                    await MirrorToTargetAsync(src, dst, g, copies, baseName + ".nbd", mirrors, ct).ConfigureAwait(false);
                }

                if (mode == KvmLiveUpdateMode.CprReboot)
                {
                    // the old QEMU stops the guest and saves its device state to a file (the shared RAM stays in
                    // place); the new one, already started, loads it
                    await dst.ExecuteAsync("migrate-set-parameters", new JsonObject { ["mode"] = ModeName(mode) }, null, ct).ConfigureAwait(false);
                    await src.ExecuteAsync("migrate", new JsonObject { ["uri"] = "file:" + stateFile }, null, ct).ConfigureAwait(false);
                    info = await WaitMigrationAsync(src, g, operation).ConfigureAwait(false);
                    await dst.ExecuteAsync("migrate-incoming", new JsonObject { ["uri"] = "file:" + stateFile }, null, ct).ConfigureAwait(false);
                }
                else
                {
                    await dst.ExecuteAsync("migrate-incoming", new JsonObject { ["uri"] = "unix:" + mig }, null, ct).ConfigureAwait(false);
                    await src.ExecuteAsync("migrate", new JsonObject { ["uri"] = "unix:" + mig }, null, ct).ConfigureAwait(false);
                    info = await WaitMigrationAsync(src, g, operation).ConfigureAwait(false);
                }
            }

            if (copies.Count > 0)
            {
                // the source is stopped now and the mirrors are in sync: end them without a switch, then let the target run
                foreach (var m in mirrors)
                {
                    await src.ExecuteAsync("block-job-cancel", new JsonObject { ["device"] = m.Job }, null, ct).ConfigureAwait(false);
                    if (await m.WaitConcludedAsync(ct).ConfigureAwait(false) is { } error)
                    {
                        throw new HostAdapterException(g.Id, "the disk copy to '" + target.Id + "' failed at the end: " + error, null);
                    }
                }

                mirrors.Clear();
                await dst.ExecuteAsync("nbd-server-stop", null, null, ct).ConfigureAwait(false);
                await dst.ExecuteAsync("cont", null, null, ct).ConfigureAwait(false);
            }

            // the destination resumes by itself (it was not started with -S); wait until it runs
            long wait = Time.GetTimestamp();
            while ((await dst.ExecuteAsync("query-status", null, KvmJsonContext.Default.QmpStatusInfo, null, ct).ConfigureAwait(false))?.Running != true)
            {
                if (Time.GetElapsedTime(wait) > TimeSpan.FromSeconds(30))
                {
                    throw new HostAdapterException(g.Id, "the new QEMU did not resume after the migration", null);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(5), Time, ct).ConfigureAwait(false);
            }

            string toVersion = await HandOverAsync(src, dst, oldPid, liveUpdate, cpr, ct).ConfigureAwait(false);
            if (!liveUpdate && oldMem is not null && oldMem != newMem)
            {
                File.Delete(oldMem);
            }

            Mutate(_ =>
            {
                g.Generation = gen;
                g.HostId = target.Id;
                g.Qmp = "unix:" + newQmp;
                g.Agent = newAgent is null ? null : "unix:" + newAgent;
                g.PidFile = spec.PidFile;
            });
            newPid = null; // the new process is the guest now
            moved = true;
            return new MigrationOutcome
            {
                FromVersion = fromVersion, ToVersion = toVersion, DowntimeMs = info.Downtime, TotalTimeMs = info.TotalTime,
                Mode = liveUpdate ? ModeName(mode) : string.Empty,
                StopToResume = stopped is { } a && resumed is { } b ? b - a : null,
            };
        }
        catch (Exception ex) when (liveUpdate && ex is HostAdapterException or QmpException or KvmConnectionException or InvalidOperationException or TimeoutException)
        {
            // the new QEMU did not take over (it failed, or was killed): say where the guest is now
            throw new HostAdapterException("the " + ModeName(mode) + " live update to " + binary + " failed: " + ex.Message + "; " + await WhereaboutsAsync(src, oldPid).ConfigureAwait(false), ex);
        }
        finally
        {
            onResume?.Dispose();
            if (dst is not null)
            {
                await dst.DisposeAsync().ConfigureAwait(false);
            }

            if (!moved)
            {
                if (cpr)
                {
                    await ResetModeAsync(src).ConfigureAwait(false);
                }

                newPid ??= starting is null ? null : QemuProcess.FindPid(spec.PidFile, newQmp);
                await AbandonMirrorsAsync(src, mirrors).ConfigureAwait(false);
                foreach (var c in copies)
                {
                    File.Delete(c.TargetFile);
                }
            }

            foreach (var m in mirrors)
            {
                m.Dispose();
            }

            if (newPid is { } orphan && QemuProcess.IsAlive(orphan))
            {
                // the migration failed: the guest still runs on the source; remove the half-started target
                try
                {
                    System.Diagnostics.Process.GetProcessById(orphan).Kill();
                }
                catch (ArgumentException)
                {
                }

                if (!liveUpdate && newMem is not null && newMem != oldMem)
                {
                    File.Delete(newMem);
                }
            }

            if (starting is not null)
            {
                try
                {
                    await starting.ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
                {
                    // the half-started target of a failed cpr-transfer: its error is not the one to report
                }
            }

            File.Delete(cprSocket);
            File.Delete(stateFile);
        }
    }

    /// <summary>The mode a live update of this guest uses (<see cref="KvmHostAdapterOptions.LiveUpdateMode"/>), or a
    /// clear error when the QEMU versions or the guest's command line do not allow the one asked for.</summary>
    private async Task<KvmLiveUpdateMode> LiveUpdateModeAsync(KvmGuestState g, IReadOnlyList<string> argv, string runningVersion, CancellationToken ct)
    {
        string installed = await InstalledVersionAsync(ct).ConfigureAwait(false);
        bool transferable = AtLeast(runningVersion, 10, 0) && AtLeast(installed, 10, 0);
        bool auxShared = argv.Any(a => a.Contains("aux-ram-share=on", StringComparison.Ordinal));
        string versions = " (the guest runs QEMU " + (runningVersion.Length > 0 ? runningVersion : "?") + ", " + _options.QemuBinary + " is " + (installed.Length > 0 ? installed : "unknown") + ")";
        switch (_options.LiveUpdateMode)
        {
            case KvmLiveUpdateMode.Auto:
                return transferable && auxShared ? KvmLiveUpdateMode.CprTransfer : KvmLiveUpdateMode.IgnoreShared;
            case KvmLiveUpdateMode.CprTransfer when !transferable:
                throw new HostAdapterException(g.Id, "live update mode cpr-transfer needs QEMU 10.0 or later on both sides" + versions, null);
            case KvmLiveUpdateMode.CprTransfer when !auxShared:
                throw new HostAdapterException(g.Id, "live update mode cpr-transfer needs the guest started with -machine aux-ram-share=on (QEMU passes on only shared memory, and its ROM and firmware RAM are not shared otherwise); use cpr-reboot or x-ignore-shared for this guest", null);
            case KvmLiveUpdateMode.CprReboot when !(AtLeast(runningVersion, 8, 2) && AtLeast(installed, 8, 2)):
                throw new HostAdapterException(g.Id, "live update mode cpr-reboot needs QEMU 8.2 or later on both sides" + versions, null);
            default:
                return _options.LiveUpdateMode;
        }
    }

    private static bool AtLeast(string version, int major, int minor)
    {
        var parts = version.Split('.');
        return parts.Length >= 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int ma)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int mi)
            && (ma > major || (ma == major && mi >= minor));
    }

    /// <summary>Where a migration stood: its status and, once RAM is moving, how much was sent and is left.</summary>
    private static string Progress(QmpMigrationInfo info) => "status " + (info.Status.Length > 0 ? info.Status : "none")
        + (info.Ram is { } r ? string.Create(CultureInfo.InvariantCulture, $", RAM {r.Transferred >> 20} MiB sent, {r.Remaining >> 20} of {r.Total >> 20} MiB left, {r.Mbps:F0} Mbit/s, {r.DirtyPagesRate} dirty pages/s") : string.Empty);

    internal static string ModeName(KvmLiveUpdateMode mode) => mode switch
    {
        KvmLiveUpdateMode.CprReboot => "cpr-reboot",
        KvmLiveUpdateMode.CprTransfer => "cpr-transfer",
        _ => "x-ignore-shared",
    };

    private static JsonObject UnixChannel(string type, string path) => new()
    {
        ["channel-type"] = type,
        ["addr"] = new JsonObject { ["transport"] = "socket", ["type"] = "unix", ["path"] = path },
    };

    /// <summary>Waits until a starting QEMU listens on <paramref name="socket"/>; a start that fails first reports its error.</summary>
    private async Task WaitForSocketOrExitAsync(string socket, Task<string> starting, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var appeared = QemuProcess.WaitForSocketAsync(socket, TimeSpan.FromSeconds(30), Time, stop.Token);
        if (await Task.WhenAny(appeared, starting).ConfigureAwait(false) == starting)
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await starting.ConfigureAwait(false);
            throw new InvalidOperationException("QEMU returned before it opened its cpr channel " + socket);
        }

        await appeared.ConfigureAwait(false);
    }

    /// <summary>Where the guest of a failed live update is: a migration still under way in the old QEMU is cancelled
    /// first (the old QEMU then goes on running the guest), then the old QEMU's run state is read.</summary>
    private async Task<string> WhereaboutsAsync(QmpClient src, int oldPid)
    {
        string old = "its old QEMU (pid " + oldPid.ToString(CultureInfo.InvariantCulture) + ")";
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            for (int i = 0; ; i++)
            {
                var info = await src.ExecuteAsync("query-migrate", null, KvmJsonContext.Default.QmpMigrationInfo, null, limit.Token).ConfigureAwait(false);
                if (info?.Status is not ("setup" or "active" or "device" or "pre-switchover" or "wait-unplug" or "cancelling"))
                {
                    break;
                }

                if (i == 0)
                {
                    await src.ExecuteAsync("migrate_cancel", null, null, limit.Token).ConfigureAwait(false);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(20), Time, limit.Token).ConfigureAwait(false);
            }

            var status = await src.ExecuteAsync("query-status", null, KvmJsonContext.Default.QmpStatusInfo, null, limit.Token).ConfigureAwait(false);
            return status?.Running == true ? "the guest keeps running in " + old
                : "the guest is " + (status?.Status ?? "?") + " in " + old + ": it is not resumed automatically";
        }
        catch (Exception ex) when (ex is QmpException or KvmConnectionException or OperationCanceledException)
        {
            return old + " does not answer (" + ex.Message + ")";
        }
    }

    /// <summary>After a failed CPR live update the old QEMU keeps the guest: its migration mode goes back to normal (a later
    /// evacuation would otherwise run in the CPR mode).</summary>
    private static async Task ResetModeAsync(QmpClient src)
    {
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await src.ExecuteAsync("migrate-set-parameters", new JsonObject { ["mode"] = "normal" }, null, limit.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is QmpException or KvmConnectionException or OperationCanceledException)
        {
            // best effort: the old QEMU may be gone
        }
    }

    /// <summary>The last steps of a migration or live update once the new QEMU runs the guest: x-ignore-shared off
    /// again, the new QEMU's version read, the old QEMU told to quit and waited for.</summary>
    private async Task<string> HandOverAsync(QmpClient src, QmpClient dst, int oldPid, bool liveUpdate, bool cpr, CancellationToken ct)
    {
        if (cpr)
        {
            // a later evacuation of this process must be a normal migration
            await dst.ExecuteAsync("migrate-set-parameters", new JsonObject { ["mode"] = "normal" }, null, ct).ConfigureAwait(false);
        }

        if (liveUpdate)
        {
            // x-ignore-shared must not stay on: a later snapshot-save would leave the shared RAM out
            await dst.ExecuteAsync("migrate-set-capabilities", new JsonObject { ["capabilities"] = new JsonArray(new JsonObject { ["capability"] = "x-ignore-shared", ["state"] = false }) }, null, ct).ConfigureAwait(false);
        }

        string toVersion = (await dst.ExecuteAsync("query-version", null, KvmJsonContext.Default.QmpVersionInfo, null, ct).ConfigureAwait(false))?.ToString() ?? string.Empty;
        try
        {
            await src.ExecuteAsync("quit", null, TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false);
        }
        catch (KvmConnectionException)
        {
            // quit closes the connection, sometimes before the reply
        }
        catch (QmpException ex) when (ex.ErrorClass == QmpException.TimeoutClass)
        {
            // an old QEMU that does not answer: killed below when it has not gone
        }

        try
        {
            await QemuProcess.WaitForExitAsync(oldPid, TimeSpan.FromSeconds(30), Time, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // the guest runs on the new process already: an old one that does not quit would stay behind as a stray
            // (and a failed step would remove the new one), so it is killed
            await KillAsync(oldPid).ConfigureAwait(false);
        }

        return toVersion;
    }

    /// <summary>Exports the target's disks over NBD (unix socket), mirrors every source disk onto them
    /// (<c>blockdev-mirror</c>, full, write-blocking so guest writes reach both) and waits until every mirror is ready.</summary>
    private static async Task MirrorToTargetAsync(QmpClient src, QmpClient dst, KvmGuestState g, List<DiskCopy> copies, string nbdSocket, List<BlockJobWatch> mirrors, CancellationToken ct)
    {
        await dst.ExecuteAsync("nbd-server-start", new JsonObject { ["addr"] = new JsonObject { ["type"] = "unix", ["data"] = new JsonObject { ["path"] = nbdSocket } } }, null, ct).ConfigureAwait(false);
        foreach (var c in copies)
        {
            await dst.ExecuteAsync("block-export-add", new JsonObject { ["type"] = "nbd", ["id"] = c.MirrorNode, ["node-name"] = c.Node, ["name"] = c.Node, ["writable"] = true }, null, ct).ConfigureAwait(false);
            await src.ExecuteAsync("blockdev-add", new JsonObject
            {
                ["driver"] = "nbd", ["node-name"] = c.MirrorNode, ["export"] = c.Node,
                ["server"] = new JsonObject { ["type"] = "unix", ["path"] = nbdSocket },
            }, null, ct).ConfigureAwait(false);
            var watch = new BlockJobWatch(src, c.MirrorNode + "-job", g.Id);
            mirrors.Add(watch);
            await src.ExecuteAsync("blockdev-mirror", new JsonObject
            {
                ["job-id"] = watch.Job, ["device"] = c.Node, ["target"] = c.MirrorNode, ["sync"] = "full", ["copy-mode"] = "write-blocking", ["auto-dismiss"] = false,
            }, null, ct).ConfigureAwait(false);
        }

        foreach (var m in mirrors)
        {
            if (await m.WaitReadyAsync(ct).ConfigureAwait(false) is { } error)
            {
                throw new HostAdapterException(g.Id, "copying its disk to the target over NBD failed: " + error, null);
            }
        }
    }

    /// <summary>After a failed migration: the source keeps its disks; its mirror jobs and NBD client nodes are removed.</summary>
    private static async Task AbandonMirrorsAsync(QmpClient src, List<BlockJobWatch> mirrors)
    {
        foreach (var m in mirrors)
        {
            try
            {
                using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                if (!m.Concluded)
                {
                    await src.ExecuteAsync("job-cancel", new JsonObject { ["id"] = m.Job }, null, limit.Token).ConfigureAwait(false);
                }

                await m.WaitConcludedAsync(limit.Token).ConfigureAwait(false);
                await src.ExecuteAsync("blockdev-del", new JsonObject { ["node-name"] = m.Job[..^"-job".Length] }, null, limit.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is QmpException or KvmConnectionException or HostAdapterException or OperationCanceledException)
            {
                // best effort: the guest keeps running on the source either way
            }
        }
    }

    private async Task<QmpMigrationInfo> WaitMigrationAsync(QmpClient src, KvmGuestState g, HostOperation operation)
    {
        long start = Time.GetTimestamp();
        var ct = operation.CancellationToken;
        while (true)
        {
            var info = await src.ExecuteAsync("query-migrate", null, KvmJsonContext.Default.QmpMigrationInfo, null, ct).ConfigureAwait(false) ?? new QmpMigrationInfo();
            switch (info.Status)
            {
                case "completed" when info.TotalTime > 0:
                    return info;
                case "failed" or "cancelled":
                    throw new HostAdapterException(g.Id, "migration " + info.Status + (info.ErrorDesc is { } d ? ": " + d : string.Empty) + "; the guest keeps running on the source", null);
            }

            if (Time.GetElapsedTime(start) > _options.MigrationBudget)
            {
                await src.ExecuteAsync("migrate_cancel", null, null, CancellationToken.None).ConfigureAwait(false);
                throw new HostAdapterException(g.Id, "migration did not converge within " + _options.MigrationBudget.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s and was cancelled (" + Progress(info) + "); the guest keeps running on the source", null);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(2), Time, ct).ConfigureAwait(false);
        }
    }
}

/// <summary>One disk copied to the migration target: source node and file, target file, NBD client node on the source.</summary>
internal sealed record DiskCopy(string Node, string SourceFile, string TargetFile, string Driver, long VirtualSize, string MirrorNode);

/// <summary>What one migration measured.</summary>
internal sealed class MigrationOutcome
{
    public string FromVersion { get; init; } = string.Empty;

    public string ToVersion { get; init; } = string.Empty;

    public long DowntimeMs { get; init; }

    public long TotalTimeMs { get; init; }

    public TimeSpan? StopToResume { get; init; }

    /// <summary>The live-update mode used (<c>x-ignore-shared</c>, <c>cpr-reboot</c>, <c>cpr-transfer</c>); empty for a migration.</summary>
    public string Mode { get; init; } = string.Empty;

    /// <summary>Whether this finished a migration an earlier, interrupted attempt started.</summary>
    public bool Resumed { get; init; }
}
