using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using PatchKit.Hosts.Kvm;

namespace PatchKit.Tests.Hosts.Kvm;

/// <summary>One real QEMU (TCG) for the QMP client tests, with its unix QMP socket and a second monitor on TCP.</summary>
public sealed class QmpGuestFixture : IDisposable
{
    public QmpGuestFixture()
    {
        if (KvmFixtures.QemuMissing is { } why)
        {
            Error = why;
            return;
        }

        RunDir = QemuGuest.NewRunDir();
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            TcpPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        Guest = QemuGuest.Start(RunDir, "g0", new Dictionary<string, string>
        {
            ["EXTRA"] = "-qmp tcp:127.0.0.1:" + TcpPort.ToString(CultureInfo.InvariantCulture) + ",server=on,wait=off",
            ["MEM"] = "128M",
        });
    }

    public string? Error { get; }

    public string RunDir { get; } = string.Empty;

    public int TcpPort { get; }

    public QemuGuest Guest { get; } = null!;

    public QemuGuest Require() => Error is null ? Guest : throw new InvalidOperationException(Error);

    public void Dispose()
    {
        if (Error is null)
        {
            QemuGuest.StopAll(RunDir);
        }
    }
}

/// <summary>The QMP client against real QEMU: handshake, concurrent commands, errors, events, TCP, timeouts, and what a
/// killed QEMU does to pending calls.</summary>
public sealed class QmpClientTests(QmpGuestFixture fx) : IClassFixture<QmpGuestFixture>
{
    private static readonly KvmClientOptions Options = new() { CommandTimeout = TimeSpan.FromSeconds(30), ConnectTimeout = TimeSpan.FromSeconds(10) };

    private Task<QmpClient> ConnectAsync() => QmpClient.ConnectAsync("unix:" + fx.Require().Qmp, Options);

    [QemuFact]
    public async Task Handshake_ReadsTheGreeting_EnablesOobBecauseAdvertised_CommandsAnswer()
    {
        await using var q = await ConnectAsync();
        Assert.Matches(@"^\d+\.\d+\.\d+$", q.QemuVersion);
        Assert.Contains("oob", q.AdvertisedCapabilities);
        Assert.True(q.OutOfBandEnabled);
        var status = await q.ExecuteAsync("query-status");
        Assert.Equal("running", status.GetProperty("status").GetString());
        Assert.Equal("patchkit-g0", (await q.ExecuteAsync("query-name")).GetProperty("name").GetString());
        var version = await q.ExecuteAsync("query-version");
        Assert.Equal(q.QemuVersion, version.GetProperty("qemu").GetProperty("major").GetInt32() + "." + version.GetProperty("qemu").GetProperty("minor").GetInt32() + "." + version.GetProperty("qemu").GetProperty("micro").GetInt32());
    }

    [QemuFact]
    public async Task ConcurrentCommands_EachGetsItsOwnReplyById()
    {
        await using var q = await ConnectAsync();
        var tasks = Enumerable.Range(0, 40).Select(i => i % 2 == 0
            ? q.ExecuteAsync("query-name")
            : q.ExecuteAsync("query-block")).ToArray();
        var replies = await Task.WhenAll(tasks);
        for (int i = 0; i < replies.Length; i++)
        {
            Assert.Equal(i % 2 == 0 ? JsonValueKind.Object : JsonValueKind.Array, replies[i].ValueKind);
        }

        var disk = replies[1].EnumerateArray().Single(b => b.TryGetProperty("inserted", out _));
        Assert.Equal("data0", disk.GetProperty("inserted").GetProperty("node-name").GetString());
    }

    [QemuFact]
    public async Task Errors_CarryQmpsClassAndDescription()
    {
        await using var q = await ConnectAsync();
        var unknown = await Assert.ThrowsAsync<QmpException>(() => q.ExecuteAsync("no-such-command"));
        Assert.Equal("CommandNotFound", unknown.ErrorClass);
        Assert.Contains("no-such-command", unknown.Description, StringComparison.Ordinal);
        var bad = await Assert.ThrowsAsync<QmpException>(() => q.ExecuteAsync("blockdev-del", new() { ["node-name"] = "no-such-node" }));
        Assert.Equal("GenericError", bad.ErrorClass);
        Assert.Contains("no-such-node", bad.Description, StringComparison.Ordinal);
        Assert.Equal("blockdev-del", bad.Command);
        Assert.Equal("running", (await q.ExecuteAsync("query-status")).GetProperty("status").GetString());
    }

    [QemuFact]
    public async Task Events_GoToSubscribers_StopAndResume()
    {
        await using var q = await ConnectAsync();
        var seen = new ConcurrentQueue<QmpEvent>();
        var resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (q.Subscribe(e =>
        {
            seen.Enqueue(e);
            if (e.Name == "RESUME")
            {
                resumed.TrySetResult();
            }
        }))
        {
            await q.ExecuteAsync("stop");
            Assert.Equal("paused", (await q.ExecuteAsync("query-status")).GetProperty("status").GetString());
            await q.ExecuteAsync("cont");
            await resumed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }

        var names = seen.Select(e => e.Name).ToList();
        Assert.True(names.IndexOf("STOP") >= 0 && names.IndexOf("STOP") < names.IndexOf("RESUME"), string.Join(",", names));
        var stop = seen.First(e => e.Name == "STOP");
        Assert.InRange(stop.Timestamp, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), DateTimeOffset.MaxValue);
    }

    [QemuFact]
    public async Task Tcp_SecondMonitor_Answers()
    {
        fx.Require();
        await using var q = await QmpClient.ConnectAsync("tcp:127.0.0.1:" + fx.TcpPort.ToString(CultureInfo.InvariantCulture), Options);
        Assert.Equal("patchkit-g0", (await q.ExecuteAsync("query-name")).GetProperty("name").GetString());
    }

    [QemuFact]
    public async Task MonitorHeldByAnotherClient_NoGreeting_IsAClearConnectError()
    {
        await using var first = await ConnectAsync();
        var ex = await Assert.ThrowsAsync<KvmConnectionException>(() =>
            QmpClient.ConnectAsync("unix:" + fx.Guest.Qmp, new KvmClientOptions { ConnectTimeout = TimeSpan.FromMilliseconds(500) }));
        Assert.Contains("greeting", ex.Message, StringComparison.Ordinal);
        Assert.Contains(fx.Guest.Qmp, ex.Message, StringComparison.Ordinal);
    }

    [QemuFact]
    public async Task CommandTimeout_IsAQmpTimeout_TheLateReplyIsIgnored_TheNextCommandWorks()
    {
        await using var q = await ConnectAsync();
        Signal(fx.Guest.Pid, "STOP");
        try
        {
            var ex = await Assert.ThrowsAsync<QmpException>(() => q.ExecuteAsync("query-name", null, TimeSpan.FromMilliseconds(300)));
            Assert.Equal(QmpException.TimeoutClass, ex.ErrorClass);
        }
        finally
        {
            Signal(fx.Guest.Pid, "CONT");
        }

        Assert.Equal(JsonValueKind.Array, (await q.ExecuteAsync("query-block")).ValueKind);
        Assert.True(q.IsConnected);
    }

    [QemuFact]
    public async Task QemuKilledWhileCommandsArePending_EveryPendingCallFailsWithAConnectionError()
    {
        fx.Require();
        string runDir = QemuGuest.NewRunDir();
        try
        {
            var victim = QemuGuest.Start(runDir, "victim", new Dictionary<string, string> { ["PAUSED"] = "1", ["MEM"] = "64M" });
            await using var q = await QmpClient.ConnectAsync("unix:" + victim.Qmp, Options);
            Signal(victim.Pid, "STOP"); // the commands below stay pending
            var pending = Enumerable.Range(0, 3).Select(_ => q.ExecuteAsync("query-status")).ToArray();
            await Task.Delay(100);
            Signal(victim.Pid, "KILL");
            foreach (var p in pending)
            {
                var ex = await Assert.ThrowsAsync<KvmConnectionException>(() => p);
                Assert.Contains("'query-status' failed", ex.Message, StringComparison.Ordinal);
                Assert.Contains(victim.Qmp, ex.Message, StringComparison.Ordinal);
            }

            Assert.False(q.IsConnected);
            var after = await Assert.ThrowsAsync<KvmConnectionException>(() => q.ExecuteAsync("query-name"));
            Assert.Contains("'query-name' failed", after.Message, StringComparison.Ordinal);
            Assert.Contains("connection", after.Message, StringComparison.Ordinal);
        }
        finally
        {
            QemuGuest.StopAll(runDir);
        }
    }

    internal static void Signal(int pid, string signal)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}
