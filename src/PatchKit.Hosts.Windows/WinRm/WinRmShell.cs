using System.Buffers;
using System.Text;

namespace PatchKit.Hosts.Windows.WinRm;

/// <summary><see cref="IWindowsShell"/> over WinRM. One remote shell is kept open and every command runs in it (three
/// requests a command: Command, Receive, Signal, instead of five), one command at a time. A shell that is gone (the
/// machine rebooted, WinRM's idle timeout) is replaced when a command cannot start in it; a command interrupted midway
/// takes its shell with it.</summary>
internal sealed partial class WinRmShell : IWindowsShell
{
    private readonly WinRmClient _client;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _shellId;

    public WinRmShell(WinRmConnectionOptions options)
    {
        _client = new WinRmClient(options);
    }

    public string Target => _client.Endpoint.ToString();

    public WinRmClient Client => _client;

    public string TransportDescription => _client.TransportDescription;

    /// <summary>The shell commands run in now (null before the first command and after the shell was dropped).</summary>
    internal string? CurrentShellId => _shellId;

    public async Task<WindowsCommandResult> RunCommandAsync(string command, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (int attempt = 0; ; attempt++)
            {
                _shellId ??= await _client.CreateShellAsync(cancellationToken).ConfigureAwait(false);
                string shellId = _shellId;
                string commandId;
                try
                {
                    commandId = await _client.StartCommandAsync(shellId, command, arguments, cancellationToken).ConfigureAwait(false);
                }
                catch (WinRmException ex) when (ex.IsShellNotFound && attempt == 0)
                {
                    _shellId = null; // the command did not start: a new shell, once
                    continue;
                }
                catch (Exception ex) when (ex is WinRmException or OperationCanceledException)
                {
                    _shellId = null;
                    throw;
                }

                bool finished = false;
                try
                {
                    var stdout = new ArrayBufferWriter<byte>();
                    var stderr = new ArrayBufferWriter<byte>();
                    int exit = await _client.ReceiveAllAsync(shellId, commandId, stdout, stderr, cancellationToken).ConfigureAwait(false);
                    finished = true;
                    try
                    {
                        await _client.SignalAsync(shellId, commandId, WsManEnvelope.SignalTerminate, cancellationToken).ConfigureAwait(false);
                    }
                    catch (WinRmException)
                    {
                        // The command is done; a shell that cannot take the signal is replaced next time.
                        _shellId = null;
                    }

                    return new WindowsCommandResult(exit, stdout.WrittenMemory, stderr.WrittenMemory);
                }
                finally
                {
                    if (!finished)
                    {
                        _shellId = null;
                        await _client.AbandonAsync(shellId, commandId).ConfigureAwait(false);
                    }
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<WindowsCommandResult> RunPowerShellAsync(string script, CancellationToken cancellationToken) =>
        RunCommandAsync("powershell", EncodedCommandArguments(script), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_shellId is { } shell)
        {
            _shellId = null;
            await _client.AbandonAsync(shell, null).ConfigureAwait(false);
        }

        _client.Dispose();
        _gate.Dispose();
    }

    /// <summary>The arguments of <c>powershell</c> that run <paramref name="script"/>: UTF-16LE, base64, as
    /// <c>-EncodedCommand</c> expects; no profile, no prompts.</summary>
    internal static string[] EncodedCommandArguments(string script) =>
        ["-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-EncodedCommand", Convert.ToBase64String(Encoding.Unicode.GetBytes(script))];
}
