using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
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

        int rounds = int.Parse(args[0], CultureInfo.InvariantCulture);
        var o = new KvmHostAdapterOptions { StateFile = Path.Combine(args[1], "bench-state.json") };
        var a = new KvmHostDescription { Id = "bench-a", RunDirectory = args[1], Cluster = "bench", SharedStorage = false };
        var b = new KvmHostDescription { Id = "bench-b", RunDirectory = args[2], Cluster = "bench", SharedStorage = false };
        a.Guests.Add(new KvmGuestDescription { Id = "bench", Qmp = "unix:" + args[3], Agent = "unix:" + args[4], PidFile = args[5] });
        o.Hosts.Add(a);
        o.Hosts.Add(b);
        await using var adapter = new KvmHostAdapter(o);
        var downtimes = new List<double>();
        var totals = new List<double>();
        var pauses = new List<double>();
        var walls = new List<double>();
        for (int i = 1; i <= rounds; i++)
        {
            var target = i % 2 == 1 ? b : a;
            long t = Stopwatch.GetTimestamp();
            var r = await adapter.MigrateAsync(adapter.Guest("bench"), target, liveUpdate: false, new HostOperation("bench") { Timeout = TimeSpan.FromMinutes(5) });
            double wall = Stopwatch.GetElapsedTime(t).TotalSeconds;
            double pause = r.StopToResume?.TotalMilliseconds ?? double.NaN;
            downtimes.Add(r.DowntimeMs);
            totals.Add(r.TotalTimeMs);
            pauses.Add(pause);
            walls.Add(wall);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  round {i} -> {target.Id}: downtime {r.DowntimeMs} ms, RAM migration {r.TotalTimeMs} ms, stop->resume {pause:F1} ms, whole move {wall:F2} s"));
        }

        var result = new Dictionary<string, double>
        {
            ["rounds"] = rounds,
            ["downtime_ms_median"] = Median(downtimes),
            ["total_ms_median"] = Median(totals),
            ["stop_to_resume_ms_median"] = Median(pauses),
            ["wall_s_median"] = Median(walls),
        };
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(result, BenchJsonContext.Default.DictionaryStringDouble));
        return 0;
    }

    private static double Median(List<double> v)
    {
        var s = v.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[(s.Count / 2) - 1] + s[s.Count / 2]) / 2;
    }
}
