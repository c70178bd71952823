using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PatchKit.Hosts.Windows.WinRm;

/// <summary>Sends one SOAP envelope to a WinRM listener and returns the answer: plain (HTTPS, or HTTP when allowed) or
/// sealed with NTLM message encryption (<see cref="SealedWinRmTransport"/>).</summary>
internal abstract class WinRmTransport : IDisposable
{
    internal static readonly MediaTypeHeaderValue SoapContentType = MediaTypeHeaderValue.Parse("application/soap+xml;charset=UTF-8");

    private readonly string? _pin;
    private readonly bool _singleConnection;
    private volatile string? _certificateProblem;

    protected WinRmTransport(WinRmConnectionOptions options, bool singleConnection)
    {
        Options = options;
        Endpoint = options.Endpoint!;
        _pin = options.CertificateThumbprintSha256 is { } t ? NormalizeThumbprint(t) : null;
        _singleConnection = singleConnection;
        (Handler, Http) = NewClient();
    }

    public Uri Endpoint { get; }

    protected WinRmConnectionOptions Options { get; }

    protected SocketsHttpHandler Handler { get; private set; }

    protected HttpClient Http { get; private set; }

    /// <summary>A short description for logs and the benchmark: scheme, authentication, sealing.</summary>
    public abstract string Description { get; }

    public static WinRmTransport Create(WinRmConnectionOptions options)
    {
        bool https = options.Endpoint!.Scheme == Uri.UriSchemeHttps;
        if (!https && options.Authentication != WinRmAuthentication.Basic && !options.AllowUnencryptedHttp)
        {
            return new SealedWinRmTransport(options);
        }

        return new PlainWinRmTransport(options);
    }

    /// <summary>Sends <paramref name="soap"/>; returns the HTTP status and the (unsealed) SOAP answer.</summary>
    public abstract Task<(int Status, byte[] Body)> SendAsync(byte[] soap, string action, CancellationToken cancellationToken);

    /// <summary>Drops every pooled connection: the next request opens a new one. For a handshake whose state the
    /// server binds to the connection (NTLM), which must not continue on a connection where an earlier one was left
    /// half made.</summary>
    protected void RenewConnections()
    {
        Http.Dispose();
        (Handler, Http) = NewClient();
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    private (SocketsHttpHandler Handler, HttpClient Http) NewClient()
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            ConnectTimeout = Options.ConnectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            MaxConnectionsPerServer = _singleConnection ? 1 : int.MaxValue,
        };
        if (Endpoint.Scheme == Uri.UriSchemeHttps)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = ValidateCertificate;
        }

        // The WS-Management OperationTimeout bounds each Receive; the HTTP timeout leaves room above it.
        return (handler, new HttpClient(handler, disposeHandler: true) { Timeout = Options.OperationTimeout + TimeSpan.FromSeconds(30) });
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Http.Dispose();
        }
    }

    internal static string? NormalizeThumbprint(string thumbprint)
    {
        string hex = thumbprint.Replace(":", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal).Trim();
        return hex.Length == 64 && hex.AsSpan().ContainsAnyExcept("0123456789abcdefABCDEF") == false ? hex.ToUpperInvariant() : null;
    }

    internal static (string User, string Domain) SplitUser(string userName)
    {
        // Managed NTLM does not split DOMAIN\user itself; the native one does. Split for both.
        int i = userName.IndexOf('\\', StringComparison.Ordinal);
        if (i > 0)
        {
            string domain = userName[..i];
            return (userName[(i + 1)..], domain == "." ? string.Empty : domain);
        }

        int at = userName.IndexOf('@', StringComparison.Ordinal);
        return at > 0 ? (userName[..at], userName[(at + 1)..]) : (userName, string.Empty);
    }

    protected async Task<string> RevealPasswordAsync(CancellationToken cancellationToken)
    {
        return await Options.Password!.RevealAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Turns an HttpClient failure into a <see cref="WinRmException"/> that names the endpoint and action.</summary>
    protected Exception Translate(Exception ex, string action, CancellationToken cancellationToken)
    {
        if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return ex;
        }

        if (ex is TaskCanceledException)
        {
            return new WinRmException(WinRmErrorKind.Unreachable, $"WinRM at {Endpoint} did not answer {action} in time", ex);
        }

        if (_certificateProblem is { } cert && (ex.InnerException is AuthenticationException || ex is AuthenticationException))
        {
            return new WinRmException(WinRmErrorKind.Certificate, $"WinRM at {Endpoint}: {cert}; refusing to send {action}", ex);
        }

        if (ex is HttpRequestException hre)
        {
            string reason = hre.HttpRequestError switch
            {
                HttpRequestError.ConnectionError => hre.InnerException is SocketException se ? "connection failed (" + se.SocketErrorCode + ")" : "connection failed",
                HttpRequestError.ResponseEnded => "the connection was dropped before an answer",
                HttpRequestError.SecureConnectionError => "the TLS handshake failed",
                HttpRequestError.NameResolutionError => "the host name does not resolve",
                _ => "the request failed (" + hre.HttpRequestError + ")",
            };
            return new WinRmException(WinRmErrorKind.Unreachable, $"WinRM at {Endpoint}: {reason} during {action}", ex);
        }

        if (ex is IOException)
        {
            return new WinRmException(WinRmErrorKind.Unreachable, $"WinRM at {Endpoint}: the connection was dropped during {action}", ex);
        }

        return ex;
    }

    /// <summary>The exception for a non-success status that carries no SOAP fault.</summary>
    protected WinRmException StatusError(HttpStatusCode status, string action) => (int)status switch
    {
        401 => new WinRmException(WinRmErrorKind.Unauthorized,
            $"WinRM at {Endpoint} refused the credentials of '{Options.UserName}' ({Options.Authentication}) for {action}; check the user name, the password and that the listener allows {Options.Authentication}")
        { HttpStatus = 401 },
        502 or 503 or 504 => new WinRmException(WinRmErrorKind.Unreachable, $"WinRM at {Endpoint} is unavailable (HTTP {(int)status}) for {action}") { HttpStatus = (int)status },
        _ => new WinRmException(WinRmErrorKind.Protocol, $"WinRM at {Endpoint} answered {action} with HTTP {(int)status} and no WS-Management fault") { HttpStatus = (int)status },
    };

    private bool ValidateCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            _certificateProblem = "the server presented no certificate";
            return false;
        }

        if (_pin is not null)
        {
            string actual = Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()));
            if (CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(actual), System.Text.Encoding.ASCII.GetBytes(_pin)))
            {
                return true;
            }

            _certificateProblem = "the server certificate (SHA-256 " + actual + ") is not the pinned one (" + _pin + ")";
            return false;
        }

        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        _certificateProblem = "the server certificate does not validate (" + errors + "); trust its issuer or pin its SHA-256 thumbprint";
        return false;
    }
}
