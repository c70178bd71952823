namespace PatchKit.Diffs.Algorithms;

/// <summary>The lines of one input that a diff looks at: the compared middle plus the context around it (or the whole
/// file). <see cref="Starts"/>[i] is the byte offset of line <see cref="Base"/> + i; one extra entry ends the last line.</summary>
internal struct LineWindow
{
    /// <summary>Line start offsets (absolute in the buffer), one more than <see cref="Count"/>.</summary>
    public int[] Starts;

    /// <summary>The absolute number (0-based) of the window's first line.</summary>
    public int Base;

    /// <summary>The number of lines in the window.</summary>
    public int Count;

    /// <summary>The file's line count when the window reaches the end of the file, otherwise <see cref="int.MaxValue"/> / 2.</summary>
    public int TotalLines;

    /// <summary>Whether the file's last line has no LF.</summary>
    public bool MissingNewline;

    public readonly int Start(int line) => Starts[line - Base];

    public readonly int End(int line) => Starts[line - Base + 1];
}
