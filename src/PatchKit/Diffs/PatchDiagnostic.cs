namespace PatchKit.Diffs;

/// <summary>Why <see cref="PatchDocument.TryParse(ReadOnlyMemory{byte}, PatchParseOptions?, out PatchDocument?, out PatchDiagnostic)"/> failed.</summary>
public readonly struct PatchDiagnostic
{
    /// <summary>Initializes a new instance of the <see cref="PatchDiagnostic"/> struct.</summary>
    /// <param name="message">The full message, location included.</param>
    /// <param name="reason">The reason alone.</param>
    /// <param name="lineNumber">The 1-based line of the patch, or 0 when unknown.</param>
    /// <param name="bytePosition">The 0-based byte offset of that line, or -1 when unknown.</param>
    public PatchDiagnostic(string message, string reason, long lineNumber, long bytePosition)
    {
        Message = message;
        Reason = reason;
        LineNumber = lineNumber;
        BytePosition = bytePosition;
    }

    /// <summary>Gets the full message (reason, line and byte), or <see langword="null"/> when there was no error.</summary>
    public string? Message { get; }

    /// <summary>Gets the reason in words, or <see langword="null"/> when there was no error.</summary>
    public string? Reason { get; }

    /// <summary>Gets the 1-based line of the patch where the problem is, or 0.</summary>
    public long LineNumber { get; }

    /// <summary>Gets the 0-based byte offset of the start of that line, or -1.</summary>
    public long BytePosition { get; }

    /// <summary>Gets a value indicating whether this diagnostic describes an error.</summary>
    public bool IsError => Message is not null;

    /// <inheritdoc/>
    public override string ToString() => Message ?? string.Empty;
}
