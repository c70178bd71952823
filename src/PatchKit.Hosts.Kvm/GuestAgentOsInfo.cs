using System.Text.Json.Serialization;

namespace PatchKit.Hosts.Kvm;

/// <summary>What <c>guest-get-osinfo</c> reports (os-release on Linux, the registry on Windows).</summary>
public sealed class GuestAgentOsInfo
{
    /// <summary>Gets or sets the OS id (<c>debian</c>, <c>mswindows</c>).</summary>
    [JsonPropertyName("id")]
    public string Id { get; set; } = string.Empty;

    /// <summary>Gets or sets the OS name.</summary>
    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets the display name (<c>Debian GNU/Linux 12 (bookworm)</c>).</summary>
    [JsonPropertyName("pretty-name")]
    public string PrettyName { get; set; } = string.Empty;

    /// <summary>Gets or sets the version text.</summary>
    [JsonPropertyName("version")]
    public string Version { get; set; } = string.Empty;

    /// <summary>Gets or sets the machine-readable version (<c>12</c>).</summary>
    [JsonPropertyName("version-id")]
    public string VersionId { get; set; } = string.Empty;

    /// <summary>Gets or sets the kernel release (<c>6.1.0-28-cloud-amd64</c>).</summary>
    [JsonPropertyName("kernel-release")]
    public string KernelRelease { get; set; } = string.Empty;

    /// <summary>Gets or sets the kernel version string.</summary>
    [JsonPropertyName("kernel-version")]
    public string KernelVersion { get; set; } = string.Empty;

    /// <summary>Gets or sets the machine architecture (<c>x86_64</c>).</summary>
    [JsonPropertyName("machine")]
    public string Machine { get; set; } = string.Empty;
}
