namespace PatchKit.Hosts;

/// <summary>Who a host says it is when asked directly (used to verify it came back and is the same machine).</summary>
/// <param name="HostId">The id of the host.</param>
/// <param name="Kind">What the host is.</param>
/// <param name="Version">The product version it reports.</param>
/// <param name="Build">The build it reports.</param>
/// <param name="BootedAt">When it last booted, which tells a reboot happened.</param>
public sealed record HostIdentity(string HostId, HostKind Kind, string Version, string Build, DateTimeOffset BootedAt);
