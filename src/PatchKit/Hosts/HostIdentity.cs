namespace PatchKit.Hosts;

/// <summary>Who a host says it is when asked directly (used to verify it came back and is the same machine).</summary>
public sealed class HostIdentity
{
    /// <summary>Gets the id of the host.</summary>
    public required string HostId { get; init; }

    /// <summary>Gets what the host is.</summary>
    public required HostKind Kind { get; init; }

    /// <summary>Gets the product version it reports.</summary>
    /// <value>The default value is the empty string.</value>
    public string Version { get; init; } = string.Empty;

    /// <summary>Gets the build it reports.</summary>
    /// <value>The default value is the empty string.</value>
    public string Build { get; init; } = string.Empty;

    /// <summary>Gets when it last booted, which tells a reboot happened.</summary>
    public DateTimeOffset BootedAt { get; init; }
}
