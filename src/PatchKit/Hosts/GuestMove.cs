namespace PatchKit.Hosts;

/// <summary>One guest moved by live migration.</summary>
/// <param name="GuestId">The guest.</param>
/// <param name="FromHostId">Where it ran.</param>
/// <param name="ToHostId">Where it runs now.</param>
public sealed record GuestMove(string GuestId, string FromHostId, string ToHostId);
