namespace PatchKit.Hosts;

/// <summary>A guest that could not be moved, and why (no host with room, migration did not converge, ...).</summary>
public sealed class GuestMoveFailure
{
    /// <summary>Gets the guest.</summary>
    public required string GuestId { get; init; }

    /// <summary>Gets why it was not moved, for people. It must not contain a secret.</summary>
    public required string Reason { get; init; }
}
