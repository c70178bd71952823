namespace PatchKit.Diffs;

/// <summary>The kind of a git binary patch block.</summary>
public enum GitBinaryBlockKind
{
    /// <summary>The whole content (<c>literal N</c>).</summary>
    Literal = 0,

    /// <summary>A git delta against the other side (<c>delta N</c>).</summary>
    Delta = 1,
}
