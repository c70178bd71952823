using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;

namespace PatchKit.Hosts.Esx.Soap;

/// <summary>
/// A small vSphere Web Services client (<c>/sdk</c>, urn:vim25) over <see cref="HttpClient"/>: requests written with
/// <see cref="XmlWriter"/>, responses read with <see cref="XmlReader"/> (no DOM, no generated proxy), the session cookie
/// kept and sent back verbatim, faults turned into <see cref="VimFaultException"/>. Only transient network failures are
/// retried, and only for calls that change nothing (or when the connection was refused, so nothing was sent).
/// </summary>
internal sealed partial class VimClient : IDisposable
{
    private const int MaxAttempts = 3;
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly TimeProvider _time;
    private string? _cookie;

    public VimClient(VimClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _endpoint = options.Endpoint;
        _time = options.TimeProvider;
        if (_endpoint.Scheme == Uri.UriSchemeHttp && !options.AllowPlainHttp)
        {
            throw new VimFaultException("Configuration", "The vSphere endpoint " + _endpoint + " is plain HTTP; credentials would travel unencrypted. Use https, or allow plain HTTP explicitly (AllowPlainHttp) for a test server.");
        }

        if (_endpoint.Scheme != Uri.UriSchemeHttp && _endpoint.Scheme != Uri.UriSchemeHttps)
        {
            throw new VimFaultException("Configuration", "The vSphere endpoint " + _endpoint + " is not an http(s) URL.");
        }

        var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = options.ConnectTimeout,
        };
        string? pin = NormalizeThumbprint(options.ThumbprintSha256);
        if (pin is not null || options.TrustedCertificates.Count > 0)
        {
            var trusted = options.TrustedCertificates;
            handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, chain, errors) =>
                ValidateCertificate(cert, errors, pin, trusted);
        }

        _http = options.HttpClientFactory?.Invoke(handler) ?? new HttpClient(handler, disposeHandler: true);
        _http.Timeout = Timeout.InfiniteTimeSpan;
        RequestTimeout = options.RequestTimeout;
        SoapAction = "urn:vim25/" + options.ApiVersion;
    }

    public Uri Endpoint => _endpoint;

    public TimeSpan RequestTimeout { get; }

    public string SoapAction { get; set; }

    public bool HasSession => _cookie is not null;

    /// <summary>The SHA-256 fingerprint of a DER certificate as uppercase hex without separators.</summary>
    public static string Sha256Hex(byte[] der) => Convert.ToHexString(SHA256.HashData(der));

    internal static string? NormalizeThumbprint(string? thumbprint)
    {
        if (string.IsNullOrWhiteSpace(thumbprint))
        {
            return null;
        }

        var sb = new StringBuilder(64);
        foreach (char c in thumbprint)
        {
            if (char.IsAsciiHexDigit(c))
            {
                sb.Append(char.ToUpperInvariant(c));
            }
            else if (c is not (':' or ' ' or '-'))
            {
                throw new VimFaultException("Configuration", "The pinned TLS thumbprint is not hexadecimal (expected 64 hex digits, colons allowed).");
            }
        }

        return sb.Length == 64 ? sb.ToString() : throw new VimFaultException("Configuration", "The pinned TLS thumbprint must be a SHA-256 fingerprint (64 hex digits), not " + sb.Length + " digits.");
    }

    private static bool ValidateCertificate(X509Certificate? cert, SslPolicyErrors errors, string? pin, IReadOnlyList<X509Certificate2> trusted)
    {
        if (cert is null)
        {
            return false;
        }

        if (pin is not null)
        {
            return string.Equals(Sha256Hex(cert.GetRawCertData()), pin, StringComparison.Ordinal);
        }

        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0 || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        foreach (var t in trusted)
        {
            chain.ChainPolicy.CustomTrustStore.Add(t);
        }

        using var c2 = new X509Certificate2(cert);
        return chain.Build(c2);
    }

    /// <summary>Calls a method: writes <c>&lt;method xmlns="urn:vim25"&gt;&lt;_this&gt;</c> and the arguments, reads the
    /// <c>returnval</c> elements, one node each.</summary>
    public async Task<List<VimNode>> InvokeAsync(string method, ManagedObjectReference self, Action<XmlWriter>? arguments, bool idempotent, CancellationToken cancellationToken)
    {
        byte[] body = BuildRequest(method, self, arguments);
        for (int attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return await SendAsync(method, body, cancellationToken).ConfigureAwait(false);
            }
            catch (VimFaultException ex) when (ex.IsTransient && attempt < MaxAttempts && (idempotent || ex.FaultType == "ConnectionRefused"))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * (1 << (attempt - 1))), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private byte[] BuildRequest(string method, ManagedObjectReference self, Action<XmlWriter>? arguments)
    {
        using var ms = new MemoryStream(512);
        using (var w = XmlWriter.Create(ms, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false }))
        {
            w.WriteStartDocument();
            w.WriteStartElement("soapenv", "Envelope", VimXml.SoapNamespace);
            w.WriteAttributeString("xmlns", "xsi", null, VimXml.XsiNamespace);
            w.WriteAttributeString("xmlns", "xsd", null, VimXml.XsdNamespace);
            w.WriteStartElement("Body", VimXml.SoapNamespace);
            w.WriteStartElement(method, VimXml.VimNamespace);
            WriteMoref(w, "_this", self);
            arguments?.Invoke(w);
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
        }

        return ms.ToArray();
    }

    internal static void WriteMoref(XmlWriter w, string name, ManagedObjectReference moref)
    {
        w.WriteStartElement(name, VimXml.VimNamespace);
        w.WriteAttributeString("type", moref.Type);
        w.WriteString(moref.Value);
        w.WriteEndElement();
    }

    private async Task<List<VimNode>> SendAsync(string method, byte[] body, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (RequestTimeout != Timeout.InfiniteTimeSpan)
        {
            timeout.CancelAfter(RequestTimeout);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "text/xml; charset=utf-8");
        request.Headers.TryAddWithoutValidation("SOAPAction", "\"" + SoapAction + "\"");
        if (Volatile.Read(ref _cookie) is { } cookie)
        {
            request.Headers.TryAddWithoutValidation("Cookie", cookie);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new VimFaultException("Timeout", method + " at " + _endpoint + " got no answer within " + RequestTimeout.TotalSeconds + " s.", isTransient: true);
        }
        catch (HttpRequestException ex)
        {
            throw NetworkFault(method, ex);
        }

        using (response)
        {
            if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
            {
                foreach (string sc in setCookies)
                {
                    if (sc.StartsWith("vmware_soap_session=", StringComparison.Ordinal))
                    {
                        int semi = sc.IndexOf(';', StringComparison.Ordinal);
                        Volatile.Write(ref _cookie, semi < 0 ? sc : sc[..semi]);
                    }
                }
            }

            int status = (int)response.StatusCode;
            if (status is 502 or 503 or 504)
            {
                throw new VimFaultException("Http", method + " at " + _endpoint + " answered HTTP " + status + ".", isTransient: true);
            }

            string mediaType = response.Content.Headers.ContentType?.MediaType ?? string.Empty;
            if (!mediaType.Contains("xml", StringComparison.OrdinalIgnoreCase))
            {
                throw new VimFaultException("Http", method + " at " + _endpoint + " answered HTTP " + status + " with " + (mediaType.Length == 0 ? "no content type" : mediaType) + ", not a SOAP envelope; is this a vSphere /sdk endpoint?");
            }

            // The body is buffered (the connection is released at once), then read forward only: no DOM.
            using var buffer = new MemoryStream();
            try
            {
                await response.Content.CopyToAsync(buffer, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new VimFaultException("Timeout", method + " at " + _endpoint + " did not finish its answer within " + RequestTimeout.TotalSeconds + " s.", isTransient: true);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                throw NetworkFault(method, ex);
            }

            buffer.Position = 0;
            try
            {
                return ReadResponse(method, buffer);
            }
            catch (XmlException ex)
            {
                throw new VimFaultException("Xml", method + " at " + _endpoint + " answered malformed XML (line " + ex.LineNumber + ").", innerException: ex);
            }
        }
    }

    private VimFaultException NetworkFault(string method, Exception ex)
    {
        var socket = ex.InnerException as SocketException ?? ex.InnerException?.InnerException as SocketException;
        if (socket?.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return new VimFaultException("ConnectionRefused", method + ": the vSphere endpoint " + _endpoint + " refused the connection.", isTransient: true, ex);
        }

        if (ex.InnerException is System.Security.Authentication.AuthenticationException || ex is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError })
        {
            return new VimFaultException("Tls", method + ": the TLS certificate of " + _endpoint + " is not trusted (not valid for this name, not signed by a trusted authority, or not the pinned SHA-256 thumbprint).", isTransient: false, ex);
        }

        return new VimFaultException("Network", method + " at " + _endpoint + " failed: " + (socket?.SocketErrorCode.ToString() ?? ex.GetType().Name) + ".", isTransient: true, ex);
    }

    private List<VimNode> ReadResponse(string method, Stream stream)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, IgnoreComments = true, IgnoreProcessingInstructions = true, XmlResolver = null };
        using var reader = XmlReader.Create(stream, settings);
        reader.MoveToContent();
        if (!reader.ReadToDescendant("Body", VimXml.SoapNamespace))
        {
            throw new VimFaultException("Xml", method + " at " + _endpoint + " answered without a SOAP body.");
        }

        var results = new List<VimNode>();
        if (reader.IsEmptyElement)
        {
            return results;
        }

        reader.Read();
        reader.MoveToContent();
        if (reader.NodeType != XmlNodeType.Element)
        {
            return results;
        }

        if (reader.LocalName == "Fault" && reader.NamespaceURI == VimXml.SoapNamespace)
        {
            throw ReadFault(method, VimNode.Read(reader));
        }

        if (reader.IsEmptyElement)
        {
            return results; // e.g. WaitForUpdatesExResponse without returnval: the wait timed out
        }

        reader.Read();
        while (reader.MoveToContent() == XmlNodeType.Element)
        {
            if (reader.LocalName == "returnval")
            {
                results.Add(VimNode.Read(reader));
            }
            else
            {
                reader.Skip();
            }
        }

        return results;
    }

    private VimFaultException ReadFault(string method, VimNode fault)
    {
        string text = fault.ChildText("faultstring") ?? string.Empty;
        var detail = fault.Child("detail")?.Children.FirstOrDefault();
        string type = detail?.XsiType ?? (detail?.Name is { } n && n.EndsWith("Fault", StringComparison.Ordinal) ? n[..^5] : "Fault");
        string? obj = detail?.ChildText("obj");
        string message = method + " at " + _endpoint + " failed: " + type + (text.Length > 0 ? " (" + text + ")" : string.Empty);
        return new VimFaultException(type, message, isTransient: false) { ObjectValue = obj };
    }

    public void ForgetSession() => Volatile.Write(ref _cookie, null);

    public void Dispose() => _http.Dispose();
}
