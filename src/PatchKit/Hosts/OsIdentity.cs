namespace PatchKit.Hosts;

/// <summary>What operating system a host runs, as advisories name it: os-release's <c>ID</c> and <c>VERSION_ID</c> for
/// Linux, the build and update revision for Windows, version and build for ESXi.</summary>
public sealed class OsIdentity
{
    /// <summary>Gets the system's id: os-release <c>ID</c> (<c>debian</c>, <c>rhel</c>, <c>almalinux</c>),
    /// <c>windows</c> or <c>esxi</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the version: os-release <c>VERSION_ID</c> (<c>12</c>, <c>9.4</c>), Windows' <c>10.0.20348</c>,
    /// ESXi's <c>8.0.2</c>.</summary>
    /// <value>The default value is the empty string.</value>
    public string VersionId { get; init; } = string.Empty;

    /// <summary>Gets the build: Windows' <c>20348.2227</c> (build.UBR), ESXi's <c>23305546</c>, or the empty string.</summary>
    /// <value>The default value is the empty string.</value>
    public string Build { get; init; } = string.Empty;

    /// <summary>Gets the name for people (os-release <c>PRETTY_NAME</c>, Windows' product name).</summary>
    /// <value>The default value is the empty string.</value>
    public string PrettyName { get; init; } = string.Empty;
}
