namespace PatchKit.Diffs;

/// <summary>One line of a hunk: its kind and its content as the file holds it.</summary>
/// <remarks>
/// <see cref="Content"/> is the line without the leading marker byte and with its line ending exactly as in the
/// patch (<c>\n</c>, <c>\r\n</c>, a lone <c>\r</c> inside stays data). When the line is followed by
/// <c>\ No newline at end of file</c>, the final <c>\n</c> is not part of <see cref="Content"/>.
/// </remarks>
public readonly struct HunkLine
{
    /// <summary>Initializes a new instance of the <see cref="HunkLine"/> struct.</summary>
    /// <param name="kind">The kind of line.</param>
    /// <param name="content">The content, line ending included unless the line is the last of its file without one.</param>
    public HunkLine(HunkLineKind kind, ReadOnlyMemory<byte> content)
    {
        Kind = kind;
        Content = content;
    }

    /// <summary>Gets the kind of line.</summary>
    public HunkLineKind Kind { get; }

    /// <summary>Gets the bytes of the line, line ending included (see remarks on <see cref="HunkLine"/>).</summary>
    public ReadOnlyMemory<byte> Content { get; }

    /// <summary>Gets a value indicating whether the line ends with <c>\n</c> (it does not when <c>\ No newline at end of file</c> follows it).</summary>
    public bool HasNewline => !Content.IsEmpty && Content.Span[^1] == (byte)'\n';
}
