namespace PatchKit.Diffs;

/// <summary>One hunk of a file patch: its ranges, its section heading and its lines.</summary>
/// <remarks>
/// A hunk holds its lines as one slice of the patch (<see cref="Body"/>, in unified form: each line starts with
/// <c>' '</c>, <c>'+'</c>, <c>'-'</c> or is a <c>\ No newline at end of file</c> marker); <see cref="GetLines"/>
/// walks it without allocating. A context diff's hunk is converted to this form when it is read.
/// </remarks>
public readonly struct Hunk
{
    /// <summary>Initializes a new instance of the <see cref="Hunk"/> struct.</summary>
    /// <param name="oldStart">The 1-based first line on the old side (0 for an empty old side).</param>
    /// <param name="oldCount">The number of old-side lines (context and removed).</param>
    /// <param name="newStart">The 1-based first line on the new side (0 for an empty new side).</param>
    /// <param name="newCount">The number of new-side lines (context and added).</param>
    /// <param name="sectionHeading">The text after the closing <c>@@</c>, without the separating space and line ending.</param>
    /// <param name="body">The hunk's lines in unified form, line endings included.</param>
    /// <param name="lineNumber">The 1-based line of the hunk header in the patch.</param>
    public Hunk(int oldStart, int oldCount, int newStart, int newCount, ReadOnlyMemory<byte> sectionHeading, ReadOnlyMemory<byte> body, long lineNumber)
    {
        OldStart = oldStart;
        OldCount = oldCount;
        NewStart = newStart;
        NewCount = newCount;
        SectionHeading = sectionHeading;
        Body = body;
        LineNumber = lineNumber;
    }

    /// <summary>Gets the 1-based first line on the old side (0 when the old side is empty).</summary>
    public int OldStart { get; }

    /// <summary>Gets the number of old-side lines (context and removed).</summary>
    public int OldCount { get; }

    /// <summary>Gets the 1-based first line on the new side (0 when the new side is empty).</summary>
    public int NewStart { get; }

    /// <summary>Gets the number of new-side lines (context and added).</summary>
    public int NewCount { get; }

    /// <summary>Gets the section heading (the text after <c>@@ … @@ </c>), empty when there is none.</summary>
    public ReadOnlyMemory<byte> SectionHeading { get; }

    /// <summary>Gets the hunk's lines in unified form, as one slice.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>Gets the 1-based line of the hunk header in the patch, for messages.</summary>
    public long LineNumber { get; }

    /// <summary>Returns an allocation-free enumerator over the hunk's lines.</summary>
    /// <returns>An enumerator usable in <c>foreach</c>.</returns>
    public HunkLineEnumerator GetLines() => new(Body);
}
