using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace PatchKit.Hosts.Esx;

/// <summary>Where and how <see cref="EsxHostAdapter"/> reaches vSphere (a vCenter, or one ESXi host's own API) and,
/// per host, its shell.</summary>
public sealed class EsxHostAdapterOptions
{
    /// <summary>Gets or sets the vSphere Web Services endpoint, e.g. <c>https://vcenter.example.com/sdk</c>.</summary>
    public required Uri Endpoint { get; set; }

    /// <summary>Gets or sets the user name for Login.</summary>
    public required string UserName { get; set; }

    /// <summary>Gets or sets the password, by reference (never logged, never in a message).</summary>
    public required Secret Password { get; set; }

    /// <summary>Gets or sets the SHA-256 thumbprint of the server certificate to pin (hex, colons allowed). When set, the
    /// certificate must be exactly this one; otherwise it must validate normally (or against <see cref="TrustedCertificates"/>).</summary>
    public string? ThumbprintSha256 { get; set; }

    /// <summary>Gets extra root certificates the server certificate may chain to (a private CA, a self-signed vCenter).</summary>
    public IList<X509Certificate2> TrustedCertificates { get; } = [];

    /// <summary>Gets or sets a value indicating whether an <c>http://</c> endpoint is allowed (test servers only: the
    /// password would travel in clear).</summary>
    public bool AllowPlainHttp { get; set; }

    /// <summary>Gets SSH access per host, keyed by the host's name as vSphere shows it or by its moref (<c>host-34</c>).
    /// A host with an entry installs with esxcli over SSH.</summary>
    public IDictionary<string, EsxSshOptions> Ssh { get; } = new Dictionary<string, EsxSshOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets a value indicating whether hosts without SSH (embedded ESXi, SSH off, lockdown mode) install
    /// through the API (HostPatchManager.InstallHostPatchV2_Task with the payload's depot URL).</summary>
    public bool AllowApiInstall { get; set; }

    /// <summary>Gets or sets the folder moref value (<c>group-v3</c>) lab clones go to; default: the source VM's folder.</summary>
    public string? LabFolder { get; set; }

    /// <summary>Gets or sets the host moref value lab clones are placed on; default: the source VM's host.</summary>
    public string? LabHost { get; set; }

    /// <summary>Gets or sets how long a vSphere task may run when the operation sets no timeout (1 hour).</summary>
    public TimeSpan TaskTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets how long a rebooted host may take to reconnect when the operation sets no timeout (30 minutes).</summary>
    public TimeSpan RebootTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Gets or sets how often a rebooting host's connection state is polled (5 seconds).</summary>
    public TimeSpan RebootPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets how many objects one RetrievePropertiesEx page asks for (1,000).</summary>
    public int PageSize { get; set; } = 1000;

    /// <summary>Gets or sets the timeout of one HTTP request (2 minutes).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets the clock used for waits and delays.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the logger factory (none by default).</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
