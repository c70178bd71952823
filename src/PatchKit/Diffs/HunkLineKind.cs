namespace PatchKit.Diffs;

/// <summary>The kind of a line inside a hunk.</summary>
public enum HunkLineKind : byte
{
    /// <summary>A line present on both sides (<c>' '</c>).</summary>
    Context = 0,

    /// <summary>A line only on the new side (<c>'+'</c>).</summary>
    Added = 1,

    /// <summary>A line only on the old side (<c>'-'</c>).</summary>
    Removed = 2,
}
