namespace PatchKit.Hosts;

/// <summary>The outcome of evacuating or rebalancing guests.</summary>
public sealed class EvacuationResult
{
    /// <summary>Gets what happened: <see cref="HostOperationStatus.Partial"/> when some guests moved and some did not.</summary>
    public required HostOperationStatus Status { get; init; }

    /// <summary>Gets the moves that happened.</summary>
    public IReadOnlyList<GuestMove> Moves { get; init; } = [];

    /// <summary>Gets the guests that were not moved, with the reason for each.</summary>
    public IReadOnlyList<GuestMoveFailure> FailedGuests { get; init; } = [];

    /// <summary>Gets what happened, for people.</summary>
    /// <value>The default value is the empty string.</value>
    public string Message { get; init; } = string.Empty;

    /// <summary>Gets how long it took on the host's clock.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Gets whether every guest asked for was moved.</summary>
    public bool Succeeded => Status is HostOperationStatus.Succeeded or HostOperationStatus.NotApplicable;
}
