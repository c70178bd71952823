namespace PatchKit.Diffs;

/// <summary>Thrown when a patch names a path that would read or write outside the target tree, or another unsafe name.</summary>
/// <remarks>Nothing has been written when this is thrown.</remarks>
public sealed class PathSafetyException : PatchKitException
{
    /// <summary>Initializes a new instance of the <see cref="PathSafetyException"/> class.</summary>
    public PathSafetyException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PathSafetyException"/> class with a message.</summary>
    /// <param name="message">The message that describes the error.</param>
    public PathSafetyException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PathSafetyException"/> class with a message and a cause.</summary>
    /// <param name="message">The message that describes the error.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public PathSafetyException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PathSafetyException"/> class for a path.</summary>
    /// <param name="message">The full message, path included.</param>
    /// <param name="path">The offending path, printable.</param>
    public PathSafetyException(string message, string path)
        : base(message)
    {
        Path = path;
    }

    /// <summary>Gets the offending path as printable text, or an empty string when unknown.</summary>
    public string Path { get; } = string.Empty;
}
