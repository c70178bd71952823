using System.Globalization;
using PatchKit.Hosts;
using PatchKit.Hosts.Kvm;

namespace PatchKit.Benchmarks;

/// <summary>Not a BenchmarkDotNet benchmark (every round replaces a real QEMU process): live-updates one running guest
/// ROUNDS times with <see cref="KvmHostAdapter"/> and prints each round's <c>query-migrate</c> downtime, the STOP (old
/// QEMU) to RESUME (new QEMU) gap from QMP event timestamps, and the wall time, then medians as <c>RESULT {json}</c>.
/// Optional: the live-update mode (x-ignore-shared, cpr-reboot, cpr-transfer) and the QEMU binary to update to, with its
/// module folder and firmware folders (colon separated). Used by benchmarks/kvm-live-update.sh and kvm-cpr.sh.</summary>
internal static class KvmLiveUpdateRounds
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 5)
        {
            Console.Error.WriteLine("usage: kvm-live-update ROUNDS RUNDIR QMP-SOCKET QGA-SOCKET PIDFILE [MODE [QEMU [MODULE-DIR [DATA-DIRS]]]]");
            return 2;
        }

        var o = new KvmHostAdapterOptions();
        if (args.Length > 5)
        {
            o.LiveUpdateMode = args[5] switch
            {
                "x-ignore-shared" => KvmLiveUpdateMode.IgnoreShared,
                "cpr-reboot" => KvmLiveUpdateMode.CprReboot,
                "cpr-transfer" => KvmLiveUpdateMode.CprTransfer,
                _ => KvmLiveUpdateMode.Auto,
            };
        }

        if (args.Length > 6)
        {
            o.QemuBinary = args[6];
        }

        if (args.Length > 7)
        {
            o.QemuModuleDirectory = args[7];
        }

        foreach (string d in args.Length > 8 ? args[8].Split(':', StringSplitOptions.RemoveEmptyEntries) : [])
        {
            o.QemuDataDirectories.Add(d);
        }

        var host = new KvmHostDescription { Id = "bench-host", RunDirectory = args[1] };
        host.Guests.Add(new KvmGuestDescription { Id = "bench", Qmp = "unix:" + args[2], Agent = "unix:" + args[3], PidFile = args[4] });
        o.Hosts.Add(host);
        await using var adapter = new KvmHostAdapter(o);
        await KvmRounds.RunAsync(int.Parse(args[0], CultureInfo.InvariantCulture), async _ =>
        {
            var r = await adapter.MigrateAsync(adapter.Guest("bench"), host, liveUpdate: true, new HostOperation("bench")).ConfigureAwait(false);
            return (r, " (" + r.Mode + ")");
        }).ConfigureAwait(false);
        return 0;
    }
}
