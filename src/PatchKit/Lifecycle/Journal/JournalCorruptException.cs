namespace PatchKit.Lifecycle.Journal;

/// <summary>Thrown when a journal record other than the last is damaged (a torn last record is expected after a
/// crash and is not an error).</summary>
public sealed class JournalCorruptException : PatchKitException
{
    /// <summary>Initializes a new instance of the <see cref="JournalCorruptException"/> class.</summary>
    public JournalCorruptException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="JournalCorruptException"/> class with a message.</summary>
    /// <param name="message">The message that describes the error.</param>
    public JournalCorruptException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="JournalCorruptException"/> class with a message and a cause.</summary>
    /// <param name="message">The message that describes the error.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public JournalCorruptException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="JournalCorruptException"/> class for a place in a file.</summary>
    /// <param name="path">The journal file.</param>
    /// <param name="lineNumber">The 1-based line of the damaged record.</param>
    /// <param name="reason">What is wrong.</param>
    public JournalCorruptException(string path, long lineNumber, string reason)
        : base($"Journal record damaged in '{path}', line {lineNumber}: {reason}. Restore the journal from a backup or start a new run id.")
    {
        Path = path;
        LineNumber = lineNumber;
    }

    /// <summary>Gets the journal file, or the empty string.</summary>
    public string Path { get; } = string.Empty;

    /// <summary>Gets the 1-based line of the damaged record, or 0.</summary>
    public long LineNumber { get; }
}
