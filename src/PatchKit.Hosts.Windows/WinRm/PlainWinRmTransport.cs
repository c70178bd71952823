using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace PatchKit.Hosts.Windows.WinRm;

/// <summary>Unsealed SOAP: over HTTPS (TLS protects it) or, when explicitly allowed, over HTTP. Basic is sent with every
/// request (as WinRM clients do); NTLM and Negotiate are left to <see cref="SocketsHttpHandler"/>.</summary>
internal sealed class PlainWinRmTransport : WinRmTransport
{
    private readonly SemaphoreSlim _init = new(1, 1);
    private AuthenticationHeaderValue? _basic;
    private bool _ready;

    public PlainWinRmTransport(WinRmConnectionOptions options)
        : base(options, singleConnection: false)
    {
    }

    public override string Description => Endpoint.Scheme + ", " + Options.Authentication + ", not sealed";

    public override async Task<(int Status, byte[] Body)> SendAsync(byte[] soap, string action, CancellationToken cancellationToken)
    {
        if (!_ready)
        {
            await InitializeAsync(cancellationToken).ConfigureAwait(false);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ByteArrayContent(soap) };
        request.Content.Headers.ContentType = SoapContentType;
        request.Headers.Authorization = _basic;
        try
        {
            using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.OK || (body.Length > 0 && IsSoap(response)))
            {
                return ((int)response.StatusCode, body);
            }

            throw StatusError(response.StatusCode, action);
        }
        catch (Exception ex) when (ex is not WinRmException && Translate(ex, action, cancellationToken) is var t && t != ex)
        {
            throw t;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _init.Dispose();
        }

        base.Dispose(disposing);
    }

    private static bool IsSoap(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType is "application/soap+xml";

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _init.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_ready)
            {
                return;
            }

            string password = await RevealPasswordAsync(cancellationToken).ConfigureAwait(false);
            if (Options.Authentication == WinRmAuthentication.Basic)
            {
                _basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Options.UserName + ":" + password)));
            }
            else
            {
                var (user, domain) = SplitUser(Options.UserName);
                var credential = new NetworkCredential(user, password, domain);
                Handler.Credentials = new CredentialCache
                {
                    { Endpoint, Options.Authentication == WinRmAuthentication.Ntlm ? "NTLM" : "Negotiate", credential },
                };
            }

            _ready = true;
        }
        finally
        {
            _init.Release();
        }
    }
}
