namespace PatchKit.Hosts;

/// <summary>What to install on a host: defined on the hosts side so adapters need nothing from the advisory model.
/// The lifecycle builds it from a catalog's patch definition.</summary>
public sealed class InstallRequest
{
    /// <summary>Gets the catalog id of the patch (<c>ESXi80U2c-23305546</c>, <c>KB5034129</c>, <c>DSA-5678-1</c>).</summary>
    public required string PatchId { get; init; }

    /// <summary>Gets the payloads, in install order. An adapter picks those for the host's architecture.</summary>
    public IReadOnlyList<InstallPayload> Payloads { get; init; } = [];

    /// <summary>Gets whether the patch needs a reboot, as its vendor says.</summary>
    public RebootBehavior Reboot { get; init; }
}
