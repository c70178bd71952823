using System.Diagnostics;
using System.Globalization;
using PatchKit.Lifecycle.Journal;
using PatchKit.Lifecycle.Postgres;

namespace PatchKit.Benchmarks;

/// <summary>Scale-out of the PostgreSQL work queue: W workers (each its own store and connection pool, as separate
/// orchestrators would have), each with a fixed number of lanes; a lane claims a host, runs its steps (each journaled
/// before and after, fenced by the lease, and taking real wall-clock time), and completes the host. Prints hosts per
/// second for each W. Not a BenchmarkDotNet benchmark: one timed run per W.</summary>
internal static class QueueScaleOut
{
    public static async Task<int> RunAsync(string[] args)
    {
        string url = Arg(args, "--journal") ?? throw new ArgumentException("--journal postgres://… is required");
        int hosts = int.Parse(Arg(args, "--hosts") ?? "400", CultureInfo.InvariantCulture);
        int lanes = int.Parse(Arg(args, "--lanes") ?? "8", CultureInfo.InvariantCulture);
        int steps = int.Parse(Arg(args, "--steps") ?? "5", CultureInfo.InvariantCulture);
        var stepTime = TimeSpan.FromMilliseconds(int.Parse(Arg(args, "--step-ms") ?? "20", CultureInfo.InvariantCulture));
        int[] workerCounts = [.. (Arg(args, "--workers") ?? "1,2,4").Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture))];
        var options = PostgresJournalOptions.Parse(url);
        double? baseline = null;
        Console.WriteLine($"hosts {hosts}, {lanes} lanes per worker, {steps} steps of {stepTime.TotalMilliseconds} ms per host (2 journal records per step, fenced)");
        foreach (int workers in workerCounts)
        {
            string runId = "scale-out-" + workers + "-" + Guid.NewGuid().ToString("N")[..6];
            var stores = new PostgresRunStore[workers];
            for (int i = 0; i < workers; i++)
            {
                stores[i] = await PostgresRunStore.OpenAsync(options);
            }

            var plan = Enumerable.Range(0, hosts).Select(i => new WorkItem("h" + i.ToString(CultureInfo.InvariantCulture), 0, "c" + (i % 50).ToString(CultureInfo.InvariantCulture))).ToArray();
            await stores[0].CreateRunAsync(runId, runId, plan, maxPerCluster: 0);
            long claims = 0, appends = 0;
            var sw = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, workers * lanes).Select(lane => Task.Run(async () =>
            {
                var store = stores[lane % workers];
                while (true)
                {
                    var lease = await store.ClaimAsync(runId, "w" + (lane % workers).ToString(CultureInfo.InvariantCulture), TimeSpan.FromMinutes(5));
                    Interlocked.Increment(ref claims);
                    if (lease is null)
                    {
                        return;
                    }

                    for (int s = 0; s < steps; s++)
                    {
                        string key = "repair/" + lease.HostId + "/step" + s.ToString(CultureInfo.InvariantCulture);
                        await store.Journal.AppendAsync(new JournalRecord { Format = JournalRecord.CurrentFormat, RunId = runId, Kind = JournalRecordKind.StepStarted, Key = key, HostId = lease.HostId }, default);
                        await Task.Delay(stepTime);
                        await store.Journal.AppendAsync(new JournalRecord { Format = JournalRecord.CurrentFormat, RunId = runId, Kind = JournalRecordKind.StepCompleted, Key = key, HostId = lease.HostId }, default);
                        Interlocked.Add(ref appends, 2);
                    }

                    await store.CompleteAsync(lease);
                }
            })));
            sw.Stop();
            foreach (var s in stores)
            {
                await s.DisposeAsync();
            }

            double rate = hosts / sw.Elapsed.TotalSeconds;
            baseline ??= rate;
            double ideal = 1000.0 * lanes * workers / (steps * stepTime.TotalMilliseconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"workers {workers}: {sw.Elapsed.TotalSeconds:F2} s, {rate:F1} hosts/s = {rate / baseline.Value:F2}× one worker (ideal {ideal:F1} hosts/s with no coordination cost: {rate / ideal * 100:F0} %); {claims} claims, {appends} appends"));
        }

        return 0;
    }

    private static string? Arg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
