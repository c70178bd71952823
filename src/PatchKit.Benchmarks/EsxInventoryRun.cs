using System.Diagnostics;
using System.Globalization;
using PatchKit.Hosts;
using PatchKit.Hosts.Esx;

namespace PatchKit.Benchmarks;

/// <summary>`PatchKit.Benchmarks esx-inventory URL USER PASSWORD [ITERATIONS]`: times the ESX adapter's full inventory
/// (RetrievePropertiesEx over a ContainerView, every host and VM with the same properties the pyvmomi and govmomi
/// programs of benchmarks/esx-inventory.sh ask for) against a running simulator; one warm-up, then the iterations.
/// Prints one line per iteration and a summary line the script parses.</summary>
internal static class EsxInventoryRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: esx-inventory URL USER PASSWORD [ITERATIONS]");
            return 2;
        }

        int iterations = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5;
        string password = args[2];
        var options = new EsxHostAdapterOptions
        {
            Endpoint = new Uri(args[0]),
            UserName = args[1],
            Password = Secret.FromDelegate("command line", _ => ValueTask.FromResult(password)),
            AllowPlainHttp = true,
            RequestTimeout = TimeSpan.FromMinutes(10),
        };
        await using var adapter = new EsxHostAdapter(options);
        var warm = await adapter.GetInventoryAsync(CancellationToken.None);
        var times = new List<double>();
        var allocs = new List<long>();
        var cpu = new List<double>();
        using var self = Process.GetCurrentProcess();
        int hosts = 0, vms = 0;
        for (int i = 0; i < iterations; i++)
        {
            long a0 = GC.GetTotalAllocatedBytes(precise: true);
            self.Refresh();
            var c0 = self.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var inv = await adapter.GetInventoryAsync(CancellationToken.None);
            sw.Stop();
            long a1 = GC.GetTotalAllocatedBytes(precise: true);
            self.Refresh();
            cpu.Add((self.TotalProcessorTime - c0).TotalMilliseconds);
            hosts = inv.Hosts.Count(h => h.Kind == HostKind.Esx);
            vms = inv.Hosts.Count - hosts;
            times.Add(sw.Elapsed.TotalMilliseconds);
            allocs.Add(a1 - a0);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"patchkit iteration {i + 1}: {sw.Elapsed.TotalMilliseconds:F0} ms, {cpu[i]:F0} ms CPU, {(a1 - a0) / 1048576.0:F1} MB allocated, {hosts} hosts, {vms} vms"));
        }

        times.Sort();
        allocs.Sort();
        cpu.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT patchkit median_ms={times[times.Count / 2]:F1} cpu_ms={cpu[cpu.Count / 2]:F1} alloc_mb={allocs[allocs.Count / 2] / 1048576.0:F1} hosts={hosts} vms={vms} warm_objects={warm.Hosts.Count}"));
        return 0;
    }
}
