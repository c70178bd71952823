namespace PatchKit.Hosts;

/// <summary>One guest moved by live migration.</summary>
public sealed class GuestMove
{
    /// <summary>Gets the guest.</summary>
    public required string GuestId { get; init; }

    /// <summary>Gets where it ran.</summary>
    public required string FromHostId { get; init; }

    /// <summary>Gets where it runs now.</summary>
    public required string ToHostId { get; init; }
}
