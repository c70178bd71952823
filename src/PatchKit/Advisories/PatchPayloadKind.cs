namespace PatchKit.Advisories;

/// <summary>What a patch carries.</summary>
public enum PatchPayloadKind
{
    /// <summary>A unified diff, applied with the diff engine inside the machine.</summary>
    UnifiedDiff = 0,

    /// <summary>A package for the machine's package manager (rpm, deb, msu).</summary>
    Package = 1,

    /// <summary>A vendor bundle (an ESXi offline bundle or component, a QEMU build).</summary>
    VendorBundle = 2,
}
