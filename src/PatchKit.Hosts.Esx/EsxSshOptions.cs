namespace PatchKit.Hosts.Esx;

/// <summary>How PatchKit reaches one ESXi host's shell over SSH (for esxcli). The host key is always pinned: give
/// <see cref="HostKeySha256"/> or <see cref="KnownHostsPath"/>; an unknown or changed key is refused.</summary>
public sealed class EsxSshOptions
{
    /// <summary>Gets or sets the host name or IP address of the ESXi host's SSH service.</summary>
    public required string Host { get; set; }

    /// <summary>Gets or sets the SSH port (22).</summary>
    public int Port { get; set; } = 22;

    /// <summary>Gets or sets the user name (ESXi: usually <c>root</c>).</summary>
    public required string UserName { get; set; }

    /// <summary>Gets or sets the password, by reference; answered to keyboard-interactive prompts (ESXi's sshd offers
    /// no plain "password" method) and to the "password" method where a server offers it.</summary>
    public Secret? Password { get; set; }

    /// <summary>Gets or sets the path of an OpenSSH private key file (no passphrase) to log in with.</summary>
    public string? PrivateKeyPath { get; set; }

    /// <summary>Gets or sets the pinned host key fingerprint as <c>ssh-keygen -l -E sha256</c> prints it
    /// (<c>SHA256:</c> followed by unpadded base64; the prefix is optional).</summary>
    public string? HostKeySha256 { get; set; }

    /// <summary>Gets or sets an OpenSSH known_hosts file that must hold the host's key (plain or hashed names,
    /// <c>[host]:port</c> for a port other than 22).</summary>
    public string? KnownHostsPath { get; set; }

    /// <summary>Gets or sets how long one esxcli command may run (30 minutes: an image profile update takes minutes).</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Gets or sets how long connecting and logging in may take (30 seconds).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
