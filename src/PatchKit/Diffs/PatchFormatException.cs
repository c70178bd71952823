namespace PatchKit.Diffs;

/// <summary>Thrown when a patch cannot be read: the message says what is wrong, on which line and at which byte.</summary>
public sealed class PatchFormatException : PatchKitException
{
    /// <summary>Initializes a new instance of the <see cref="PatchFormatException"/> class.</summary>
    public PatchFormatException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PatchFormatException"/> class with a message.</summary>
    /// <param name="message">The message that describes the error.</param>
    public PatchFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PatchFormatException"/> class with a message and a cause.</summary>
    /// <param name="message">The message that describes the error.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public PatchFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PatchFormatException"/> class with its location.</summary>
    /// <param name="message">The full message, location included.</param>
    /// <param name="reason">The reason alone, without the location.</param>
    /// <param name="lineNumber">The 1-based line of the patch where the problem is.</param>
    /// <param name="bytePosition">The 0-based byte offset in the patch where that line starts.</param>
    public PatchFormatException(string message, string reason, long lineNumber, long bytePosition)
        : base(message)
    {
        Reason = reason;
        LineNumber = lineNumber;
        BytePosition = bytePosition;
    }

    /// <summary>Gets the reason in words, without the location.</summary>
    public string Reason { get; } = string.Empty;

    /// <summary>Gets the 1-based line number in the patch, or 0 when unknown.</summary>
    public long LineNumber { get; }

    /// <summary>Gets the 0-based byte offset in the patch of the start of the offending line, or -1 when unknown.</summary>
    public long BytePosition { get; } = -1;
}
