using PatchKit.Hosts;
using PatchKit.Hosts.Esx;

namespace PatchKit.Tests.Hosts.Esx;

/// <summary>Paging of the inventory against the real vSphere simulator. The simulator (govmomi 0.24.2) computes the
/// RetrievePropertiesEx answer itself but ignores <c>maxObjects</c> and has no ContinueRetrievePropertiesEx; the
/// launcher's <c>-page-standin</c> keeps all but the first <c>maxObjects</c> objects of the simulator's own answer under
/// a token and hands them out through ContinueRetrievePropertiesEx, as vCenter does (each call recorded in its stand-in
/// log).</summary>
public sealed class VcsimPagingTests
{
    [EsxFact]
    public async Task Inventory_PagedBySmallPages_SameObjectsAsOneBigPage_EveryTokenFollowed()
    {
        // 2 clusters of 4 hosts, 3 standalone hosts, 7 VMs per pool: about 60 objects for the view.
        await using var sim = await VcsimServer.StartAsync("-mode", "vcenter", "-cluster", "2", "-host", "4", "-standalone-host", "3", "-vm", "7", "-page-standin");
        await using var paged = new EsxHostAdapter(new EsxHostAdapterOptions
        {
            Endpoint = new Uri(sim.Url),
            UserName = "root",
            Password = Secret.FromDelegate("test", _ => ValueTask.FromResult("any")),
            ThumbprintSha256 = sim.ThumbprintSha256,
            PageSize = 7,
        });
        var small = await paged.GetInventoryAsync(CancellationToken.None);

        string log = await File.ReadAllTextAsync(sim.StandinLog);
        var continues = log.Split('\n').Where(l => l.Contains("page-standin ContinueRetrievePropertiesEx", StringComparison.Ordinal)).ToList();
        Assert.Contains("page-standin RetrievePropertiesEx maxObjects=7 objects=", log, StringComparison.Ordinal);
        int total = int.Parse(log.Split("maxObjects=7 objects=")[1].Split('\n')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(total > 50, log);
        Assert.Equal((total + 6) / 7 - 1, continues.Count);
        Assert.EndsWith("next=\"\"", continues[^1].TrimEnd(), StringComparison.Ordinal);

        await using var whole = EsxRoomAndDrsTests.Adapter(sim);
        var big = await whole.GetInventoryAsync(CancellationToken.None);
        static string Row(HostRecord h) => h.Id + "|" + h.Kind + "|" + h.Version + "|" + h.Build + "|" + h.ParentId + "|" + string.Join(",", h.Guests);
        Assert.Equal(sim.Hosts.Count(), small.Hosts.Count(h => h.Kind == HostKind.Esx));
        Assert.Equal(sim.Hosts.Count() + sim.Vms.Count(), small.Hosts.Count);
        Assert.Equal(big.Hosts.Select(Row).Order(StringComparer.Ordinal), small.Hosts.Select(Row).Order(StringComparer.Ordinal));
    }
}
