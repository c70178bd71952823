using PatchKit.Hosts;
using PatchKit.Hosts.Simulated;
using PatchKit.Lifecycle.Journal;
using PatchKit.Lifecycle.Repair;

namespace PatchKit.Tests.Lifecycle.Repair;

/// <summary>A worker that knows it lost a host's lease makes no adapter call about the host, and the simulated fleet
/// refuses a call whose fencing token is older than one it has seen. The queue here is an in-process double of the
/// PostgreSQL queue (whose heartbeat signals <see cref="RepairLease.Lost"/>; the real queue runs in the worker tests):
/// it lets the test lose a lease at a chosen moment.</summary>
public sealed class LeaseLostTests
{
    [Fact]
    public void Work_LeaseKnownLostBeforeTheFirstCall_NoAdapterCallAboutTheHost()
    {
        var journal = new InMemoryRunJournal();
        var queue = new ScriptedQueue { LostOnClaim = "kvm2" };
        TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), journal: journal, runId: "r", queue: queue, queueRole: RepairQueueRole.Enqueue);
        var (_, adapter) = TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), journal: journal, runId: "r", queue: queue);

        var world = adapter.SnapshotState();
        var lost = world.Machines.Single(m => m.Id == "kvm2");
        Assert.Equal(0, lost.Fence); // not even Identify carried the lease's token to the host
        Assert.Empty(lost.InstallCounts);
        Assert.Empty(lost.Snapshots);
        Assert.False(lost.InMaintenanceMode);
        Assert.Contains(world.Machines, m => m.Id == "kvm1" && m.InstallCounts.Count == 1 && m.Fence > 0);
        Assert.DoesNotContain("kvm2", queue.Completed);
    }

    [Fact]
    public void Work_LeaseLostDuringTheHost_NoCallAfterTheLoss()
    {
        var journal = new InMemoryRunJournal();
        var queue = new ScriptedQueue();
        TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), journal: journal, runId: "r", queue: queue, queueRole: RepairQueueRole.Enqueue);

        // The lease on esx2 is lost when its snapshot step starts: the snapshot, install, reboot and cleanup must not follow.
        var losing = new LosingJournal(journal, queue, "esx2", "/snapshot");
        var (_, adapter) = TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), journal: losing, runId: "r", queue: queue);

        var esx2 = adapter.SnapshotState().Machines.Single(m => m.Id == "esx2");
        Assert.True(losing.Lost);
        Assert.True(esx2.Fence > 0); // the host was worked on under the lease before the loss
        Assert.Empty(esx2.Snapshots);
        Assert.Empty(esx2.InstallCounts);
        Assert.False(esx2.InMaintenanceMode);
        Assert.Equal(0, esx2.Reboots);
        Assert.DoesNotContain("esx2", queue.Completed);
        Assert.Contains("esx1", queue.Completed);
    }

    [Fact]
    public async Task SimulatedAdapter_OlderFencingToken_Refused()
    {
        await using var adapter = new SimulatedHostAdapter(TestFleet.Standard());
        await adapter.IdentifyAsync(new HostOperation("esx1") { FencingToken = 7 });
        var ex = await Assert.ThrowsAsync<HostAdapterException>(() => adapter.InstallAsync(new HostOperation("esx1") { FencingToken = 6 },
            new InstallRequest { PatchId = "esx-p1" }));
        Assert.Contains("token 6 is stale", ex.Message, StringComparison.Ordinal);
        Assert.Empty(adapter.SnapshotState().Machines.Single(m => m.Id == "esx1").InstallCounts);
    }

    /// <summary>A one-process stand-in for the shared queue: every host once, in plan order, each lease with a token
    /// the test can signal.</summary>
    private sealed class ScriptedQueue : IRepairWorkQueue
    {
        private readonly Queue<RepairWorkItem> _items = new();
        private long _fence;

        public string? LostOnClaim { get; init; }

        public Dictionary<string, CancellationTokenSource> Lost { get; } = new(StringComparer.Ordinal);

        public List<string> Completed { get; } = [];

        public TimeSpan LeaseDuration => TimeSpan.FromMinutes(1);

        public Task EnqueueAsync(string runId, string plan, IReadOnlyList<RepairWorkItem> hosts, CancellationToken cancellationToken)
        {
            lock (_items)
            {
                foreach (var h in hosts)
                {
                    _items.Enqueue(h);
                }
            }

            return Task.CompletedTask;
        }

        public Task<RepairLease?> ClaimAsync(string runId, CancellationToken cancellationToken)
        {
            lock (_items)
            {
                if (!_items.TryDequeue(out var item))
                {
                    return Task.FromResult<RepairLease?>(null);
                }

                var lost = new CancellationTokenSource();
                Lost[item.HostId] = lost;
                if (item.HostId == LostOnClaim)
                {
                    lost.Cancel();
                }

                return Task.FromResult<RepairLease?>(new RepairLease(runId, item.HostId, ++_fence, false) { Lost = lost.Token });
            }
        }

        public Task<bool> RenewAsync(RepairLease lease, CancellationToken cancellationToken)
        {
            lock (_items)
            {
                return Task.FromResult(!Lost[lease.HostId].IsCancellationRequested);
            }
        }

        public Task<bool> CompleteAsync(RepairLease lease, CancellationToken cancellationToken)
        {
            lock (_items)
            {
                if (Lost[lease.HostId].IsCancellationRequested)
                {
                    return Task.FromResult(false);
                }

                Completed.Add(lease.HostId);
                return Task.FromResult(true);
            }
        }
    }

    /// <summary>Loses a host's lease when a step of it starts (as a heartbeat would find it moved at that moment).</summary>
    private sealed class LosingJournal(IRunJournal inner, ScriptedQueue queue, string hostId, string stepSuffix) : IRunJournal
    {
        public bool Lost { get; private set; }

        public ValueTask AppendAsync(JournalRecord record, CancellationToken cancellationToken)
        {
            if (record.Kind == JournalRecordKind.StepStarted && record.HostId == hostId && record.Key?.EndsWith(stepSuffix, StringComparison.Ordinal) == true)
            {
                queue.Lost[hostId].Cancel();
                Lost = true;
            }

            return inner.AppendAsync(record, cancellationToken);
        }

        public ValueTask<JournalReadResult> ReadAsync(string runId, CancellationToken cancellationToken) => inner.ReadAsync(runId, cancellationToken);
    }
}
