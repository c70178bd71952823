using System.Globalization;

namespace PatchKit.Hosts.Simulated;

/// <summary>Builds a seeded, reproducible simulated fleet: clusters of ESX hosts with Windows and Linux VMs and KVM
/// hosts with QEMU guests, with some machines tagged <c>lab</c> and <c>canary</c>.</summary>
public static class SimulatedFleetGenerator
{
    /// <summary>Generates a fleet.</summary>
    /// <param name="seed">The random seed; the same seed gives the same fleet.</param>
    /// <param name="hypervisors">How many hypervisor hosts (half ESX, half KVM).</param>
    /// <param name="guestsPerHost">How many guests each hypervisor runs.</param>
    /// <param name="hostsPerCluster">How many hypervisors per cluster.</param>
    /// <returns>The description.</returns>
    public static SimulatedFleetDescription Generate(int seed, int hypervisors, int guestsPerHost, int hostsPerCluster = 8)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(hypervisors);
        ArgumentOutOfRangeException.ThrowIfNegative(guestsPerHost);
        ArgumentOutOfRangeException.ThrowIfLessThan(hostsPerCluster, 2);
        var random = new Random(seed);
        var start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
        var hosts = new List<SimulatedHostDescription>(hypervisors * (guestsPerHost + 1));
        for (int i = 0; i < hypervisors; i++)
        {
            bool esx = i % 2 == 0;
            string cluster = (esx ? "esx-" : "kvm-") + (i / 2 / (hostsPerCluster / 2)).ToString("D3", CultureInfo.InvariantCulture);
            string id = (esx ? "esx" : "kvm") + i.ToString("D5", CultureInfo.InvariantCulture);
            var tags = new List<string> { "prod" };
            if (i < 2)
            {
                tags[0] = "lab";
            }
            else if (i < 2 + Math.Max(2, hypervisors / 20))
            {
                tags.Add("canary");
            }

            hosts.Add(new SimulatedHostDescription
            {
                Id = id,
                Kind = esx ? HostKind.Esx : HostKind.Kvm,
                Version = esx ? "8.0.2" : "8.2",
                Build = esx ? "22380479" : "1",
                Cluster = cluster,
                Tags = tags,
                InstalledPatches = History(random, start, esx ? "ESXi80U2" : "qemu-8.2"),
            });
            for (int g = 0; g < guestsPerHost; g++)
            {
                bool windows = random.Next(2) == 0;
                hosts.Add(new SimulatedHostDescription
                {
                    Id = id + "-vm" + g.ToString("D2", CultureInfo.InvariantCulture),
                    Kind = windows ? HostKind.Windows : HostKind.Linux,
                    Version = windows ? "10.0.20348" : "6.8",
                    Build = windows ? "2227" : "0",
                    Cluster = cluster,
                    ParentId = id,
                    Tags = [.. tags],
                    InstalledPatches = History(random, start, windows ? "KB50" : "linux-6.8"),
                });
            }
        }

        return new SimulatedFleetDescription { StartTime = start, Hosts = hosts };
    }

    /// <summary>A past of a few patches, spaced about 18.75 days apart, the cadence of an ESX host patched on every release.</summary>
    private static List<InstalledPatch> History(Random random, DateTimeOffset start, string prefix)
    {
        var list = new List<InstalledPatch>();
        var at = start - TimeSpan.FromDays(120);
        for (int n = 0; n < 4; n++)
        {
            at += TimeSpan.FromDays(12 + random.Next(14));
            list.Add(new InstalledPatch { PatchId = prefix + "-old" + n.ToString(CultureInfo.InvariantCulture), InstalledAt = at });
        }

        return list;
    }
}
