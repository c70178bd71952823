namespace PatchKit.Advisories;

/// <summary>
/// Thrown when an advisory document (CSAF, OSV) cannot be read: not JSON, cut off, a value of the wrong type, an unknown enumerated value or a
/// missing required member. The message names the document and the JSON path or byte offset, as the properties do.
/// </summary>
public sealed class AdvisoryFormatException : PatchKitException
{
    /// <summary>Initializes a new instance of the <see cref="AdvisoryFormatException"/> class.</summary>
    public AdvisoryFormatException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AdvisoryFormatException"/> class with a message.</summary>
    /// <param name="message">The message that describes the error.</param>
    public AdvisoryFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AdvisoryFormatException"/> class with a message and a cause.</summary>
    /// <param name="message">The message that describes the error.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public AdvisoryFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AdvisoryFormatException"/> class for a place in a document.</summary>
    /// <param name="message">The full message, document and place included.</param>
    /// <param name="document">The document's name (file path or caller-given name).</param>
    /// <param name="jsonPath">The JSON path of the offending value (<c>$.affected[0].ranges[0].type</c>), or an empty string.</param>
    /// <param name="bytePosition">The byte offset in the document, or -1 when not known.</param>
    /// <param name="innerException">The exception that caused this one, or <see langword="null"/>.</param>
    public AdvisoryFormatException(string message, string document, string jsonPath, long bytePosition, Exception? innerException)
        : base(message, innerException)
    {
        Document = document;
        JsonPath = jsonPath;
        BytePosition = bytePosition;
    }

    /// <summary>Gets the document's name, or an empty string.</summary>
    public string Document { get; } = string.Empty;

    /// <summary>Gets the JSON path of the offending value, or an empty string when the document is not JSON at all.</summary>
    public string JsonPath { get; } = string.Empty;

    /// <summary>Gets the byte offset of the error in the (decompressed) document, or -1 when not known.</summary>
    public long BytePosition { get; } = -1;
}
