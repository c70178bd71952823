namespace PatchKit.Hosts;

/// <summary>Everything one capability call needs besides its own arguments: the host, the cancellation token (the
/// caller's, linked with the step's timeout), the timeout itself on the run's clock, where to report progress, and how
/// to checkpoint a long-running job handle into the run journal.</summary>
/// <remarks>
/// <para>The lifecycle creates one operation per journaled step. When the step's timeout elapses, the lifecycle cancels
/// <see cref="CancellationToken"/> and records the step as <see cref="HostOperationStatus.TimedOut"/>; a cancellation
/// of the run itself passes through as <see cref="OperationCanceledException"/> (the two are told apart as Polly's
/// timeout strategy does).</para>
/// <para>An adapter that starts a job on the platform (a vSphere task, a QMP job, a Windows Update job) calls
/// <see cref="CheckpointAsync"/> with the job's handle as soon as it has one. When a run resumes after a crash, the same
/// step is handed the last handle in <see cref="Checkpoint"/>: the adapter then waits for that job instead of starting
/// the work again.</para>
/// </remarks>
public sealed class HostOperation
{
    private readonly Func<string, CancellationToken, ValueTask>? _onCheckpoint;
    private string? _checkpoint;

    /// <summary>Initializes a new instance of the <see cref="HostOperation"/> class.</summary>
    /// <param name="hostId">The host the call concerns.</param>
    /// <param name="onCheckpoint">Where <see cref="CheckpointAsync"/> records a handle (the lifecycle journals it), or
    /// <see langword="null"/> to keep it only on this object.</param>
    public HostOperation(string hostId, Func<string, CancellationToken, ValueTask>? onCheckpoint = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(hostId);
        HostId = hostId;
        _onCheckpoint = onCheckpoint;
    }

    /// <summary>Gets the id of the host (or guest, or lab clone) the call concerns.</summary>
    public string HostId { get; }

    /// <summary>Gets the token that cancels the call: the run's token linked with the step's timeout.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>Gets how long the step may take, measured on <see cref="TimeProvider"/>.</summary>
    /// <value>The default value is <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>.</value>
    public TimeSpan Timeout { get; init; } = System.Threading.Timeout.InfiniteTimeSpan;

    /// <summary>Gets the run's clock. Adapters measure waits and durations on it.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Gets where per-host progress goes, or <see langword="null"/>.</summary>
    public IProgress<HostProgress>? Progress { get; init; }

    /// <summary>Gets the fencing token of the lease under which the caller works on the host, when several
    /// orchestrators share the fleet through a work queue (a newer lease has a larger token), or
    /// <see langword="null"/>. An adapter whose platform can keep a number per host refuses a call whose token is
    /// smaller than the largest it has seen for the host: the caller's lease has moved to another orchestrator.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public long? FencingToken { get; init; }

    /// <summary>Gets the last job handle checkpointed for this step: by an earlier attempt of the run when the run
    /// resumed after a crash, or by <see cref="CheckpointAsync"/> on this object.</summary>
    public string? Checkpoint
    {
        get => Volatile.Read(ref _checkpoint);
        init => _checkpoint = value;
    }

    /// <summary>Records a job handle (a task moref, a QMP job id) so a resumed run can wait for the job instead of
    /// starting it again. The handle is journaled before this call returns; it must not contain a secret.</summary>
    /// <param name="handle">The handle.</param>
    /// <returns>A task that completes when the handle is durable.</returns>
    public async ValueTask CheckpointAsync(string handle)
    {
        ArgumentException.ThrowIfNullOrEmpty(handle);
        Volatile.Write(ref _checkpoint, handle);
        if (_onCheckpoint is { } sink)
        {
            await sink(handle, CancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reports progress for this host, when someone listens.</summary>
    /// <param name="message">What is happening, for people.</param>
    /// <param name="fraction">How much is done, from 0 to 1, when known.</param>
    public void ReportProgress(string message, double? fraction = null) =>
        Progress?.Report(new HostProgress { HostId = HostId, Message = message, Fraction = fraction });
}
