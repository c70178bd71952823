namespace PatchKit.Hosts;

/// <summary>One file or package an install uses: an ESXi depot or VIB, a Windows .msu for one architecture, a Linux
/// package name and version, a unified diff.</summary>
public sealed class InstallPayload
{
    /// <summary>Gets what the payload is (<c>esxi-depot</c>, <c>msu</c>, <c>dpkg</c>, <c>rpm</c>, <c>unified-diff</c>,
    /// <c>simulated</c>); adapters refuse kinds they do not know.</summary>
    public required string Kind { get; init; }

    /// <summary>Gets where it is: a URL, a path, a package name with its version, or the diff's text.</summary>
    public required string Location { get; init; }

    /// <summary>Gets the architecture it is for (<c>x64</c>, <c>arm64</c>, <c>amd64</c>), or the empty string for any.</summary>
    /// <value>The default value is the empty string.</value>
    public string Architecture { get; init; } = string.Empty;

    /// <summary>Gets the SHA-256 of the payload as lowercase hex, or the empty string when not known.</summary>
    /// <value>The default value is the empty string.</value>
    public string Sha256 { get; init; } = string.Empty;
}
