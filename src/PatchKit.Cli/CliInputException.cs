namespace PatchKit.Cli;

/// <summary>Input the user can fix (a missing or unreadable file, an invalid fleet, catalog or policy): printed as
/// <c>patchkit: message</c> and a hint, exit code 2, never a stack trace.</summary>
internal sealed class CliInputException : Exception
{
    public CliInputException(string message, string? hint = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Hint = hint;
    }

    /// <summary>Gets what the user can do about it, or <see langword="null"/>.</summary>
    public string? Hint { get; }
}
