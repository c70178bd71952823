using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using PatchKit.Hosts;
using PatchKit.Hosts.Kvm;

namespace PatchKit.Tests.Hosts.Kvm;

/// <summary>What the KVM adapter does to a real guest: live update and migration without a reboot, snapshots that
/// restore memory and disk, reboot-and-wait, inventory, and unified diffs applied inside the guest all-or-nothing.</summary>
[Collection(KvmFleetCollection.Name)]
public sealed class KvmHostAdapterTests(KvmFleetFixture fleet)
{
    private static HostOperation Op(string id) => KvmFleetFixture.Op(id);

    private static async Task<string> ShAsync(KvmHostAdapter a, string script)
    {
        var r = await a.ExecAsync(Op("prod"), new GuestCommand { Program = "/bin/sh", Arguments = ["-c", script], Timeout = TimeSpan.FromMinutes(1) });
        Assert.True(r.ExitCode == 0, "guest: " + script + ": " + Encoding.UTF8.GetString(r.StandardError.Span));
        return Encoding.UTF8.GetString(r.StandardOutput.Span);
    }

    private static async Task<(long Counter, double Uptime)> HeartbeatAsync(KvmHostAdapter a)
    {
        string[] f = (await ShAsync(a, "for i in 1 2 3 4 5 6 7 8 9; do h=$(cat /run/heartbeat); case \"$h\" in *' '*) break;; esac; sleep 0.05; done; echo \"$h\"")).Trim().Split(' ');
        return (long.Parse(f[0], CultureInfo.InvariantCulture), double.Parse(f[1], CultureInfo.InvariantCulture));
    }

    /// <summary>The run state of a migration target started by the test; if that QEMU has exited, the failure carries
    /// its log, which says why (its files live in the fixture's temporary folder, gone after the run). A source given
    /// is resumed first, so the guest the collection shares keeps running for the tests after this one.</summary>
    private static async Task<string?> TargetStatusAsync(QmpClient dst, string baseName, QmpClient? source = null)
    {
        try
        {
            return (await dst.ExecuteAsync("query-status")).GetProperty("status").GetString();
        }
        catch (KvmConnectionException ex)
        {
            if (source is not null)
            {
                await source.ExecuteAsync("cont");
            }

            string log = File.Exists(baseName + ".log") ? File.ReadAllText(baseName + ".log") : "(no log written)";
            throw new Xunit.Sdk.XunitException("the migration target " + baseName + " exited: " + ex.Message + "\nits log:\n" + log);
        }
    }

    private string ConsoleLog => File.ReadAllText(Path.Combine(fleet.HostA, "console.log"));

    [QemuFact]
    public async Task LiveUpdate_ThreeTimesInARow_NewQemuProcessEachTime_HeartbeatAndUptimeNeverReset_DiskUnchanged()
    {
        await using var a = fleet.CreateAdapter();
        string md5 = await ShAsync(a, "head -c 1048576 /dev/urandom > /mnt/data/lu.bin && sync && md5sum /mnt/data/lu.bin");
        int boots = CountBoots();
        var hb = await HeartbeatAsync(a);
        var inv = await a.GetInventoryAsync(CancellationToken.None);
        var host = inv.Hosts.Single(h => h.Id == "kvm-a");
        var prod = inv.Hosts.Single(h => h.Id == "prod");
        Assert.True(a.CanLiveUpdate(prod, new InstallRequest { PatchId = "qemu" }, livePatchable: true));
        var pids = new HashSet<int>();
        for (int round = 0; round < 3; round++)
        {
            var r = await a.LiveUpdateAsync(Op("prod"), new InstallRequest { PatchId = "qemu-" + host.Version });
            Assert.True(r.Status == HostOperationStatus.Succeeded, r.Message);
            Assert.Equal(["prod"], r.Installed);
            Assert.Contains("x-ignore-shared", r.Message, StringComparison.Ordinal);
            Assert.Contains("QEMU " + prod.RunningEmulatorVersion + " -> " + host.Version, r.Message, StringComparison.Ordinal);
            var now = await HeartbeatAsync(a);
            double uptime = double.Parse(await ShAsync(a, "cut -d' ' -f1 /proc/uptime"), CultureInfo.InvariantCulture);
            Assert.True(now.Counter >= hb.Counter, $"heartbeat {now.Counter} after {hb.Counter}: reset");
            Assert.True(uptime > hb.Uptime, $"uptime {uptime} after {hb.Uptime}");
            hb = (now.Counter, uptime);
            string pidFile = Directory.EnumerateFiles(fleet.HostA, "prod.*.pid").OrderBy(File.GetLastWriteTimeUtc).Last();
            pids.Add(int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture));
        }

        await HeartbeatGrowsAsync(a, hb.Counter);
        Assert.Equal(3, pids.Count);
        Assert.DoesNotContain(fleet.Prod.Pid, pids);
        Assert.False(fleet.Prod.IsAlive());
        Assert.Equal(md5, await ShAsync(a, "echo 3 > /proc/sys/vm/drop_caches; md5sum /mnt/data/lu.bin"));
        Assert.Equal(boots, CountBoots());
        // a snapshot still works after the updates (x-ignore-shared was turned off again)
        var snap = await a.CreateSnapshotAsync(Op("prod"), "after-live-update");
        Assert.True((await a.RevertSnapshotAsync(Op("prod"), snap.SnapshotId)).Succeeded);
        Assert.True((await a.RemoveSnapshotAsync(Op("prod"), snap.SnapshotId)).Succeeded);
    }

    [QemuFact]
    public async Task LiveUpdate_ToABinaryInstalledAtAnotherPath_TheGuestRunsOnIt_NoReboot_ThenBackOntoTheSystemBinary()
    {
        // a copy of the installed QEMU at a new path stands for an upgrade installed elsewhere: it finds neither its
        // modules nor its BIOS by itself
        string bin = Directory.CreateDirectory(Path.Combine(fleet.Root, "qemu-new", "bin")).FullName;
        string copy = Path.Combine(bin, "qemu-system-x86_64");
        File.Copy("/usr/bin/qemu-system-x86_64", copy, overwrite: true); // keeps the mode (executable)
        await using var a = fleet.CreateAdapter(o =>
        {
            o.QemuBinary = copy;
            o.QemuModuleDirectory = "/usr/lib/x86_64-linux-gnu/qemu";
            o.QemuDataDirectories.Add("/usr/share/seabios");
            o.QemuDataDirectories.Add("/usr/share/qemu");
        });
        var hb = await HeartbeatAsync(a);
        int boots = CountBoots();
        var r = await a.LiveUpdateAsync(Op("prod"), new InstallRequest { PatchId = "qemu-at-new-path" });
        Assert.True(r.Status == HostOperationStatus.Succeeded, r.Message);
        Assert.Contains(copy, r.Message, StringComparison.Ordinal);
        Assert.Equal(copy, ProdExecutable());
        await HeartbeatGrowsAsync(a, hb.Counter);
        await using var b = fleet.CreateAdapter();
        var back = await b.LiveUpdateAsync(Op("prod"), new InstallRequest { PatchId = "qemu-system" });
        Assert.True(back.Status == HostOperationStatus.Succeeded, back.Message);
        Assert.Equal("/usr/bin/qemu-system-x86_64", ProdExecutable());
        await HeartbeatGrowsAsync(b, hb.Counter);
        Assert.Equal(boots, CountBoots());
    }

    /// <summary>The executable of prod's newest QEMU process.</summary>
    private string ProdExecutable()
    {
        string pidFile = Directory.EnumerateFiles(fleet.Root, "prod.*.pid", SearchOption.AllDirectories).OrderBy(File.GetLastWriteTimeUtc).Last();
        return new FileInfo("/proc/" + File.ReadAllText(pidFile).Trim() + "/exe").LinkTarget!;
    }

    [QemuFact]
    public async Task Evacuation_MovesTheRunningGuestToTheOtherHostAndBack_HeartbeatContinues_DiskChecksumEqual()
    {
        await using var a = fleet.CreateAdapter();
        string md5 = await ShAsync(a, "head -c 524288 /dev/urandom > /mnt/data/evac.bin && sync && md5sum /mnt/data/evac.bin");
        int boots = CountBoots();
        var hb = await HeartbeatAsync(a);
        var away = await a.EvacuateAsync(Op("kvm-a"), ["prod"]);
        Assert.True(away.Succeeded, away.Message);
        Assert.Equal("kvm-b", Assert.Single(away.Moves).ToHostId);
        Assert.Contains("prod", (await a.GetInventoryAsync(CancellationToken.None)).Hosts.Single(h => h.Id == "kvm-b").Guests);
        Assert.NotEmpty(Directory.EnumerateFiles(fleet.HostB, "prod.*.qmp"));
        var there = await HeartbeatAsync(a);
        Assert.True(there.Counter >= hb.Counter && there.Uptime >= hb.Uptime, "heartbeat reset");
        await HeartbeatGrowsAsync(a, there.Counter);
        Assert.Equal(md5, await ShAsync(a, "echo 3 > /proc/sys/vm/drop_caches; md5sum /mnt/data/evac.bin"));
        var back = await a.RebalanceAsync(Op("kvm-a"), ["prod"]);
        Assert.True(back.Succeeded, back.Message);
        Assert.Equal(["prod"], await a.ListGuestsAsync(Op("kvm-a")));
        await HeartbeatGrowsAsync(a, there.Counter);
        Assert.Equal(boots, CountBoots());
    }

    [QemuFact]
    public async Task Evacuation_WithoutSharedStorage_CopiesTheDiskOverNbd_GuestKeepsRunning_ChecksumEqual()
    {
        await using var a = fleet.CreateAdapter(o =>
        {
            foreach (var h in o.Hosts)
            {
                h.SharedStorage = false;
            }
        });
        string md5 = await ShAsync(a, "head -c 1048576 /dev/urandom > /mnt/data/nbd.bin && sync && md5sum /mnt/data/nbd.bin");
        string sourceDisk = await DiskFileAsync(a);
        int boots = CountBoots();
        var hb = await HeartbeatAsync(a);
        var away = await a.EvacuateAsync(Op("kvm-a"), ["prod"]);
        Assert.True(away.Succeeded, away.Message);
        Assert.Equal("kvm-b", Assert.Single(away.Moves).ToHostId);
        string there = await DiskFileAsync(a);
        Assert.StartsWith(fleet.HostB + "/", there, StringComparison.Ordinal); // its own copy on the other host, not the shared image
        Assert.True(File.Exists(sourceDisk), "the source's image is left in place");
        var hbThere = await HeartbeatAsync(a);
        Assert.True(hbThere.Counter >= hb.Counter && hbThere.Uptime >= hb.Uptime, "heartbeat reset");
        Assert.Equal(md5, await ShAsync(a, "echo 3 > /proc/sys/vm/drop_caches; md5sum /mnt/data/nbd.bin"));
        // written on the copy, carried back by the next copy
        string md5b = await ShAsync(a, "head -c 65536 /dev/urandom > /mnt/data/nbd2.bin && sync && md5sum /mnt/data/nbd2.bin");
        var back = await a.RebalanceAsync(Op("kvm-a"), ["prod"]);
        Assert.True(back.Succeeded, back.Message);
        Assert.StartsWith(fleet.HostA + "/", await DiskFileAsync(a), StringComparison.Ordinal);
        Assert.Equal(md5 + md5b, await ShAsync(a, "echo 3 > /proc/sys/vm/drop_caches; md5sum /mnt/data/nbd.bin; md5sum /mnt/data/nbd2.bin"));
        await HeartbeatGrowsAsync(a, hbThere.Counter);
        Assert.Equal(boots, CountBoots());
    }

    private static async Task<string> DiskFileAsync(KvmHostAdapter a)
    {
        var r = await a.RunStepAsync(Op("prod"), new HostStep { Name = "qmp", Arguments = ["query-block"] });
        Assert.True(r.Succeeded, r.Message);
        using var doc = System.Text.Json.JsonDocument.Parse(r.Message);
        return doc.RootElement.EnumerateArray().Select(b => b.GetProperty("inserted")).Single(i => !i.GetProperty("ro").GetBoolean()).GetProperty("file").GetString()!;
    }

    [QemuFact]
    public async Task Evacuation_ResumedAfterTheRunDiedMidMigration_WaitsForTheMigrationInFlight_StartsNoSecondQemu()
    {
        await using var a = fleet.CreateAdapter();
        var g = a.Guest("prod");
        Assert.Equal("kvm-a", g.HostId);
        int gen = g.Generation + 1;
        int boots = CountBoots();
        var hb = await HeartbeatAsync(a);
        // what a run killed right after its checkpoint leaves behind, made with the adapter's own rewrite: the target QEMU
        // waiting on kvm-b under the names of the next generation, and the source sending to it, slowly, with nobody watching
        int srcPid = QemuProcess.FindPid(g.PidFile, g.Qmp)!.Value;
        var (dstPid, baseName) = await StartLeftBehindTargetAsync(g, gen, "resume");
        await using (var dst = await QmpClient.ConnectAsync("unix:" + baseName + ".qmp"))
        {
            await dst.ExecuteAsync("migrate-incoming", new JsonObject { ["uri"] = "unix:" + baseName + ".mig" });
        }

        await using (var src = await QmpClient.ConnectAsync(g.Qmp))
        {
            await src.ExecuteAsync("migrate-set-parameters", new JsonObject { ["max-bandwidth"] = 16L << 20 });
            await src.ExecuteAsync("migrate", new JsonObject { ["uri"] = "unix:" + baseName + ".mig" });
            string? status = (await src.ExecuteAsync("query-migrate")).GetProperty("status").GetString();
            Assert.True(status is "setup" or "active", "migration " + status);
        }

        var resumed = new HostOperation("kvm-a") { Checkpoint = "migrate:prod:" + gen.ToString(CultureInfo.InvariantCulture) + ":kvm-b", Timeout = TimeSpan.FromMinutes(3) };
        var r = await a.EvacuateAsync(resumed, ["prod"]);
        Assert.True(r.Succeeded, r.Message);
        Assert.Equal("kvm-b", Assert.Single(r.Moves).ToHostId);
        Assert.Equal(dstPid, QemuProcess.FindPid(a.Guest("prod").PidFile, a.Guest("prod").Qmp)); // the target of the interrupted migration runs the guest
        Assert.False(File.Exists(Path.Combine(fleet.HostB, "prod." + (gen + 1).ToString(CultureInfo.InvariantCulture) + ".pid")), "a second migration was started");
        Assert.False(Runs(srcPid), "the source still runs");
        var there = await HeartbeatAsync(a);
        Assert.True(there.Counter >= hb.Counter, "heartbeat reset");
        await using var b = fleet.CreateAdapter(); // back home for the other tests, by a normal migration
        Assert.True((await b.RebalanceAsync(Op("kvm-a"), ["prod"])).Succeeded);
        await HeartbeatGrowsAsync(b, there.Counter);
        Assert.Equal(boots, CountBoots());
    }

    /// <summary>Starts what a run killed after its <c>migrate:prod:GEN:kvm-b</c> checkpoint may leave behind: the target
    /// QEMU of the next generation on kvm-b (made with the adapter's own rewrite), waiting for <c>migrate-incoming</c>.</summary>
    /// <remarks>With <paramref name="memName"/> null the new QEMU is started in <paramref name="hostDir"/> on the same
    /// memory file, as a live update starts it.</remarks>
    private async Task<(int Pid, string BaseName)> StartLeftBehindTargetAsync(KvmGuestState g, int gen, string? memName, string? hostDir = null)
    {
        int srcPid = QemuProcess.FindPid(g.PidFile, g.Qmp)!.Value;
        var argv = QemuProcess.TryReadCommandLine(srcPid)!;
        string baseName = Path.Combine(hostDir ?? fleet.HostB, "prod." + gen.ToString(CultureInfo.InvariantCulture));
        var spec = new RewriteSpec { PidFile = baseName + ".pid", LogFile = baseName + ".log", Incoming = "defer" };
        spec.Replacements.Add((QemuProcess.SocketPath(g.Qmp), baseName + ".qmp"));
        spec.Replacements.Add((QemuProcess.SocketPath(g.Agent!), baseName + ".qga"));
        if (memName is not null)
        {
            spec.Replacements.Add(("mem-path=" + QemuProcess.MemPath(argv)!, "mem-path=/dev/shm/patchkit-" + Path.GetFileName(fleet.Root) + "-" + memName + ".ram"));
        }

        await QemuProcess.RunAsync(argv[0], QemuProcess.Rewrite(argv, spec), null, CancellationToken.None);
        return (int.Parse(File.ReadAllText(spec.PidFile).Trim(), CultureInfo.InvariantCulture), baseName);
    }

    private static bool Runs(int pid) => TestQemus.IsQemu(pid);

    [QemuFact]
    public async Task Evacuation_ResumedAfterTheRunDiedBeforeTheMigrationBegan_KillsTheLeftBehindTarget_MigratesAgain()
    {
        await using var a = fleet.CreateAdapter();
        var g = a.Guest("prod");
        Assert.Equal("kvm-a", g.HostId);
        int gen = g.Generation + 1;
        int boots = CountBoots();
        var hb = await HeartbeatAsync(a);
        int srcPid = QemuProcess.FindPid(g.PidFile, g.Qmp)!.Value;
        // the run died after starting the target and before "migrate": the source never migrated
        var (stale, baseName) = await StartLeftBehindTargetAsync(g, gen, "stale");
        string staleMem = "/dev/shm/patchkit-" + Path.GetFileName(fleet.Root) + "-stale.ram";
        Assert.True(File.Exists(staleMem));

        var resumed = new HostOperation("kvm-a") { Checkpoint = "migrate:prod:" + gen.ToString(CultureInfo.InvariantCulture) + ":kvm-b", Timeout = TimeSpan.FromMinutes(3) };
        var r = await a.EvacuateAsync(resumed, ["prod"]);
        Assert.True(r.Succeeded, r.Message + ": " + string.Join("; ", r.FailedGuests.Select(f => f.GuestId + ": " + f.Reason)));
        Assert.Equal("kvm-b", Assert.Single(r.Moves).ToHostId);
        Assert.False(Runs(stale), "the left-behind target still runs");
        Assert.False(File.Exists(staleMem), "the left-behind target's memory file is still there");
        int now = QemuProcess.FindPid(a.Guest("prod").PidFile, a.Guest("prod").Qmp)!.Value;
        Assert.NotEqual(stale, now); // a new migration to a new target
        Assert.Equal(baseName + ".pid", a.Guest("prod").PidFile);
        Assert.False(Runs(srcPid), "the source still runs");
        var there = await HeartbeatAsync(a);
        Assert.True(there.Counter >= hb.Counter, "heartbeat reset");
        await using var b = fleet.CreateAdapter();
        Assert.True((await b.RebalanceAsync(Op("kvm-a"), ["prod"])).Succeeded);
        await HeartbeatGrowsAsync(b, there.Counter);
        Assert.Equal(boots, CountBoots());
    }

    [QemuFact]
    public async Task Evacuation_ResumedAfterTheTargetTookOverAndTheSourceIsGone_AdoptsTheTarget()
    {
        await using var a = fleet.CreateAdapter();
        var g = a.Guest("prod");
        Assert.Equal("kvm-a", g.HostId);
        int gen = g.Generation + 1;
        int boots = CountBoots();
        var hb = await HeartbeatAsync(a);
        int srcPid = QemuProcess.FindPid(g.PidFile, g.Qmp)!.Value;
        // the run died after the migration completed and before it wrote the state; the old QEMU is gone since
        var (dstPid, baseName) = await StartLeftBehindTargetAsync(g, gen, "adopt");
        await using (var dst = await QmpClient.ConnectAsync("unix:" + baseName + ".qmp"))
        {
            await dst.ExecuteAsync("migrate-incoming", new JsonObject { ["uri"] = "unix:" + baseName + ".mig" });
            await using var src = await QmpClient.ConnectAsync(g.Qmp);
            await src.ExecuteAsync("migrate", new JsonObject { ["uri"] = "unix:" + baseName + ".mig" });
            for (int i = 0; i < 1200 && (await src.ExecuteAsync("query-migrate")).GetProperty("status").GetString() != "completed"; i++)
            {
                await Task.Delay(100);
            }

            for (int i = 0; i < 300 && await TargetStatusAsync(dst, baseName, src) != "running"; i++)
            {
                await Task.Delay(100);
            }

            Assert.Equal("running", await TargetStatusAsync(dst, baseName, src));
        }

        System.Diagnostics.Process.GetProcessById(srcPid).Kill();
        for (int i = 0; i < 100 && Runs(srcPid); i++)
        {
            await Task.Delay(100);
        }

        var resumed = new HostOperation("kvm-a") { Checkpoint = "migrate:prod:" + gen.ToString(CultureInfo.InvariantCulture) + ":kvm-b", Timeout = TimeSpan.FromMinutes(3) };
        var r = await a.EvacuateAsync(resumed, ["prod"]);
        Assert.True(r.Succeeded, r.Message);
        Assert.Equal("kvm-b", Assert.Single(r.Moves).ToHostId);
        Assert.Equal(dstPid, QemuProcess.FindPid(a.Guest("prod").PidFile, a.Guest("prod").Qmp));
        Assert.False(File.Exists(Path.Combine(fleet.HostB, "prod." + (gen + 1).ToString(CultureInfo.InvariantCulture) + ".pid")), "a second migration was started");
        var there = await HeartbeatAsync(a);
        Assert.True(there.Counter >= hb.Counter, "heartbeat reset");
        await using var b = fleet.CreateAdapter(); // the state file now says kvm-b: a normal migration brings it home
        Assert.Equal("kvm-b", b.Guest("prod").HostId);
        Assert.True((await b.RebalanceAsync(Op("kvm-a"), ["prod"])).Succeeded);
        await HeartbeatGrowsAsync(b, there.Counter);
        Assert.Equal(boots, CountBoots());
    }

    [QemuFact]
    public async Task Evacuation_ThatDoesNotConvergeWithinItsBudget_IsCancelled_TheGuestKeepsRunningOnTheSource()
    {
        // 8 MiB/s for 192 MiB of guest RAM cannot finish within a 2 s budget
        await using var a = fleet.CreateAdapter(o =>
        {
            o.MaxBandwidthBytesPerSecond = 8L << 20;
            o.MigrationBudget = TimeSpan.FromSeconds(2);
        });
        var hb = await HeartbeatAsync(a);
        int boots = CountBoots();
        var r = await a.EvacuateAsync(Op("kvm-a"), ["prod"]);
        Assert.Equal(HostOperationStatus.Failed, r.Status);
        Assert.Empty(r.Moves);
        var failure = Assert.Single(r.FailedGuests);
        Assert.Equal("prod", failure.GuestId);
        Assert.Contains("did not converge", failure.Reason, StringComparison.Ordinal);
        Assert.Equal(["prod"], await a.ListGuestsAsync(Op("kvm-a")));
        await HeartbeatGrowsAsync(a, hb.Counter);
        Assert.Equal(boots, CountBoots());
        Assert.Equal("running", (await a.RunStepAsync(Op("prod"), new HostStep { Name = "qmp", Arguments = ["query-status"] })).Message.Split('"')[3]);
        // the half-started destination was removed
        foreach (string pid in Directory.EnumerateFiles(fleet.HostB, "prod.*.pid"))
        {
            int p = int.Parse(File.ReadAllText(pid).Trim(), CultureInfo.InvariantCulture);
            Assert.False(Runs(p), "destination QEMU " + p + " still runs");
        }
    }

    [QemuFact]
    public async Task SnapshotRevert_RestoresMemoryAndDisk()
    {
        await using var a = fleet.CreateAdapter();
        await ShAsync(a, "echo before > /mnt/data/snap.txt && sync");
        var others = (await a.ListSnapshotsAsync(Op("prod"))).Select(x => x.Name).Order(StringComparer.Ordinal).ToList(); // other tests' snapshots
        var snap = await a.CreateSnapshotAsync(Op("prod"), "revert-test");
        var atSnapshot = await HeartbeatAsync(a);
        await Task.Delay(6000); // the counter must get well ahead of the snapshot, even on a loaded machine
        await ShAsync(a, "echo after > /mnt/data/snap.txt && sync && echo marker > /run/in-memory-only");
        var later = await HeartbeatAsync(a);
        Assert.True(later.Counter > atSnapshot.Counter);
        var r = await a.RevertSnapshotAsync(Op("prod"), snap.SnapshotId);
        Assert.True(r.Succeeded, r.Message);
        var reverted = await HeartbeatAsync(a); // first, before the guest has run on for long
        Assert.True(reverted.Counter < later.Counter, $"the heartbeat counter (guest RAM) went back: {atSnapshot.Counter} at the snapshot, {later.Counter} before the revert, {reverted.Counter} after it");
        Assert.Equal("before\n", await ShAsync(a, "cat /mnt/data/snap.txt"));
        Assert.Equal("gone\n", await ShAsync(a, "[ -e /run/in-memory-only ] && echo there || echo gone"));
        Assert.True((await a.RemoveSnapshotAsync(Op("prod"), snap.SnapshotId)).Succeeded);
        Assert.Equal(others, (await a.ListSnapshotsAsync(Op("prod"))).Select(x => x.Name).Order(StringComparer.Ordinal));
        var missing = await a.RevertSnapshotAsync(Op("prod"), "no-such-snapshot");
        Assert.Equal(HostOperationStatus.Failed, missing.Status);
    }

    [QemuFact]
    public async Task Inventory_RunningAndInstalledQemu_GuestOsFromTheAgent_Placement()
    {
        await using var a = fleet.CreateAdapter();
        var inv = await a.GetInventoryAsync(CancellationToken.None);
        var host = inv.Hosts.Single(h => h.Id == "kvm-a");
        Assert.Equal(HostKind.Kvm, host.Kind);
        Assert.Matches(@"^\d+\.\d+\.\d+$", host.Version);
        var prod = inv.Hosts.Single(h => h.Id == "prod");
        Assert.Equal(HostStatus.Reachable, prod.Status);
        Assert.Equal("kvm-a", prod.ParentId);
        Assert.Equal("patchkit-fixture", prod.Os!.Id);
        Assert.StartsWith("6.", prod.Os.Build, StringComparison.Ordinal);
        Assert.Equal("patchkit-prod", prod.Name);
        Assert.Equal(host.Version, prod.RunningEmulatorVersion); // the same binary runs and is installed here
        Assert.Empty(prod.Packages); // the fixture guest has neither dpkg nor rpm
        Assert.Equal(HostStatus.Reachable, inv.Hosts.Single(h => h.Id == "stuck").Status);
        Assert.Equal(HostStatus.Unreachable, inv.Hosts.Single(h => h.Id == "down").Status);
        var id = await a.IdentifyAsync(Op("prod"));
        Assert.NotNull(id);
        Assert.InRange(id.BootedAt, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow);
    }

    [QemuFact]
    public async Task RebootAndWait_TheGuestBootsAgain_AndItsAgentAnswers()
    {
        await using var a = fleet.CreateAdapter();
        string bootId = await ShAsync(a, "cat /proc/sys/kernel/random/boot_id");
        int boots = CountBoots();
        var r = await a.RebootAndWaitAsync(Op("prod"));
        Assert.True(r.Status == HostOperationStatus.Succeeded, r.Message);
        Assert.NotEqual(bootId, await ShAsync(a, "cat /proc/sys/kernel/random/boot_id"));
        Assert.Equal(boots + 1, CountBoots());
    }

    [QemuFact]
    public async Task UnifiedDiff_AppliedInsideTheGuest_AllFilesOrNone_PathsOutsideTheRootRefused()
    {
        await using var a = fleet.CreateAdapter();
        await ShAsync(a, "mkdir -p /mnt/data/etc && printf 'a=1\\nb=2\\nc=3\\n' > /mnt/data/etc/one.conf && printf 'x=1\\ny=2\\n' > /mnt/data/etc/two.conf && chmod 640 /mnt/data/etc/one.conf");
        string sums = await ShAsync(a, "md5sum /mnt/data/etc/one.conf /mnt/data/etc/two.conf");
        string Diff(string twoRemoved) =>
            "--- a/mnt/data/etc/one.conf\n+++ b/mnt/data/etc/one.conf\n@@ -1,3 +1,3 @@\n a=1\n-b=2\n+b=20\n c=3\n" +
            "--- a/mnt/data/etc/two.conf\n+++ b/mnt/data/etc/two.conf\n@@ -1,2 +1,2 @@\n x=1\n-" + twoRemoved + "\n+y=200\n";
        string bad = Path.Combine(fleet.Root, "bad.diff");
        File.WriteAllText(bad, Diff("y=999"));
        var failed = await a.InstallAsync(Op("prod"), new InstallRequest { PatchId = "conf-bad", Payloads = [new InstallPayload { Kind = "unified-diff", Location = bad }] });
        Assert.Equal(HostOperationStatus.Failed, failed.Status);
        Assert.Contains("two.conf", failed.Message, StringComparison.Ordinal);
        Assert.Equal(sums, await ShAsync(a, "md5sum /mnt/data/etc/one.conf /mnt/data/etc/two.conf")); // one.conf untouched too

        string good = Path.Combine(fleet.Root, "good.diff");
        File.WriteAllText(good, Diff("y=2"));
        var ok = await a.InstallAsync(Op("prod"), new InstallRequest { PatchId = "conf-good", Payloads = [new InstallPayload { Kind = "unified-diff", Location = "file://" + good }], Reboot = RebootBehavior.Never });
        Assert.True(ok.Status == HostOperationStatus.Succeeded, ok.Message);
        Assert.Equal("a=1\nb=20\nc=3\n", await ShAsync(a, "cat /mnt/data/etc/one.conf"));
        Assert.Equal("x=1\ny=200\n", await ShAsync(a, "cat /mnt/data/etc/two.conf"));
        Assert.Equal("640\n", await ShAsync(a, "stat -c %a /mnt/data/etc/one.conf"));
        Assert.Equal(string.Empty, await ShAsync(a, "ls /mnt/data/etc | grep patchkit || true"));

        string escape = Path.Combine(fleet.Root, "escape.diff");
        File.WriteAllText(escape, "--- /dev/null\n+++ b/../../tmp/evil\n@@ -0,0 +1 @@\n+x\n");
        var refused = await a.InstallAsync(Op("prod"), new InstallRequest { PatchId = "escape", Payloads = [new InstallPayload { Kind = "unified-diff", Location = escape }] });
        Assert.Equal(HostOperationStatus.Failed, refused.Status);
        Assert.Equal("no\n", await ShAsync(a, "[ -e /tmp/evil ] && echo yes || echo no"));

        var pkg = await a.InstallAsync(Op("prod"), new InstallRequest { PatchId = "pkg", Payloads = [new InstallPayload { Kind = "package", Location = "openssl=3.0.15-1" }] });
        Assert.Equal(HostOperationStatus.Failed, pkg.Status);
        Assert.Contains("no package manager", pkg.Message, StringComparison.Ordinal);
    }

    [QemuFact]
    public async Task QmpConnectionFails_TheGuestMovedByAnotherAdapter_IsFoundWhereItRunsNow_AGuestRunningNowhereIsAClearError()
    {
        await using var a = fleet.CreateAdapter();
        var g = a.Guest("prod");
        string oldQmp = g.Qmp;
        int gen = g.Generation;
        string host = g.HostId;
        int boots = CountBoots();
        var hb = await HeartbeatAsync(a);

        // another adapter instance (another run) live updates the guest: this one's record names a QMP socket that is gone
        await using (var other = fleet.CreateAdapter())
        {
            var up = await other.LiveUpdateAsync(Op("prod"), new InstallRequest { PatchId = "qemu-moved-elsewhere" });
            Assert.True(up.Status == HostOperationStatus.Succeeded, up.Message);
        }

        Assert.Equal(oldQmp, a.Guest("prod").Qmp);
        Assert.False(File.Exists(QemuProcess.SocketPath(oldQmp)), "the old QEMU's QMP socket is still there");

        // a QMP call: the connection fails, the adapter looks for the guest among the QEMU processes it may have started
        // and goes on with the one that runs it now
        Assert.Empty(await a.ListSnapshotsAsync(Op("prod")));
        var now = a.Guest("prod");
        Assert.Equal((host, gen + 1), (now.HostId, now.Generation));
        Assert.NotEqual(oldQmp, now.Qmp);
        Assert.True(File.Exists(QemuProcess.SocketPath(now.Qmp)), now.Qmp);
        Assert.NotNull(QemuProcess.FindPid(now.PidFile, now.Qmp));
        await HeartbeatGrowsAsync(a, hb.Counter);
        Assert.Equal(boots, CountBoots());

        // a guest whose QEMU runs nowhere: a clear error naming the guest and the socket, not a hang
        var ex = await Assert.ThrowsAsync<HostAdapterException>(() => a.ListSnapshotsAsync(Op("down")));
        Assert.Contains("QMP unreachable at unix:" + Path.Combine(fleet.HostC, "down.qmp"), ex.Message, StringComparison.Ordinal);
        Assert.Contains("'down'", ex.Message, StringComparison.Ordinal);
    }

    [QemuFact]
    public async Task StrayLowerGenerationQemu_LeftByALiveUpdateWhoseOldProcessNeverQuit_IsNotTakenForTheGuest_TheReasonIsGiven()
    {
        await using var a = fleet.CreateAdapter();
        var g = a.Guest("prod");
        int gen = g.Generation + 1;
        int strayPid = QemuProcess.FindPid(g.PidFile, g.Qmp)!.Value;
        int boots = CountBoots();
        var hb = await HeartbeatAsync(a);

        // a live update whose old QEMU never quit, made by hand: the next generation started on the guest's host and
        // memory file, the guest moved onto it with x-ignore-shared; the old process stays, stopped (postmigrate). The
        // state file still names the old process (the run that did this died before writing it)
        var (newPid, baseName) = await StartLeftBehindTargetAsync(g, gen, memName: null, g.HostId == "kvm-a" ? fleet.HostA : fleet.HostB);
        try
        {
            await using (var dst = await QmpClient.ConnectAsync("unix:" + baseName + ".qmp"))
            await using (var src = await QmpClient.ConnectAsync(g.Qmp))
            {
                foreach (var q in new[] { dst, src })
                {
                    await q.ExecuteAsync("migrate-set-capabilities", new JsonObject { ["capabilities"] = new JsonArray(new JsonObject { ["capability"] = "x-ignore-shared", ["state"] = true }) });
                }

                await dst.ExecuteAsync("migrate-incoming", new JsonObject { ["uri"] = "unix:" + baseName + ".mig" });
                await src.ExecuteAsync("migrate", new JsonObject { ["uri"] = "unix:" + baseName + ".mig" });
                for (int i = 0; i < 600 && await TargetStatusAsync(dst, baseName) != "running"; i++)
                {
                    await Task.Delay(100);
                }

                Assert.Equal("running", await TargetStatusAsync(dst, baseName));
                Assert.Equal("postmigrate", (await src.ExecuteAsync("query-status")).GetProperty("status").GetString());
                await dst.ExecuteAsync("migrate-set-capabilities", new JsonObject { ["capabilities"] = new JsonArray(new JsonObject { ["capability"] = "x-ignore-shared", ["state"] = false }) });
            }

            Assert.True(Runs(strayPid));

            // a fresh adapter takes the process that runs the guest, not the lower generation the state file names, and says why
            await using var b = fleet.CreateAdapter();
            var now = b.Guest("prod");
            Assert.Equal(gen, now.Generation);
            Assert.Equal(newPid, QemuProcess.FindPid(now.PidFile, now.Qmp));
            string why = b.IgnoredProcess("prod") ?? throw new Xunit.Sdk.XunitException("no reason given for the ignored process");
            Assert.Contains("QEMU process " + strayPid.ToString(CultureInfo.InvariantCulture) + " (generation " + (gen - 1).ToString(CultureInfo.InvariantCulture) + ", ", why, StringComparison.Ordinal);
            Assert.Contains("the guest migrated out of it (run state postmigrate)", why, StringComparison.Ordinal);
            var health = await b.CheckHealthAsync(Op("prod"));
            Assert.True(health.Status == HostOperationStatus.Succeeded, health.Message);
            Assert.Contains(why, health.Message, StringComparison.Ordinal);
            await HeartbeatGrowsAsync(b, hb.Counter);

            // a live update moves the guest from the process that runs it; the stray is left alone
            var up = await b.LiveUpdateAsync(Op("prod"), new InstallRequest { PatchId = "qemu-after-a-stray" });
            Assert.True(up.Status == HostOperationStatus.Succeeded, up.Message);
            Assert.Equal(gen + 1, b.Guest("prod").Generation);
            Assert.False(Runs(newPid), "the process that ran the guest is still there");
            Assert.True(Runs(strayPid));
            await HeartbeatGrowsAsync(b, hb.Counter);
        }
        finally
        {
            TestQemus.Kill(strayPid);
            for (int i = 0; i < 100 && Runs(strayPid); i++)
            {
                await Task.Delay(50);
            }
        }

        Assert.Equal(boots, CountBoots());
    }

    [QemuFact]
    public async Task QemuKilledDuringASnapshot_IsAClearErrorNamingTheGuest_NotAHang()
    {
        await using var a = fleet.CreateAdapter();
        string runDir = QemuGuest.NewRunDir();
        try
        {
            var victim = QemuGuest.Start(runDir, "victim", new Dictionary<string, string> { ["MEM"] = "64M", ["PAUSED"] = "1" });
            var o = new KvmHostAdapterOptions();
            var h = new KvmHostDescription { Id = "kvm-v", RunDirectory = runDir };
            h.Guests.Add(new KvmGuestDescription { Id = "victim", Qmp = "unix:" + victim.Qmp });
            await using var va = new KvmHostAdapter(o.WithHost(h));
            var saving = va.CreateSnapshotAsync(Op("victim"), "never-finished");
            await Task.Delay(30);
            QmpClientTests.Signal(victim.Pid, "KILL");
            var ex = await Assert.ThrowsAnyAsync<PatchKitException>(() => saving);
            Assert.Contains(victim.Qmp, ex.Message, StringComparison.Ordinal);
            Assert.Null(await va.IdentifyAsync(Op("victim")));
        }
        finally
        {
            QemuGuest.StopAll(runDir);
        }
    }

    /// <summary>The guest's heartbeat loop still runs: the counter passes <paramref name="counter"/> (it ticks once a
    /// second in the guest; on a loaded machine allow a while).</summary>
    private static async Task HeartbeatGrowsAsync(KvmHostAdapter a, long counter)
    {
        for (int i = 0; i < 100; i++)
        {
            if ((await HeartbeatAsync(a)).Counter > counter)
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail("the guest's heartbeat stopped at " + counter);
    }

    private int CountBoots() => ConsoleLog.Split('\n').Count(l => l.Contains("patchkit-guest: init up", StringComparison.Ordinal));
}

internal static class KvmOptionsExtensions
{
    public static KvmHostAdapterOptions WithHost(this KvmHostAdapterOptions o, KvmHostDescription h)
    {
        o.Hosts.Add(h);
        return o;
    }
}
