using System.Globalization;

namespace PatchKit.Hosts.Esx;

/// <summary>Where a host's guests can go: each guest placed on another host of the cluster with room for it (memory,
/// CPU reservation, vCPU count), then the whole cluster checked against HA admission control. Pure: reads an
/// inventory, contacts nothing.</summary>
internal static class EvacuationPlanner
{
    /// <summary>vSphere HA counts a VM without a CPU reservation as 32 MHz (its default for the percentage policy).</summary>
    internal const long DefaultCpuMhz = 32;

    internal sealed record Result(
        List<(EsxVmInfo Vm, EsxHostInfo Target)> Moves,
        List<GuestMoveFailure> Failed,
        EsxClusterInfo? Cluster,
        string HaNote);

    public static Result Plan(EsxInventory inv, EsxHostInfo host, List<EsxVmInfo> toMove, bool vCenter, string endpoint)
    {
        var moves = new List<(EsxVmInfo, EsxHostInfo)>();
        var failed = new List<GuestMoveFailure>();
        EsxClusterInfo? cluster = host.Parent is { Type: "ClusterComputeResource" } p && inv.ClusterConfigs.TryGetValue(p.Value, out var c) ? c : null;
        string? refusal = !vCenter ? "vMotion needs vCenter; " + endpoint + " is a standalone host agent"
            : host.Cluster.Length == 0 ? host.Name + " is not in a cluster, so there is no host to move its guests to"
            : null;
        if (refusal is not null)
        {
            failed.AddRange(toMove.Select(v => new GuestMoveFailure { GuestId = v.Moref.Value, Reason = refusal }));
            return new Result(moves, failed, cluster, string.Empty);
        }

        var failoverHosts = cluster is { HaReserves: true } ? cluster.FailoverHosts : [];
        var remaining = inv.Hosts.Where(h => h.Parent == host.Parent && h.Moref != host.Moref && h.Connected && !h.InMaintenanceMode).ToList();
        var targets = remaining.Where(h => !failoverHosts.Contains(h.Moref.Value, StringComparer.Ordinal)).ToList();
        var freeMem = targets.ToDictionary(t => t.Moref.Value, t => t.MemoryMB - Running(inv, t).Sum(v => v.MemoryNeedMB), StringComparer.Ordinal);
        var freeCpu = targets.ToDictionary(t => t.Moref.Value, t => t.CpuCapacityMhz - Running(inv, t).Sum(v => v.CpuReservationMhz), StringComparer.Ordinal);

        // Where every powered-on VM of the cluster is (or will be, once planned): the rules are checked against it.
        var at = inv.Vms.Where(v => v.PoweredOn && v.Host is { } vh && vh.Value.Length > 0).ToDictionary(v => v.Moref.Value, v => v.Host!.Value.Value, StringComparer.Ordinal);
        var names = inv.Vms.ToDictionary(v => v.Moref.Value, v => v.Name, StringComparer.Ordinal);
        var moving = toMove.Select(v => v.Moref.Value).ToHashSet(StringComparer.Ordinal);
        foreach (var vm in toMove.OrderByDescending(v => v.MemoryNeedMB).ThenBy(v => v.Moref.Value, StringComparer.Ordinal))
        {
            var why = new List<string>();
            var eligible = new List<EsxHostInfo>();
            foreach (var t in targets)
            {
                var against = Incompatible(inv, host, cluster, vm, t, at, moving, names);
                if (against.Count == 0)
                {
                    eligible.Add(t);
                }
                else
                {
                    why.Add(t.Name + " " + string.Join(", ", against));
                }
            }

            if (targets.Count > 0 && eligible.Count == 0)
            {
                failed.Add(new GuestMoveFailure
                {
                    GuestId = vm.Moref.Value,
                    Reason = vm.Name + " (" + vm.Moref.Value + ") cannot move: no other host of cluster " + host.Cluster + " fits it: " + string.Join("; ", why),
                });
                continue;
            }

            var fits = eligible.Where(t => freeMem[t.Moref.Value] >= vm.MemoryNeedMB && FitsCpu(t, vm, freeCpu[t.Moref.Value]))
                .OrderBy(t => ShouldRulesBroken(cluster, vm, t))
                .ThenByDescending(t => freeMem[t.Moref.Value]).ThenBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault();
            if (fits is null)
            {
                string reason = NoRoom(host, vm, eligible, freeMem, freeCpu, failoverHosts.Count > 0);
                failed.Add(new GuestMoveFailure { GuestId = vm.Moref.Value, Reason = why.Count > 0 ? reason + " (the others do not fit it: " + string.Join("; ", why) + ")" : reason });
                continue;
            }

            freeMem[fits.Moref.Value] -= vm.MemoryNeedMB;
            freeCpu[fits.Moref.Value] -= vm.CpuReservationMhz;
            at[vm.Moref.Value] = fits.Moref.Value;
            moving.Remove(vm.Moref.Value);
            moves.Add((vm, fits));
        }

        string note = string.Empty;
        if (failed.Count == 0 && cluster is { HaReserves: true } ha)
        {
            string? shortOf = HaShortfall(inv, host, ha, remaining, out note);
            if (shortOf is not null)
            {
                moves.Clear();
                failed.AddRange(toMove.Select(v => new GuestMoveFailure { GuestId = v.Moref.Value, Reason = shortOf }));
            }
        }

        return new Result(moves, failed, cluster, note);
    }

    /// <summary>Why vMotion could not take <paramref name="vm"/> to <paramref name="t"/>: a datastore or network of the
    /// VM the target does not see, a CPU baseline (EVC mode) the target cannot offer, or a binding rule of the cluster
    /// (VM-VM affinity or anti-affinity, a "must" VM-host rule). Empty when it can go. Datastores, networks and EVC are
    /// checked only when they were loaded; an EVC mode the target does not report is not held against it.</summary>
    internal static List<string> Incompatible(EsxInventory inv, EsxHostInfo source, EsxClusterInfo? cluster, EsxVmInfo vm, EsxHostInfo t,
        Dictionary<string, string> at, HashSet<string> moving, Dictionary<string, string> names)
    {
        var why = new List<string>();
        string Name(string id) => inv.Names.TryGetValue(id, out var n) ? n : id;
        string VmName(string id) => names.TryGetValue(id, out var n) ? n : id;
        if (inv.PlacementLoaded)
        {
            var ds = vm.Datastores.Where(d => !t.Datastores.Contains(d)).Select(Name).Order(StringComparer.Ordinal).ToList();
            if (ds.Count > 0)
            {
                why.Add("does not see datastore " + string.Join(", ", ds));
            }

            var nets = vm.Networks.Where(n => !t.Networks.Contains(n)).Select(Name).Order(StringComparer.Ordinal).ToList();
            if (nets.Count > 0)
            {
                why.Add("does not see network " + string.Join(", ", nets));
            }

            string need = vm.MinRequiredEvcMode.Length > 0 ? vm.MinRequiredEvcMode
                : cluster is { EvcMode.Length: > 0 } ? cluster.EvcMode
                : source.EvcOffered;
            if (need.Length > 0 && t.EvcOffered.Length > 0 && !EvcModes.Covers(t.EvcOffered, need))
            {
                why.Add("offers CPU baseline " + t.EvcOffered + (t.CurrentEvcMode.Length > 0 ? " (EVC)" : string.Empty) + " but " + vm.Name + " needs " + need + " (EVC mode; not CPU-compatible for vMotion)");
            }
        }

        foreach (var r in cluster?.Rules ?? [])
        {
            switch (r.Kind)
            {
                case EsxRuleKind.Apart when r.Vms.Contains(vm.Moref.Value):
                    var there = r.Vms.Where(o => o != vm.Moref.Value && at.TryGetValue(o, out var h) && h == t.Moref.Value).Select(VmName).Order(StringComparer.Ordinal).ToList();
                    if (there.Count > 0)
                    {
                        why.Add("runs " + string.Join(", ", there) + " (anti-affinity rule '" + r.Name + "')");
                    }

                    break;
                case EsxRuleKind.Together when r.Vms.Contains(vm.Moref.Value):
                    // Members still waiting to leave the source follow this one; the others are where it must go.
                    var elsewhere = r.Vms.Where(o => o != vm.Moref.Value && !moving.Contains(o) && at.TryGetValue(o, out var h) && h != t.Moref.Value && h != source.Moref.Value)
                        .Select(VmName).Order(StringComparer.Ordinal).ToList();
                    if (elsewhere.Count > 0)
                    {
                        why.Add("does not run " + string.Join(", ", elsewhere) + " (affinity rule '" + r.Name + "')");
                    }

                    break;
                case EsxRuleKind.VmHost when r.Mandatory && cluster!.Groups.TryGetValue(r.VmGroup, out var groupVms) && groupVms.Contains(vm.Moref.Value):
                    if (r.AffineHostGroup.Length > 0 && !(cluster.Groups.TryGetValue(r.AffineHostGroup, out var inHosts) && inHosts.Contains(t.Moref.Value)))
                    {
                        why.Add("is not in host group " + r.AffineHostGroup + " (VM-host rule '" + r.Name + "': must run on)");
                    }

                    if (r.AntiAffineHostGroup.Length > 0 && cluster.Groups.TryGetValue(r.AntiAffineHostGroup, out var outHosts) && outHosts.Contains(t.Moref.Value))
                    {
                        why.Add("is in host group " + r.AntiAffineHostGroup + " (VM-host rule '" + r.Name + "': must not run on)");
                    }

                    break;
            }
        }

        return why;
    }

    /// <summary>How many "should" VM-host rules a move to <paramref name="t"/> would break (targets that break fewer
    /// come first; DRS may break them, PatchKit avoids it when it can).</summary>
    private static int ShouldRulesBroken(EsxClusterInfo? cluster, EsxVmInfo vm, EsxHostInfo t) =>
        cluster is null ? 0 : cluster.Rules.Count(r => r.Kind == EsxRuleKind.VmHost && !r.Mandatory
            && cluster.Groups.TryGetValue(r.VmGroup, out var g) && g.Contains(vm.Moref.Value)
            && ((r.AffineHostGroup.Length > 0 && !(cluster.Groups.TryGetValue(r.AffineHostGroup, out var a) && a.Contains(t.Moref.Value)))
                || (r.AntiAffineHostGroup.Length > 0 && cluster.Groups.TryGetValue(r.AntiAffineHostGroup, out var b) && b.Contains(t.Moref.Value))));

    private static IEnumerable<EsxVmInfo> Running(EsxInventory inv, EsxHostInfo h) => inv.Vms.Where(v => v.PoweredOn && v.Host == h.Moref);

    /// <summary>A CPU reservation must fit the target's unreserved MHz; a VM cannot have more vCPUs than the target has
    /// cores (a target that does not report its CPU is not checked).</summary>
    private static bool FitsCpu(EsxHostInfo t, EsxVmInfo vm, long freeMhz) =>
        t.CpuCores == 0 || (vm.NumCpu <= t.CpuCores && freeMhz >= vm.CpuReservationMhz);

    private static string NoRoom(EsxHostInfo host, EsxVmInfo vm, List<EsxHostInfo> targets, Dictionary<string, long> freeMem, Dictionary<string, long> freeCpu, bool failoverHostsExcluded)
    {
        if (targets.Count == 0)
        {
            return "no other host of cluster " + host.Cluster + " is connected and out of maintenance mode"
                + (failoverHostsExcluded ? " (HA's dedicated failover hosts take no guests)" : string.Empty);
        }

        var need = new List<string> { N(vm.MemoryNeedMB) + " MB memory" };
        if (vm.CpuReservationMhz > 0)
        {
            need.Add(N(vm.CpuReservationMhz) + " MHz CPU reserved");
        }

        need.Add(N(vm.NumCpu) + " vCPU");
        var shortOf = new List<string>();
        if (targets.All(t => freeMem[t.Moref.Value] < vm.MemoryNeedMB))
        {
            shortOf.Add("memory (most free: " + N(targets.Max(t => freeMem[t.Moref.Value])) + " MB)");
        }

        if (targets.All(t => t.CpuCores > 0 && freeCpu[t.Moref.Value] < vm.CpuReservationMhz))
        {
            shortOf.Add("CPU (most unreserved: " + N(targets.Max(t => freeCpu[t.Moref.Value])) + " MHz)");
        }

        if (targets.All(t => t.CpuCores > 0 && t.CpuCores < vm.NumCpu))
        {
            shortOf.Add("cores (most: " + N(targets.Max(t => t.CpuCores)) + ")");
        }

        if (shortOf.Count == 0)
        {
            shortOf.Add("no single host has both the memory and the CPU");
        }

        return "no other host of cluster " + host.Cluster + " has room for " + vm.Name + " (" + string.Join(", ", need) + "); short of "
            + string.Join(" and ", shortOf);
    }

    /// <summary>With the host in maintenance mode, the other hosts must carry every running guest of the cluster and still
    /// keep HA's reserve: the capacity of the largest <c>failoverLevel</c> hosts, or the given percentages.</summary>
    private static string? HaShortfall(EsxInventory inv, EsxHostInfo host, EsxClusterInfo ha, List<EsxHostInfo> remaining, out string note)
    {
        var serving = remaining.Where(h => !ha.FailoverHosts.Contains(h.Moref.Value, StringComparer.Ordinal)).ToList();
        var clusterHosts = inv.Hosts.Where(h => h.Parent == host.Parent && h.Connected && (!h.InMaintenanceMode || h.Moref == host.Moref)).ToList();
        var guests = inv.Vms.Where(v => v.PoweredOn && v.Host is { } vh && clusterHosts.Any(h => h.Moref == vh)).ToList();
        long needMem = guests.Sum(v => v.MemoryNeedMB);
        long needCpu = guests.Sum(v => Math.Max(v.CpuReservationMhz, DefaultCpuMhz));
        long mem = serving.Sum(h => h.MemoryMB);
        long cpu = serving.Sum(h => h.CpuCapacityMhz);
        long reserveMem, reserveCpu;
        string policy;
        if (ha.FailoverLevel > 0)
        {
            policy = "tolerates " + ha.FailoverLevel + " host failure(s)";
            if (serving.Count <= ha.FailoverLevel)
            {
                note = string.Empty;
                return "HA admission control of cluster " + ha.Name + " " + policy + "; with " + host.Name + " in maintenance mode only "
                    + serving.Count + " host(s) would remain, so HA could not restart their guests: short of hosts";
            }

            reserveMem = serving.Select(h => h.MemoryMB).OrderDescending().Take(ha.FailoverLevel).Sum();
            reserveCpu = serving.Select(h => h.CpuCapacityMhz).OrderDescending().Take(ha.FailoverLevel).Sum();
        }
        else if (ha.CpuFailoverPercent > 0 || ha.MemoryFailoverPercent > 0)
        {
            policy = "keeps " + ha.CpuFailoverPercent + " % CPU and " + ha.MemoryFailoverPercent + " % memory for failover";
            reserveMem = mem * ha.MemoryFailoverPercent / 100;
            reserveCpu = cpu * ha.CpuFailoverPercent / 100;
        }
        else
        {
            note = ha.FailoverHosts.Count > 0 ? "; HA's dedicated failover host(s) " + string.Join(", ", ha.FailoverHosts) + " take no guests" : string.Empty;
            return null;
        }

        var shortOf = new List<string>();
        if (needMem > mem - reserveMem)
        {
            shortOf.Add(N(needMem - (mem - reserveMem)) + " MB of memory (guests need " + N(needMem) + " MB, the other hosts have " + N(mem) + " MB of which HA keeps " + N(reserveMem) + " MB)");
        }

        if (cpu > 0 && needCpu > cpu - reserveCpu)
        {
            shortOf.Add(N(needCpu - (cpu - reserveCpu)) + " MHz of CPU (guests reserve " + N(needCpu) + " MHz, the other hosts have " + N(cpu) + " MHz of which HA keeps " + N(reserveCpu) + " MHz)");
        }

        note = "; HA admission control " + policy + ": " + N(needMem) + " of " + N(mem - reserveMem) + " MB usable";
        return shortOf.Count == 0 ? null
            : "HA admission control of cluster " + ha.Name + " " + policy + "; with " + host.Name + " in maintenance mode the other hosts are short of " + string.Join(" and ", shortOf);
    }

    private static string N(long v) => v.ToString(CultureInfo.InvariantCulture);
}
