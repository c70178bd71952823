namespace PatchKit.Hosts;

/// <summary>A patch a host reports as installed (an ESXi bulletin or rollup, a Windows KB, a catalog patch id).</summary>
public sealed class InstalledPatch
{
    /// <summary>Gets the catalog id of the patch.</summary>
    public required string PatchId { get; init; }

    /// <summary>Gets when it was installed, as the host reports it.</summary>
    public DateTimeOffset InstalledAt { get; init; }
}
