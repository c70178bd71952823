using System.Globalization;

namespace PatchKit.Hosts.Kvm;

public sealed partial class KvmHostAdapter
{
    /// <inheritdoc/>
    /// <remarks>The clone's disks are copied from the internal snapshot (<c>qemu-img convert -l</c>, read-only, beside a
    /// running source); a new QEMU boots from them with the source's configuration, without any network device, and
    /// new sockets. A clone with that name already there is returned.</remarks>
    public async Task<LabClone> CreateLabCloneAsync(HostOperation operation, string snapshotId, string name)
    {
        ArgumentNullException.ThrowIfNull(operation);
        Fence(operation);
        ArgumentException.ThrowIfNullOrEmpty(snapshotId);
        ArgumentException.ThrowIfNullOrEmpty(name);
        operation.CancellationToken.ThrowIfCancellationRequested();
        var src = Guest(operation.HostId);
        lock (_stateLock)
        {
            if (_state.Guests.TryGetValue(name, out var existing))
            {
                return existing.CloneOf == src.Id
                    ? new LabClone { CloneId = name, SourceHostId = src.Id, Name = name }
                    : throw new HostAdapterException(src.Id, "a guest named '" + name + "' exists and is not a clone of it", null);
            }
        }

        var ct = operation.CancellationToken;
        var host = _hosts[src.HostId];
        string dir = Path.Combine(host.RunDirectory, "lab-" + name);
        Directory.CreateDirectory(dir);
        await operation.CheckpointAsync("lab-clone:" + name).ConfigureAwait(false);
        int pid = QemuProcess.FindPid(src.PidFile, src.Qmp) ?? throw new HostAdapterException(src.Id, "its QEMU process was not found", null);
        var argv = QemuProcess.TryReadCommandLine(pid) ?? throw new HostAdapterException(src.Id, "cannot read QEMU's command line", null);
        List<string> files;
        await using (var qmp = await ConnectQmpAsync(src, operation).ConfigureAwait(false))
        {
            var blocks = await qmp.ExecuteAsync("query-block", null, KvmJsonContext.Default.ListQmpBlockInfo, null, ct).ConfigureAwait(false) ?? [];
            files = [.. blocks.Where(b => b.Inserted is { Drv: "qcow2", Ro: false }).Select(b => b.Inserted!.File)];
        }

        string qmpPath = Path.Combine(dir, "clone.qmp");
        string? agentPath = src.Agent is null ? null : Path.Combine(dir, "clone.qga");
        var spec = new RewriteSpec { PidFile = Path.Combine(dir, "clone.pid"), LogFile = Path.Combine(dir, "clone.log"), Name = "patchkit-lab-" + name, NoNetwork = true };
        spec.Replacements.Add((QemuProcess.SocketPath(src.Qmp), qmpPath));
        if (src.Agent is not null)
        {
            spec.Replacements.Add((QemuProcess.SocketPath(src.Agent), agentPath!));
        }

        foreach (string sock in QemuProcess.ServerSocketPaths(argv))
        {
            if (sock != QemuProcess.SocketPath(src.Qmp) && (src.Agent is null || sock != QemuProcess.SocketPath(src.Agent)))
            {
                spec.Replacements.Add((sock, Path.Combine(dir, Path.GetFileName(sock)))); // other monitors and sockets of the source
            }
        }

        if (ExternalSnapshot(src, snapshotId) is { } external)
        {
            if (external.CommitStarted)
            {
                throw new HostAdapterException(src.Id, "the external snapshot '" + snapshotId + "' was partly committed into its base: no clone can be made from it", null);
            }

            // an external snapshot's bases are the snapshot: the clone writes to its own overlays on them (read-only,
            // shared with the source, which only reads them while its overlays take its writes)
            for (int i = 0; i < external.Layers.Count; i++)
            {
                var layer = external.Layers[i];
                string overlay = Path.Combine(dir, "disk" + i.ToString(CultureInfo.InvariantCulture) + ".qcow2");
                await QemuProcess.RunAsync(_options.QemuImgBinary, ["create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", layer.BaseFile, "-u", overlay, layer.VirtualSize.ToString(CultureInfo.InvariantCulture)], null, ct).ConfigureAwait(false);
                spec.Replacements.Add(("filename=" + layer.OriginalFile, "filename=" + overlay));
            }
        }
        else
        {
            for (int i = 0; i < files.Count; i++)
            {
                string copy = Path.Combine(dir, "disk" + i.ToString(CultureInfo.InvariantCulture) + ".qcow2");
                await QemuProcess.RunAsync(_options.QemuImgBinary, ["convert", "-U", "-l", "snapshot.name=" + snapshotId, "-O", "qcow2", files[i], copy], null, ct).ConfigureAwait(false);
                spec.Replacements.Add(("filename=" + files[i], "filename=" + copy));
            }
        }

        if (QemuProcess.MemPath(argv) is { } mem)
        {
            spec.Replacements.Add(("mem-path=" + mem, "mem-path=" + Path.Combine(Path.GetDirectoryName(mem)!, "patchkit-lab-" + name + "-" + Guid.NewGuid().ToString("N")[..6] + ".ram")));
        }

        // the console log of the source must not be shared with the clone
        for (int i = 0; i < argv.Count; i++)
        {
            if (argv[i].StartsWith("file,", StringComparison.Ordinal) && argv[i].Contains("path=", StringComparison.Ordinal))
            {
                string p = argv[i].Split(',').First(x => x.StartsWith("path=", StringComparison.Ordinal))[5..];
                spec.Replacements.Add(("path=" + p, "path=" + Path.Combine(dir, Path.GetFileName(p))));
            }
        }

        await QemuProcess.RunAsync(argv[0], QemuProcess.Rewrite(argv, spec), null, ct).ConfigureAwait(false);
        Mutate(s => s.Guests[name] = new KvmGuestState
        {
            Id = name, HostId = src.HostId, Qmp = "unix:" + qmpPath, Agent = agentPath is null ? null : "unix:" + agentPath, PidFile = spec.PidFile,
            StateDirectory = src.StateDirectory, PatchRoot = src.PatchRoot, PatchStrip = src.PatchStrip, Tags = ["lab"],
            LabVerify = src.LabVerify, LabVerifyTimeout = src.LabVerifyTimeout,
            CloneOf = src.Id, CloneDirectory = dir, CloneSnapshot = snapshotId,
        });
        if (agentPath is not null)
        {
            using var scope = new OperationScope(operation, operation.Timeout == Timeout.InfiniteTimeSpan ? _options.BootTimeout : operation.Timeout);
            await WaitForNewBootAsync(Guest(name), null, scope.Token).ConfigureAwait(false);
        }

        return new LabClone { CloneId = name, SourceHostId = src.Id, Name = name };
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<LabClone>> ListLabClonesAsync(HostOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        operation.CancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<LabClone> clones = [.. Snapshot().Where(g => g.CloneOf == operation.HostId).Select(g => new LabClone { CloneId = g.Id, SourceHostId = g.CloneOf!, Name = g.Id })];
        return Task.FromResult(clones);
    }

    /// <inheritdoc/>
    /// <remarks><see cref="HostOperation.HostId"/> is the clone. Its QEMU is stopped and its disks and sockets removed.</remarks>
    public async Task<HostStepResult> DestroyLabCloneAsync(HostOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        Fence(operation);
        operation.CancellationToken.ThrowIfCancellationRequested();
        long start = Time.GetTimestamp();
        KvmGuestState? clone;
        lock (_stateLock)
        {
            _state.Guests.TryGetValue(operation.HostId, out clone);
        }

        if (clone is null)
        {
            return HostStepResult.Ok(Time.GetElapsedTime(start), "no clone '" + operation.HostId + "': nothing to destroy");
        }

        if (clone.CloneOf is null)
        {
            return HostStepResult.Fail("'" + clone.Id + "' is not a lab clone; refusing to destroy it", Time.GetElapsedTime(start), "NotAClone");
        }

        if (QemuProcess.FindPid(clone.PidFile, clone.Qmp) is { } pid)
        {
            var argv = QemuProcess.TryReadCommandLine(pid);
            try
            {
                System.Diagnostics.Process.GetProcessById(pid).Kill();
            }
            catch (ArgumentException)
            {
            }

            await QemuProcess.WaitForExitAsync(pid, TimeSpan.FromSeconds(30), Time, CancellationToken.None).ConfigureAwait(false);
            if (argv is not null && QemuProcess.MemPath(argv) is { } mem && mem.Contains("patchkit-lab-", StringComparison.Ordinal))
            {
                File.Delete(mem);
            }
        }

        if (clone.CloneDirectory is { } dir && Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }

        Mutate(s => s.Guests.Remove(clone.Id));
        return HostStepResult.Ok(Time.GetElapsedTime(start), "clone '" + clone.Id + "' destroyed");
    }
}
