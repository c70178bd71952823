using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PatchKit.Hosts.Windows;
using PatchKit.Hosts.Windows.WinRm;

namespace PatchKit.Tests.Hosts.Windows;

/// <summary>The WinRM client against the real fixture: every authentication mode, NTLM message encryption, certificate
/// validation and pinning, wrong passwords, faults, OperationTimeout as "still running", dropped connections.</summary>
[Collection("winrm")]
public sealed class WinRmClientTests(WinRmFixture fx)
{
    // The recorded Windows answer to `ipconfig /all` (python3-winrm's test data) is 3416 bytes of stdout.
    private const int RecordedIpconfigLength = 3416;

    public static TheoryData<bool, WinRmAuthentication, bool> Modes => new()
    {
        { true, WinRmAuthentication.Basic, false },
        { true, WinRmAuthentication.Ntlm, false },
        { true, WinRmAuthentication.Negotiate, false },
        { false, WinRmAuthentication.Ntlm, true },
        { false, WinRmAuthentication.Negotiate, true },
    };

    [WinRmTheory]
    [MemberData(nameof(Modes))]
    public async Task EveryAuthMode_RunsTheRecordedCommand_SealedExactlyOverHttp(bool https, WinRmAuthentication auth, bool sealedExpected)
    {
        int seq = fx.LastSeq;
        using var client = new WinRmClient(fx.Options(https, auth));
        var r = await client.RunAsync("ipconfig", ["/all"], CancellationToken.None);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(RecordedIpconfigLength, r.StandardOutput.Length);
        Assert.Contains("Windows IP Configuration", Encoding.ASCII.GetString(r.StandardOutput.Span), StringComparison.Ordinal);

        var log = fx.Envelopes(seq).Where(e => e.GetProperty("action").GetString() is "Create" or "Command" or "Receive" or "Signal" or "Delete").ToList();
        Assert.Equal(["Create", "Command", "Receive", "Signal", "Delete"], log.Select(e => e.GetProperty("action").GetString()!));
        Assert.All(log, e =>
        {
            Assert.Equal(sealedExpected, e.TryGetProperty("encrypted", out var enc) && enc.ValueKind == System.Text.Json.JsonValueKind.True);
            Assert.Equal(https ? "https" : "http", e.GetProperty("scheme").GetString());
            string? authType = e.GetProperty("auth_type").GetString();
            Assert.False(string.IsNullOrEmpty(authType)); // Apache authenticated every request
            Assert.Equal(auth == WinRmAuthentication.Basic, authType == "Basic");
        });
        if (sealedExpected)
        {
            Assert.Contains("sealed (NTLM)", client.TransportDescription, StringComparison.Ordinal);
        }
    }

    [WinRmFact]
    public async Task UnencryptedHttp_OnlyWhenAllowed_ThenPlainSoap()
    {
        var refused = fx.Options(false, WinRmAuthentication.Basic);
        Assert.Contains(refused.Validate(), p => p.Contains("AllowUnencryptedHttp", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => new WinRmClient(refused));

        foreach (var auth in new[] { WinRmAuthentication.Basic, WinRmAuthentication.Ntlm })
        {
            int seq = fx.LastSeq;
            var o = fx.Options(false, auth);
            o.AllowUnencryptedHttp = true;
            using var client = new WinRmClient(o);
            var r = await client.RunAsync("cmd", ["/c", "exit", "3010"], CancellationToken.None);
            Assert.Equal(3010, r.ExitCode);
            Assert.All(fx.Envelopes(seq).Where(e => e.GetProperty("action").GetString() != "Empty"),
                e => Assert.False(e.TryGetProperty("encrypted", out var enc) && enc.ValueKind == System.Text.Json.JsonValueKind.True));
        }
    }

    [WinRmFact]
    public async Task Https_WithoutPin_SelfSignedCertificateIsRefused_NothingSent()
    {
        int seq = fx.LastSeq;
        var o = fx.Options(true, WinRmAuthentication.Basic);
        o.CertificateThumbprintSha256 = null;
        using var client = new WinRmClient(o);
        var ex = await Assert.ThrowsAsync<WinRmException>(() => client.RunAsync("hostname", [], CancellationToken.None));
        Assert.Equal(WinRmErrorKind.Certificate, ex.Kind);
        Assert.Contains("does not validate", ex.Message, StringComparison.Ordinal);
        Assert.Empty(fx.Envelopes(seq));
    }

    [WinRmFact]
    public async Task Https_PinOfAnotherCertificate_IsRefused_NamesBothThumbprints_NothingSent()
    {
        int seq = fx.LastSeq;
        var o = fx.Options(true, WinRmAuthentication.Negotiate);
        string changed = new string('A', 64);
        o.CertificateThumbprintSha256 = changed;
        using var client = new WinRmClient(o);
        var ex = await Assert.ThrowsAsync<WinRmException>(() => client.RunAsync("hostname", [], CancellationToken.None));
        Assert.Equal(WinRmErrorKind.Certificate, ex.Kind);
        Assert.Contains(changed, ex.Message, StringComparison.Ordinal);
        Assert.Contains(fx.Thumbprint, ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(fx.Envelopes(seq));

        // The same pin written with colons and lower case is the same pin.
        var ok = fx.Options(true, WinRmAuthentication.Basic);
        ok.CertificateThumbprintSha256 = string.Join(':', fx.Thumbprint.ToLowerInvariant().Chunk(2).Select(c => new string(c)));
        using var pinned = new WinRmClient(ok);
        Assert.Equal("WIN-TEST\r\n", Encoding.ASCII.GetString((await pinned.RunAsync("hostname", [], CancellationToken.None)).StandardOutput.Span));
    }

    [WinRmTheory]
    [InlineData(true, WinRmAuthentication.Basic)]
    [InlineData(true, WinRmAuthentication.Negotiate)]
    [InlineData(false, WinRmAuthentication.Ntlm)]
    [InlineData(false, WinRmAuthentication.Negotiate)]
    public async Task WrongPassword_IsUnauthorized_NamesUserAndEndpoint_NeverThePassword(bool https, WinRmAuthentication auth)
    {
        const string wrong = "Not-The-Password-42";
        using var client = new WinRmClient(fx.Options(https, auth, wrong));
        var ex = await Assert.ThrowsAsync<WinRmException>(() => client.RunAsync("hostname", [], CancellationToken.None));
        Assert.Equal(WinRmErrorKind.Unauthorized, ex.Kind);
        Assert.Contains("patchkit", ex.Message, StringComparison.Ordinal);
        Assert.Contains(new Uri(https ? fx.HttpsUrl : fx.HttpUrl).Authority, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(fx.Password, ex.ToString(), StringComparison.Ordinal);
    }

    [WinRmFact]
    public async Task OperationTimeoutFault_IsStillRunning_OutputOverSeveralReceivesIsReassembled()
    {
        using var client = new WinRmClient(fx.Options(false, WinRmAuthentication.Negotiate));
        string shell = await client.CreateShellAsync(CancellationToken.None);
        string cmd = await client.StartCommandAsync(shell, "pk-slow", [], CancellationToken.None);
        var outw = new ArrayBufferWriter<byte>();
        var errw = new ArrayBufferWriter<byte>();
        var states = new List<bool>();
        while (true)
        {
            var (done, exit) = await client.ReceiveOnceAsync(shell, cmd, outw, errw, CancellationToken.None);
            states.Add(done);
            if (done)
            {
                Assert.Equal(0, exit);
                break;
            }
        }

        // first Receive: w:TimedOut fault (still running); then Running, Running, Done
        Assert.Equal([false, false, false, true], states);
        Assert.Equal("line 1\r\nline 2\r\nline 3\r\n", Encoding.ASCII.GetString(outw.WrittenSpan));
        await client.SignalAsync(shell, cmd, WsManEnvelope.SignalTerminate, CancellationToken.None);
        await client.DeleteShellAsync(shell, CancellationToken.None);

        // The shell is gone: Windows' fault (InvalidSelectors, 2150858843) comes back as a fault, not as output.
        var gone = await Assert.ThrowsAsync<WinRmException>(() => client.DeleteShellAsync(shell, CancellationToken.None));
        Assert.True(gone.IsShellNotFound, gone.Message);
        Assert.Contains("2150858843", gone.Message, StringComparison.Ordinal);
    }

    [WinRmFact]
    public async Task Shell_IsKeptAcrossCommands_AndReplacedWhenTheServerLostIt()
    {
        int seq = fx.LastSeq;
        await using var shell = new WinRmShell(fx.Options(false, WinRmAuthentication.Negotiate));
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal("WIN-TEST\r\n", Encoding.ASCII.GetString((await shell.RunCommandAsync("hostname", [], CancellationToken.None)).StandardOutput.Span));
        }

        Assert.Equal(["Create", "Command", "Receive", "Signal", "Command", "Receive", "Signal", "Command", "Receive", "Signal"],
            fx.Envelopes(seq).Select(e => e.GetProperty("action").GetString()!).Where(a => a != "Empty"));

        // The server forgets the shell (a reboot, WinRM's idle timeout): the next command gets a new one.
        string lost = shell.CurrentShellId!;
        await shell.Client.DeleteShellAsync(lost, CancellationToken.None);
        Assert.Equal(5, (await shell.RunCommandAsync("cmd", ["/c", "exit", "5"], CancellationToken.None)).ExitCode);
        Assert.NotEqual(lost, shell.CurrentShellId);
    }

    [WinRmFact]
    public async Task StderrAndExitCodes_ComeBackAsSent()
    {
        using var client = new WinRmClient(fx.Options(true, WinRmAuthentication.Basic));
        var unknown = await client.RunAsync("no-such-tool", ["x"], CancellationToken.None);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("is not recognized as an internal or external command", Encoding.ASCII.GetString(unknown.StandardError.Span), StringComparison.Ordinal);
        Assert.Equal(3010, (await client.RunAsync("wusa", ["C:\\x.msu", "/quiet", "/norestart"], CancellationToken.None)).ExitCode);
    }

    [WinRmFact]
    public async Task Cancellation_DuringReceive_ThrowsOperationCanceled()
    {
        using var client = new WinRmClient(fx.Options(false, WinRmAuthentication.Ntlm));
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.RunAsync("pk-slow", [], cts.Token));
        // The sealed session still works afterwards.
        Assert.Equal(7, (await client.RunAsync("cmd", ["/c", "exit", "7"], CancellationToken.None)).ExitCode);

        // Cancelled at some point of a sealed exchange (wherever the timer falls): the next command still verifies,
        // because a session whose request may have gone unanswered authenticates again.
        for (int delayMs = 1; delayMs <= 16; delayMs *= 2)
        {
            using var mid = new CancellationTokenSource(TimeSpan.FromMilliseconds(delayMs));
            try
            {
                _ = await client.RunAsync("pk-slow", [], mid.Token);
            }
            catch (OperationCanceledException)
            {
            }

            Assert.Equal(delayMs, (await client.RunAsync("cmd", ["/c", "exit", delayMs.ToString(System.Globalization.CultureInfo.InvariantCulture)], CancellationToken.None)).ExitCode);
        }
    }

    [WinRmFact]
    public async Task Cancellation_AtSeededRandomMomentsWhileTheMachineIsBusy_EveryNextCommandStillAuthenticates()
    {
        // A cancellation that falls between the two legs of an NTLM handshake leaves the connection open with a
        // half-made context on the server, which then refuses every new handshake on that connection (it did: "refused
        // the credentials" for every later command). The window is a few microseconds wide; spinning threads widen it
        // by taking the processor from the client between the legs. With the old client this failed in one run of three
        // on a quiet machine and in every run under load; a new handshake now always opens a new connection.
        using var client = new WinRmClient(fx.Options(false, WinRmAuthentication.Ntlm));
        var random = new Random(20261207);
        var failures = new List<string>();
        using var stop = new CancellationTokenSource();
        var spinners = Enumerable.Range(0, Environment.ProcessorCount * 2)
            .Select(_ => new Thread(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    Thread.SpinWait(1000);
                }
            }) { IsBackground = true })
            .ToList();
        spinners.ForEach(t => t.Start());
        try
        {
            for (int i = 0; i < 120; i++)
            {
                double delayMs = random.NextDouble() * 30;
                using var mid = new CancellationTokenSource(TimeSpan.FromMilliseconds(delayMs));
                try
                {
                    _ = await client.RunAsync("pk-slow", [], mid.Token);
                }
                catch (OperationCanceledException)
                {
                }
                catch (WinRmException ex)
                {
                    failures.Add($"{i} (cancelled after {delayMs:F2} ms): {ex.Message}");
                }

                try
                {
                    Assert.Equal(3, (await client.RunAsync("cmd", ["/c", "exit", "3"], CancellationToken.None)).ExitCode);
                }
                catch (WinRmException ex)
                {
                    failures.Add($"{i} (next command): {ex.Message}");
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            spinners.ForEach(t => t.Join());
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [WinRmFact]
    public async Task ServerThatDropsTheConnection_IsUnreachable_NotAProtocolError()
    {
        // A real socket that accepts and closes without answering: what a rebooting host does to an open connection.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accept = Task.Run(async () =>
        {
            for (int i = 0; i < 8; i++)
            {
                using var s = await listener.AcceptSocketAsync();
                var buf = new byte[4096];
                _ = await s.ReceiveAsync(buf);
                s.Close();
            }
        });
        foreach (var auth in new[] { WinRmAuthentication.Negotiate, WinRmAuthentication.Basic })
        {
            var o = fx.Options(false, auth);
            o.Endpoint = new Uri($"http://127.0.0.1:{port}/wsman");
            o.AllowUnencryptedHttp = auth == WinRmAuthentication.Basic;
            using var client = new WinRmClient(o);
            var ex = await Assert.ThrowsAsync<WinRmException>(() => client.RunAsync("hostname", [], CancellationToken.None));
            Assert.Equal(WinRmErrorKind.Unreachable, ex.Kind);
            Assert.Contains("127.0.0.1:" + port, ex.Message, StringComparison.Ordinal);
        }

        listener.Stop();

        // Nothing listening at all.
        var closed = fx.Options(false, WinRmAuthentication.Negotiate);
        closed.Endpoint = new Uri($"http://127.0.0.1:{port}/wsman");
        using var none = new WinRmClient(closed);
        Assert.Equal(WinRmErrorKind.Unreachable, (await Assert.ThrowsAsync<WinRmException>(() => none.RunAsync("hostname", [], CancellationToken.None))).Kind);
    }
}
