using System.Text;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace PatchKit.Hosts.Esx.Ssh;

/// <summary>Runs esxcli on one ESXi host over SSH (SSH.NET): the host key pinned (an unknown or changed key is refused
/// before any credential is sent), passwords answered to keyboard-interactive prompts as ESXi's sshd asks for them.</summary>
internal sealed class EsxcliClient
{
    private readonly EsxSshOptions _options;
    private readonly HostKeyPin _pin;

    public EsxcliClient(EsxSshOptions options)
    {
        _options = options;
        _pin = HostKeyPin.Create(options);
    }

    public string Endpoint => _options.Host + ":" + _options.Port;

    /// <summary>Quotes one argument for ESXi's POSIX shell.</summary>
    public static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '=' or ',' or '+' or '@')
            ? arg
            : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public async Task<(int ExitStatus, string Output)> RunAsync(IReadOnlyList<string> esxcliArguments, CancellationToken cancellationToken)
    {
        var command = new StringBuilder("esxcli");
        foreach (string a in esxcliArguments)
        {
            command.Append(' ').Append(Quote(a));
        }

        return await RunCommandAsync(command.ToString(), cancellationToken).ConfigureAwait(false);
    }

    public async Task<(int ExitStatus, string Output)> RunCommandAsync(string command, CancellationToken cancellationToken)
    {
        var methods = new List<AuthenticationMethod>();
        string? password = _options.Password is { } secret ? await secret.RevealAsync(cancellationToken).ConfigureAwait(false) : null;
        if (_options.PrivateKeyPath is { Length: > 0 } keyPath)
        {
            try
            {
                methods.Add(new PrivateKeyAuthenticationMethod(_options.UserName, new PrivateKeyFile(keyPath)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SshException)
            {
                throw new HostAdapterException("The SSH private key " + keyPath + " for " + Endpoint + " cannot be read (" + ex.GetType().Name + ").");
            }
        }

        if (password is not null)
        {
            var kbd = new KeyboardInteractiveAuthenticationMethod(_options.UserName);
            kbd.AuthenticationPrompt += (_, e) =>
            {
                foreach (var prompt in e.Prompts)
                {
                    prompt.Response = password;
                }
            };
            methods.Add(kbd);
            methods.Add(new PasswordAuthenticationMethod(_options.UserName, password));
        }

        if (methods.Count == 0)
        {
            throw new HostAdapterException("SSH to " + Endpoint + " has neither a password nor a private key configured.");
        }

        var info = new ConnectionInfo(_options.Host, _options.Port, _options.UserName, [.. methods]) { Timeout = _options.ConnectTimeout };
        using var client = new SshClient(info);
        string? offered = null;
        bool refused = false;
        client.HostKeyReceived += (_, e) =>
        {
            offered = e.HostKeyName + " SHA256:" + e.FingerPrintSHA256;
            e.CanTrust = _pin.Accepts(e.HostKey, e.FingerPrintSHA256);
            refused = !e.CanTrust;
        };
        try
        {
            try
            {
                await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SshConnectionException) when (refused)
            {
                throw new HostAdapterException("The SSH host key of " + Endpoint + " (" + offered + ") is not " + _pin.Description + "; refusing to connect. If the host was reinstalled, verify the new key and update the pin.");
            }
            catch (SshAuthenticationException)
            {
                throw new HostAdapterException("SSH login to " + Endpoint + " as '" + _options.UserName + "' was refused: wrong password or key, or the account may not log in (ESXi takes passwords by keyboard-interactive).");
            }
            catch (Exception ex) when (ex is SshOperationTimeoutException or System.Net.Sockets.SocketException or SshConnectionException or ProxyException)
            {
                throw new HostAdapterException("SSH to " + Endpoint + " failed (" + ex.GetType().Name + "): is SSH enabled on the host and reachable?");
            }

            using var cmd = client.CreateCommand(command);
            cmd.CommandTimeout = _options.CommandTimeout;
            await cmd.ExecuteAsync(cancellationToken).ConfigureAwait(false);
            string output = cmd.Result;
            if (cmd.Error is { Length: > 0 } err)
            {
                output += err;
            }

            return (cmd.ExitStatus ?? -1, output);
        }
        finally
        {
            if (client.IsConnected)
            {
                client.Disconnect();
            }
        }
    }
}
