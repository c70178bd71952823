namespace PatchKit.Hosts;

/// <summary>Thrown by an adapter for an environment failure: connection lost, protocol error, authentication
/// refused. Expected outcomes (a step failed, a host is down) are results instead.</summary>
public sealed class HostAdapterException : PatchKitException
{
    /// <summary>Initializes a new instance of the <see cref="HostAdapterException"/> class.</summary>
    public HostAdapterException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HostAdapterException"/> class with a message.</summary>
    /// <param name="message">The message that describes the error.</param>
    public HostAdapterException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HostAdapterException"/> class with a message and a cause.</summary>
    /// <param name="message">The message that describes the error.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public HostAdapterException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HostAdapterException"/> class for a host.</summary>
    /// <param name="hostId">The host concerned; it is appended to the message.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The protocol error, if any.</param>
    public HostAdapterException(string hostId, string message, Exception? innerException)
        : base(message + " (host '" + hostId + "')", innerException)
    {
        HostId = hostId;
    }

    /// <summary>Gets the id of the host concerned, or the empty string.</summary>
    public string HostId { get; } = string.Empty;
}
