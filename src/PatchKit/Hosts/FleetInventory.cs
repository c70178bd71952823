namespace PatchKit.Hosts;

/// <summary>What an adapter sees: every host and guest it manages.</summary>
/// <param name="Hosts">The hosts and guests, in a stable order.</param>
/// <param name="TakenAt">When the inventory was taken.</param>
public sealed record FleetInventory(IReadOnlyList<HostRecord> Hosts, DateTimeOffset TakenAt);
