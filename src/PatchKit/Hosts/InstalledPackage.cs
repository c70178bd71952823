namespace PatchKit.Hosts;

/// <summary>One piece of software a host reports as installed.</summary>
public sealed class InstalledPackage
{
    /// <summary>Gets how it is packaged.</summary>
    public required PackageFormat Format { get; init; }

    /// <summary>Gets the package name (binary package for dpkg and rpm; VIB or component name; <c>KB5034129</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Gets the version exactly as the host reports it (<c>1:2.3-4~deb12u1</c>, <c>8.0.2-0.30.23305546</c>).</summary>
    public required string Version { get; init; }

    /// <summary>Gets the architecture (<c>amd64</c>, <c>x86_64</c>, <c>noarch</c>), or the empty string.</summary>
    /// <value>The default value is the empty string.</value>
    public string Architecture { get; init; } = string.Empty;

    /// <summary>Gets the source package it was built from (advisories name source packages), or the empty string.</summary>
    /// <value>The default value is the empty string.</value>
    public string SourceName { get; init; } = string.Empty;

    /// <summary>Gets the vendor (ESXi VIBs), or the empty string.</summary>
    /// <value>The default value is the empty string.</value>
    public string Vendor { get; init; } = string.Empty;

    /// <summary>Gets the ESXi acceptance level (<c>VMwareCertified</c>, <c>PartnerSupported</c>, ...), or the empty string.</summary>
    /// <value>The default value is the empty string.</value>
    public string AcceptanceLevel { get; init; } = string.Empty;

    /// <summary>Gets the Windows Update id and revision (<c>a1b2…/201</c>), or the empty string.</summary>
    /// <value>The default value is the empty string.</value>
    public string UpdateId { get; init; } = string.Empty;
}
