namespace PatchKit.Integrations;

/// <summary>Thrown by an <see cref="IIssueTracker"/> when the tracker refuses a request or cannot be reached. The message
/// says what failed and what to check; it never holds a credential or a URL's query string.</summary>
public sealed class IssueTrackerException : PatchKitException
{
    /// <summary>Initializes a new instance of the <see cref="IssueTrackerException"/> class.</summary>
    public IssueTrackerException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="IssueTrackerException"/> class with a message.</summary>
    /// <param name="message">The message that describes the error.</param>
    public IssueTrackerException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="IssueTrackerException"/> class with a message and a cause.</summary>
    /// <param name="message">The message that describes the error.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public IssueTrackerException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="IssueTrackerException"/> class with a classified cause.</summary>
    /// <param name="error">Why the call failed.</param>
    /// <param name="trackerCode">The tracker's own error code, or <see langword="null"/>.</param>
    /// <param name="message">The message that describes the error.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public IssueTrackerException(IssueTrackerError error, int? trackerCode, string message, Exception? innerException)
        : base(message, innerException)
    {
        Error = error;
        TrackerCode = trackerCode;
    }

    /// <summary>Gets why the call failed.</summary>
    public IssueTrackerError Error { get; }

    /// <summary>Gets the tracker's own error code (Bugzilla's <c>code</c>), or <see langword="null"/>.</summary>
    public int? TrackerCode { get; }
}
