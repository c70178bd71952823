namespace PatchKit.Cli;

/// <summary>What a command runs with: its streams, working directory and cancellation. Tests pass their own.</summary>
internal sealed class CliContext
{
    public CliContext(TextWriter output, TextWriter error, Func<Stream> openInput, string workingDirectory, CancellationToken cancellationToken)
    {
        Output = output;
        Error = error;
        OpenInput = openInput;
        WorkingDirectory = workingDirectory;
        CancellationToken = cancellationToken;
    }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    /// <summary>Gets a value indicating whether <see cref="Error"/> is a terminal (then progress may redraw a live area).</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>Opens standard input (or what a test gives instead).</summary>
    public Func<Stream> OpenInput { get; }

    public string WorkingDirectory { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>Gets or sets the exit code when <see cref="CancellationToken"/> is cancelled: <see cref="ExitCodes.Interrupted"/>
    /// (Ctrl+C) unless the process was sent SIGTERM (<see cref="ExitCodes.Terminated"/>).</summary>
    public int CancelExitCode { get; set; } = ExitCodes.Interrupted;

    /// <summary>Resolves a path given on the command line against <see cref="WorkingDirectory"/>.</summary>
    public string Resolve(string path) => Path.GetFullPath(path, WorkingDirectory);

    /// <summary>Prints <c>patchkit: message</c> to standard error and returns <see cref="ExitCodes.Trouble"/>. Control
    /// characters in the message (from a name in a patch or a tree) are escaped, never sent to the terminal.</summary>
    public int Fail(string message)
    {
        Error.WriteLine("patchkit: " + Rendering.TerminalText.Message(message));
        return ExitCodes.Trouble;
    }
}
