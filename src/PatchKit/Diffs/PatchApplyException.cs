namespace PatchKit.Diffs;

/// <summary>Thrown when a patch cannot be applied as a whole (all-or-nothing mode) or the tree cannot be written.</summary>
/// <remarks>A hunk that does not apply is not an exception on the single-file API: it is a failed hunk result.</remarks>
public sealed class PatchApplyException : PatchKitException
{
    /// <summary>Initializes a new instance of the <see cref="PatchApplyException"/> class.</summary>
    public PatchApplyException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PatchApplyException"/> class with a message.</summary>
    /// <param name="message">The message that describes the error.</param>
    public PatchApplyException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PatchApplyException"/> class with a message and a cause.</summary>
    /// <param name="message">The message that describes the error.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public PatchApplyException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PatchApplyException"/> class for a file.</summary>
    /// <param name="message">The full message, path included.</param>
    /// <param name="path">The file the failure concerns.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public PatchApplyException(string message, string path, Exception? innerException = null)
        : base(message, innerException)
    {
        Path = path;
    }

    /// <summary>Gets the path of the file concerned, or an empty string when the failure is not about one file.</summary>
    public string Path { get; } = string.Empty;
}
