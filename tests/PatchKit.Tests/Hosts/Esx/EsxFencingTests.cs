using PatchKit.Hosts;
using PatchKit.Hosts.Esx;

namespace PatchKit.Tests.Hosts.Esx;

/// <summary>Fencing on vCenter (the real simulator): every fencing token claimed for a host or VM is a marker folder on its
/// datastore (<c>[ds] .patchkit-fence/MOREF/TOKEN</c>, created with <c>MakeDirectory</c>, listed with
/// <c>SearchDatastore_Task</c>); a worker whose lease moved to another worker cannot start a task on it. Two adapters (two
/// sessions) stand for two workers.</summary>
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

    /// <summary>The race a read-then-write check loses: the stale worker has checked (its marker is written) when the new
    /// holder claims and passes; the stale worker's check then sees the newer marker, and a stale claim made after the
    /// newer one does not hide it (a register overwritten by the last writer would now hold the stale token and let both
    /// workers pass from then on).</summary>
    [EsxFact]
    public async Task StaleClaimRacingANewerHolder_IsRefused_AndCannotHideTheNewerToken()
    {
        await using var stale = servers.Adapter(withSsh: false);
        await using var holder = servers.Adapter(withSsh: false);
        var ct = CancellationToken.None;
        string host = servers.Vcenter.HostId("DC0_C0_H0");
        var entity = new PatchKit.Hosts.Esx.Soap.ManagedObjectReference("HostSystem", host);
        long old = 8_100_001, current = 8_100_002;

        var at = await stale.FenceLocationAsync(entity, ct);
        Assert.NotNull(at);
        Assert.Equal(".patchkit-fence/" + host, at.Folder);
        Assert.NotNull(await stale.IdentifyAsync(Op(host, old)));

        // the stale worker is between its claim and its check when the lease moves
        await stale.ClaimFenceAsync(at, old, ct);
        Assert.NotNull(await holder.IdentifyAsync(Op(host, current)));
        Assert.Equal(current, await stale.ReadFenceAsync(at, ct));

        // a stale claim landing after the newer one (last writer) does not take the host back
        await stale.ClaimFenceAsync(at, old, ct);
        Assert.Equal(current, await (await holder.FenceLocationAsync(entity, ct) is { } h ? holder.ReadFenceAsync(h, ct) : Task.FromResult(0L)));
        bool inMaintenance = await holder.IsInMaintenanceModeAsync(Op(host, current));
        var ex = await Assert.ThrowsAsync<HostAdapterException>(() => stale.EnterMaintenanceModeAsync(Op(host, old)));
        Assert.Contains("fencing token 8100002", ex.Message, StringComparison.Ordinal);
        Assert.Contains("token 8100001 is stale", ex.Message, StringComparison.Ordinal);
        Assert.Equal(inMaintenance, await holder.IsInMaintenanceModeAsync(Op(host, current)));
        Assert.NotNull(await holder.IdentifyAsync(Op(host, current)));
    }

    /// <summary>The esxcli-over-SSH install path is fenced too (on the datastore, before esxcli runs): a stale worker's
    /// install never reaches the host's esxcli (the fixture sshd's call log), the new holder's does.</summary>
    [EsxFact]
    public async Task StaleLeaseHolder_InstallOverSsh_NeverReachesEsxcli()
    {
        await using var stale = servers.Adapter(withSsh: true);
        await using var holder = servers.Adapter(withSsh: true);
        string host = servers.Vcenter.HostId(EsxServers.SshHostName);
        long old = 8_300_001, current = 8_300_002;
        var request = new InstallRequest
        {
            PatchId = "PatchKit-fence-vib",
            Payloads = [new InstallPayload { Kind = "vendor-bundle", Location = "https://depot.example.com/PatchKit-fence-vib-depot.zip" }],
        };
        int Calls() => !File.Exists(servers.Ssh.CallLog) ? 0 : File.ReadAllLines(servers.Ssh.CallLog).Count(l => l.Contains("PatchKit-fence-vib-depot.zip", StringComparison.Ordinal));

        Assert.NotNull(await stale.IdentifyAsync(Op(host, old)));
        Assert.NotNull(await holder.IdentifyAsync(Op(host, current)));
        var ex = await Assert.ThrowsAsync<HostAdapterException>(() => stale.InstallAsync(Op(host, old), request));
        Assert.Contains("Lease lost", ex.Message, StringComparison.Ordinal);
        Assert.Contains("token 8300001 is stale", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, Calls());

        await holder.InstallAsync(Op(host, current), request); // its outcome is the stand-in's; that it ran is the point
        Assert.Equal(1, Calls());
    }

    /// <summary>A standalone ESXi (the simulator's host-agent mode: no vCenter, no custom attributes) is fenced the same
    /// way: its FileManager and datastore browser keep the markers.</summary>
    [EsxFact]
    public async Task StandaloneEsxi_StaleLeaseHolder_IsRefused()
    {
        await using var sim = await VcsimServer.StartAsync("-mode", "esx", "-no-tls", "-username", "root", "-password", "Esx-Fence-1!");
        EsxHostAdapter Adapter() => new(new EsxHostAdapterOptions
        {
            Endpoint = new Uri(sim.Url),
            UserName = "root",
            Password = Secret.FromDelegate("t", _ => ValueTask.FromResult("Esx-Fence-1!")),
            AllowPlainHttp = true,
        });
        await using var stale = Adapter();
        await using var holder = Adapter();
        string host = sim.Hosts.Single().Moref;
        var sc = await holder.SessionAsync(CancellationToken.None);
        Assert.False(sc.IsVCenter);

        Assert.NotNull(await stale.IdentifyAsync(Op(host, 5)));
        Assert.NotNull(await holder.IdentifyAsync(Op(host, 6)));
        bool inMaintenance = await holder.IsInMaintenanceModeAsync(Op(host, 6));
        var ex = await Assert.ThrowsAsync<HostAdapterException>(() => stale.EnterMaintenanceModeAsync(Op(host, 5)));
        Assert.Contains("fencing token 6", ex.Message, StringComparison.Ordinal);
        Assert.Equal(inMaintenance, await holder.IsInMaintenanceModeAsync(Op(host, 6)));
    }

    /// <summary>Six workers (six sessions) claim one VM at once, five rounds, every round with newer tokens in a shuffled
    /// order: whatever the interleaving, no call of an older token passes after a newer token's call has passed, and after
    /// each round only the newest token still passes.</summary>
    [EsxFact]
    public async Task RacingWorkers_NoOlderTokenPassesAfterANewerOnePassed_OnlyTheNewestKeepsPassing()
    {
        const int Workers = 6;
        var adapters = Enumerable.Range(0, Workers).Select(_ => servers.Adapter(withSsh: false)).ToArray();
        try
        {
            string vm = servers.Vcenter.Vms.First().Moref;
            var rng = new Random(21);
            long clock = 0;
            var passed = new System.Collections.Concurrent.ConcurrentBag<(long Token, long Start, long End)>();
            int refusals = 0;
            for (int round = 0; round < 5; round++)
            {
                long[] tokens = [.. Enumerable.Range(1, Workers).Select(i => 8_200_000L + (round * 10) + i)];
                rng.Shuffle(tokens);
                await Task.WhenAll(adapters.Select(async (a, i) =>
                {
                    await Task.Yield();
                    long start = Interlocked.Increment(ref clock);
                    try
                    {
                        await a.IdentifyAsync(Op(vm, tokens[i]));
                        passed.Add((tokens[i], start, Interlocked.Increment(ref clock)));
                    }
                    catch (HostAdapterException ex) when (ex.Message.Contains("Lease lost", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref refusals);
                    }
                }));

                long newest = tokens.Max();
                for (int i = 0; i < Workers; i++)
                {
                    if (tokens[i] == newest)
                    {
                        Assert.NotNull(await adapters[i].IdentifyAsync(Op(vm, tokens[i])));
                    }
                    else
                    {
                        await Assert.ThrowsAsync<HostAdapterException>(() => adapters[i].IdentifyAsync(Op(vm, tokens[i])));
                    }
                }
            }

            foreach (var b in passed)
            {
                Assert.DoesNotContain(passed, a => a.Token > b.Token && a.End < b.Start);
            }

            Assert.Contains(passed, p => p.Token == 8_200_046);
            Assert.True(refusals > 0 || passed.Count == 5 * Workers);
        }
        finally
        {
            foreach (var a in adapters)
            {
                await a.DisposeAsync();
            }
        }
    }
}
