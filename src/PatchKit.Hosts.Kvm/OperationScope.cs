namespace PatchKit.Hosts.Kvm;

/// <summary>The operation's token linked with its timeout, measured on the operation's clock.</summary>
internal sealed class OperationScope : IDisposable
{
    private readonly ITimer? _timer;

    public OperationScope(HostOperation operation, TimeSpan? timeout = null)
    {
        Source = CancellationTokenSource.CreateLinkedTokenSource(operation.CancellationToken);
        var t = timeout ?? operation.Timeout;
        if (t != Timeout.InfiniteTimeSpan)
        {
            _timer = operation.TimeProvider.CreateTimer(static s => ((CancellationTokenSource)s!).Cancel(), Source, t, Timeout.InfiniteTimeSpan);
        }
    }

    public CancellationTokenSource Source { get; }

    public CancellationToken Token => Source.Token;

    /// <summary>Gets a value indicating whether the timeout (not the caller) cancelled the token.</summary>
    public bool TimedOut(HostOperation operation) => Source.IsCancellationRequested && !operation.CancellationToken.IsCancellationRequested;

    public void Dispose()
    {
        _timer?.Dispose();
        Source.Dispose();
    }
}
