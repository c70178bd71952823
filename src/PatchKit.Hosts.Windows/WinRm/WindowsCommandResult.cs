namespace PatchKit.Hosts.Windows.WinRm;

/// <summary>What a command on a Windows machine produced: its exit code and raw output bytes.</summary>
internal sealed record WindowsCommandResult(int ExitCode, ReadOnlyMemory<byte> StandardOutput, ReadOnlyMemory<byte> StandardError);
