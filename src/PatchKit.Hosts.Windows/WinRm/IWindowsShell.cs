namespace PatchKit.Hosts.Windows.WinRm;

/// <summary>The transport seam of the Windows adapter: something that runs a command or a PowerShell script on one
/// Windows machine and returns its exit code and output. WinRM (<see cref="WinRmShell"/>) implements it; the QEMU guest
/// agent (<c>guest-exec</c>) is the other transport meant for it.</summary>
internal interface IWindowsShell : IAsyncDisposable
{
    /// <summary>Where the commands go, for messages (an endpoint URI, a guest-agent socket).</summary>
    string Target { get; }

    /// <summary>Runs <paramref name="command"/> with <paramref name="arguments"/> (cmd.exe semantics).</summary>
    Task<WindowsCommandResult> RunCommandAsync(string command, IReadOnlyList<string> arguments, CancellationToken cancellationToken);

    /// <summary>Runs a PowerShell script (Windows PowerShell 5.1: <c>powershell -EncodedCommand</c>).</summary>
    Task<WindowsCommandResult> RunPowerShellAsync(string script, CancellationToken cancellationToken);

    /// <summary>Runs a program for <see cref="IGuestExecCapability.ExecAsync"/>: environment, working directory and the
    /// command's timeout as the transport can honour them.</summary>
    Task<GuestExecResult> ExecAsync(GuestCommand command, CancellationToken cancellationToken);

    /// <summary>Reads a whole file, or <see langword="null"/> when it does not exist.</summary>
    Task<byte[]?> ReadFileAsync(string path, CancellationToken cancellationToken);

    /// <summary>Writes a whole file (created or replaced; its folder must exist).</summary>
    Task WriteFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);
}
