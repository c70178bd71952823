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
        System.Diagnostics.Process? cli = null;
        try
        {
            string hostX = Directory.CreateDirectory(Path.Combine(root, "kvm-x")).FullName;
            string hostY = Directory.CreateDirectory(Path.Combine(root, "kvm-y")).FullName;
            var guest = QemuGuest.Start(hostX, Guest, new Dictionary<string, string> { ["MEM"] = "128M", ["MEMFILE"] = "/dev/shm/patchkit-" + Path.GetFileName(root) + "-" + Guest + ".ram" });
            await using (var agent = await GuestAgentClient.ConnectAsync("unix:" + guest.Qga, new KvmClientOptions { ConnectTimeout = TimeSpan.FromSeconds(120) }))
            {
            }

            // the checks' own view of the fleet: no state file, the adapter finds the guest among the QEMU processes
            KvmHostAdapter Look()
            {
                var o = new KvmHostAdapterOptions();
                var x = new KvmHostDescription { Id = "kvm-x", RunDirectory = hostX, Cluster = "c" };
                x.Guests.Add(new KvmGuestDescription { Id = Guest, Qmp = "unix:" + guest.Qmp, Agent = "unix:" + guest.Qga, PidFile = Path.Combine(hostX, Guest + ".pid") });
                o.Hosts.Add(x);
                o.Hosts.Add(new KvmHostDescription { Id = "kvm-y", RunDirectory = hostY, Cluster = "c" });
                return new KvmHostAdapter(o);
            }

            string before;
            (long Counter, double Uptime) hb;
            await using (var a = Look())
            {
                before = (await ShAsync(a, "cat /proc/sys/kernel/random/boot_id")).Trim();
                hb = await HeartbeatAsync(a);
            }

            int boots = CountBoots(hostX);
            string installedLog = Path.Combine(root, "host-installed.log");
            File.WriteAllText(Path.Combine(root, "fleet.json"), $$"""
                { "adapters": [ { "kind": "kvm", "stateFile": "state.json", "maxBandwidth": 16777216,
                    "hosts": [
                      { "id": "kvm-x", "runDirectory": "{{hostX}}", "cluster": "c",
                        "installCommand": [ "/bin/sh", "-c", "echo \"$PATCHKIT_PATCH_ID $1\" >> {{installedLog}}", "sh" ],
                        "rebootCommand": [ "/bin/true" ],
                        "guests": [ { "id": "{{Guest}}", "qmp": "unix:{{guest.Qmp}}", "agent": "unix:{{guest.Qga}}",
                                      "pidFile": "{{Path.Combine(hostX, Guest + ".pid")}}", "stateDirectory": "/mnt/data/patchkit" } ] },
                      { "id": "kvm-y", "runDirectory": "{{hostY}}", "cluster": "c" } ] } ] }
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
            string[] run = ["run", "-f", "fleet.json", "-c", "catalog.json", "-p", "policy.json", "-o", "out", "-r", "evac-kill"];
            string journal = Path.Combine(root, "out", "evac-kill.journal");
            string targetPid = Path.Combine(hostY, Guest + ".1.pid");

            // 1. the run evacuates kvm-x at 16 MiB/s (about 100 MiB to copy: some seconds); killed once the journal holds the migration's checkpoint and the
            //    target QEMU is up, i.e. while QEMU copies the guest's RAM
            cli = CliRunner.StartProcess(root, run);
            cli.StandardInput.Close();
            var output = cli.StandardOutput.ReadToEndAsync();
            var error = cli.StandardError.ReadToEndAsync();
            for (int i = 0; i < 1200 && !(Journal(journal).Contains("migrate:" + Guest + ":1:kvm-y", StringComparison.Ordinal) && File.Exists(targetPid)); i++)
            {
                if (cli.HasExited)
                {
                    Assert.Fail("the run ended before the migration was seen (kvm-y: " + string.Join(' ', Directory.EnumerateFiles(hostY).Select(Path.GetFileName))
                        + "): " + await output + await error + Journal(journal));
                }

                await Task.Delay(50);
            }

            Assert.True(File.Exists(targetPid), "no migration target was started: " + Journal(journal));
            await Task.Delay(1000);
            cli.Kill(); // SIGKILL: no cleanup, no journal record
            await cli.WaitForExitAsync();
            Assert.DoesNotContain("moved by live migration", Journal(journal), StringComparison.Ordinal); // killed inside the evacuation step
            Assert.Equal(2, GuestQemus(root).Count); // source and target both run: the migration was in flight

            // 2. the state file is not trusted: this one claims a generation that never ran, with a pid file naming a
            //    live process that is not QEMU (this test's own)
            File.WriteAllText(Path.Combine(hostY, Guest + ".7.pid"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            var forged = new KvmState();
            string fake = Path.Combine(hostY, Guest + ".7");
            forged.Guests[Guest] = new KvmGuestState { Id = Guest, HostId = "kvm-y", Qmp = "unix:" + fake + ".qmp", Agent = "unix:" + fake + ".qga", PidFile = fake + ".pid", Generation = 7 };
            File.WriteAllBytes(Path.Combine(root, "state.json"), JsonSerializer.SerializeToUtf8Bytes(forged, KvmJsonContext.Default.KvmState));

            // 3. resumed with the same run id: the migration QEMU went on with is finished, the host patched, the guest brought back
            var (code, stdout, stderr) = CliRunner.RunProcess(root, run);
            Assert.True(code == 0, $"resumed run exit {code}: {stderr}{stdout}\njournal:\n{Journal(journal)}");
            Assert.Contains("patched 1", stdout, StringComparison.Ordinal);
            Assert.Equal("host-kernel linux-image-amd64=6.1.99\n", File.ReadAllText(installedLog)); // the host's install ran once
            Assert.Contains("1 guest(s) moved by live migration (1 by finishing the migration an interrupted attempt had begun)", Journal(journal), StringComparison.Ordinal);

            // exactly one QEMU runs the guest, back on kvm-x (generation 2: out to kvm-y and home again); the forged
            // generation never ran, the first two processes are gone, and so is the memory file of the first
            var left = Assert.Single(GuestQemus(root));
            Assert.Contains(Path.Combine(hostX, Guest + ".2.pid"), string.Join(' ', left.Argv), StringComparison.Ordinal);
            Assert.False(File.Exists(guest.MemFile), "the source's memory file was left behind");
            await using (var a = Look())
            {
                Assert.Equal("kvm-x", a.Guest(Guest).HostId);
                Assert.Equal(2, a.Guest(Guest).Generation);
                Assert.Equal(before, (await ShAsync(a, "cat /proc/sys/kernel/random/boot_id")).Trim()); // never rebooted
                var after = await HeartbeatAsync(a);
                Assert.True(after.Counter > hb.Counter && after.Uptime > hb.Uptime, $"heartbeat {hb} then {after}");
            }

            Assert.Equal(boots, CountBoots(hostX));
            var saved = JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(root, "state.json")), KvmJsonContext.Default.KvmState)!;
            Assert.Equal(("kvm-x", 2), (saved.Guests[Guest].HostId, saved.Guests[Guest].Generation));
        }
        finally
        {
            if (cli is { HasExited: false })
            {
                cli.Kill();
            }

            cli?.Dispose();
            StopGuestQemus(root);
        }
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

    private static int CountBoots(string hostX) =>
        File.ReadAllText(Path.Combine(hostX, "console.log")).Split('\n').Count(l => l.Contains("patchkit-guest: init up", StringComparison.Ordinal));

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
