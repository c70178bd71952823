namespace PatchKit.Hosts;

/// <summary>The outcome of a command run inside a machine. Output is bytes as the guest wrote them (the guest agent
/// sends base64; Windows writes in its OEM code page): decode them knowing the guest.</summary>
public sealed class GuestExecResult
{
    /// <summary>Gets the exit code, or <see langword="null"/> when the command did not exit (timed out, killed by a signal).</summary>
    public int? ExitCode { get; init; }

    /// <summary>Gets what it wrote on standard output.</summary>
    public ReadOnlyMemory<byte> StandardOutput { get; init; }

    /// <summary>Gets what it wrote on standard error.</summary>
    public ReadOnlyMemory<byte> StandardError { get; init; }

    /// <summary>Gets whether the command was stopped because it ran past its timeout.</summary>
    public bool TimedOut { get; init; }

    /// <summary>Gets whether the output was cut short by the agent (qemu-ga caps captured output).</summary>
    public bool Truncated { get; init; }
}
