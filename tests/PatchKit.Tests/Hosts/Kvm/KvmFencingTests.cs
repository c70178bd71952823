using System.Text;
using PatchKit.Hosts;
using PatchKit.Hosts.Kvm;

namespace PatchKit.Tests.Hosts.Kvm;

/// <summary>Fencing on the KVM host: a worker whose lease moved to another worker (a larger fencing token) cannot change
/// the real guest or the KVM host any more. Two adapters over the same fleet stand for two workers (each keeps nothing
/// of the fence in memory: the token lives in a file on the KVM host, read and compared under a record lock on every
/// call).</summary>
[Collection(KvmFleetCollection.Name)]
public sealed class KvmFencingTests(KvmFleetFixture fleet)
{
    private static HostOperation Op(string id, long token) => new(id) { Timeout = TimeSpan.FromMinutes(3), FencingToken = token };

    [QemuFact]
    public async Task StaleLeaseHolder_IsRefusedBeforeEveryChange_TheGuestAndHostStayAsTheNewHolderLeftThem()
    {
        await using var stale = fleet.CreateAdapter();
        await using var holder = fleet.CreateAdapter();
        long old = 7_000_001, current = 7_000_002;

        // the stale worker held the lease first and worked on the guest
        Assert.NotNull(await stale.IdentifyAsync(Op("prod", old)));
        var before = await stale.ExecAsync(Op("prod", old), Sh("echo old > /mnt/data/fence-old.txt && sync"));
        Assert.Equal(0, before.ExitCode);

        // the lease expired and moved: the new holder announces its token (the lifecycle calls IdentifyAsync first)
        Assert.NotNull(await holder.IdentifyAsync(Op("prod", current)));
        Assert.Equal(current, HostFence.Read(Path.Combine(fleet.HostA, ".patchkit-fence"), "prod"));
        var snapshots = (await holder.ListSnapshotsAsync(Op("prod", current))).Select(s => s.SnapshotId).ToList();

        // every change the stale worker tries is refused before it reaches QEMU or the guest agent
        var refused = new List<HostAdapterException>
        {
            await Assert.ThrowsAsync<HostAdapterException>(() => stale.ExecAsync(Op("prod", old), Sh("echo stale > /mnt/data/fence-stale.txt && sync"))),
            await Assert.ThrowsAsync<HostAdapterException>(() => stale.WriteFileAsync(Op("prod", old), "/mnt/data/fence-stale2.txt", Encoding.UTF8.GetBytes("stale"))),
            await Assert.ThrowsAsync<HostAdapterException>(() => stale.CreateSnapshotAsync(Op("prod", old), "stale-snapshot")),
            await Assert.ThrowsAsync<HostAdapterException>(() => stale.InstallAsync(Op("prod", old), new InstallRequest { PatchId = "stale-patch" })),
            await Assert.ThrowsAsync<HostAdapterException>(() => stale.RebootAndWaitAsync(Op("prod", old))),
            await Assert.ThrowsAsync<HostAdapterException>(() => stale.RunStepAsync(Op("prod", old), new HostStep { Name = "qmp", Arguments = ["stop"] })),
        };
        foreach (var ex in refused)
        {
            Assert.Equal("prod", ex.HostId);
            Assert.Contains("Lease lost", ex.Message, StringComparison.Ordinal);
            Assert.Contains("fencing token 7000002", ex.Message, StringComparison.Ordinal);
            Assert.Contains("token 7000001 is stale", ex.Message, StringComparison.Ordinal);
        }

        // what the guest looks like to the new holder: nothing of the stale worker's attempts, the guest still running
        string files = await ShAsync(holder, current, "ls /mnt/data; cat /mnt/data/fence-old.txt");
        Assert.Contains("fence-old.txt", files, StringComparison.Ordinal);
        Assert.DoesNotContain("fence-stale", files, StringComparison.Ordinal);
        Assert.Equal(snapshots, (await holder.ListSnapshotsAsync(Op("prod", current))).Select(s => s.SnapshotId).ToList());
        var step = await holder.RunStepAsync(Op("prod", current), new HostStep { Name = "qmp", Arguments = ["query-status"] });
        Assert.Matches("\"running\":\\s*true", step.Message);

        // the KVM host itself is fenced the same way: the stale worker cannot put it in maintenance mode
        Assert.True((await holder.ExitMaintenanceModeAsync(Op("kvm-b", current))).Succeeded);
        await Assert.ThrowsAsync<HostAdapterException>(() => stale.EnterMaintenanceModeAsync(Op("kvm-b", old)));
        Assert.False(await holder.IsInMaintenanceModeAsync(Op("kvm-b", current)));

        // without a token (one orchestrator, no queue) calls are not fenced; the new holder keeps working
        await ShAsync(holder, current, "rm -f /mnt/data/fence-old.txt && sync");
        Assert.Equal(0, (await stale.ExecAsync(KvmFleetFixture.Op("prod"), Sh("true"))).ExitCode);
    }

    [Fact]
    public async Task FenceFile_ConcurrentCompareAndSet_AcceptsNoTokenBelowOneAlreadyStored_KeepsTheLargest()
    {
        string dir = Path.Combine(Path.GetTempPath(), "patchkit-fence-" + Guid.NewGuid().ToString("N"));
        try
        {
            var rng = new Random(20261206);
            long[] tokens = [.. Enumerable.Range(0, 400).Select(_ => (long)rng.Next(1, 200))];
            var accepted = new System.Collections.Concurrent.ConcurrentBag<long>();
            await Task.WhenAll(tokens.Select(t => Task.Run(() =>
            {
                if (HostFence.CompareAndSet(dir, "guest", t) is null)
                {
                    accepted.Add(t);
                }
            })));
            Assert.Equal(tokens.Max(), HostFence.Read(dir, "guest"));
            Assert.Contains(tokens.Max(), accepted);
            Assert.True(accepted.Count < tokens.Length, "some calls came after a larger token and were refused");
            Assert.Null(HostFence.CompareAndSet(dir, "guest", tokens.Max())); // the holder itself again
            Assert.Equal(tokens.Max(), HostFence.CompareAndSet(dir, "guest", tokens.Max() - 1));
            Assert.Null(HostFence.CompareAndSet(dir, "other", 1)); // one file per guest
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static GuestCommand Sh(string script) => new() { Program = "/bin/sh", Arguments = ["-c", script], Timeout = TimeSpan.FromMinutes(1) };

    private static async Task<string> ShAsync(KvmHostAdapter a, long token, string script)
    {
        var r = await a.ExecAsync(Op("prod", token), Sh(script));
        Assert.True(r.ExitCode == 0, "guest: " + script + ": " + Encoding.UTF8.GetString(r.StandardError.Span));
        return Encoding.UTF8.GetString(r.StandardOutput.Span);
    }
}
