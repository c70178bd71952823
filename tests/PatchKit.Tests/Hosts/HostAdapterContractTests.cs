using PatchKit.Hosts;

namespace PatchKit.Tests.Hosts;

/// <summary>What every <see cref="IHostAdapter"/> must do, whatever platform it drives: idempotent mutating calls, the
/// queries the lifecycle reconciles with after a crash, cancellation as an exception, a host that is down as a status,
/// timeouts as a status, no secret in any result. A real adapter's tests derive from this class and point it at the
/// real server the test suite starts. The snapshot, maintenance-mode, evacuation and lab-clone checks are virtual: an
/// adapter of guests, which cannot do them (its hypervisor's adapter does), overrides them with checks that it neither
/// implements nor advertises them.</summary>
/// <typeparam name="TAdapter">The adapter.</typeparam>
public abstract class HostAdapterContractTests<TAdapter>
    where TAdapter : IHostAdapter
{
    /// <summary>A fresh adapter over a fresh fleet, and the ids the contract exercises.</summary>
    protected abstract Task<ContractFleet<TAdapter>> CreateAsync();

    private static HostOperation Op(string hostId, CancellationToken ct = default) => new(hostId) { CancellationToken = ct };

    [ContractFact]
    public async Task Inventory_EveryHostHasAnIdAKindAndAStatus_IdsAreUnique()
    {
        await using var f = await CreateAsync();
        var inv = await f.Adapter.GetInventoryAsync(CancellationToken.None);
        Assert.NotEmpty(inv.Hosts);
        Assert.Equal(inv.Hosts.Count, inv.Hosts.Select(h => h.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.All(inv.Hosts, h =>
        {
            Assert.NotEqual(HostKind.Unknown, h.Kind);
            Assert.NotEqual(HostStatus.Unknown, h.Status);
        });
        Assert.Contains(inv.Hosts, h => h.Id == f.HostId && h.Status == HostStatus.Reachable);
    }

    [ContractFact]
    public virtual async Task Snapshot_CreateTwiceWithOneName_OneSnapshot_FoundByNameAfterACrash_RemoveTwiceSucceeds()
    {
        await using var f = await CreateAsync();
        if (f.Adapter is not ISnapshotCapability snaps)
        {
            Assert.Fail(typeof(TAdapter).Name + " is expected to snapshot; derive a contract without it for an adapter that cannot");
            return;
        }

        var a = await snaps.CreateSnapshotAsync(Op(f.SnapshotHostId), "patchkit-contract");
        var b = await snaps.CreateSnapshotAsync(Op(f.SnapshotHostId), "patchkit-contract");
        Assert.Equal(a.SnapshotId, b.SnapshotId);
        var found = Assert.Single(await snaps.ListSnapshotsAsync(Op(f.SnapshotHostId)), s => s.Name == "patchkit-contract");
        Assert.Equal(a.SnapshotId, found.SnapshotId);
        Assert.True((await snaps.RemoveSnapshotAsync(Op(f.SnapshotHostId), a.SnapshotId)).Succeeded);
        Assert.True((await snaps.RemoveSnapshotAsync(Op(f.SnapshotHostId), a.SnapshotId)).Succeeded);
        Assert.DoesNotContain(await snaps.ListSnapshotsAsync(Op(f.SnapshotHostId)), s => s.Name == "patchkit-contract");
    }

    [ContractFact]
    public virtual async Task MaintenanceMode_EnterAndExitAreIdempotent_AndTheQueryTellsTheTruth()
    {
        await using var f = await CreateAsync();
        var mm = Assert.IsAssignableFrom<IMaintenanceModeCapability>(f.Adapter);
        Assert.True((await mm.EnterMaintenanceModeAsync(Op(f.HypervisorId))).Succeeded);
        Assert.True((await mm.EnterMaintenanceModeAsync(Op(f.HypervisorId))).Succeeded);
        Assert.True(await mm.IsInMaintenanceModeAsync(Op(f.HypervisorId)));
        Assert.True((await mm.ExitMaintenanceModeAsync(Op(f.HypervisorId))).Succeeded);
        Assert.True((await mm.ExitMaintenanceModeAsync(Op(f.HypervisorId))).Succeeded);
        Assert.False(await mm.IsInMaintenanceModeAsync(Op(f.HypervisorId)));
    }

    [ContractFact]
    public async Task Install_Twice_InstallsOnce_SecondCallSucceedsWithoutWork_InventoryShowsIt()
    {
        await using var f = await CreateAsync();
        var ins = Assert.IsAssignableFrom<IInstallCapability>(f.Adapter);
        var first = await ins.InstallAsync(Op(f.HostId), f.Install);
        Assert.True(first.Succeeded, first.Message);
        Assert.NotEqual(HostOperationStatus.Unknown, first.Status);
        var second = await ins.InstallAsync(Op(f.HostId), f.Install);
        Assert.True(second.Succeeded, second.Message);
        Assert.Empty(second.Installed);
        var host = (await f.Adapter.GetInventoryAsync(CancellationToken.None)).Hosts.Single(h => h.Id == f.HostId);
        Assert.Single(host.InstalledPatches, p => p.PatchId == f.Install.PatchId);
    }

    [ContractFact]
    public virtual async Task Evacuation_Twice_MovesEachGuestOnce_RebalanceBringsThemBack()
    {
        await using var f = await CreateAsync();
        var evac = Assert.IsAssignableFrom<IEvacuationCapability>(f.Adapter);
        var guests = await evac.ListGuestsAsync(Op(f.HypervisorId));
        Assert.NotEmpty(guests);
        var out1 = await evac.EvacuateAsync(Op(f.HypervisorId), guests);
        Assert.True(out1.Succeeded, out1.Message);
        Assert.Equal(guests.Count, out1.Moves.Count);
        var out2 = await evac.EvacuateAsync(Op(f.HypervisorId), guests);
        Assert.True(out2.Succeeded, out2.Message);
        Assert.Empty(out2.Moves);
        Assert.Empty(await evac.ListGuestsAsync(Op(f.HypervisorId)));
        var back = await evac.RebalanceAsync(Op(f.HypervisorId), guests);
        Assert.True(back.Succeeded, back.Message);
        Assert.Equal(guests.Order(StringComparer.Ordinal), (await evac.ListGuestsAsync(Op(f.HypervisorId))).Order(StringComparer.Ordinal));
        Assert.Empty((await evac.RebalanceAsync(Op(f.HypervisorId), guests)).Moves);
    }

    [ContractFact]
    public virtual async Task LabClone_CreateTwiceWithOneName_OneClone_ListedForItsSource_DestroyTwiceSucceeds()
    {
        await using var f = await CreateAsync();
        var snaps = Assert.IsAssignableFrom<ISnapshotCapability>(f.Adapter);
        var lab = Assert.IsAssignableFrom<ILabCloneCapability>(f.Adapter);
        var snap = await snaps.CreateSnapshotAsync(Op(f.SnapshotHostId), "patchkit-lab");
        var a = await lab.CreateLabCloneAsync(Op(f.SnapshotHostId), snap.SnapshotId, "patchkit-lab-clone");
        var b = await lab.CreateLabCloneAsync(Op(f.SnapshotHostId), snap.SnapshotId, "patchkit-lab-clone");
        Assert.Equal(a.CloneId, b.CloneId);
        Assert.Equal(f.SnapshotHostId, a.SourceHostId);
        Assert.Single(await lab.ListLabClonesAsync(Op(f.SnapshotHostId)), c => c.Name == "patchkit-lab-clone");
        Assert.True((await lab.DestroyLabCloneAsync(Op(a.CloneId))).Succeeded);
        Assert.True((await lab.DestroyLabCloneAsync(Op(a.CloneId))).Succeeded);
        Assert.Empty(await lab.ListLabClonesAsync(Op(f.SnapshotHostId)));
    }

    [ContractFact]
    public async Task CancelledToken_EveryCallThrowsOperationCanceled_NothingChanges()
    {
        await using var f = await CreateAsync();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var op = Op(f.HypervisorId, cts.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => f.Adapter.GetInventoryAsync(cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => f.Adapter.IdentifyAsync(op));
        if (f.Adapter is IMaintenanceModeCapability mm)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => mm.EnterMaintenanceModeAsync(op));
            Assert.False(await mm.IsInMaintenanceModeAsync(Op(f.HypervisorId)));
        }

        if (f.Adapter is IInstallCapability ins)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ins.InstallAsync(Op(f.HostId, cts.Token), f.Install));
        }

        if (f.Adapter is ISnapshotCapability snaps)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => snaps.CreateSnapshotAsync(Op(f.SnapshotHostId, cts.Token), "never"));
            Assert.DoesNotContain(await snaps.ListSnapshotsAsync(Op(f.SnapshotHostId)), s => s.Name == "never");
        }

        var host = (await f.Adapter.GetInventoryAsync(CancellationToken.None)).Hosts.Single(h => h.Id == f.HostId);
        Assert.DoesNotContain(host.InstalledPatches, p => p.PatchId == f.Install.PatchId);
    }

    [ContractFact]
    public async Task HostThatIsDown_IsAStatusNotAnException()
    {
        await using var f = await CreateAsync();
        var inv = await f.Adapter.GetInventoryAsync(CancellationToken.None);
        Assert.Equal(HostStatus.Unreachable, inv.Hosts.Single(h => h.Id == f.DownHostId).Status);
        Assert.Null(await f.Adapter.IdentifyAsync(Op(f.DownHostId)));
        if (f.Adapter is IHealthCheckCapability hc)
        {
            var r = await hc.CheckHealthAsync(Op(f.DownHostId));
            Assert.False(r.Succeeded);
            Assert.Equal(HostOperationStatus.Unreachable, r.Status);
        }
    }

    [ContractFact]
    public async Task RebootOfAHostThatDoesNotComeBack_IsTimedOut_NotSucceededNotThrown()
    {
        await using var f = await CreateAsync();
        var reboot = Assert.IsAssignableFrom<IRebootCapability>(f.Adapter);
        var r = await reboot.RebootAndWaitAsync(new HostOperation(f.NoReturnHostId) { Timeout = TimeSpan.FromSeconds(5) });
        Assert.Equal(HostOperationStatus.TimedOut, r.Status);
        Assert.False(r.Succeeded);
    }

    [ContractFact]
    public async Task UnknownVendorStep_IsNotApplicable()
    {
        await using var f = await CreateAsync();
        var r = await f.Adapter.RunStepAsync(Op(f.HostId), new HostStep { Name = "no-such-step-" + Guid.NewGuid().ToString("N") });
        Assert.Equal(HostOperationStatus.NotApplicable, r.Status);
    }

    [ContractFact]
    public async Task NoResultOrInventoryCarriesASecret()
    {
        await using var f = await CreateAsync();
        var texts = new List<string>();
        var inv = await f.Adapter.GetInventoryAsync(CancellationToken.None);
        texts.AddRange(inv.Hosts.SelectMany(h => new[] { h.Id, h.Name, h.Version, h.Build, string.Join(',', h.Tags) }));
        if (f.Adapter is IInstallCapability ins)
        {
            var r = await ins.InstallAsync(Op(f.HostId), f.Install);
            texts.Add(r.Message);
            texts.Add(r.ErrorCode ?? string.Empty);
        }

        if (f.Adapter is IHealthCheckCapability hc)
        {
            texts.Add((await hc.CheckHealthAsync(Op(f.DownHostId))).Message);
        }

        Assert.NotEmpty(texts);
        foreach (string secret in f.Secrets)
        {
            Assert.DoesNotContain(texts, t => t.Contains(secret, StringComparison.Ordinal));
        }
    }
}

/// <summary>A fleet for the contract: the adapter and the ids of the hosts each check uses.</summary>
/// <typeparam name="TAdapter">The adapter.</typeparam>
public sealed class ContractFleet<TAdapter> : IAsyncDisposable
    where TAdapter : IHostAdapter
{
    public required TAdapter Adapter { get; init; }

    /// <summary>A reachable machine to install on.</summary>
    public required string HostId { get; init; }

    /// <summary>A machine that can be snapshotted and cloned.</summary>
    public required string SnapshotHostId { get; init; }

    /// <summary>A hypervisor host with guests that can be evacuated.</summary>
    public required string HypervisorId { get; init; }

    /// <summary>A machine that is down.</summary>
    public required string DownHostId { get; init; }

    /// <summary>A machine that does not come back after a reboot.</summary>
    public required string NoReturnHostId { get; init; }

    /// <summary>An install the adapter can perform on <see cref="HostId"/>.</summary>
    public required InstallRequest Install { get; init; }

    /// <summary>The credentials the adapter was given, which must appear in no result.</summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];

    public ValueTask DisposeAsync() => Adapter.DisposeAsync();
}
