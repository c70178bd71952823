namespace PatchKit.Lifecycle.Repair;

/// <summary>A work queue that lets several processes repair one run's hosts together: the planner writes the plan's
/// hosts once (<see cref="EnqueueAsync"/>); each worker claims a host as a lease with a fencing token, renews it while
/// it works (a heartbeat) and marks it done. A lease that is not renewed expires and another worker takes the host
/// over, resuming it from the shared journal. Waves and per-cluster limits hold across every worker.</summary>
/// <remarks>Set on <see cref="PatchRunOptions.RepairQueue"/> with a journal every worker shares; the fencing token of a
/// lease is handed to every adapter call about the host (<see cref="Hosts.HostOperation.FencingToken"/>), and a
/// journal that can check it refuses records from a worker whose lease moved.</remarks>
public interface IRepairWorkQueue
{
    /// <summary>Gets how long a lease lasts unless it is renewed; workers renew at a third of it.</summary>
    TimeSpan LeaseDuration { get; }

    /// <summary>Writes the run's hosts to the queue, once; called again with the same plan it does nothing.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="plan">The plan's text; a run id that exists with another plan is refused.</param>
    /// <param name="hosts">The hosts, in the plan's order.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the hosts are queued.</returns>
    Task EnqueueAsync(string runId, string plan, IReadOnlyList<RepairWorkItem> hosts, CancellationToken cancellationToken);

    /// <summary>Claims the next host this worker may repair, waiting while every claimable host is held by others.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The lease, or <see langword="null"/> when every host of the run is done.</returns>
    Task<RepairLease?> ClaimAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Extends a lease (the heartbeat).</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when the lease expired or moved to another worker.</returns>
    Task<bool> RenewAsync(RepairLease lease, CancellationToken cancellationToken);

    /// <summary>Marks the leased host done.</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when the lease expired or moved to another worker (its new holder finishes the host).</returns>
    Task<bool> CompleteAsync(RepairLease lease, CancellationToken cancellationToken);
}

/// <summary>A host of a run's plan in a <see cref="IRepairWorkQueue"/>.</summary>
/// <param name="HostId">The host.</param>
/// <param name="Wave">The wave's position (0 first): no host of a wave is claimed before the earlier waves are done.</param>
/// <param name="Cluster">The cluster of which one host at a time may be worked on (an evacuating hypervisor), or
/// <see langword="null"/> for no limit.</param>
public sealed record RepairWorkItem(string HostId, int Wave, string? Cluster);

/// <summary>A worker's claim on a host, valid until it expires or moves.</summary>
/// <param name="RunId">The run.</param>
/// <param name="HostId">The host.</param>
/// <param name="FencingToken">The lease's fencing token: a newer lease on the host has a larger one.</param>
/// <param name="TakenOver">Whether an earlier holder's lease expired (the host is resumed from the journal).</param>
public sealed record RepairLease(string RunId, string HostId, long FencingToken, bool TakenOver)
{
    /// <summary>Gets a token the queue signals when it knows the lease is lost (the heartbeat found it moved, or could
    /// not renew it before it expired): from then on the pipeline makes no adapter call about the host, and cancels
    /// one in flight.</summary>
    /// <value>The default value is <see cref="CancellationToken.None"/> (the queue does not tell).</value>
    public CancellationToken Lost { get; init; }
}

/// <summary>What a run with a <see cref="PatchRunOptions.RepairQueue"/> does in Repair.</summary>
public enum RepairQueueRole
{
    /// <summary>Plan, write the plan and its hosts to the queue, and stop (the report shows the plan).</summary>
    Enqueue,

    /// <summary>Claim hosts from the queue and repair them until every host of the run is done.</summary>
    Work,
}
