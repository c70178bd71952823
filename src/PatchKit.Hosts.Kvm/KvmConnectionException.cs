namespace PatchKit.Hosts.Kvm;

/// <summary>The connection to a QMP or guest-agent socket could not be made, was lost, or carried something that is
/// not the protocol. Every call pending on the connection fails with this exception.</summary>
public sealed class KvmConnectionException : PatchKitException
{
    /// <summary>Initializes a new instance of the <see cref="KvmConnectionException"/> class.</summary>
    public KvmConnectionException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KvmConnectionException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public KvmConnectionException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KvmConnectionException"/> class with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public KvmConnectionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KvmConnectionException"/> class for an endpoint.</summary>
    /// <param name="endpoint">The socket address (<c>unix:PATH</c>, <c>tcp:HOST:PORT</c>).</param>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public KvmConnectionException(string endpoint, string message, Exception? innerException)
        : base(endpoint + ": " + message, innerException)
    {
        Endpoint = endpoint;
    }

    /// <summary>Gets the socket address the failure concerns.</summary>
    public string Endpoint { get; } = string.Empty;
}
