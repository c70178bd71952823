using System.Net;
using System.Net.Sockets;

namespace PatchKit.Tests.Infrastructure;

/// <summary>Starts an <see cref="HttpListener"/> on a free loopback port for the tests' real local HTTP servers.</summary>
internal static class LoopbackHttpListener
{
    /// <summary>Starts a listener for <c>http://127.0.0.1:PORT{path}</c> on a free port. A free port is found by binding port 0
    /// and letting it go; tests run in parallel, so another one can take it in between: a port that turns out to be taken is
    /// replaced by another.</summary>
    public static HttpListener Start(out int port, string path = "/")
    {
        for (int attempt = 1; ; attempt++)
        {
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((IPEndPoint)probe.LocalEndpoint).Port;
                probe.Stop();
            }

            var listener = new HttpListener();
            try
            {
                listener.Prefixes.Add($"http://127.0.0.1:{port}{path}");
                listener.Start();
                return listener;
            }
            catch (HttpListenerException) when (attempt < 20)
            {
                listener.Abort();
            }
        }
    }
}
