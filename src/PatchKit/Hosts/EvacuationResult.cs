namespace PatchKit.Hosts;

/// <summary>The outcome of evacuating or rebalancing guests.</summary>
/// <param name="Succeeded">Whether every guest was moved.</param>
/// <param name="Moves">The moves that happened.</param>
/// <param name="Message">What happened, for people.</param>
/// <param name="Duration">How long it took on the host's clock.</param>
public sealed record EvacuationResult(bool Succeeded, IReadOnlyList<GuestMove> Moves, string Message, TimeSpan Duration);
