using System.Security.Cryptography.X509Certificates;

namespace PatchKit.Hosts.Esx.Soap;

internal sealed class VimClientOptions
{
    public required Uri Endpoint { get; init; }

    public string? ThumbprintSha256 { get; init; }

    public IReadOnlyList<X509Certificate2> TrustedCertificates { get; init; } = [];

    public bool AllowPlainHttp { get; init; }

    public string ApiVersion { get; init; } = "8.0.3.0";

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(120);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public Func<SocketsHttpHandler, HttpClient>? HttpClientFactory { get; init; }
}
