using System.Globalization;
using System.Text;
using PatchKit.Hosts.Windows.Updates;

namespace PatchKit.Hosts.Windows.WinRm;

/// <summary>Programs, file reads and file writes over WinRM, for <see cref="IGuestExecCapability"/>: WinRM has no file
/// transfer, so files travel as base64 inside PowerShell scripts, in chunks that keep each command line short.</summary>
internal sealed partial class WinRmShell
{
    /// <summary>Bytes per write command: 3 KiB of data is 4 KiB of base64, about 11 KiB as <c>-EncodedCommand</c>,
    /// well under the 32 KiB a Windows command line may hold.</summary>
    internal const int WriteChunk = 3 * 1024;

    public async Task<GuestExecResult> ExecAsync(GuestCommand command, CancellationToken cancellationToken)
    {
        if (!command.StandardInput.IsEmpty)
        {
            throw new HostAdapterException("Standard input cannot be given to a command over WinRM (" + Target + "); write it to a file and pass the file's path.");
        }

        using var bound = command.Timeout == Timeout.InfiniteTimeSpan ? new CancellationTokenSource() : new CancellationTokenSource(command.Timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, bound.Token);
        try
        {
            var r = command.Environment.Count == 0 && command.WorkingDirectory is null
                ? await RunCommandAsync(command.Program, [.. command.Arguments.Select(QuoteArgument)], linked.Token).ConfigureAwait(false)
                : await RunPowerShellAsync(WindowsScripts.Exec(command), linked.Token).ConfigureAwait(false);
            return new GuestExecResult { ExitCode = r.ExitCode, StandardOutput = r.StandardOutput, StandardError = r.StandardError };
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new GuestExecResult { TimedOut = true };
        }
    }

    public async Task<byte[]?> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        var r = await RunPowerShellAsync(WindowsScripts.ReadFile(path), cancellationToken).ConfigureAwait(false);
        if (r.ExitCode != 0)
        {
            throw new HostAdapterException("Could not read " + path + " on " + Target + ": " + WindowsOutputParser.ErrorText(r.StandardError.Span));
        }

        string text = WindowsOutputParser.Decode(r.StandardOutput.Span).Trim();
        if (text == "absent")
        {
            return null;
        }

        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException ex)
        {
            throw new FormatException("Reading " + path + " on " + Target + " printed something that is not base64.", ex);
        }
    }

    public async Task WriteFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        int parts = Math.Max(1, (content.Length + WriteChunk - 1) / WriteChunk);
        for (int i = 0; i < parts; i++)
        {
            var chunk = content.Slice(i * WriteChunk, Math.Min(WriteChunk, content.Length - (i * WriteChunk)));
            var r = await RunPowerShellAsync(WindowsScripts.WriteFilePart(path, i, parts, chunk.Span), cancellationToken).ConfigureAwait(false);
            if (r.ExitCode != 0)
            {
                throw new HostAdapterException(string.Create(CultureInfo.InvariantCulture,
                    $"Could not write {path} on {Target} (part {i + 1} of {parts}): {WindowsOutputParser.ErrorText(r.StandardError.Span)}"));
            }
        }
    }

    /// <summary>One argument on a Windows command line (CommandLineToArgvW's rules): quoted when it holds a space, a tab
    /// or a quote, or is empty; backslashes before a quote doubled.</summary>
    internal static string QuoteArgument(string arg)
    {
        if (arg.Length > 0 && arg.AsSpan().IndexOfAny(" \t\"") < 0)
        {
            return arg;
        }

        var sb = new StringBuilder("\"");
        int slashes = 0;
        foreach (char c in arg)
        {
            if (c == '\\')
            {
                slashes++;
                continue;
            }

            sb.Append('\\', c == '"' ? (slashes * 2) + 1 : slashes);
            slashes = 0;
            sb.Append(c);
        }

        sb.Append('\\', slashes * 2).Append('"');
        return sb.ToString();
    }
}
