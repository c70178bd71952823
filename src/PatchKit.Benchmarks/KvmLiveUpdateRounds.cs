using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PatchKit.Hosts;
using PatchKit.Hosts.Kvm;

namespace PatchKit.Benchmarks;

/// <summary>Not a BenchmarkDotNet benchmark (every round replaces a real QEMU process): live-updates one running guest
/// ROUNDS times with <see cref="KvmHostAdapter"/> and prints each round's <c>query-migrate</c> downtime, the STOP (old
/// QEMU) to RESUME (new QEMU) gap from QMP event timestamps, and the wall time, then medians as <c>RESULT {json}</c>.
/// Used by benchmarks/kvm-live-update.sh beside the fixture's reference Python client.</summary>
internal static class KvmLiveUpdateRounds
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 5)
        {
            Console.Error.WriteLine("usage: kvm-live-update ROUNDS RUNDIR QMP-SOCKET QGA-SOCKET PIDFILE");
            return 2;
        }

        int rounds = int.Parse(args[0], CultureInfo.InvariantCulture);
        var o = new KvmHostAdapterOptions();
        var host = new KvmHostDescription { Id = "bench-host", RunDirectory = args[1] };
        host.Guests.Add(new KvmGuestDescription { Id = "bench", Qmp = "unix:" + args[2], Agent = "unix:" + args[3], PidFile = args[4] });
        o.Hosts.Add(host);
        await using var adapter = new KvmHostAdapter(o);
        var downtimes = new List<double>();
        var pauses = new List<double>();
        var walls = new List<double>();
        for (int i = 1; i <= rounds; i++)
        {
            long t = Stopwatch.GetTimestamp();
            var r = await adapter.MigrateAsync(adapter.Guest("bench"), host, liveUpdate: true, new HostOperation("bench"));
            double wall = Stopwatch.GetElapsedTime(t).TotalSeconds;
            double pause = r.StopToResume?.TotalMilliseconds ?? double.NaN;
            downtimes.Add(r.DowntimeMs);
            pauses.Add(pause);
            walls.Add(wall);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  round {i}: downtime {r.DowntimeMs} ms, total {r.TotalTimeMs} ms, stop->resume {pause:F1} ms, update wall {wall:F2} s"));
        }

        var result = new Dictionary<string, double>
        {
            ["rounds"] = rounds,
            ["downtime_ms_median"] = Median(downtimes),
            ["downtime_ms_min"] = downtimes.Min(),
            ["downtime_ms_max"] = downtimes.Max(),
            ["stop_to_resume_ms_median"] = Median(pauses),
            ["stop_to_resume_ms_min"] = pauses.Min(),
            ["stop_to_resume_ms_max"] = pauses.Max(),
            ["update_wall_s_median"] = Median(walls),
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

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, double>))]
internal sealed partial class BenchJsonContext : System.Text.Json.Serialization.JsonSerializerContext
{
}
