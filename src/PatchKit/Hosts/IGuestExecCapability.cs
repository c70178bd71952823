namespace PatchKit.Hosts;

/// <summary>Run commands and read or write files inside a machine (QEMU guest agent, VMware Tools, WinRM, SSH).
/// Verification hooks use it to test a service after patching.</summary>
public interface IGuestExecCapability
{
    /// <summary>Runs a command and waits for it to exit.</summary>
    /// <param name="hostId">The machine.</param>
    /// <param name="command">The program.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The exit code and output.</returns>
    Task<GuestExecResult> ExecAsync(string hostId, string command, IReadOnlyList<string> arguments, CancellationToken cancellationToken);

    /// <summary>Reads a file.</summary>
    /// <param name="hostId">The machine.</param>
    /// <param name="path">The path inside the machine.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The bytes, or <see langword="null"/> when the file does not exist.</returns>
    Task<byte[]?> ReadFileAsync(string hostId, string path, CancellationToken cancellationToken);

    /// <summary>Writes a file, replacing it.</summary>
    /// <param name="hostId">The machine.</param>
    /// <param name="path">The path inside the machine.</param>
    /// <param name="content">The bytes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the file is written.</returns>
    Task WriteFileAsync(string hostId, string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);
}
