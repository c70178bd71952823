using System.Collections.Concurrent;
using PatchKit.Lifecycle.Repair;

namespace PatchKit.Lifecycle.Postgres;

/// <summary>The work queue of a <see cref="PostgresRunStore"/> as the lifecycle's <see cref="IRepairWorkQueue"/>: one
/// instance per worker process. A claimed lease is renewed in the background at a third of
/// <see cref="LeaseDuration"/> (the heartbeat) until the host is completed; a worker that stops (killed, paused,
/// cut off) stops renewing, its lease expires, and another worker takes the host over. While this worker holds a lease,
/// the store's journal accepts records about the host only under the lease's fencing token.</summary>
public sealed class PostgresRepairQueue : IRepairWorkQueue
{
    private readonly PostgresRunStore _store;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Host, long Fence), (HostLease Lease, CancellationTokenSource Beat, CancellationTokenSource Lost)> _held = new();

    /// <summary>Initializes a new instance of the <see cref="PostgresRepairQueue"/> class.</summary>
    /// <param name="store">The shared database.</param>
    /// <param name="workerId">This worker's name, as the queue shows the holder of a lease.</param>
    /// <param name="leaseDuration">How long a lease lasts unless renewed.</param>
    /// <param name="timeProvider">The wall clock that paces heartbeats and waits for claimable hosts, or
    /// <see langword="null"/> for the system's (lease expiry itself is measured on the database server's clock).</param>
    public PostgresRepairQueue(PostgresRunStore store, string workerId, TimeSpan leaseDuration, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(workerId);
        ArgumentOutOfRangeException.ThrowIfLessThan(leaseDuration, TimeSpan.FromMilliseconds(300));
        _store = store;
        WorkerId = workerId;
        LeaseDuration = leaseDuration;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets this worker's name.</summary>
    public string WorkerId { get; }

    /// <inheritdoc/>
    public TimeSpan LeaseDuration { get; }

    /// <summary>Gets or sets how long to wait before asking again when every claimable host is held by other workers.</summary>
    /// <value>The default value is 100 milliseconds.</value>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <inheritdoc/>
    /// <remarks>An evacuating hypervisor's cluster (<see cref="RepairWorkItem.Cluster"/>) has one host worked on at a
    /// time across every worker.</remarks>
    public Task EnqueueAsync(string runId, string plan, IReadOnlyList<RepairWorkItem> hosts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        return _store.CreateRunAsync(runId, plan, [.. hosts.Select(h => new WorkItem(h.HostId, h.Wave, h.Cluster))], 1, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<RepairLease?> ClaimAsync(string runId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var lease = await _store.ClaimAsync(runId, WorkerId, LeaseDuration, cancellationToken).ConfigureAwait(false);
            if (lease is not null)
            {
                var beat = new CancellationTokenSource();
                var lost = new CancellationTokenSource();
                _held[(lease.HostId, lease.FencingToken)] = (lease, beat, lost);
                _ = HeartbeatAsync(lease, lost, beat.Token);
                return new RepairLease(runId, lease.HostId, lease.FencingToken, lease.TakenOver) { Lost = lost.Token };
            }

            var progress = await _store.GetProgressAsync(runId, cancellationToken).ConfigureAwait(false);
            if (progress.Pending + progress.Leased == 0)
            {
                return null;
            }

            await Task.Delay(PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async Task<bool> RenewAsync(RepairLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        try
        {
            await _store.RenewAsync(Held(lease), LeaseDuration, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (LeaseLostException)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public async Task<bool> CompleteAsync(RepairLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var held = Held(lease);
        if (_held.TryRemove((lease.HostId, lease.FencingToken), out var entry))
        {
            await entry.Beat.CancelAsync().ConfigureAwait(false);
            entry.Beat.Dispose();
        }

        try
        {
            await _store.CompleteAsync(held, cancellationToken).ConfigureAwait(false);
            _store.ReleaseFence(lease.RunId, lease.HostId, lease.FencingToken);
            return true;
        }
        catch (LeaseLostException)
        {
            return false;
        }
    }

    private HostLease Held(RepairLease lease) =>
        _held.TryGetValue((lease.HostId, lease.FencingToken), out var entry)
            ? entry.Lease
            : new HostLease(lease.RunId, lease.HostId, WorkerId, lease.FencingToken, lease.TakenOver, 0, string.Empty);

    /// <summary>Renews the lease at a third of its duration. When the database says the lease moved, or it cannot be
    /// renewed before it expires (the database unreachable), the lease is lost: <paramref name="lost"/> is signalled and
    /// the pipeline stops calling adapters about the host.</summary>
    private async Task HeartbeatAsync(HostLease lease, CancellationTokenSource lost, CancellationToken token)
    {
        long renewed = _time.GetTimestamp();
        try
        {
            while (true)
            {
                await Task.Delay(LeaseDuration / 3, _time, token).ConfigureAwait(false);
                var left = LeaseDuration - _time.GetElapsedTime(renewed);
                try
                {
                    // The store retries a broken connection for a long time; the lease does not wait that long.
                    var renew = _store.RenewAsync(lease, LeaseDuration, token);
                    _ = renew.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                    await renew.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, _time, token).ConfigureAwait(false);
                    renewed = _time.GetTimestamp();
                }
                catch (Exception ex) when (ex is not LeaseLostException && !token.IsCancellationRequested)
                {
                    // Not reachable now: try again while the lease may still be ours.
                    if (_time.GetElapsedTime(renewed) >= LeaseDuration)
                    {
                        await lost.CancelAsync().ConfigureAwait(false);
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // completed
        }
        catch (LeaseLostException)
        {
            // The lease moved: the journal and the hosts refuse this worker from now on, and the pipeline makes no more calls.
            await lost.CancelAsync().ConfigureAwait(false);
        }
    }
}
