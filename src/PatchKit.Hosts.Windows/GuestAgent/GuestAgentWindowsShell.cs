using System.Globalization;
using PatchKit.Hosts.Kvm;
using PatchKit.Hosts.Windows.WinRm;

namespace PatchKit.Hosts.Windows.GuestAgent;

/// <summary>The Windows adapter's second transport: commands and PowerShell scripts run in a Windows guest through its
/// QEMU guest agent (<c>guest-exec</c>), with the KVM package's <see cref="GuestAgentClient"/> (the same protocol as
/// qemu-ga on Linux). For guests with no network path for WinRM, or with WinRM off. It connects on first use; an agent
/// that does not answer (the guest rebooting) is reported as unreachable, as a dropped WinRM connection is, and the next
/// call connects again.</summary>
internal sealed class GuestAgentWindowsShell : IWindowsShell
{
    private readonly string _endpoint;
    private readonly string _powerShell;
    private readonly TimeSpan _timeout;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private GuestAgentClient? _agent;

    /// <param name="endpoint">The agent's socket on the hypervisor host: <c>unix:PATH</c> or <c>tcp:HOST:PORT</c>.</param>
    /// <param name="powerShell">The PowerShell program in the guest.</param>
    /// <param name="timeout">How long one command may run.</param>
    public GuestAgentWindowsShell(string endpoint, string powerShell, TimeSpan timeout)
    {
        _endpoint = endpoint;
        _powerShell = powerShell;
        _timeout = timeout;
    }

    public string Target => _endpoint;

    public async Task<WindowsCommandResult> RunCommandAsync(string command, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            GuestExecResult r;
            try
            {
                _agent ??= await GuestAgentClient.ConnectAsync(_endpoint, new KvmClientOptions { CommandTimeout = _timeout }, cancellationToken).ConfigureAwait(false);
                r = await _agent.ExecAsync(new GuestCommand { Program = command, Arguments = arguments, Timeout = _timeout }, cancellationToken).ConfigureAwait(false);
            }
            catch (KvmConnectionException ex)
            {
                await DropAsync().ConfigureAwait(false);
                throw new WinRmException(WinRmErrorKind.Unreachable, "the guest agent at " + _endpoint + " does not answer: " + ex.Message, ex);
            }

            if (r.TimedOut)
            {
                throw new HostAdapterException(string.Create(CultureInfo.InvariantCulture,
                    $"'{command}' did not finish within {_timeout.TotalSeconds:0} s in the guest behind {_endpoint}"));
            }

            return new WindowsCommandResult(r.ExitCode ?? -1, r.StandardOutput, r.StandardError);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<WindowsCommandResult> RunPowerShellAsync(string script, CancellationToken cancellationToken) =>
        RunCommandAsync(_powerShell, WinRmShell.EncodedCommandArguments(script), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await DropAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    private async ValueTask DropAsync()
    {
        if (_agent is { } agent)
        {
            _agent = null;
            await agent.DisposeAsync().ConfigureAwait(false);
        }
    }
}
