using System.Globalization;
using System.Text;
using System.Text.Json;
using PatchKit.Hosts;
using PatchKit.Hosts.Kvm;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Hosts.Kvm;

/// <summary><c>patchkit run</c> (the built CLI, a child process) patches a KVM host whose guest must be evacuated first,
/// is killed with SIGKILL while QEMU migrates the guest, and is resumed with the same run id; a real QEMU guest of its
/// own, on two host folders.</summary>
public sealed class KvmCliEvacuationResumeTests
{
    private const string Guest = "mig";

    [QemuFact]
    public async Task Run_KilledMidMigration_ResumedWithTheSameRunId_GuestNeverRebooted_EndsOnOneQemu_TamperedStateFileNotTrusted()
    {
        string root = QemuGuest.NewRunDir();
        try
        {
            var lab = await StartLabAsync(root, sharedStorage: true);
            string before;
            (long Counter, double Uptime) hb;
            await using (var a = lab.Look())
            {
                before = (await ShAsync(a, "cat /proc/sys/kernel/random/boot_id")).Trim();
                hb = await HeartbeatAsync(a);
            }

            int boots = lab.CountBoots();

            // 1. the run evacuates kvm-x at 16 MiB/s (the guest's RAM holds 40 MiB of random bytes: seconds); killed once the target QEMU
            //    has taken in part of the guest's RAM, i.e. while QEMU copies it (the target being up is not enough: on a
            //    busy machine the run may not have started the migration yet)
            await KillRunMidMigrationAsync(lab, () => TargetSharedMemoryKiB(lab) > 8192);
            Assert.Equal(2, GuestQemus(root).Count); // source and target both run: the migration was in flight

            // 2. the state file is not trusted: this one claims a generation that never ran, with a pid file naming a
            //    live process that is not QEMU (this test's own)
            File.WriteAllText(Path.Combine(lab.HostY, Guest + ".7.pid"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            var forged = new KvmState();
            string fake = Path.Combine(lab.HostY, Guest + ".7");
            forged.Guests[Guest] = new KvmGuestState { Id = Guest, HostId = "kvm-y", Qmp = "unix:" + fake + ".qmp", Agent = "unix:" + fake + ".qga", PidFile = fake + ".pid", Generation = 7 };
            File.WriteAllBytes(Path.Combine(root, "state.json"), JsonSerializer.SerializeToUtf8Bytes(forged, KvmJsonContext.Default.KvmState));

            // 3. resumed with the same run id: the migration QEMU went on with is finished, the host patched, the guest brought back
            string journal = ResumeAndCheck(lab);
            Assert.Contains("1 guest(s) moved by live migration (1 by finishing the migration an interrupted attempt had begun)", journal, StringComparison.Ordinal);

            // exactly one QEMU runs the guest, back on kvm-x (generation 2: out to kvm-y and home again); the forged
            // generation never ran, the first two processes are gone, and so is the memory file of the first
            await CheckBackHomeAsync(lab, before, hb, boots);
            Assert.False(File.Exists(lab.Vm.MemFile), "the source's memory file was left behind");
        }
        finally
        {
            StopGuestQemus(root);
        }
    }

    [QemuFact]
    public async Task Run_KilledMidMigrationWithDiskCopy_TargetQemuKilledToo_ResumedWithTheSameRunId_MigratesAgain_DiskEqual_NoReboot()
    {
        string root = QemuGuest.NewRunDir();
        try
        {
            // kvm-y has no shared storage: the guest's disk is copied to it over NBD during the migration
            var lab = await StartLabAsync(root, sharedStorage: false);
            string before, md5;
            (long Counter, double Uptime) hb;
            await using (var a = lab.Look())
            {
                md5 = (await ShAsync(a, "head -c 1048576 /dev/urandom > /mnt/data/evac.bin && sync && md5sum /mnt/data/evac.bin")).Trim();
                before = (await ShAsync(a, "cat /proc/sys/kernel/random/boot_id")).Trim();
                hb = await HeartbeatAsync(a);
            }

            int boots = lab.CountBoots();

            // 1. the run is killed once the target exports its disk over NBD (the disk is being mirrored, then the RAM moves)
            string nbd = Path.Combine(lab.HostY, Guest + ".1.nbd");
            await KillRunMidMigrationAsync(lab, () => File.Exists(nbd));

            // 2. the target QEMU dies as well (SIGKILL): the guest runs on in its source QEMU alone
            var target = Assert.Single(TestQemus.Matching(x => x == lab.TargetPid));
            TestQemus.Kill(target.Pid);
            for (int i = 0; i < 200 && QemuProcess.IsAlive(target.Pid); i++)
            {
                await Task.Delay(50);
            }

            Assert.Equal(lab.Vm.Pid, Assert.Single(GuestQemus(root)).Pid);

            // 3. resumed with the same run id: the migration that died is not waited for; the source's left-over disk
            //    copy jobs and NBD nodes go, the guest is migrated again (disk copied again), the host patched and the
            //    guest brought back
            string journal = ResumeAndCheck(lab);
            Assert.Contains("1 guest(s) moved by live migration", journal, StringComparison.Ordinal);
            Assert.DoesNotContain("by finishing the migration", journal, StringComparison.Ordinal);
            Assert.Empty(Directory.EnumerateFiles("/dev/shm", "patchkit-" + Guest + "-1-*.ram")); // the dead target's memory
            await CheckBackHomeAsync(lab, before, hb, boots);
            await using var back = lab.Look();
            Assert.Equal(md5, (await ShAsync(back, "echo 3 > /proc/sys/vm/drop_caches; md5sum /mnt/data/evac.bin")).Trim());
        }
        finally
        {
            StopGuestQemus(root);
        }
    }

    /// <summary>One test's guest on host folder kvm-x, an empty host folder kvm-y in the same cluster, and the files of a
    /// <c>patchkit run</c> that patches kvm-x (a host patch that needs a reboot: the guest is evacuated first).</summary>
    private sealed class Lab
    {
        public required string Root { get; init; }

        public required string HostX { get; init; }

        public required string HostY { get; init; }

        public required QemuGuest Vm { get; init; }

        public string[] Run => ["run", "-f", "fleet.json", "-c", "catalog.json", "-p", "policy.json", "-o", "out", "-r", "evac-kill"];

        public string JournalFile => Path.Combine(Root, "out", "evac-kill.journal");

        public string InstalledLog => Path.Combine(Root, "host-installed.log");

        /// <summary>The pid file of the migration's target QEMU on kvm-y (generation 1).</summary>
        public string TargetPid => Path.Combine(HostY, Guest + ".1.pid");

        /// <summary>The checks' own view of the fleet: no state file, the adapter finds the guest among the QEMU processes.</summary>
        public KvmHostAdapter Look()
        {
            var o = new KvmHostAdapterOptions();
            var x = new KvmHostDescription { Id = "kvm-x", RunDirectory = HostX, Cluster = "c" };
            x.Guests.Add(new KvmGuestDescription { Id = Guest, Qmp = "unix:" + Vm.Qmp, Agent = "unix:" + Vm.Qga, PidFile = Path.Combine(HostX, Guest + ".pid") });
            o.Hosts.Add(x);
            o.Hosts.Add(new KvmHostDescription { Id = "kvm-y", RunDirectory = HostY, Cluster = "c" });
            return new KvmHostAdapter(o);
        }

        public int CountBoots() =>
            File.ReadAllText(Path.Combine(HostX, "console.log")).Split('\n').Count(l => l.Contains("patchkit-guest: init up", StringComparison.Ordinal));
    }

    /// <summary>Starts the guest (and waits for its agent) and writes the run's fleet file, catalog and policy.</summary>
    private static async Task<Lab> StartLabAsync(string root, bool sharedStorage)
    {
        string hostX = Directory.CreateDirectory(Path.Combine(root, "kvm-x")).FullName;
        string hostY = Directory.CreateDirectory(Path.Combine(root, "kvm-y")).FullName;
        var vm = QemuGuest.Start(hostX, Guest, new Dictionary<string, string> { ["MEM"] = "128M", ["MEMFILE"] = "/dev/shm/patchkit-" + Path.GetFileName(root) + "-" + Guest + ".ram" });
        await using (var agent = await GuestAgentClient.ConnectAsync("unix:" + vm.Qga, new KvmClientOptions { ConnectTimeout = TimeSpan.FromSeconds(120) }))
        {
        }

        var lab = new Lab { Root = root, HostX = hostX, HostY = hostY, Vm = vm };

        // 40 MiB of random bytes in the guest's RAM (its /tmp is a tmpfs): pages that neither compress nor are zero,
        // so at the run's 16 MiB/s the migration takes seconds however fast the machine, and the kill lands inside it
        await using (var a = lab.Look())
        {
            _ = await ShAsync(a, "head -c 41943040 /dev/urandom > /tmp/ballast");
        }

        File.WriteAllText(Path.Combine(root, "fleet.json"), $$"""
            { "adapters": [ { "kind": "kvm", "stateFile": "state.json", "maxBandwidth": 16777216,
                "hosts": [
                  { "id": "kvm-x", "runDirectory": "{{hostX}}", "cluster": "c",
                    "installCommand": [ "/bin/sh", "-c", "echo \"$PATCHKIT_PATCH_ID $1\" >> {{lab.InstalledLog}}", "sh" ],
                    "rebootCommand": [ "/bin/true" ],
                    "guests": [ { "id": "{{Guest}}", "qmp": "unix:{{vm.Qmp}}", "agent": "unix:{{vm.Qga}}",
                                  "pidFile": "{{Path.Combine(hostX, Guest + ".pid")}}", "stateDirectory": "/mnt/data/patchkit" } ] },
                  { "id": "kvm-y", "runDirectory": "{{hostY}}", "cluster": "c", "sharedStorage": {{(sharedStorage ? "true" : "false")}} } ] } ] }
            """);
        File.WriteAllText(Path.Combine(root, "catalog.json"), """
            { "patches": [ { "id": "host-kernel", "title": "KVM host kernel", "appliesTo": [ { "kind": "Kvm" } ],
                "severity": "Important", "classification": "Security", "releasedAt": "2025-01-01T00:00:00+00:00",
                "requiresReboot": true, "livePatchable": false,
                "payload": { "kind": "Package", "packageName": "linux-image-amd64", "packageVersion": "6.1.99" } } ] }
            """);
        File.WriteAllText(Path.Combine(root, "policy.json"), """
            { "approval": { "minimumSeverity": "Low", "autoApproveAfterDays": 0 },
              "windows": [ { "days": [], "start": "00:00:00", "duration": "23:59:59", "timeZone": "UTC" } ],
              "maxConcurrency": 1, "errorBudget": 1, "requireLab": false }
            """);
        return lab;
    }

    /// <summary>The target QEMU's resident shared memory (its guest RAM file's pages it holds), in KiB: it grows as the
    /// migration writes the guest's RAM into it; 0 before the target is up.</summary>
    private static long TargetSharedMemoryKiB(Lab lab)
    {
        try
        {
            string pid = File.ReadAllText(lab.TargetPid).Trim();
            string? line = File.ReadLines("/proc/" + pid + "/status").FirstOrDefault(l => l.StartsWith("RssShmem:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line["RssShmem:".Length..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0; // not up yet, or gone
        }
    }

    /// <summary>Starts <c>patchkit run</c> (the built CLI, a child process) and kills it with SIGKILL (no cleanup, no
    /// journal record) a quarter of a second after the journal holds the evacuation's migration checkpoint and
    /// <paramref name="migrating"/> holds.</summary>
    private static async Task KillRunMidMigrationAsync(Lab lab, Func<bool> migrating)
    {
        using var cli = CliRunner.StartProcess(lab.Root, lab.Run);
        try
        {
            cli.StandardInput.Close();
            var output = cli.StandardOutput.ReadToEndAsync();
            var error = cli.StandardError.ReadToEndAsync();
            bool Seen() => Journal(lab.JournalFile).Contains("migrate:" + Guest + ":1:kvm-y", StringComparison.Ordinal) && migrating();
            for (int i = 0; i < 1200 && !Seen(); i++)
            {
                if (cli.HasExited)
                {
                    Assert.Fail("the run ended before the migration was seen (kvm-y: " + string.Join(' ', Directory.EnumerateFiles(lab.HostY).Select(Path.GetFileName))
                        + "): " + await output + await error + Journal(lab.JournalFile));
                }

                await Task.Delay(50);
            }

            Assert.True(Seen(), "the migration was not seen under way: " + Journal(lab.JournalFile));
            await Task.Delay(250);
            cli.Kill();
            await cli.WaitForExitAsync();
            Assert.DoesNotContain("moved by live migration", Journal(lab.JournalFile), StringComparison.Ordinal); // killed inside the evacuation step
        }
        finally
        {
            if (!cli.HasExited)
            {
                cli.Kill();
            }
        }
    }

    /// <summary>Runs the killed run again with the same run id; it must patch the host once and succeed. Returns the journal.</summary>
    private static string ResumeAndCheck(Lab lab)
    {
        var (code, stdout, stderr) = CliRunner.RunProcess(lab.Root, lab.Run);
        string journal = Journal(lab.JournalFile);
        Assert.True(code == 0, $"resumed run exit {code}: {stderr}{stdout}\njournal:\n{journal}");
        Assert.Contains("patched 1", stdout, StringComparison.Ordinal);
        Assert.Equal("host-kernel linux-image-amd64=6.1.99\n", File.ReadAllText(lab.InstalledLog)); // the host's install ran once
        return journal;
    }

    /// <summary>Exactly one QEMU runs the guest, back on kvm-x (generation 2: out to kvm-y and home again), in the state
    /// file too; the guest never rebooted and its heartbeat went on.</summary>
    private static async Task CheckBackHomeAsync(Lab lab, string bootId, (long Counter, double Uptime) hb, int boots)
    {
        var left = Assert.Single(GuestQemus(lab.Root));
        Assert.Contains(Path.Combine(lab.HostX, Guest + ".2.pid"), string.Join(' ', left.Argv), StringComparison.Ordinal);
        await using (var a = lab.Look())
        {
            Assert.Equal("kvm-x", a.Guest(Guest).HostId);
            Assert.Equal(2, a.Guest(Guest).Generation);
            Assert.Equal(bootId, (await ShAsync(a, "cat /proc/sys/kernel/random/boot_id")).Trim()); // never rebooted
            var after = await HeartbeatAsync(a);
            Assert.True(after.Counter > hb.Counter && after.Uptime > hb.Uptime, $"heartbeat {hb} then {after}");
        }

        Assert.Equal(boots, lab.CountBoots());
        var saved = JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(lab.Root, "state.json")), KvmJsonContext.Default.KvmState)!;
        Assert.Equal(("kvm-x", 2), (saved.Guests[Guest].HostId, saved.Guests[Guest].Generation));
    }

    /// <summary>The journal file's text. Read by <c>cat</c>: the running CLI holds the file with a lock that keeps
    /// this process's own file opens out.</summary>
    private static string Journal(string path)
    {
        if (!File.Exists(path))
        {
            return string.Empty;
        }

        using var cat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("cat", [path]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        string text = cat.StandardOutput.ReadToEnd();
        cat.WaitForExit();
        return text;
    }

    /// <summary>The live QEMU processes started under <paramref name="root"/> (by the fixture or by PatchKit): their
    /// command lines name a pid file there.</summary>
    private static List<(int Pid, List<string> Argv)> GuestQemus(string root) =>
        TestQemus.Matching(a => a.StartsWith(root + "/", StringComparison.Ordinal) && a.EndsWith(".pid", StringComparison.Ordinal));

    /// <summary>Kills every QEMU this test started (found by its pid file's folder), removes their memory files and the folder.</summary>
    private static void StopGuestQemus(string root)
    {
        foreach (var (pid, argv) in GuestQemus(root))
        {
            TestQemus.Kill(pid);
            for (int i = 0; i < 100 && QemuProcess.IsAlive(pid); i++)
            {
                Thread.Sleep(50);
            }

            if (QemuProcess.MemPath(argv) is { } mem)
            {
                File.Delete(mem);
            }
        }

        File.Delete("/dev/shm/patchkit-" + Path.GetFileName(root) + "-" + Guest + ".ram");
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<string> ShAsync(KvmHostAdapter a, string script)
    {
        var r = await a.ExecAsync(new HostOperation(Guest) { Timeout = TimeSpan.FromMinutes(1) }, new GuestCommand { Program = "/bin/sh", Arguments = ["-c", script], Timeout = TimeSpan.FromMinutes(1) });
        Assert.True(r.ExitCode == 0, "guest: " + script + ": " + Encoding.UTF8.GetString(r.StandardError.Span));
        return Encoding.UTF8.GetString(r.StandardOutput.Span);
    }

    private static async Task<(long Counter, double Uptime)> HeartbeatAsync(KvmHostAdapter a)
    {
        string[] f = (await ShAsync(a, "for i in 1 2 3 4 5 6 7 8 9; do h=$(cat /run/heartbeat); case \"$h\" in *' '*) break;; esac; sleep 0.05; done; echo \"$h\"")).Trim().Split(' ');
        return (long.Parse(f[0], CultureInfo.InvariantCulture), double.Parse(f[1], CultureInfo.InvariantCulture));
    }
}
