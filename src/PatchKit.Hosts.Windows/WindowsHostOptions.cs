namespace PatchKit.Hosts.Windows;

/// <summary>One Windows machine the adapter manages.</summary>
public sealed class WindowsHostOptions
{
    /// <summary>Gets or sets the host id the lifecycle uses (unique in the fleet).</summary>
    /// <value>The default value is empty; it must be set.</value>
    public string Id { get; set; } = string.Empty;

    /// <summary>Gets or sets a display name.</summary>
    /// <value>The default value is empty (the id is shown).</value>
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets how to reach the machine's WinRM listener.</summary>
    /// <value>The default value is a new <see cref="WinRmConnectionOptions"/>, whose endpoint and credentials must be set.</value>
    public WinRmConnectionOptions Connection { get; set; } = new();

    /// <summary>Gets or sets the socket of the machine's QEMU guest agent on its hypervisor host (<c>unix:PATH</c> or
    /// <c>tcp:HOST:PORT</c>). When set, commands and PowerShell scripts go through the guest agent (<c>guest-exec</c>)
    /// instead of WinRM, and <see cref="Connection"/> is not used.</summary>
    /// <value>The default value is <see langword="null"/>: WinRM.</value>
    public string? GuestAgentEndpoint { get; set; }
}
