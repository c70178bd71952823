namespace PatchKit.Hosts;

/// <summary>The outcome of a command run inside a machine.</summary>
/// <param name="ExitCode">The exit code.</param>
/// <param name="StandardOutput">What it printed on stdout.</param>
/// <param name="StandardError">What it printed on stderr.</param>
public sealed record GuestExecResult(int ExitCode, string StandardOutput, string StandardError);
