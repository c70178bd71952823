namespace PatchKit.Hosts;

/// <summary>What an adapter sees: every host and guest it manages.</summary>
public sealed class FleetInventory
{
    /// <summary>Gets the hosts and guests, in a stable order.</summary>
    public required IReadOnlyList<HostRecord> Hosts { get; init; }

    /// <summary>Gets when the inventory was taken.</summary>
    public DateTimeOffset TakenAt { get; init; }
}
