using System.Net;
using System.Net.Sockets;
using PatchKit.Hosts;
using PatchKit.Hosts.Windows;

namespace PatchKit.Tests.Hosts.Windows;

/// <summary>Windows machines on the WinRM fixture: each URL path /wsman/NAME is its own machine there (own boot time,
/// own installed updates); a name starting with "noreturn" never answers again after a reboot.</summary>
internal static class WindowsFleet
{
    public static string NewMachine(string prefix = "m") => prefix + "-" + Guid.NewGuid().ToString("N")[..12];

    public static WindowsHostOptions Host(WinRmFixture fx, string id, string machine, string? password = null) => new()
    {
        Id = id,
        Connection = Machine(fx, machine, password),
    };

    public static WinRmConnectionOptions Machine(WinRmFixture fx, string machine, string? password = null)
    {
        var o = fx.Options(false, WinRmAuthentication.Negotiate, password);
        o.Endpoint = new Uri(fx.HttpUrl + "/" + machine);
        return o;
    }

    /// <summary>A machine that is down: nothing listens on its port.</summary>
    public static WindowsHostOptions Down(WinRmFixture fx, string id)
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)s.LocalEndPoint!).Port;
        var o = fx.Options(false, WinRmAuthentication.Negotiate);
        o.Endpoint = new Uri($"http://127.0.0.1:{port}/wsman");
        o.ConnectTimeout = TimeSpan.FromSeconds(2);
        return new WindowsHostOptions { Id = id, Connection = o };
    }

    public static WindowsHostAdapter Adapter(params WindowsHostOptions[] hosts)
    {
        var options = new WindowsHostAdapterOptions { PollInterval = TimeSpan.FromMilliseconds(200), RebootTimeout = TimeSpan.FromSeconds(30) };
        foreach (var h in hosts)
        {
            options.Hosts.Add(h);
        }

        return new WindowsHostAdapter(options);
    }

    public static HostOperation Op(string hostId, CancellationToken ct = default, string? checkpoint = null, Func<string, CancellationToken, ValueTask>? onCheckpoint = null) =>
        new(hostId, onCheckpoint) { CancellationToken = ct, Checkpoint = checkpoint };
}
