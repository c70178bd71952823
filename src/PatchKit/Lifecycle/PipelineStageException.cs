namespace PatchKit.Lifecycle;

/// <summary>Thrown when a stage fails as a whole (not a host step: those are outcomes).</summary>
public sealed class PipelineStageException : PatchKitException
{
    /// <summary>Initializes a new instance of the <see cref="PipelineStageException"/> class.</summary>
    public PipelineStageException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PipelineStageException"/> class with a message.</summary>
    /// <param name="message">The message that describes the error.</param>
    public PipelineStageException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PipelineStageException"/> class with a message and a cause.</summary>
    /// <param name="message">The message that describes the error.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public PipelineStageException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PipelineStageException"/> class for a stage.</summary>
    /// <param name="stage">The stage; it is named in the message.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public PipelineStageException(string stage, string message, Exception? innerException)
        : base("Stage '" + stage + "' failed: " + message, innerException)
    {
        Stage = stage;
    }

    /// <summary>Gets the stage that failed, or the empty string.</summary>
    public string Stage { get; } = string.Empty;
}
