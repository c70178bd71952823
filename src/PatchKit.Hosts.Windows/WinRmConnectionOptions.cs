using PatchKit.Hosts.Windows.WinRm;

namespace PatchKit.Hosts.Windows;

/// <summary>Where and how to reach one Windows machine's WinRM (WS-Management) listener.</summary>
/// <remarks>
/// HTTPS (port 5986) works with every <see cref="WinRmAuthentication"/>; the server certificate is validated, or pinned
/// with <see cref="CertificateThumbprintSha256"/>. HTTP (port 5985) works with <see cref="WinRmAuthentication.Ntlm"/> and
/// <see cref="WinRmAuthentication.Negotiate"/>, whose every message is then sealed (MS-WSMV message encryption), as
/// Windows' default <c>AllowUnencrypted=false</c> requires. Unsealed HTTP only with <see cref="AllowUnencryptedHttp"/>.
/// </remarks>
public sealed class WinRmConnectionOptions
{
    /// <summary>Initializes a new instance of the <see cref="WinRmConnectionOptions"/> class.</summary>
    public WinRmConnectionOptions()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="WinRmConnectionOptions"/> class with the values of another.</summary>
    /// <param name="other">The options to copy.</param>
    public WinRmConnectionOptions(WinRmConnectionOptions other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Endpoint = other.Endpoint;
        Authentication = other.Authentication;
        UserName = other.UserName;
        Password = other.Password;
        CertificateThumbprintSha256 = other.CertificateThumbprintSha256;
        AllowUnencryptedHttp = other.AllowUnencryptedHttp;
        OperationTimeout = other.OperationTimeout;
        ConnectTimeout = other.ConnectTimeout;
    }

    /// <summary>Gets or sets the listener, e.g. <c>https://win1.example.org:5986/wsman</c>.</summary>
    /// <value>The default value is <see langword="null"/>; it must be set.</value>
    public Uri? Endpoint { get; set; }

    /// <summary>Gets or sets the authentication scheme.</summary>
    /// <value>The default value is <see cref="WinRmAuthentication.Negotiate"/>.</value>
    public WinRmAuthentication Authentication { get; set; } = WinRmAuthentication.Negotiate;

    /// <summary>Gets or sets the account, <c>DOMAIN\user</c>, <c>.\user</c> or <c>user</c>.</summary>
    /// <value>The default value is empty; it must be set.</value>
    public string UserName { get; set; } = string.Empty;

    /// <summary>Gets or sets the password, by reference; it is revealed when the first connection is made.</summary>
    /// <value>The default value is <see langword="null"/>; it must be set.</value>
    public Secret? Password { get; set; }

    /// <summary>Gets or sets the SHA-256 thumbprint (64 hex digits, colons allowed) of the server certificate to pin. When
    /// set, the server must present exactly this certificate (its chain is not consulted, which suits the self-signed
    /// certificates WinRM listeners commonly use); when not set, the certificate must validate normally.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? CertificateThumbprintSha256 { get; set; }

    /// <summary>Gets or sets a value indicating whether plain HTTP without message encryption is allowed (what a host with
    /// <c>AllowUnencrypted=true</c> accepts). Credentials and output then cross the network readable.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool AllowUnencryptedHttp { get; set; }

    /// <summary>Gets or sets the WS-Management <c>OperationTimeout</c>: how long the server may hold a Receive before it
    /// answers that the command is still running.</summary>
    /// <value>The default value is 20 seconds.</value>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Gets or sets how long to wait for a TCP (and TLS) connection.</summary>
    /// <value>The default value is 15 seconds.</value>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Returns every problem with these options (empty when they are usable).</summary>
    /// <returns>One sentence per problem.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Endpoint is null || !Endpoint.IsAbsoluteUri || (Endpoint.Scheme != Uri.UriSchemeHttp && Endpoint.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add("Endpoint must be an absolute http:// or https:// URI such as https://host:5986/wsman.");
        }
        else
        {
            if (!string.IsNullOrEmpty(Endpoint.UserInfo))
            {
                problems.Add("Endpoint must not carry user information; set UserName and Password instead.");
            }

            if (Endpoint.Scheme == Uri.UriSchemeHttp && Authentication == WinRmAuthentication.Basic && !AllowUnencryptedHttp)
            {
                problems.Add("Basic authentication over http:// would send the password readable; use https:// or NTLM/Negotiate (sealed), or set AllowUnencryptedHttp.");
            }

            if (Endpoint.Scheme == Uri.UriSchemeHttp && CertificateThumbprintSha256 is not null)
            {
                problems.Add("CertificateThumbprintSha256 is set but the endpoint is http://; pinning needs https://.");
            }
        }

        if (string.IsNullOrWhiteSpace(UserName))
        {
            problems.Add("UserName must be set.");
        }

        if (Password is null)
        {
            problems.Add("Password must be set (a Secret: environment variable, file or delegate).");
        }

        if (CertificateThumbprintSha256 is { } t && WinRmTransport.NormalizeThumbprint(t) is null)
        {
            problems.Add("CertificateThumbprintSha256 must be 64 hexadecimal digits (a SHA-256 thumbprint), colons allowed.");
        }

        if (OperationTimeout < TimeSpan.FromSeconds(1) || OperationTimeout > TimeSpan.FromHours(1))
        {
            problems.Add("OperationTimeout must be between 1 second and 1 hour.");
        }

        if (ConnectTimeout <= TimeSpan.Zero)
        {
            problems.Add("ConnectTimeout must be positive.");
        }

        return problems;
    }
}
