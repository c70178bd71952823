namespace PatchKit.Lifecycle.Reach;

/// <summary>An adapter that could not take inventory during Reach; its hosts are left alone for the run.</summary>
public sealed class AdapterFailure
{
    /// <summary>Gets the adapter's name.</summary>
    public required string Adapter { get; init; }

    /// <summary>Gets why, with secrets redacted.</summary>
    public required string Message { get; init; }
}
