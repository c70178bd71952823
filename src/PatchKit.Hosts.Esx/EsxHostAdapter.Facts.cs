namespace PatchKit.Hosts.Esx;

/// <summary>What a plan shows for one ESX host before anything runs.</summary>
internal sealed record EsxHostFacts(string Id, string Name, string Cluster, string InstallPath, string Build, string Evacuation);

public sealed partial class EsxHostAdapter
{
    /// <summary>Per host, the planning facts: how it installs (SSH esxcli, the API for hosts without a shell, or not at
    /// all), its build, and who would empty it and where to (DRS, or PatchKit with its targets), or why it cannot be
    /// emptied. Reads the inventory; changes nothing.</summary>
    internal async Task<List<EsxHostFacts>> DescribeHostsAsync(CancellationToken cancellationToken)
    {
        var inv = await LoadInventoryAsync(cancellationToken).ConfigureAwait(false);
        bool vCenter = _service?.IsVCenter ?? false;
        if (vCenter && inv.Hosts.Count > 0)
        {
            await LoadPlacementAsync(inv, inv.Hosts, [.. inv.Vms.Where(v => v.PoweredOn && v.Host is not null)], cancellationToken).ConfigureAwait(false);
        }

        var facts = new List<EsxHostFacts>();
        foreach (var h in inv.Hosts.OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            var running = inv.Vms.Where(v => v.PoweredOn && v.Host == h.Moref).ToList();
            string evacuation;
            if (running.Count == 0)
            {
                evacuation = "nothing to move (no running guest)";
            }
            else
            {
                var room = EvacuationPlanner.Plan(inv, h, running, vCenter, _options.Endpoint.ToString());
                evacuation = room.Failed.Count > 0
                    ? "REFUSED: " + string.Join("; ", room.Failed.Select(f => f.Reason).Distinct(StringComparer.Ordinal))
                    : room.Cluster is { DrsEvacuates: true } drs
                        ? "DRS (fully automated on " + drs.Name + ") moves " + running.Count + " guest(s) as it enters maintenance mode" + room.HaNote
                        : "PatchKit moves " + running.Count + " guest(s) by vMotion to " + string.Join(", ", room.Moves.GroupBy(m => m.Target.Name, StringComparer.Ordinal)
                            .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key + " (" + g.Count() + ")"))
                          + (room.Cluster is { } c ? " (" + c.DrsText + room.HaNote + ")" : string.Empty);
            }

            string path = InstallPath(h) switch
            {
                "ssh" => "ssh (esxcli)",
                "api" => "api (InstallHostPatchV2_Task, no shell)",
                _ => "none (no SSH configured, API install not allowed)",
            };
            facts.Add(new EsxHostFacts(h.Moref.Value, h.Name, h.Cluster, path, EsxBuild.Normalize(h.Version, h.ProductBuild) is { Length: > 0 } b ? b : h.ProductBuild, evacuation));
        }

        return facts;
    }
}
