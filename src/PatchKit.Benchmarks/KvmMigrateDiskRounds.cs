using System.Globalization;
using PatchKit.Hosts;
using PatchKit.Hosts.Kvm;

namespace PatchKit.Benchmarks;

/// <summary>Not a BenchmarkDotNet benchmark (every round moves a real guest to a new QEMU process): migrates one running
/// guest between two "hosts" without shared storage ROUNDS times with <see cref="KvmHostAdapter"/> (target QEMU with an
/// empty disk, NBD export, <c>blockdev-mirror</c> to READY, RAM migration, mirror ended, target continued, source quit)
/// and prints each round's <c>query-migrate</c> downtime and total time, the STOP → RESUME gap and the wall time, then
/// medians as <c>RESULT {json}</c>. Used by benchmarks/kvm-migrate-disk.sh beside the fixture's reference client.</summary>
internal static class KvmMigrateDiskRounds
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 6)
        {
            Console.Error.WriteLine("usage: kvm-migrate-disk ROUNDS HOST-A-DIR HOST-B-DIR QMP-SOCKET QGA-SOCKET PIDFILE");
            return 2;
        }

        var o = new KvmHostAdapterOptions { StateFile = Path.Combine(args[1], "bench-state.json") };
        var a = new KvmHostDescription { Id = "bench-a", RunDirectory = args[1], Cluster = "bench", SharedStorage = false };
        var b = new KvmHostDescription { Id = "bench-b", RunDirectory = args[2], Cluster = "bench", SharedStorage = false };
        a.Guests.Add(new KvmGuestDescription { Id = "bench", Qmp = "unix:" + args[3], Agent = "unix:" + args[4], PidFile = args[5] });
        o.Hosts.Add(a);
        o.Hosts.Add(b);
        await using var adapter = new KvmHostAdapter(o);
        await KvmRounds.RunAsync(int.Parse(args[0], CultureInfo.InvariantCulture), async i =>
        {
            var target = i % 2 == 1 ? b : a;
            var r = await adapter.MigrateAsync(adapter.Guest("bench"), target, liveUpdate: false, new HostOperation("bench") { Timeout = TimeSpan.FromMinutes(5) }).ConfigureAwait(false);
            return (r, " -> " + target.Id);
        }).ConfigureAwait(false);
        return 0;
    }
}
