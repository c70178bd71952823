namespace PatchKit.Hosts.Kvm;

/// <summary>QEMU (QMP) or the guest agent answered a command with an error: its class (<c>GenericError</c>,
/// <c>CommandNotFound</c>, <c>DeviceNotFound</c>, ...) and description, or the command did not answer in time.</summary>
public sealed class QmpException : PatchKitException
{
    /// <summary>Initializes a new instance of the <see cref="QmpException"/> class.</summary>
    public QmpException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="QmpException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public QmpException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="QmpException"/> class with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public QmpException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="QmpException"/> class for an error reply.</summary>
    /// <param name="command">The command that failed.</param>
    /// <param name="errorClass">The error class QEMU sent (<c>GenericError</c>, ...), or <c>Timeout</c>.</param>
    /// <param name="description">The description QEMU sent.</param>
    public QmpException(string command, string errorClass, string description)
        : base(command + ": " + errorClass + ": " + description)
    {
        Command = command;
        ErrorClass = errorClass;
        Description = description;
    }

    /// <summary>The class PatchKit gives a command that did not answer within its timeout.</summary>
    public const string TimeoutClass = "Timeout";

    /// <summary>Gets the command that failed.</summary>
    public string Command { get; } = string.Empty;

    /// <summary>Gets QMP's error class (<c>GenericError</c>, <c>CommandNotFound</c>, ...), or <see cref="TimeoutClass"/>.</summary>
    public string ErrorClass { get; } = string.Empty;

    /// <summary>Gets QMP's error description.</summary>
    public string Description { get; } = string.Empty;
}
