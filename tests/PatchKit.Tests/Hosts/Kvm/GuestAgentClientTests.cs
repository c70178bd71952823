using System.Text;
using System.Text.Json;
using PatchKit.Hosts;
using PatchKit.Hosts.Kvm;

namespace PatchKit.Tests.Hosts.Kvm;

/// <summary>The guest-agent client against the real qemu-ga running on the host (tests/fixtures/qga-host): no VM, the
/// same agent and wire protocol. Host-affecting commands are disabled there, which the error tests rely on.</summary>
public sealed class GuestAgentClientTests(QgaHostFixture qga) : IClassFixture<QgaHostFixture>
{
    private static readonly KvmClientOptions Options = new() { CommandTimeout = TimeSpan.FromSeconds(20) };

    private async Task<GuestAgentClient> ConnectAsync()
    {
        qga.EnsureRunning();
        return await GuestAgentClient.ConnectAsync("unix:" + qga.Socket, Options);
    }

    [QgaFact]
    public async Task Connect_Syncs_PingAnswers_InfoSaysWhichCommandsAreDisabled()
    {
        await using var c = await ConnectAsync();
        await c.PingAsync();
        var info = await c.GetInfoAsync();
        Assert.Matches(@"^\d+\.\d+", info.Version);
        Assert.True(info.IsEnabled("guest-exec"));
        Assert.True(info.IsEnabled("guest-file-open"));
        Assert.False(info.IsEnabled("guest-shutdown"));
        Assert.Contains(info.Commands, x => x.Name == "guest-shutdown" && !x.SuccessResponse);
        var os = await c.GetOsInfoAsync();
        Assert.Equal("linux", os.KernelRelease.Length > 0 ? "linux" : os.Id);
        Assert.NotEmpty(os.Id);
    }

    [QgaFact]
    public async Task Exec_StdinBytesInStdoutBytesOut_StderrAndExitCodeSeparate()
    {
        await using var c = await ConnectAsync();
        byte[] input = [0x00, 0xFF, 0xFE, (byte)'\n', .. Encoding.UTF8.GetBytes("stdin works ü")];
        var r = await c.ExecAsync(new GuestCommand
        {
            Program = "/bin/sh",
            Arguments = ["-c", "cat; echo to-stderr >&2; exit 7"],
            StandardInput = input,
        });
        Assert.Equal(7, r.ExitCode);
        Assert.Equal(input, r.StandardOutput.ToArray());
        Assert.Equal("to-stderr\n", Encoding.UTF8.GetString(r.StandardError.Span));
        Assert.False(r.TimedOut);

        var ok = await c.ExecAsync(new GuestCommand { Program = "/bin/true" });
        Assert.Equal(0, ok.ExitCode);
        Assert.True(ok.StandardOutput.IsEmpty);
    }

    [QgaFact]
    public async Task Exec_Environment_IsPassed_ATimeoutReturnsTimedOutWithoutExitCode()
    {
        await using var c = await ConnectAsync();
        var env = await c.ExecAsync(new GuestCommand { Program = "/bin/sh", Arguments = ["-c", "printf %s \"$PK_VALUE\""], Environment = ["PK_VALUE=from-env"] });
        Assert.Equal("from-env", Encoding.UTF8.GetString(env.StandardOutput.Span));
        var slow = await c.ExecAsync(new GuestCommand { Program = "/bin/sleep", Arguments = ["3"], Timeout = TimeSpan.FromMilliseconds(200) });
        Assert.True(slow.TimedOut);
        Assert.Null(slow.ExitCode);
        await c.PingAsync();
    }

    [QgaFact]
    public async Task FileRoundTrip_SeveralChunks_BytesEqualOnDiskAndReadBack()
    {
        await using var c = await ConnectAsync();
        byte[] content = new byte[(3 * 1024 * 1024) + 12345];
        new Random(17).NextBytes(content);
        string path = Path.Combine(qga.Scratch, "roundtrip.bin");
        await c.WriteFileAsync(path, content);
        Assert.Equal(content, await File.ReadAllBytesAsync(path));
        Assert.Equal(content, await c.ReadFileAsync(path));

        await c.WriteFileAsync(path, Array.Empty<byte>());
        Assert.Empty(await c.ReadFileAsync(path));
    }

    [QgaFact]
    public async Task DisabledCommand_IsCommandNotFoundWithTheAgentsDescription_ClientStaysUsable()
    {
        await using var c = await ConnectAsync();
        var ex = await Assert.ThrowsAsync<QmpException>(() => c.ExecuteAsync("guest-set-time"));
        Assert.Equal("CommandNotFound", ex.ErrorClass);
        Assert.Equal("guest-set-time", ex.Command);
        Assert.Contains("has been disabled", ex.Description, StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<QmpException>(() => c.ReadFileAsync(Path.Combine(qga.Scratch, "no-such-file")));
        Assert.Equal("GenericError", missing.ErrorClass);
        Assert.Contains("no-such-file", missing.Description, StringComparison.Ordinal);
        await c.PingAsync();
    }

    [QgaFact]
    public async Task CommandWithoutReply_ItsErrorReplyIsDiscardedByTheResync_NextCommandGetsItsOwnReply()
    {
        await using var c = await ConnectAsync();
        // guest-shutdown is disabled here, so the agent answers with an error the caller never reads
        await c.ShutdownAsync("powerdown");
        var info = await c.GetInfoAsync();
        Assert.NotEmpty(info.Commands);
        await c.PingAsync();
    }

    [QgaFact]
    public async Task ReplyAfterTheTimeout_IsDiscarded_ByTheResyncBeforeTheNextCommand()
    {
        await using var c = await ConnectAsync();
        // a stopped agent answers once it is continued: a real late reply
        Signal(qga.Pid, "STOP");
        try
        {
            var timedOut = await Assert.ThrowsAsync<QmpException>(() => c.ExecuteAsync("guest-get-host-name", null, TimeSpan.FromMilliseconds(300)));
            Assert.Equal(QmpException.TimeoutClass, timedOut.ErrorClass);
            Assert.Equal("guest-get-host-name", timedOut.Command);
        }
        finally
        {
            Signal(qga.Pid, "CONT");
        }

        await Task.Delay(100); // let the late reply arrive before the next command
        // the late {"return": handle} is still in the pipe; the next command must not take it for its own reply
        var os = await c.GetOsInfoAsync();
        Assert.NotEmpty(os.Id);
        Assert.NotEqual(JsonValueKind.String, (await c.ExecuteAsync("guest-get-time")).ValueKind);
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    [QgaFact]
    public async Task Reconnect_OneClientAtATime_TheNextClientIsServedAfterTheFirstLeaves()
    {
        var first = await ConnectAsync();
        await first.PingAsync();
        await first.DisposeAsync();
        await using var second = await ConnectAsync();
        await second.PingAsync();
        await second.ReconnectAsync();
        await second.PingAsync();
    }

    [QgaFact]
    public async Task NothingListening_IsAConnectionErrorNamingTheSocket()
    {
        string path = Path.Combine(qga.Scratch, "nobody-listens.sock");
        var ex = await Assert.ThrowsAsync<KvmConnectionException>(() => GuestAgentClient.ConnectAsync("unix:" + path, Options));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Equal("unix:" + path, ex.Endpoint);
    }
}
