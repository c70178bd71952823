using PatchKit.Hosts;
using PatchKit.Hosts.Esx;

namespace PatchKit.Tests.Hosts.Esx;

/// <summary>Fencing on vCenter (the real simulator): the largest fencing token seen for a host or VM is kept in its
/// <c>patchkit.fence</c> custom attribute; a worker whose lease moved to another worker cannot start a task on it. Two
/// adapters (two sessions) stand for two workers.</summary>
[Collection("esx")]
public sealed class EsxFencingTests(EsxServers servers)
{
    private static HostOperation Op(string id, long token) => new(id) { FencingToken = token };

    [EsxFact]
    public async Task StaleLeaseHolder_CannotStartATaskOnTheVmOrHost_TheNewHolderCan()
    {
        await using var stale = servers.Adapter(withSsh: false);
        await using var holder = servers.Adapter(withSsh: false);
        string vm = servers.Vcenter.Vms.Last().Moref;
        string host = servers.Vcenter.HostId("DC0_C0_H2");
        long old = 8_000_001, current = 8_000_002;

        Assert.NotNull(await stale.IdentifyAsync(Op(vm, old)));
        Assert.NotNull(await stale.IdentifyAsync(Op(host, old)));
        var snapshots = (await stale.ListSnapshotsAsync(Op(vm, old))).Select(s => s.SnapshotId).ToList();
        bool inMaintenance = await stale.IsInMaintenanceModeAsync(Op(host, old));

        // the lease moved: the new holder announces its token (the lifecycle calls IdentifyAsync first)
        Assert.NotNull(await holder.IdentifyAsync(Op(vm, current)));
        Assert.NotNull(await holder.IdentifyAsync(Op(host, current)));
        var sc = await holder.SessionAsync(CancellationToken.None);
        Assert.NotNull(sc.CustomFieldsManager);

        var refused = new[]
        {
            await Assert.ThrowsAsync<HostAdapterException>(() => stale.CreateSnapshotAsync(Op(vm, old), "stale-snapshot")),
            await Assert.ThrowsAsync<HostAdapterException>(() => stale.EnterMaintenanceModeAsync(Op(host, old))),
        };
        Assert.Equal(new[] { vm, host }, refused.Select(e => e.HostId));
        foreach (var ex in refused)
        {
            Assert.Contains("Lease lost", ex.Message, StringComparison.Ordinal);
            Assert.Contains("fencing token 8000002", ex.Message, StringComparison.Ordinal);
            Assert.Contains("token 8000001 is stale", ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal(snapshots, (await holder.ListSnapshotsAsync(Op(vm, current))).Select(s => s.SnapshotId).ToList());
        Assert.Equal(inMaintenance, await holder.IsInMaintenanceModeAsync(Op(host, current)));
        await Assert.ThrowsAsync<HostAdapterException>(() => stale.IdentifyAsync(Op(vm, old)));

        // the new holder works; a third, newer lease then fences it out in turn
        var mine = await holder.CreateSnapshotAsync(Op(vm, current), "holder-snapshot");
        Assert.True((await holder.RemoveSnapshotAsync(Op(vm, current), mine.SnapshotId)).Succeeded);
        Assert.NotNull(await stale.IdentifyAsync(Op(vm, current + 1)));
        await Assert.ThrowsAsync<HostAdapterException>(() => holder.CreateSnapshotAsync(Op(vm, current), "late"));
        Assert.Equal(snapshots, (await holder.ListSnapshotsAsync(Op(vm, current + 1))).Select(s => s.SnapshotId).ToList());
    }
}
