using System.Globalization;
using System.Text;
using PatchKit.Hosts;
using PatchKit.Hosts.Kvm;
using Xunit.Abstractions;

namespace PatchKit.Tests.Hosts.Kvm;

/// <summary>Live update by QEMU's CPR modes with the real QEMU 10 of tests/fixtures/qemu/setup-qemu10.sh (Debian
/// bookworm-backports, unpacked beside the system's QEMU 7.2): <c>cpr-transfer</c> and <c>cpr-reboot</c> move a running
/// guest onto a new QEMU 10 process; the guest keeps its boot id, its uptime and heartbeat go on.</summary>
public sealed class KvmCprLiveUpdateTests(KvmQemu10Fixture q, ITestOutputHelper output) : IClassFixture<KvmQemu10Fixture>
{
    private static HostOperation Op(string id) => new(id) { Timeout = TimeSpan.FromMinutes(3) };

    private static async Task<string> ShAsync(KvmHostAdapter a, string guest, string script)
    {
        var r = await a.ExecAsync(Op(guest), new GuestCommand { Program = "/bin/sh", Arguments = ["-c", script], Timeout = TimeSpan.FromMinutes(1) });
        Assert.True(r.ExitCode == 0, "guest: " + script + ": " + Encoding.UTF8.GetString(r.StandardError.Span));
        return Encoding.UTF8.GetString(r.StandardOutput.Span).Trim();
    }

    /// <summary>Boot id, heartbeat counter and uptime of a guest.</summary>
    private static async Task<(string BootId, long Counter, double Uptime)> StateAsync(KvmHostAdapter a, string guest)
    {
        string[] f = (await ShAsync(a, guest, "for i in 1 2 3 4 5 6 7 8 9; do h=$(cat /run/heartbeat); case \"$h\" in *' '*) break;; esac; sleep 0.05; done; echo \"$(cat /proc/sys/kernel/random/boot_id) $h $(cut -d' ' -f1 /proc/uptime)\"")).Split(' ');
        return (f[0], long.Parse(f[1], CultureInfo.InvariantCulture), double.Parse(f[3], CultureInfo.InvariantCulture));
    }

    /// <summary>Writes random data to the guest's disk; returns its md5sum line.</summary>
    private static Task<string> WriteDataAsync(KvmHostAdapter a, string guest) =>
        ShAsync(a, guest, "head -c 262144 /dev/urandom > /mnt/data/cpr.bin && sync && md5sum /mnt/data/cpr.bin");

    /// <summary>The data <see cref="WriteDataAsync"/> wrote reads back the same from the disk (page cache dropped), and
    /// the updates left none of their files (<paramref name="leftOvers"/>) in the host's run directory.</summary>
    private async Task DataKeptAsync(KvmHostAdapter a, string guest, string md5, string leftOvers)
    {
        Assert.Empty(Directory.EnumerateFiles(q.HostDir, leftOvers));
        Assert.Equal(md5, await ShAsync(a, guest, "echo 3 > /proc/sys/vm/drop_caches; md5sum /mnt/data/cpr.bin"));
    }

    private static void AssertStillRunning((string BootId, long Counter, double Uptime) before, (string BootId, long Counter, double Uptime) after)
    {
        Assert.Equal(before.BootId, after.BootId); // no reboot
        Assert.True(after.Counter >= before.Counter, $"heartbeat {after.Counter} after {before.Counter}: reset");
        Assert.True(after.Uptime > before.Uptime, $"uptime {after.Uptime} after {before.Uptime}: reset");
    }

    /// <summary>Live updates a guest with <paramref name="a"/> and checks it moved by <paramref name="mode"/> onto a new
    /// QEMU 10 process (the old one gone) without a reboot since <paramref name="before"/>; returns its state now.</summary>
    private async Task<(string BootId, long Counter, double Uptime)> UpdatedAsync(KvmHostAdapter a, string guest, string patchId, string mode, (string BootId, long Counter, double Uptime) before)
    {
        int old = q.NewestPid(guest);
        var r = await a.LiveUpdateAsync(Op(guest), new InstallRequest { PatchId = patchId });
        Assert.True(r.Status == HostOperationStatus.Succeeded, r.Message);
        Assert.Contains("QEMU " + q.Version + " -> " + q.Version + " (" + mode + ", " + q.Binary, r.Message, StringComparison.Ordinal);
        int pid = q.NewestPid(guest);
        Assert.NotEqual(old, pid);
        Assert.False(KvmQemu10Fixture.IsAlive(old));
        Assert.Equal(q.Binary, q.Executable(pid));
        var now = await StateAsync(a, guest);
        AssertStillRunning(before, now);
        return now;
    }

    /// <summary><see cref="UpdatedAsync"/> by a fresh adapter in <paramref name="mode"/> (the state file tells it where the guest runs).</summary>
    private async Task UpdatedByANewAdapterAsync(KvmLiveUpdateMode mode, string guest, string patchId, string modeName, (string BootId, long Counter, double Uptime) before)
    {
        await using var a = q.CreateAdapter(mode);
        await UpdatedAsync(a, guest, patchId, modeName, before);
    }

    [Qemu10Fact]
    public async Task LiveUpdate_FromQemu7ToQemu10_ThenCprTransferRefusedWithoutAuxRamShare_ThenCprRebootOnQemu10_NoReboot()
    {
        q.EnsureRunning();
        await using var auto = q.CreateAdapter(KvmLiveUpdateMode.Auto);
        var inv = await auto.GetInventoryAsync(CancellationToken.None);
        string from = inv.Hosts.Single(h => h.Id == "old").RunningEmulatorVersion;
        Assert.StartsWith("7.2.", from, StringComparison.Ordinal);
        Assert.Equal(q.Version, inv.Hosts.Single(h => h.Id == "kvm-u").Version); // the installed QEMU: a live update is due
        string md5 = await WriteDataAsync(auto, "old");
        var s0 = await StateAsync(auto, "old");

        // QEMU 7.2 has no CPR mode: Auto moves the guest by x-ignore-shared onto QEMU 10
        var up = await auto.LiveUpdateAsync(Op("old"), new InstallRequest { PatchId = "qemu-10" });
        Assert.True(up.Status == HostOperationStatus.Succeeded, up.Message);
        Assert.Contains("QEMU " + from + " -> " + q.Version + " (x-ignore-shared, ", up.Message, StringComparison.Ordinal);
        int pid10 = q.NewestPid("old");
        Assert.Equal(q.Binary, q.Executable(pid10));
        Assert.Equal(q.Version, (await auto.GetInventoryAsync(CancellationToken.None)).Hosts.Single(h => h.Id == "old").RunningEmulatorVersion);
        var s1 = await StateAsync(auto, "old");
        AssertStillRunning(s0, s1);

        // cpr-transfer needs the guest's ROM and firmware RAM shared (-machine aux-ram-share=on): refused before anything starts
        await using var transfer = q.CreateAdapter(KvmLiveUpdateMode.CprTransfer);
        var refused = await transfer.LiveUpdateAsync(Op("old"), new InstallRequest { PatchId = "qemu-10-cpr" });
        Assert.Equal(HostOperationStatus.Failed, refused.Status);
        Assert.Contains("aux-ram-share=on", refused.Message, StringComparison.Ordinal);
        Assert.Equal(pid10, q.NewestPid("old"));
        Assert.True(KvmQemu10Fixture.IsAlive(pid10));
        AssertStillRunning(s1, await StateAsync(transfer, "old"));

        // cpr-reboot (QEMU 8.2+ on both sides): the device state goes through a file, the RAM stays in place
        await using var reboot = q.CreateAdapter(KvmLiveUpdateMode.CprReboot);
        await UpdatedAsync(reboot, "old", "qemu-10-again", "cpr-reboot", s1);
        await DataKeptAsync(reboot, "old", md5, "*.state");

        // the new process's migration mode is back to normal: a later plain live update works (a fresh adapter: the
        // state file says where the guest runs now)
        await UpdatedByANewAdapterAsync(KvmLiveUpdateMode.IgnoreShared, "old", "qemu-10-plain", "x-ignore-shared", s1);
    }

    [Qemu10Fact]
    public async Task LiveUpdate_ByCprTransfer_ThreeTimesInARow_SameBootId_HeartbeatGoesOn_NewQemu10ProcessEachTime()
    {
        q.EnsureRunning();
        await using var a = q.CreateAdapter(KvmLiveUpdateMode.CprTransfer);
        string md5 = await WriteDataAsync(a, "cpr");
        var before = await StateAsync(a, "cpr");
        var pids = new HashSet<int> { q.NewestPid("cpr") };
        for (int round = 0; round < 3; round++)
        {
            before = await UpdatedAsync(a, "cpr", "qemu-cpr-" + round, "cpr-transfer", before);
            Assert.True(pids.Add(q.NewestPid("cpr")), "a QEMU process came back");
        }

        await DataKeptAsync(a, "cpr", md5, "*.cpr");

        // Auto picks cpr-transfer for this guest (QEMU 10 on both sides, aux-ram-share=on)
        await UpdatedByANewAdapterAsync(KvmLiveUpdateMode.Auto, "cpr", "qemu-cpr-auto", "cpr-transfer", before);
    }

    [Qemu10Fact]
    public async Task LiveUpdate_ByCprTransfer_NewQemuKilledWhenItsCprChannelAppears_ClearError_GuestRunsOnInTheOld_ResumedStepFinishesTheUpdate()
    {
        q.EnsureRunning();
        await using var a = q.CreateAdapter(KvmLiveUpdateMode.CprTransfer);
        var before = await StateAsync(a, "cpr");

        // 1. the new QEMU 10 is killed (SIGKILL) as soon as its cpr channel is there: the update is under way, the
        //    guest's memory file descriptors are about to be handed to it. A fast hand-over may finish before the
        //    kill lands: then the guest simply moved, and the next update is tried
        int gen = 0, oldPid = 0;
        string? checkpoint = null;
        var killed = new List<int>();
        HostStepResult r = null!;
        for (int attempt = 0; killed.Count == 0; attempt++)
        {
            Assert.True(attempt < 5, "the new QEMU was never caught with its cpr channel before it took over: " + r?.Message);
            var g = a.Guest("cpr");
            gen = g.Generation + 1;
            oldPid = QemuProcess.FindPid(g.PidFile, g.Qmp)!.Value;
            string newPidFile = Path.Combine(q.HostDir, "cpr." + gen.ToString(CultureInfo.InvariantCulture) + ".pid");
            var op = new HostOperation("cpr", (h, _) =>
            {
                checkpoint = h;
                return ValueTask.CompletedTask;
            }) { Timeout = TimeSpan.FromMinutes(3) };
            var updating = a.LiveUpdateAsync(op, new InstallRequest { PatchId = "qemu-cpr-killed" });
            while (killed.Count == 0 && !updating.IsCompleted)
            {
                if (File.Exists(Path.ChangeExtension(newPidFile, ".cpr")))
                {
                    foreach (var (pid, _) in TestQemus.Matching(x => x == newPidFile))
                    {
                        TestQemus.Kill(pid);
                        killed.Add(pid);
                    }
                }

                await Task.Delay(1);
            }

            r = await updating;
            Assert.True(killed.Count > 0 || r.Status == HostOperationStatus.Succeeded, r.Message);
        }

        output.WriteLine("killed " + string.Join(", ", killed) + ": " + r.Message);
        string next = Path.Combine(q.HostDir, "cpr." + gen.ToString(CultureInfo.InvariantCulture) + ".");
        Assert.True(r.Status == HostOperationStatus.Failed, r.Message);
        Assert.Equal(["cpr"], r.Failed);
        Assert.StartsWith("live update: cpr: ", r.Message, StringComparison.Ordinal);
        Assert.Contains("the cpr-transfer live update to " + q.Binary + " failed: ", r.Message, StringComparison.Ordinal);
        Assert.Contains("; the guest keeps running in its old QEMU (pid " + oldPid.ToString(CultureInfo.InvariantCulture) + ")", r.Message, StringComparison.Ordinal);
        Assert.Equal("migrate:cpr:" + gen.ToString(CultureInfo.InvariantCulture) + ":kvm-u:cpr-transfer", checkpoint);

        // the guest never left its old QEMU: same process, running, no reboot; nothing of the new one is left, and the
        // old one's migration mode is normal again
        Assert.True(KvmQemu10Fixture.IsAlive(oldPid));
        Assert.Empty(TestQemus.Matching(x => x == next + "pid"));
        Assert.False(File.Exists(next + "cpr"), "the cpr channel's socket was left behind");
        Assert.Equal(oldPid, QemuProcess.FindPid(a.Guest("cpr").PidFile, a.Guest("cpr").Qmp));
        Assert.Equal(gen - 1, a.Guest("cpr").Generation);
        var after = await StateAsync(a, "cpr");
        AssertStillRunning(before, after);
        Assert.Equal("running", await QmpAsync(a, "cpr", "query-status", "status"));
        Assert.Equal("normal", await QmpAsync(a, "cpr", "query-migrate-parameters", "mode"));

        // 2. a run that died there is resumed: its step gets the checkpoint. What such a run leaves on the old QEMU is
        //    the CPR mode it set; the resumed step starts the update again (the same generation) and finishes it
        var set = await a.RunStepAsync(Op("cpr"), new HostStep { Name = "qmp", Arguments = ["migrate-set-parameters", "{\"mode\": \"cpr-transfer\"}"] });
        Assert.True(set.Status == HostOperationStatus.Succeeded, set.Message);
        await using var resumedAdapter = q.CreateAdapter(KvmLiveUpdateMode.CprTransfer);
        var resumed = await resumedAdapter.LiveUpdateAsync(new HostOperation("cpr") { Checkpoint = checkpoint, Timeout = TimeSpan.FromMinutes(3) }, new InstallRequest { PatchId = "qemu-cpr-killed" });
        output.WriteLine(resumed.Message);
        Assert.True(resumed.Status == HostOperationStatus.Succeeded, resumed.Message);
        Assert.Contains("QEMU " + q.Version + " -> " + q.Version + " (cpr-transfer, " + q.Binary, resumed.Message, StringComparison.Ordinal);
        var now = resumedAdapter.Guest("cpr");
        Assert.Equal(gen, now.Generation);
        int newPid = QemuProcess.FindPid(now.PidFile, now.Qmp)!.Value;
        Assert.NotEqual(oldPid, newPid);
        Assert.DoesNotContain(newPid, killed);
        Assert.Equal(q.Binary, q.Executable(newPid));
        Assert.False(KvmQemu10Fixture.IsAlive(oldPid));
        AssertStillRunning(after, await StateAsync(resumedAdapter, "cpr"));
        Assert.Equal("normal", await QmpAsync(resumedAdapter, "cpr", "query-migrate-parameters", "mode"));
    }

    /// <summary>One member of a QMP command's reply, through the adapter's <c>qmp</c> step.</summary>
    private static async Task<string?> QmpAsync(KvmHostAdapter a, string guest, string command, string member)
    {
        var r = await a.RunStepAsync(Op(guest), new HostStep { Name = "qmp", Arguments = [command] });
        Assert.True(r.Status == HostOperationStatus.Succeeded, command + ": " + r.Message);
        using var reply = System.Text.Json.JsonDocument.Parse(r.Message);
        return reply.RootElement.GetProperty(member).GetString();
    }
}

/// <summary>Two real guests on one host for the CPR tests: <c>old</c> started on the system's QEMU 7.2 and <c>cpr</c>
/// started on the fixture's QEMU 10 with <c>-machine aux-ram-share=on</c> (what cpr-transfer needs).</summary>
public sealed class KvmQemu10Fixture : IDisposable
{
    private readonly Dictionary<string, string> _env = new(StringComparer.Ordinal);

    public KvmQemu10Fixture()
    {
        if ((KvmFixtures.QemuMissing ?? KvmFixtures.Qemu10Missing) is { } why)
        {
            Error = why;
            return;
        }

        _env = KvmFixtures.ReadEnv(Path.Combine(KvmFixtures.Cache, "qemu10", "qemu10.env"));
        Root = QemuGuest.NewRunDir();
        HostDir = Directory.CreateDirectory(Path.Combine(Root, "host")).FullName;
        string shm = "/dev/shm/patchkit-" + Path.GetFileName(Root);
        Old = QemuGuest.Start(Path.Combine(Root, "old-run"), "old", new Dictionary<string, string> { ["MEM"] = "128M", ["MEMFILE"] = shm + "-old.ram" });
        string extra = string.Join(' ', DataDirectories.Select(d => "-L " + d));
        Cpr = QemuGuest.Start(Path.Combine(Root, "cpr-run"), "cpr", new Dictionary<string, string>
        {
            ["MEM"] = "128M", ["MEMFILE"] = shm + "-cpr.ram", ["QEMU"] = Binary, ["MACHINE"] = "pc-q35-7.2,aux-ram-share=on",
            ["EXTRA"] = extra, ["QEMU_MODULE_DIR"] = _env["PATCHKIT_QEMU10_MODULE_DIR"],
        });
        foreach (var g in new[] { Old, Cpr })
        {
            GuestAgentClient.ConnectAsync("unix:" + g.Qga, new KvmClientOptions { ConnectTimeout = TimeSpan.FromSeconds(120) }).GetAwaiter().GetResult().DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    public string? Error { get; }

    public string Root { get; } = string.Empty;

    public string HostDir { get; } = string.Empty;

    public QemuGuest Old { get; } = null!;

    public QemuGuest Cpr { get; } = null!;

    public string Binary => _env["PATCHKIT_QEMU10_BINARY"];

    public string Version => _env["PATCHKIT_QEMU10_VERSION"];

    public IReadOnlyList<string> DataDirectories => _env["PATCHKIT_QEMU10_DATA_DIRS"].Split(':');

    public void EnsureRunning()
    {
        if (Error is not null)
        {
            throw new InvalidOperationException(Error);
        }
    }

    /// <summary>An adapter whose installed QEMU is the fixture's QEMU 10, live updating in <paramref name="mode"/>.</summary>
    public KvmHostAdapter CreateAdapter(KvmLiveUpdateMode mode)
    {
        EnsureRunning();
        var o = new KvmHostAdapterOptions
        {
            StateFile = Path.Combine(Root, "kvm-state.json"), QemuBinary = Binary, LiveUpdateMode = mode,
            QemuModuleDirectory = _env["PATCHKIT_QEMU10_MODULE_DIR"],
        };
        foreach (string d in DataDirectories)
        {
            o.QemuDataDirectories.Add(d);
        }

        var h = new KvmHostDescription { Id = "kvm-u", RunDirectory = HostDir, Cluster = "cpr" };
        h.Guests.Add(new KvmGuestDescription { Id = "old", Qmp = "unix:" + Old.Qmp, Agent = "unix:" + Old.Qga, PidFile = Path.Combine(Old.RunDir, "old.pid"), StateDirectory = "/mnt/data/patchkit" });
        h.Guests.Add(new KvmGuestDescription { Id = "cpr", Qmp = "unix:" + Cpr.Qmp, Agent = "unix:" + Cpr.Qga, PidFile = Path.Combine(Cpr.RunDir, "cpr.pid"), StateDirectory = "/mnt/data/patchkit" });
        o.Hosts.Add(h);
        return new KvmHostAdapter(o);
    }

    /// <summary>The pid of the guest's newest QEMU process (the highest generation's pid file, or the first one).</summary>
    public int NewestPid(string guest)
    {
        string? newest = Directory.EnumerateFiles(HostDir, guest + ".*.pid")
            .OrderBy(f => int.Parse(Path.GetFileName(f).Split('.')[1], CultureInfo.InvariantCulture)).LastOrDefault();
        return int.Parse(File.ReadAllText(newest ?? Path.Combine(Root, guest + "-run", guest + ".pid")).Trim(), CultureInfo.InvariantCulture);
    }

    public string Executable(int pid) => new FileInfo("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/exe").LinkTarget!;

    public static bool IsAlive(int pid) => TestQemus.IsQemu(pid);

    public void Dispose()
    {
        if (Error is not null)
        {
            return;
        }

        TestQemus.KillFromPidFiles(Root);

        foreach (string mem in Directory.EnumerateFiles("/dev/shm", "patchkit-" + Path.GetFileName(Root) + "-*"))
        {
            File.Delete(mem);
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A fact that needs the fixture's QEMU 10 (setup-qemu10.sh): skipped with the reason when it is not unpacked,
/// except under CI=true, where the test runs and fails.</summary>
internal sealed class Qemu10FactAttribute : FactAttribute
{
    public Qemu10FactAttribute()
    {
        if (!KvmFixtures.InCi && (KvmFixtures.QemuMissing ?? KvmFixtures.Qemu10Missing) is { } why)
        {
            Skip = why;
        }
    }
}
