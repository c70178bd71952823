using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Text;

namespace PatchKit.Hosts.Windows.WinRm;

/// <summary>MS-WSMV message encryption over HTTP: authenticates with NTLM (raw or inside SPNEGO) on one keep-alive
/// connection, then seals every request with <see cref="NegotiateAuthentication.Wrap"/> into
/// <c>multipart/encrypted</c> and unseals every answer. A connection that is replaced (the server closed it, the host
/// rebooted) needs a new handshake: a 401 on a sealed request starts one and the request is sent again once. Every
/// handshake after the first goes on a new connection.</summary>
internal sealed class SealedWinRmTransport : WinRmTransport
{
    private const string Boundary = "Encrypted Boundary";
    private const string Protocol = "application/HTTP-SPNEGO-session-encrypted";
    private static readonly MediaTypeHeaderValue s_multipart = MediaTypeHeaderValue.Parse(
        "multipart/encrypted;protocol=\"" + Protocol + "\";boundary=\"" + Boundary + "\"");

    private static readonly byte[] s_octetHeader = "\tContent-Type: application/octet-stream\r\n"u8.ToArray();
    private static readonly byte[] s_end = "--Encrypted Boundary--\r\n"u8.ToArray();

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ArrayBufferWriter<byte> _wrapped = new(4096);
    private NegotiateAuthentication? _auth;
    private NetworkCredential? _credential;
    private bool _handshakeStarted;

    public SealedWinRmTransport(WinRmConnectionOptions options)
        : base(options, singleConnection: true)
    {
    }

    public override string Description => "http, " + Options.Authentication + ", sealed (" + (_auth?.Package ?? "not yet authenticated") + ")";

    public override async Task<(int Status, byte[] Body)> SendAsync(byte[] soap, string action, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (int attempt = 0; ; attempt++)
            {
                if (_auth is null)
                {
                    await HandshakeAsync(action, cancellationToken).ConfigureAwait(false);
                }

                var (status, body, reauth) = await SendSealedAsync(soap, action, cancellationToken).ConfigureAwait(false);
                if (!reauth)
                {
                    return (status, body);
                }

                ResetContext();
                if (attempt > 0)
                {
                    throw StatusError(HttpStatusCode.Unauthorized, action);
                }
            }
        }
        catch (Exception ex) when (ex is not WinRmException && Translate(ex, action, cancellationToken) is var t && t != ex)
        {
            ResetContext();
            throw t;
        }
        catch (Exception ex) when (ex is OperationCanceledException or WinRmException { Kind: WinRmErrorKind.Unreachable or WinRmErrorKind.Protocol })
        {
            // A sealed request may have left without its answer being read: the sequence numbers of this NTLM session
            // can no longer be trusted, so the next request authenticates again.
            ResetContext();
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _auth?.Dispose();
            _gate.Dispose();
        }

        base.Dispose(disposing);
    }

    private void ResetContext()
    {
        _auth?.Dispose();
        _auth = null;
    }

    private async Task HandshakeAsync(string action, CancellationToken cancellationToken)
    {
        if (_credential is null)
        {
            var (user, domain) = SplitUser(Options.UserName);
            _credential = new NetworkCredential(user, await RevealPasswordAsync(cancellationToken).ConfigureAwait(false), domain);
        }

        // The server binds the NTLM context to the TCP connection. Every handshake after the first (the session was
        // reset: cancelled, the server forgot it, a request went unanswered) starts on a new connection: one left
        // between the two legs of an earlier handshake would still hold that half-made context and refuse a new one.
        if (_handshakeStarted)
        {
            RenewConnections();
        }

        _handshakeStarted = true;
        var auth = new NegotiateAuthentication(new NegotiateAuthenticationClientOptions
        {
            Package = Options.Authentication == WinRmAuthentication.Ntlm ? "NTLM" : "Negotiate",
            Credential = _credential,
            TargetName = "HTTP/" + Endpoint.Host,
            RequiredProtectionLevel = ProtectionLevel.EncryptAndSign,
        });
        try
        {
            byte[]? blob = auth.GetOutgoingBlob(ReadOnlySpan<byte>.Empty, out var status);
            for (int round = 0; round < 6; round++)
            {
                if (status is not (NegotiateAuthenticationStatusCode.ContinueNeeded or NegotiateAuthenticationStatusCode.Completed) || blob is null)
                {
                    throw AuthFailure(action, status);
                }

                // An empty POST carries the handshake, as other WinRM clients do; the body is sealed only afterwards.
                using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ByteArrayContent([]) };
                request.Content.Headers.ContentType = SoapContentType;
                request.Headers.Authorization = new AuthenticationHeaderValue("Negotiate", Convert.ToBase64String(blob));
                using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
                _ = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false); // keep the connection reusable
                byte[]? token = ServerToken(response);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    if (token is not null && !auth.IsAuthenticated)
                    {
                        _ = auth.GetOutgoingBlob(token, out status);
                    }

                    if (!auth.IsAuthenticated && status != NegotiateAuthenticationStatusCode.Completed)
                    {
                        throw AuthFailure(action, status);
                    }

                    if (!auth.IsEncrypted || !string.Equals(auth.Package, "NTLM", StringComparison.OrdinalIgnoreCase))
                    {
                        throw new WinRmException(WinRmErrorKind.Protocol,
                            $"WinRM at {Endpoint}: message encryption needs an NTLM session, got {auth.Package} (encrypted: {auth.IsEncrypted}); use https:// for Kerberos");
                    }

                    _auth = auth;
                    auth = null!;
                    return;
                }

                if (response.StatusCode != HttpStatusCode.Unauthorized || token is null)
                {
                    throw response.StatusCode == HttpStatusCode.Unauthorized
                        ? StatusError(HttpStatusCode.Unauthorized, action)
                        : StatusError(response.StatusCode, action);
                }

                blob = auth.GetOutgoingBlob(token, out status);
                if (status == NegotiateAuthenticationStatusCode.Completed && blob is null)
                {
                    throw AuthFailure(action, status);
                }
            }

            throw AuthFailure(action, status);
        }
        finally
        {
            auth?.Dispose();
        }
    }

    private WinRmException AuthFailure(string action, NegotiateAuthenticationStatusCode status) =>
        new(WinRmErrorKind.Unauthorized,
            $"WinRM at {Endpoint}: authenticating '{Options.UserName}' ({Options.Authentication}) for {action} failed ({status}); check the user name and password")
        { HttpStatus = 401 };

    private static byte[]? ServerToken(HttpResponseMessage response)
    {
        foreach (var h in response.Headers.WwwAuthenticate)
        {
            if ((h.Scheme.Equals("Negotiate", StringComparison.OrdinalIgnoreCase) || h.Scheme.Equals("NTLM", StringComparison.OrdinalIgnoreCase))
                && !string.IsNullOrEmpty(h.Parameter))
            {
                return Convert.FromBase64String(h.Parameter);
            }
        }

        return null;
    }

    private async Task<(int Status, byte[] Body, bool Reauthenticate)> SendSealedAsync(byte[] soap, string action, CancellationToken cancellationToken)
    {
        byte[] payload = Seal(soap);
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ByteArrayContent(payload) };
        request.Content.Headers.ContentType = s_multipart;
        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            return (401, [], true);
        }

        if (response.Content.Headers.ContentType?.MediaType is "multipart/encrypted")
        {
            return ((int)response.StatusCode, Unseal(body, action), false);
        }

        if (response.StatusCode == HttpStatusCode.OK)
        {
            throw new WinRmException(WinRmErrorKind.Protocol, $"WinRM at {Endpoint} answered sealed {action} unsealed ({response.Content.Headers.ContentType}); refusing it");
        }

        throw StatusError(response.StatusCode, action);
    }

    private byte[] Seal(byte[] soap)
    {
        _wrapped.ResetWrittenCount();
        var status = _auth!.Wrap(soap, _wrapped, requestEncryption: true, out bool encrypted);
        if (status != NegotiateAuthenticationStatusCode.Completed || !encrypted)
        {
            throw new WinRmException(WinRmErrorKind.Protocol, $"WinRM at {Endpoint}: sealing a message failed ({status})");
        }

        ReadOnlySpan<byte> wrapped = _wrapped.WrittenSpan;
        byte[] head = Encoding.ASCII.GetBytes(
            "--" + Boundary + "\r\n\tContent-Type: " + Protocol + "\r\n\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length="
            + soap.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\r\n--" + Boundary + "\r\n");
        byte[] payload = new byte[head.Length + s_octetHeader.Length + 4 + wrapped.Length + s_end.Length];
        var span = payload.AsSpan();
        head.CopyTo(span);
        span = span[head.Length..];
        s_octetHeader.CopyTo(span);
        span = span[s_octetHeader.Length..];
        BinaryPrimitives.WriteInt32LittleEndian(span, 16); // the NTLM signature leads the wrapped token
        wrapped.CopyTo(span[4..]);
        s_end.CopyTo(span[(4 + wrapped.Length)..]);
        return payload;
    }

    private byte[] Unseal(byte[] body, string action)
    {
        ReadOnlySpan<byte> b = body;
        int i = b.IndexOf("application/octet-stream"u8);
        int nl = i < 0 ? -1 : b[i..].IndexOf((byte)'\n');
        int end = b.LastIndexOf("--Encrypted Boundary--"u8);
        if (i < 0 || nl < 0 || end < 0)
        {
            throw new WinRmException(WinRmErrorKind.Protocol, $"WinRM at {Endpoint} answered {action} with a malformed multipart/encrypted body");
        }

        var data = b[(i + nl + 1)..end];
        if (data.Length < 4 || BinaryPrimitives.ReadInt32LittleEndian(data) is not 16 || data.Length < 20)
        {
            throw new WinRmException(WinRmErrorKind.Protocol, $"WinRM at {Endpoint} answered {action} with a sealed part that is not NTLM-sealed");
        }

        var writer = new ArrayBufferWriter<byte>(data.Length);
        var status = _auth!.Unwrap(data[4..], writer, out _);
        if (status != NegotiateAuthenticationStatusCode.Completed)
        {
            throw new WinRmException(WinRmErrorKind.Protocol, $"WinRM at {Endpoint}: the sealed answer to {action} does not verify ({status})");
        }

        return writer.WrittenSpan.ToArray();
    }
}
