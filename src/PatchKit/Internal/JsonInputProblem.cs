namespace PatchKit.Internal;

/// <summary>One thing wrong in a JSON input document: where (JSON path, 1-based line and column) and what.</summary>
/// <param name="Path">The JSON path (<c>$.hosts[3].parentId</c>).</param>
/// <param name="Line">The 1-based line.</param>
/// <param name="Column">The 1-based column (in characters).</param>
/// <param name="Message">A sentence that says what is wrong and, where it can, what to write instead.</param>
internal sealed record JsonInputProblem(string Path, long Line, long Column, string Message)
{
    /// <summary>Returns <c>line L, column C ($.path): message</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"line {Line}, column {Column} ({Path}): {Message}";
}
