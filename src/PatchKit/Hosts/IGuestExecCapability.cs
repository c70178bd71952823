namespace PatchKit.Hosts;

/// <summary>Run commands and read or write files inside a machine (QEMU guest agent, VMware Tools, WinRM, SSH).
/// Verification hooks use it to test a service after patching.</summary>
public interface IGuestExecCapability
{
    /// <summary>Runs a command and waits for it to exit (or for its timeout).</summary>
    /// <param name="operation">The machine, cancellation and timeout.</param>
    /// <param name="command">The program, arguments, environment, standard input and working directory.</param>
    /// <returns>The exit code and output as bytes.</returns>
    Task<GuestExecResult> ExecAsync(HostOperation operation, GuestCommand command);

    /// <summary>Reads a file.</summary>
    /// <param name="operation">The machine, cancellation and timeout.</param>
    /// <param name="path">The path inside the machine.</param>
    /// <returns>The bytes, or <see langword="null"/> when the file does not exist.</returns>
    Task<byte[]?> ReadFileAsync(HostOperation operation, string path);

    /// <summary>Writes a file, replacing it.</summary>
    /// <param name="operation">The machine, cancellation and timeout.</param>
    /// <param name="path">The path inside the machine.</param>
    /// <param name="content">The bytes.</param>
    /// <returns>A task that completes when the file is written.</returns>
    Task WriteFileAsync(HostOperation operation, string path, ReadOnlyMemory<byte> content);
}
