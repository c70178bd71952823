namespace PatchKit.Lifecycle.Postgres;

/// <summary>The shared journal cannot be used: the database is down or refuses the login, its schema is newer than
/// this PatchKit, or a run id exists with another plan. The message names the database (never a credential).</summary>
public sealed class PostgresJournalException : PatchKitException
{
    /// <summary>Initializes a new instance of the <see cref="PostgresJournalException"/> class.</summary>
    public PostgresJournalException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PostgresJournalException"/> class with a message.</summary>
    /// <param name="message">The message that describes the error.</param>
    public PostgresJournalException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PostgresJournalException"/> class with a message and a cause.</summary>
    /// <param name="message">The message that describes the error.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public PostgresJournalException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The lease on a host moved to another worker (or expired): this worker may no longer act on the host, and
/// the journal refused its write (fencing).</summary>
public sealed class LeaseLostException : PatchKitException
{
    /// <summary>Initializes a new instance of the <see cref="LeaseLostException"/> class.</summary>
    public LeaseLostException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="LeaseLostException"/> class with a message.</summary>
    /// <param name="message">The message that describes the error.</param>
    public LeaseLostException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="LeaseLostException"/> class with a message and a cause.</summary>
    /// <param name="message">The message that describes the error.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public LeaseLostException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
