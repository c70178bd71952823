using System.Text;

namespace PatchKit.Hosts.Windows.WinRm;

/// <summary><see cref="IWindowsShell"/> over WinRM: one remote shell per command.</summary>
internal sealed class WinRmShell : IWindowsShell
{
    private readonly WinRmClient _client;

    public WinRmShell(WinRmConnectionOptions options)
    {
        _client = new WinRmClient(options);
    }

    public string Target => _client.Endpoint.ToString();

    public WinRmClient Client => _client;

    public Task<WindowsCommandResult> RunCommandAsync(string command, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        _client.RunAsync(command, arguments, cancellationToken);

    public Task<WindowsCommandResult> RunPowerShellAsync(string script, CancellationToken cancellationToken) =>
        _client.RunAsync("powershell", EncodedCommandArguments(script), cancellationToken);

    public void Dispose() => _client.Dispose();

    /// <summary>The arguments of <c>powershell</c> that run <paramref name="script"/>: UTF-16LE, base64, as
    /// <c>-EncodedCommand</c> expects; no profile, no prompts.</summary>
    internal static string[] EncodedCommandArguments(string script) =>
        ["-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-EncodedCommand", Convert.ToBase64String(Encoding.Unicode.GetBytes(script))];
}
