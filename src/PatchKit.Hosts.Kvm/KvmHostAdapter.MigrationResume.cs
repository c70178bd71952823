using System.Globalization;
using System.Text.Json.Nodes;

namespace PatchKit.Hosts.Kvm;

public sealed partial class KvmHostAdapter
{
    /// <summary>A resumed step whose earlier attempt checkpointed <c>migrate:GUEST:GENERATION:TARGET</c> and then died:
    /// QEMU went on migrating without it. Waits for that migration and finishes it (or adopts a target that already
    /// took over), or removes a target left behind by a migration that ended without completing. Returns the outcome
    /// when the guest moved, or null when a migration must be started (again).</summary>
    private async Task<MigrationOutcome?> ResumeMigrationAsync(KvmGuestState g, string checkpoint, bool liveUpdate, HostOperation operation)
    {
        var parts = checkpoint.Split(':');
        if (parts.Length < 4 || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int gen)
            || gen != g.Generation + 1 || !_hosts.TryGetValue(parts[3], out var target))
        {
            return null; // not this guest's pending move (the state already records it, or another one)
        }

        var ct = operation.CancellationToken;
        string baseName = Path.Combine(target.RunDirectory, g.Id + "." + gen.ToString(CultureInfo.InvariantCulture));
        string newQmp = baseName + ".qmp";
        int? newPid = QemuProcess.FindPid(baseName + ".pid", "unix:" + newQmp);
        int? oldPid = QemuProcess.FindPid(g.PidFile, g.Qmp);
        if (oldPid is null)
        {
            if (newPid is null)
            {
                throw new HostAdapterException(g.Id, "an interrupted migration (generation " + gen.ToString(CultureInfo.InvariantCulture) + ") left neither its source nor its target QEMU running", null);
            }

            // the source is gone: the target took over before the crash, only the state was not written
            await using var adopted = await QmpClient.ConnectAsync("unix:" + newQmp, _options.Client, ct).ConfigureAwait(false);
            string v = (await adopted.ExecuteAsync("query-version", null, KvmJsonContext.Default.QmpVersionInfo, null, ct).ConfigureAwait(false))?.ToString() ?? string.Empty;
            Adopt(g, gen, target, baseName);
            return new MigrationOutcome { FromVersion = v, ToVersion = v, Resumed = true };
        }

        await using var src = await ConnectQmpAsync(g, operation).ConfigureAwait(false);
        if (parts.Length > 4)
        {
            // an interrupted CPR live update (the checkpoint names its mode): while the old QEMU still runs the guest,
            // the target left behind goes and the update starts again; a guest already paused for the hand-over is not
            // guessed at
            var status = await src.ExecuteAsync("query-status", null, KvmJsonContext.Default.QmpStatusInfo, null, ct).ConfigureAwait(false);
            if (status?.Running != true)
            {
                throw new HostAdapterException(g.Id, "an interrupted " + parts[4] + " live update left the guest paused in its old QEMU (" + (status?.Status ?? "?") + "); it is not resumed automatically: look at the new QEMU (" + newQmp + ") and the old one before going on", null);
            }

            if (newPid is { } left)
            {
                await KillAsync(left).ConfigureAwait(false);
            }

            await ResetModeAsync(src).ConfigureAwait(false);
            return null;
        }

        var info = await src.ExecuteAsync("query-migrate", null, KvmJsonContext.Default.QmpMigrationInfo, null, ct).ConfigureAwait(false) ?? new QmpMigrationInfo();
        // a QEMU that was itself a migration's target reports that incoming migration as "completed" (with no
        // total-time) until it migrates out: only an outgoing migration counts
        bool inFlight = info.Status is "setup" or "active" or "device" or "pre-switchover" or "wait-unplug"
            || (info.Status == "completed" && info.TotalTime > 0);
        if (!inFlight || newPid is null)
        {
            // it ended without completing (or never began, or its target died): the guest is where it was; a target
            // left behind goes, and so do the disk copy jobs and NBD nodes the attempt left on the source
            string? sourceMem = QemuProcess.MemPath(QemuProcess.TryReadCommandLine(oldPid.Value) ?? []);
            if (newPid is { } stale)
            {
                var staleArgv = QemuProcess.TryReadCommandLine(stale);
                await KillAsync(stale).ConfigureAwait(false);
                if (staleArgv is not null && QemuProcess.MemPath(staleArgv) is { } staleMem && staleMem != sourceMem)
                {
                    File.Delete(staleMem);
                }
            }
            else if (!liveUpdate && sourceMem is not null)
            {
                // a dead target's memory file: the names the adapter gives this generation's targets (nothing of it runs)
                foreach (string f in Directory.EnumerateFiles(Path.GetDirectoryName(sourceMem)!, "patchkit-" + g.Id + "-" + gen.ToString(CultureInfo.InvariantCulture) + "-??????.ram"))
                {
                    if (f != sourceMem)
                    {
                        File.Delete(f);
                    }
                }
            }

            await RemoveLeftoverMirrorsAsync(src, g, gen, ct).ConfigureAwait(false);
            return null;
        }

        string fromVersion = (await src.ExecuteAsync("query-version", null, KvmJsonContext.Default.QmpVersionInfo, null, ct).ConfigureAwait(false))?.ToString() ?? string.Empty;
        try
        {
            info = await WaitMigrationAsync(src, g, operation).ConfigureAwait(false);
        }
        catch (HostAdapterException)
        {
            await KillAsync(newPid.Value).ConfigureAwait(false);
            throw;
        }

        await using var dst = await QmpClient.ConnectAsync("unix:" + newQmp, _options.Client, ct).ConfigureAwait(false);
        // a move with disk copies: end the mirrors the earlier attempt started, stop the export, let the target run
        var jobs = await src.ExecuteAsync("query-jobs", null, KvmJsonContext.Default.ListQmpJobInfo, null, ct).ConfigureAwait(false) ?? [];
        foreach (var j in jobs.Where(j => j.Id.StartsWith("pkm" + gen.ToString(CultureInfo.InvariantCulture) + "-", StringComparison.Ordinal)))
        {
            using var watch = new BlockJobWatch(src, j.Id, g.Id);
            await src.ExecuteAsync("block-job-cancel", new JsonObject { ["device"] = j.Id }, null, ct).ConfigureAwait(false);
            if (await watch.WaitConcludedAsync(ct).ConfigureAwait(false) is { } error)
            {
                throw new HostAdapterException(g.Id, "the disk copy of the interrupted migration failed at the end: " + error, null);
            }

            try
            {
                await dst.ExecuteAsync("nbd-server-stop", null, null, ct).ConfigureAwait(false);
            }
            catch (QmpException)
            {
                // stopped with the first job
            }
        }

        long wait = Time.GetTimestamp();
        while ((await dst.ExecuteAsync("query-status", null, KvmJsonContext.Default.QmpStatusInfo, null, ct).ConfigureAwait(false)) is { } st && st.Running != true)
        {
            if (st.Status is "paused" or "prelaunch")
            {
                await dst.ExecuteAsync("cont", null, null, ct).ConfigureAwait(false);
            }

            if (Time.GetElapsedTime(wait) > TimeSpan.FromSeconds(30))
            {
                throw new HostAdapterException(g.Id, "the new QEMU did not resume after the interrupted migration", null);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5), Time, ct).ConfigureAwait(false);
        }

        string? oldMem = QemuProcess.MemPath(QemuProcess.TryReadCommandLine(oldPid.Value) ?? []);
        string? newMem = QemuProcess.MemPath(QemuProcess.TryReadCommandLine(newPid.Value) ?? []);
        string toVersion = await HandOverAsync(src, dst, oldPid.Value, liveUpdate, cpr: false, ct).ConfigureAwait(false);
        if (!liveUpdate && oldMem is not null && newMem is not null && oldMem != newMem)
        {
            File.Delete(oldMem); // the source's RAM, as a finished migration removes it
        }

        Adopt(g, gen, target, baseName);
        return new MigrationOutcome { FromVersion = fromVersion, ToVersion = toVersion, DowntimeMs = info.Downtime, TotalTimeMs = info.TotalTime, Resumed = true };
    }

    /// <summary>What a migration with disk copies that died left on the source: its mirror jobs (<c>pkmGEN-N-job</c>) are
    /// cancelled and dismissed and its NBD client nodes (<c>pkmGEN-N</c>) removed, so that the migration can start again
    /// under the same names. The guest's own disks are not touched: a mirror cancelled before it completed does not switch.</summary>
    private async Task RemoveLeftoverMirrorsAsync(QmpClient src, KvmGuestState g, int gen, CancellationToken ct)
    {
        string prefix = "pkm" + gen.ToString(CultureInfo.InvariantCulture) + "-";
        long start = Time.GetTimestamp();
        while ((await src.ExecuteAsync("query-jobs", null, KvmJsonContext.Default.ListQmpJobInfo, null, ct).ConfigureAwait(false) ?? [])
            .FindAll(j => j.Id.StartsWith(prefix, StringComparison.Ordinal)) is { Count: > 0 } jobs)
        {
            if (Time.GetElapsedTime(start) > TimeSpan.FromSeconds(30))
            {
                throw new HostAdapterException(g.Id, "the disk copy jobs of an interrupted migration did not end: " + string.Join(", ", jobs.Select(j => j.Id + " (" + j.Status + ")")), null);
            }

            foreach (var j in jobs)
            {
                try
                {
                    if (j.Status == "concluded")
                    {
                        await src.ExecuteAsync("job-dismiss", new JsonObject { ["id"] = j.Id }, null, ct).ConfigureAwait(false);
                    }
                    else if (j.Status is not ("aborting" or "waiting" or "pending" or "null"))
                    {
                        await src.ExecuteAsync("job-cancel", new JsonObject { ["id"] = j.Id }, null, ct).ConfigureAwait(false);
                    }
                }
                catch (QmpException)
                {
                    // the job moved on meanwhile: the next round sees where it is
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), Time, ct).ConfigureAwait(false);
        }

        foreach (string node in (await NodeNamesAsync(src, ct).ConfigureAwait(false)).Keys.Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            await src.ExecuteAsync("blockdev-del", new JsonObject { ["node-name"] = node }, null, ct).ConfigureAwait(false);
        }
    }

    private void Adopt(KvmGuestState g, int gen, KvmHostDescription target, string baseName) => Mutate(_ =>
    {
        g.Generation = gen;
        g.HostId = target.Id;
        g.Qmp = "unix:" + baseName + ".qmp";
        g.Agent = g.Agent is null ? null : "unix:" + baseName + ".qga";
        g.PidFile = baseName + ".pid";
    });

    private async Task KillAsync(int pid)
    {
        try
        {
            System.Diagnostics.Process.GetProcessById(pid).Kill();
        }
        catch (ArgumentException)
        {
        }

        await QemuProcess.WaitForExitAsync(pid, TimeSpan.FromSeconds(30), Time, CancellationToken.None).ConfigureAwait(false);
    }
}
