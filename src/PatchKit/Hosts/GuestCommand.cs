namespace PatchKit.Hosts;

/// <summary>A command to run inside a machine through <see cref="IGuestExecCapability.ExecAsync"/>.</summary>
public sealed class GuestCommand
{
    /// <summary>Gets the program (a path inside the machine, or a name its PATH resolves).</summary>
    public required string Program { get; init; }

    /// <summary>Gets the arguments, passed as a list (never through a shell by PatchKit).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Gets environment variables to set (<c>NAME=value</c>), added to the guest's own.</summary>
    public IReadOnlyList<string> Environment { get; init; } = [];

    /// <summary>Gets bytes to write to the command's standard input, then closed.</summary>
    public ReadOnlyMemory<byte> StandardInput { get; init; }

    /// <summary>Gets the working directory inside the machine, or <see langword="null"/> for the agent's default.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Gets how long the command may run before it is reported as timed out.</summary>
    /// <value>The default value is <see cref="Timeout.InfiniteTimeSpan"/>: the operation's own timeout applies.</value>
    public TimeSpan Timeout { get; init; } = System.Threading.Timeout.InfiniteTimeSpan;
}
