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
        var r = await ExecAsync(new GuestCommand { Program = command, Arguments = arguments, Timeout = _timeout }, cancellationToken).ConfigureAwait(false);
        if (r.TimedOut)
        {
            throw new HostAdapterException(string.Create(CultureInfo.InvariantCulture,
                $"'{command}' did not finish within {_timeout.TotalSeconds:0} s in the guest behind {_endpoint}"));
        }

        return new WindowsCommandResult(r.ExitCode ?? -1, r.StandardOutput, r.StandardError);
    }

    public Task<GuestExecResult> ExecAsync(GuestCommand command, CancellationToken cancellationToken) =>
        WithAgentAsync(agent => agent.ExecAsync(command, cancellationToken), cancellationToken);

    public Task<byte[]?> ReadFileAsync(string path, CancellationToken cancellationToken) =>
        WithAgentAsync<byte[]?>(async agent =>
        {
            try
            {
                return await agent.ReadFileAsync(path, cancellationToken).ConfigureAwait(false);
            }
            catch (QmpException ex) when (IsMissing(ex.Description))
            {
                return null;
            }
        }, cancellationToken);

    public Task WriteFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        WithAgentAsync(async agent =>
        {
            await agent.WriteFileAsync(path, content, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>qemu-ga's "cannot open" text: strerror on Linux, the Win32 message on Windows.</summary>
    internal static bool IsMissing(string description) =>
        description.Contains("No such file", StringComparison.Ordinal)
        || description.Contains("cannot find the file", StringComparison.OrdinalIgnoreCase)
        || description.Contains("cannot find the path", StringComparison.OrdinalIgnoreCase);

    private async Task<T> WithAgentAsync<T>(Func<GuestAgentClient, Task<T>> call, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            try
            {
                _agent ??= await GuestAgentClient.ConnectAsync(_endpoint, new KvmClientOptions { CommandTimeout = _timeout }, cancellationToken).ConfigureAwait(false);
                return await call(_agent).ConfigureAwait(false);
            }
            catch (KvmConnectionException ex)
            {
                await DropAsync().ConfigureAwait(false);
                throw new WinRmException(WinRmErrorKind.Unreachable, "the guest agent at " + _endpoint + " does not answer: " + ex.Message, ex);
            }
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
