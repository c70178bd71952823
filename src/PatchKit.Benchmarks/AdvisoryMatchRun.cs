using System.Diagnostics;
using System.Globalization;
using System.Text;
using PatchKit.Advisories.Matching;
using PatchKit.Advisories.Osv;
using PatchKit.Hosts;

namespace PatchKit.Benchmarks;

/// <summary>
/// Matches N hosts × M OSV advisories generated from the shapes of the corpus's real records (fixed seed): every advisory copies a real
/// record's ecosystem, package name and fixed version (the package name gets one of 8 variants, the version's last number is moved), every
/// host is one of the real ecosystems with packages drawn from the same names at versions around the real fixed ones. Prints the time to
/// parse the generated records, to build the matcher, to match every host, the decision counts and the peak working set.
/// Hosts are matched in parallel (one worker per core); <c>serial</c> after the counts matches them one after another; <c>objects</c> makes
/// every decision's <see cref="PackageMatch"/> object (as a report listing every decision would; the reasons' words are still not written).
/// Usage: advisory-match [hosts=10000] [advisories=50000] [packagesPerHost=300] [serial] [objects].
/// </summary>
internal static class AdvisoryMatchRun
{
    public static Task<int> RunAsync(string[] args)
    {
        int hostCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        int advisoryCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50_000;
        int perHost = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 300;
        bool serial = args.Skip(3).Contains("serial");
        bool objects = args.Skip(3).Contains("objects");
        var random = new Random(20261205);

        // The shapes: (ecosystem, package, fixed version) of every ECOSYSTEM range of the real records.
        var shapes = new List<(string Ecosystem, string Name, string Fixed)>();
        foreach (string folder in (string[])["almalinux", "rocky", "ubuntu", "debian"])
        {
            string dir = Path.Combine(Path.GetDirectoryName(AdvisoryCorpus.Require("osv/index.json"))!, folder);
            foreach (string file in Directory.EnumerateFiles(dir, "*.json"))
            {
                OsvRecord r = OsvReader.Parse(File.ReadAllBytes(file), file);
                foreach (OsvAffected a in r.Affected ?? [])
                {
                    string? fix = a.Ranges.SelectMany(static x => x.Events).Select(static e => e.Fixed).LastOrDefault(static f => f is not null);
                    if (a.Package?.Ecosystem is { } eco && a.Package.Name is { } name && fix is not null && !eco.Contains("Pro", StringComparison.Ordinal))
                    {
                        shapes.Add((eco, name, fix));
                    }
                }
            }
        }

        Console.WriteLine($"shapes: {shapes.Count} (ecosystem, package, fixed) triples from the corpus's AlmaLinux, Rocky, Ubuntu and Debian records");
        var generated = new List<byte[]>(advisoryCount);
        var byEcosystem = new Dictionary<string, List<(string Name, string Fixed)>>(StringComparer.Ordinal);
        for (int i = 0; i < advisoryCount; i++)
        {
            var (eco, name, fix) = shapes[random.Next(shapes.Count)];
            string variant = name + "-v" + random.Next(8).ToString(CultureInfo.InvariantCulture);
            string moved = Move(fix, random.Next(-3, 4));
            if (!byEcosystem.TryGetValue(eco, out var list))
            {
                byEcosystem[eco] = list = [];
            }

            list.Add((variant, moved));
            generated.Add(Encoding.UTF8.GetBytes(
                $$"""{"id":"BENCH-{{i}}","modified":"2026-12-05T00:00:00Z","aliases":["CVE-2026-{{i}}"],"affected":[{"package":{"ecosystem":"{{eco}}","name":"{{variant}}"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"{{moved}}"}]}]}]}"""));
        }

        var ecosystems = byEcosystem.Keys.Order(StringComparer.Ordinal).ToArray();
        var hosts = new List<(string Id, OsIdentity Os, List<InstalledPackage> Packages)>(hostCount);
        for (int h = 0; h < hostCount; h++)
        {
            string eco = ecosystems[random.Next(ecosystems.Length)];
            var pool = byEcosystem[eco];
            var packages = new List<InstalledPackage>(perHost);
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (int p = 0; p < perHost; p++)
            {
                var (name, fix) = pool[random.Next(pool.Count)];
                if (!names.Add(name))
                {
                    continue;
                }

                bool dpkg = eco.StartsWith("Debian", StringComparison.Ordinal) || eco.StartsWith("Ubuntu", StringComparison.Ordinal);
                packages.Add(new InstalledPackage { Format = dpkg ? PackageFormat.Dpkg : PackageFormat.Rpm, Name = name, Version = Move(fix, random.Next(-2, 3)), Architecture = "x86_64" });
            }

            hosts.Add(($"host{h}", OsOf(eco), packages));
        }

        var total = Stopwatch.StartNew();
        var watch = Stopwatch.StartNew();
        var records = new List<OsvRecord>(advisoryCount);
        foreach (byte[] json in generated)
        {
            records.Add(OsvReader.Parse(json, "generated"));
        }

        TimeSpan parse = watch.Elapsed;
        generated.Clear();
        watch.Restart();
        var matcher = new AdvisoryMatcher(records);
        TimeSpan build = watch.Elapsed;
        watch.Restart();
        using var process = Process.GetCurrentProcess();
        TimeSpan cpuBefore = process.TotalProcessorTime;

        // Hosts are independent: matched in parallel, each worker counting its own decisions.
        long affected = 0, fixedCount = 0, other = 0;
        Parallel.For(
            0,
            hosts.Count,
            new ParallelOptions { MaxDegreeOfParallelism = serial ? 1 : Environment.ProcessorCount },
            () => (Affected: 0L, Fixed: 0L, Other: 0L),
            (h, _, counts) =>
            {
                var (id, os, packages) = hosts[h];
                HostMatchResult result = matcher.Match(id, os, packages);
                if (!objects)
                {
                    // The decisions' kinds, read without making the PackageMatch objects (made when a report shows them).
                    int affectedHere = result.CountOf(MatchDecision.Affected), fixedHere = result.CountOf(MatchDecision.Fixed);
                    return (counts.Affected + affectedHere, counts.Fixed + fixedHere, counts.Other + result.Matches.Count - affectedHere - fixedHere);
                }

                foreach (PackageMatch m in result.Matches)
                {
                    switch (m.Decision)
                    {
                        case MatchDecision.Affected: counts.Affected++; break;
                        case MatchDecision.Fixed: counts.Fixed++; break;
                        default: counts.Other++; break;
                    }
                }

                return counts;
            },
            counts =>
            {
                Interlocked.Add(ref affected, counts.Affected);
                Interlocked.Add(ref fixedCount, counts.Fixed);
                Interlocked.Add(ref other, counts.Other);
            });

        TimeSpan match = watch.Elapsed;
        process.Refresh();
        TimeSpan matchCpu = process.TotalProcessorTime - cpuBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{hostCount} hosts ({hosts.Sum(static h => h.Packages.Count)} packages) x {advisoryCount} advisories over {ecosystems.Length} ecosystems"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"parse {parse.TotalSeconds:F2} s, index {build.TotalSeconds:F2} s, match {match.TotalSeconds:F2} s ({matchCpu.TotalSeconds:F2} s CPU on {Environment.ProcessorCount} cores), total {total.Elapsed.TotalSeconds:F2} s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"decisions: {affected} affected, {fixedCount} fixed, {other} other; peak working set {process.PeakWorkingSet64 / (1024.0 * 1024):F0} MiB (generation included), managed heap now {GC.GetTotalMemory(false) / (1024.0 * 1024):F0} MiB, collections gen0/1/2 {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}"));
        return Task.FromResult(0);
    }

    private static OsIdentity OsOf(string ecosystem)
    {
        string[] p = ecosystem.Split(':');
        return p[0] switch
        {
            "AlmaLinux" => new OsIdentity { Id = "almalinux", VersionId = p[1] + ".4" },
            "Rocky Linux" => new OsIdentity { Id = "rocky", VersionId = p[1] + ".4" },
            "Ubuntu" => new OsIdentity { Id = "ubuntu", VersionId = p[1] },
            _ => new OsIdentity { Id = "debian", VersionId = p.Length > 1 ? p[1] : string.Empty },
        };
    }

    /// <summary>Moves the last number of a version by delta (never below 0), keeping everything else.</summary>
    private static string Move(string version, int delta)
    {
        int end = version.Length;
        while (end > 0 && !char.IsAsciiDigit(version[end - 1]))
        {
            end--;
        }

        int start = end;
        while (start > 0 && char.IsAsciiDigit(version[start - 1]))
        {
            start--;
        }

        if (start == end || end - start > 9)
        {
            return version;
        }

        long n = Math.Max(0, long.Parse(version.AsSpan(start, end - start), CultureInfo.InvariantCulture) + delta);
        return string.Concat(version.AsSpan(0, start), n.ToString(CultureInfo.InvariantCulture), version.AsSpan(end));
    }
}
