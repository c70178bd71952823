namespace PatchKit.Diffs.Apply;

/// <summary>How a line ends.</summary>
internal enum LineEnding : byte
{
    /// <summary>No line ending: the last line of a file without a final newline.</summary>
    None = 0,

    /// <summary><c>\n</c>.</summary>
    Lf = 1,

    /// <summary><c>\r\n</c>.</summary>
    CrLf = 2,
}
