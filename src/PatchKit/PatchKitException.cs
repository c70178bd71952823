namespace PatchKit;

/// <summary>The base of every exception PatchKit throws on purpose.</summary>
/// <remarks>Catch this type to handle any documented PatchKit failure; argument errors are the standard
/// <see cref="ArgumentException"/> family and cancellation is <see cref="OperationCanceledException"/>.</remarks>
public abstract class PatchKitException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="PatchKitException"/> class.</summary>
    protected PatchKitException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PatchKitException"/> class with a message.</summary>
    /// <param name="message">The message that describes the error.</param>
    protected PatchKitException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PatchKitException"/> class with a message and a cause.</summary>
    /// <param name="message">The message that describes the error.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    protected PatchKitException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
