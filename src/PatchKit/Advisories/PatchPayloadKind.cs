namespace PatchKit.Advisories;

/// <summary>What a patch carries.</summary>
public enum PatchPayloadKind
{
    /// <summary>Not set: adapters refuse to install it.</summary>
    Unknown = 0,

    /// <summary>A unified diff, applied with the diff engine inside the machine.</summary>
    UnifiedDiff = 1,

    /// <summary>A package for the machine's package manager (rpm, deb, msu).</summary>
    Package = 2,

    /// <summary>A vendor bundle (an ESXi offline bundle or component, a QEMU build).</summary>
    VendorBundle = 3,
}
