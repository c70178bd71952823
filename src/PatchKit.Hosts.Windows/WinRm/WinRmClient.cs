using System.Buffers;

namespace PatchKit.Hosts.Windows.WinRm;

/// <summary>A WS-Management client for the Windows remote shell: Create, Command, Receive (streamed, OperationTimeout
/// faults meaning "still running"), Signal and Delete, over one <see cref="WinRmTransport"/>.</summary>
internal sealed class WinRmClient : IDisposable
{
    /// <summary>The code page asked of the shell (the OEM code page of US English Windows, what pywinrm asks too).</summary>
    public const int CodePage = 437;

    private readonly WinRmTransport _transport;
    private readonly TimeSpan _operationTimeout;

    public WinRmClient(WinRmConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { Count: > 0 } problems)
        {
            throw new ArgumentException("WinRM connection options are not usable: " + string.Join(" ", problems), nameof(options));
        }

        Endpoint = options.Endpoint!;
        _operationTimeout = options.OperationTimeout;
        _transport = WinRmTransport.Create(options);
    }

    public Uri Endpoint { get; }

    public string TransportDescription => _transport.Description;

    public async Task<string> CreateShellAsync(CancellationToken cancellationToken)
    {
        byte[] body = await CallAsync(WsManEnvelope.Create(Endpoint, _operationTimeout, CodePage), "Create shell", cancellationToken).ConfigureAwait(false);
        return WsManResponse.ReadShellId(body, Endpoint);
    }

    public async Task<string> StartCommandAsync(string shellId, string command, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        byte[] body = await CallAsync(WsManEnvelope.Command(Endpoint, _operationTimeout, shellId, command, arguments), "Command", cancellationToken).ConfigureAwait(false);
        return WsManResponse.ReadCommandId(body, Endpoint);
    }

    /// <summary>One Receive: appends output, returns whether the command is done and its exit code. An OperationTimeout
    /// fault is "still running" (no output, not done).</summary>
    public async Task<(bool Done, int? ExitCode)> ReceiveOnceAsync(string shellId, string commandId, IBufferWriter<byte> stdout, IBufferWriter<byte> stderr, CancellationToken cancellationToken)
    {
        try
        {
            byte[] body = await CallAsync(WsManEnvelope.Receive(Endpoint, _operationTimeout, shellId, commandId), "Receive", cancellationToken).ConfigureAwait(false);
            return WsManResponse.ReadReceive(body, stdout, stderr);
        }
        catch (WinRmException ex) when (ex.IsOperationTimeout)
        {
            return (false, null);
        }
    }

    /// <summary>Receives until the command is done; returns its exit code.</summary>
    public async Task<int> ReceiveAllAsync(string shellId, string commandId, IBufferWriter<byte> stdout, IBufferWriter<byte> stderr, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (done, exit) = await ReceiveOnceAsync(shellId, commandId, stdout, stderr, cancellationToken).ConfigureAwait(false);
            if (done)
            {
                return exit ?? 0;
            }
        }
    }

    public Task SignalAsync(string shellId, string commandId, string signal, CancellationToken cancellationToken) =>
        CallAsync(WsManEnvelope.Signal(Endpoint, _operationTimeout, shellId, commandId, signal), "Signal", cancellationToken);

    public Task DeleteShellAsync(string shellId, CancellationToken cancellationToken) =>
        CallAsync(WsManEnvelope.Delete(Endpoint, _operationTimeout, shellId), "Delete shell", cancellationToken);

    /// <summary>Create, Command, Receive until done, Signal terminate, Delete: one command in its own shell. On
    /// cancellation the command gets ctrl_c and the shell is deleted (best effort, bounded).</summary>
    public async Task<WindowsCommandResult> RunAsync(string command, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        string shellId = await CreateShellAsync(cancellationToken).ConfigureAwait(false);
        string? commandId = null;
        bool finished = false;
        try
        {
            commandId = await StartCommandAsync(shellId, command, arguments, cancellationToken).ConfigureAwait(false);
            var stdout = new ArrayBufferWriter<byte>();
            var stderr = new ArrayBufferWriter<byte>();
            int exit = await ReceiveAllAsync(shellId, commandId, stdout, stderr, cancellationToken).ConfigureAwait(false);
            await SignalAsync(shellId, commandId, WsManEnvelope.SignalTerminate, cancellationToken).ConfigureAwait(false);
            await DeleteShellAsync(shellId, cancellationToken).ConfigureAwait(false);
            finished = true;
            return new WindowsCommandResult(exit, stdout.WrittenMemory, stderr.WrittenMemory);
        }
        finally
        {
            if (!finished)
            {
                await AbandonAsync(shellId, commandId).ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => _transport.Dispose();

    /// <summary>Best effort, bounded, never throws: ctrl_c to the command (when there is one), then Delete the shell.</summary>
    public async Task AbandonAsync(string shellId, string? commandId)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            if (commandId is not null)
            {
                await SignalAsync(shellId, commandId, WsManEnvelope.SignalCtrlC, cts.Token).ConfigureAwait(false);
            }

            await DeleteShellAsync(shellId, cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WinRmException or OperationCanceledException)
        {
            // The shell is gone with the connection (or the host); WinRM removes idle shells itself.
        }
    }

    private async Task<byte[]> CallAsync(byte[] soap, string action, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (status, body) = await _transport.SendAsync(soap, action, cancellationToken).ConfigureAwait(false);
        if (status == 200)
        {
            return body;
        }

        throw WsManResponse.ReadFault(body, status, Endpoint, action)
            ?? new WinRmException(WinRmErrorKind.Protocol, $"WinRM at {Endpoint} answered {action} with HTTP {status}") { HttpStatus = status };
    }
}
