namespace PatchKit;

/// <summary>One thing wrong in a JSON input document (a fleet, a catalog, a policy): where (JSON path, 1-based line and
/// column) and what.</summary>
public sealed class JsonInputProblem
{
    internal JsonInputProblem(string path, long line, long column, string message)
    {
        Path = path;
        Line = line;
        Column = column;
        Message = message;
    }

    /// <summary>Gets the JSON path (<c>$.hosts[3].parentId</c>).</summary>
    public string Path { get; }

    /// <summary>Gets the 1-based line.</summary>
    public long Line { get; }

    /// <summary>Gets the 1-based column (in characters).</summary>
    public long Column { get; }

    /// <summary>Gets a sentence that says what is wrong and, where it can, what to write instead.</summary>
    public string Message { get; }

    /// <summary>Returns <c>line L, column C ($.path): message</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"line {Line}, column {Column} ({Path}): {Message}";
}
