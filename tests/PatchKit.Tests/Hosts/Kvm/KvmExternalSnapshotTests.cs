using System.Text;
using System.Text.Json.Nodes;
using PatchKit.Hosts;
using PatchKit.Hosts.Kvm;

namespace PatchKit.Tests.Hosts.Kvm;

/// <summary>A real QEMU guest of its own for the external-snapshot tests (its disks are layered and reset by them), with a
/// second QMP monitor through which a test interferes with the adapter's jobs.</summary>
public sealed class ExternalSnapshotGuestFixture : IDisposable
{
    public ExternalSnapshotGuestFixture()
    {
        if (KvmFixtures.QemuMissing is { } why)
        {
            Error = why;
            return;
        }

        RunDir = QemuGuest.NewRunDir();
        SecondMonitor = Path.Combine(RunDir, "g0.mon2");
        Guest = QemuGuest.Start(RunDir, "g0", new Dictionary<string, string>
        {
            ["MEM"] = "128M", ["EXTRA"] = "-qmp unix:" + SecondMonitor + ",server=on,wait=off",
        });
        GuestAgentClient.ConnectAsync("unix:" + Guest.Qga, new KvmClientOptions { ConnectTimeout = TimeSpan.FromSeconds(120) }).GetAwaiter().GetResult().DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    public string? Error { get; }

    public string RunDir { get; } = string.Empty;

    public string SecondMonitor { get; } = string.Empty;

    public QemuGuest Guest { get; } = null!;

    public KvmHostAdapter CreateAdapter()
    {
        if (Error is not null)
        {
            throw new InvalidOperationException(Error);
        }

        var o = new KvmHostAdapterOptions { BootTimeout = TimeSpan.FromSeconds(120) };
        var h = new KvmHostDescription { Id = "kvm-x", RunDirectory = RunDir };
        h.Guests.Add(new KvmGuestDescription
        {
            Id = "ext", Qmp = "unix:" + Guest.Qmp, Agent = "unix:" + Guest.Qga, PidFile = Path.Combine(RunDir, "g0.pid"),
            SnapshotMode = KvmSnapshotMode.External, StateDirectory = "/mnt/data/patchkit",
        });
        o.Hosts.Add(h);
        return new KvmHostAdapter(o);
    }

    public void Dispose()
    {
        if (Error is null)
        {
            QemuGuest.StopAll(RunDir);
        }
    }
}

/// <summary>External snapshots on a real guest: an overlay per disk before the change, reverted (the disk switched back
/// to its base: a write made after the snapshot is gone) or committed (the write is kept, the overlay folded into the
/// base), and a commit job cancelled from another monitor reported clearly with the snapshot kept.</summary>
public sealed class KvmExternalSnapshotTests(ExternalSnapshotGuestFixture fx) : IClassFixture<ExternalSnapshotGuestFixture>
{
    private static HostOperation Op() => new("ext") { Timeout = TimeSpan.FromMinutes(3) };

    private static async Task<string> ShAsync(KvmHostAdapter a, string script)
    {
        var r = await a.ExecAsync(Op(), new GuestCommand { Program = "/bin/sh", Arguments = ["-c", script], Timeout = TimeSpan.FromMinutes(1) });
        Assert.True(r.ExitCode == 0, "guest: " + script + ": " + Encoding.UTF8.GetString(r.StandardError.Span));
        return Encoding.UTF8.GetString(r.StandardOutput.Span);
    }

    private async Task<string> ActiveNodeAsync()
    {
        await using var q = await QmpClient.ConnectAsync("unix:" + fx.SecondMonitor);
        var blocks = await q.ExecuteAsync("query-block");
        return blocks.EnumerateArray().Single(b => b.GetProperty("qdev").GetString()!.Contains("vdisk0", StringComparison.Ordinal))
            .GetProperty("inserted").GetProperty("node-name").GetString()!;
    }

    private IEnumerable<string> Overlays() => Directory.EnumerateFiles(fx.RunDir, "ext.pkx*.qcow2");

    [QemuFact]
    public async Task ExternalSnapshot_RevertDropsTheWriteMadeAfterIt_CommitKeepsIt_OverlaysRemoved()
    {
        await using var a = fx.CreateAdapter();
        Assert.Empty(Overlays());
        Assert.Equal("data0", await ActiveNodeAsync());
        await ShAsync(a, "echo base > /mnt/data/ext.txt && sync");
        var snap = await a.CreateSnapshotAsync(Op(), "pre-patch");
        Assert.StartsWith("pkx", await ActiveNodeAsync(), StringComparison.Ordinal);
        string first = Assert.Single(Overlays());
        Assert.Equal(snap.CreatedAt, (await a.CreateSnapshotAsync(Op(), "pre-patch")).CreatedAt); // taking it again finds it
        Assert.Single(Overlays());
        Assert.Contains("pre-patch", (await a.ListSnapshotsAsync(Op())).Select(s => s.Name));

        await ShAsync(a, "echo after > /mnt/data/ext.txt && head -c 262144 /dev/urandom > /mnt/data/ext.bin && sync");
        // a lab clone from the external snapshot boots from an overlay on the snapshot's base: the writes made after the
        // snapshot are not in it, and its own writes do not reach the source
        var clone = await a.CreateLabCloneAsync(Op(), snap.SnapshotId, "ext-lab");
        var inClone = await a.ExecAsync(new HostOperation(clone.CloneId) { Timeout = TimeSpan.FromMinutes(1) }, new GuestCommand { Program = "/bin/sh", Arguments = ["-c", "cat /mnt/data/ext.txt; [ -e /mnt/data/ext.bin ] && echo there || echo absent; echo lab > /mnt/data/lab.txt; sync"] });
        Assert.Equal("base\nabsent\n", Encoding.UTF8.GetString(inClone.StandardOutput.Span));
        Assert.True((await a.DestroyLabCloneAsync(new HostOperation(clone.CloneId))).Succeeded);
        Assert.Equal("after\nno\n", await ShAsync(a, "cat /mnt/data/ext.txt; [ -e /mnt/data/lab.txt ] && echo yes || echo no"));

        string bootBefore = await ShAsync(a, "cat /proc/sys/kernel/random/boot_id");
        var revert = await a.RevertSnapshotAsync(Op(), snap.SnapshotId);
        Assert.True(revert.Succeeded, revert.Message);
        Assert.NotEqual(bootBefore, await ShAsync(a, "cat /proc/sys/kernel/random/boot_id")); // reset: memory belonged to the dropped disk state
        Assert.Equal("base\n", await ShAsync(a, "cat /mnt/data/ext.txt"));
        Assert.Equal("gone\n", await ShAsync(a, "[ -e /mnt/data/ext.bin ] && echo there || echo gone"));
        Assert.DoesNotContain(first, Overlays()); // the discarded overlay file is deleted; an empty one stands for the snapshot
        Assert.Single(Overlays());
        Assert.Contains("pre-patch", (await a.ListSnapshotsAsync(Op())).Select(s => s.Name));

        await ShAsync(a, "echo kept > /mnt/data/ext.txt && sync");
        var commit = await a.RemoveSnapshotAsync(Op(), snap.SnapshotId);
        Assert.True(commit.Succeeded, commit.Message);
        Assert.Equal("data0", await ActiveNodeAsync());
        Assert.Empty(Overlays());
        Assert.DoesNotContain("pre-patch", (await a.ListSnapshotsAsync(Op())).Select(s => s.Name));
        Assert.Equal("kept\n", await ShAsync(a, "echo 3 > /proc/sys/vm/drop_caches; cat /mnt/data/ext.txt"));
        // removing it again is a no-op, reverting it is a clear failure
        Assert.True((await a.RemoveSnapshotAsync(Op(), snap.SnapshotId)).Succeeded);
        Assert.Equal(HostOperationStatus.Failed, (await a.RevertSnapshotAsync(Op(), snap.SnapshotId)).Status);
    }

    [QemuFact]
    public async Task ExternalSnapshot_CommitJobCancelledFromAnotherMonitor_ClearError_SnapshotKept_ThenCommitted()
    {
        await using var a = fx.CreateAdapter();
        Assert.Empty(Overlays());
        var snap = await a.CreateSnapshotAsync(Op(), "killed-commit");
        string md5 = await ShAsync(a, "head -c 2097152 /dev/urandom > /mnt/data/big.bin && sync && md5sum /mnt/data/big.bin");
        a.CommitSpeedBytesPerSecond = 64 * 1024; // 2 MiB at 64 KiB/s: half a minute, time enough to cancel it
        var removing = a.RemoveSnapshotAsync(Op(), snap.SnapshotId);
        await using (var mon = await QmpClient.ConnectAsync("unix:" + fx.SecondMonitor))
        {
            string? job = null;
            for (int i = 0; i < 500 && job is null; i++)
            {
                var jobs = (await mon.ExecuteAsync("query-jobs")).EnumerateArray().Select(j => j.GetProperty("id").GetString()!).ToList();
                job = jobs.Find(j => j.StartsWith("pkc-", StringComparison.Ordinal));
                if (job is null)
                {
                    await Task.Delay(20);
                }
            }

            Assert.NotNull(job);
            await mon.ExecuteAsync("job-cancel", new JsonObject { ["id"] = job });
        }

        var r = await removing;
        Assert.Equal(HostOperationStatus.Failed, r.Status);
        Assert.True(
            r.Message.Contains("block-commit", StringComparison.Ordinal) && r.Message.Contains("'killed-commit'", StringComparison.Ordinal)
            && r.Message.Contains("cancelled", StringComparison.Ordinal) && r.Message.Contains("the snapshot is kept", StringComparison.Ordinal),
            r.Message);
        Assert.StartsWith("pkx", await ActiveNodeAsync(), StringComparison.Ordinal);
        Assert.Contains("killed-commit", (await a.ListSnapshotsAsync(Op())).Select(s => s.Name));
        Assert.Equal(md5, await ShAsync(a, "md5sum /mnt/data/big.bin"));

        // the base took part of the overlay's data: reverting is refused, with the reason
        var revert = await a.RevertSnapshotAsync(Op(), snap.SnapshotId);
        Assert.Equal(HostOperationStatus.Failed, revert.Status);
        Assert.Contains("partly committed", revert.Message, StringComparison.Ordinal);

        a.CommitSpeedBytesPerSecond = 0;
        var again = await a.RemoveSnapshotAsync(Op(), snap.SnapshotId);
        Assert.True(again.Succeeded, again.Message);
        Assert.Equal("data0", await ActiveNodeAsync());
        Assert.Empty(Overlays());
        Assert.Equal(md5, await ShAsync(a, "echo 3 > /proc/sys/vm/drop_caches; md5sum /mnt/data/big.bin"));
    }
}
