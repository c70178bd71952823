using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PatchKit.Hosts.Kvm;

namespace PatchKit.Benchmarks;

/// <summary>The part the KVM round drivers share (<see cref="KvmLiveUpdateRounds"/>, <see cref="KvmMigrateDiskRounds"/>):
/// run ROUNDS moves of a real guest, print each round, then the medians as <c>RESULT {json}</c>.</summary>
internal static class KvmRounds
{
    /// <summary>Runs <paramref name="move"/> <paramref name="rounds"/> times (it gets the round number and returns the
    /// outcome and a label for the round's line) and prints the result line.</summary>
    public static async Task RunAsync(int rounds, Func<int, Task<(MigrationOutcome Outcome, string Label)>> move)
    {
        var downtimes = new List<double>();
        var totals = new List<double>();
        var pauses = new List<double>();
        var walls = new List<double>();
        for (int i = 1; i <= rounds; i++)
        {
            long t = Stopwatch.GetTimestamp();
            var (r, label) = await move(i).ConfigureAwait(false);
            double wall = Stopwatch.GetElapsedTime(t).TotalSeconds;
            double pause = r.StopToResume?.TotalMilliseconds ?? double.NaN;
            downtimes.Add(r.DowntimeMs);
            totals.Add(r.TotalTimeMs);
            pauses.Add(pause);
            walls.Add(wall);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  round {i}{label}: downtime {r.DowntimeMs} ms, total {r.TotalTimeMs} ms, stop->resume {pause:F1} ms, wall {wall:F2} s"));
        }

        var result = new Dictionary<string, double>
        {
            ["rounds"] = rounds,
            ["downtime_ms_median"] = Median(downtimes),
            ["downtime_ms_min"] = downtimes.Min(),
            ["downtime_ms_max"] = downtimes.Max(),
            ["total_ms_median"] = Median(totals),
            ["stop_to_resume_ms_median"] = Median(pauses),
            ["stop_to_resume_ms_min"] = pauses.Min(),
            ["stop_to_resume_ms_max"] = pauses.Max(),
            ["wall_s_median"] = Median(walls),
        };
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(result, BenchJsonContext.Default.DictionaryStringDouble));
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
