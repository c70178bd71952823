namespace PatchKit.Diffs;

/// <summary>The flavour of diff a file patch was written in.</summary>
public enum PatchDialect
{
    /// <summary>A plain unified diff (<c>diff -u</c>, <c>diff -Naur</c>, quilt, hg, svn).</summary>
    Unified = 0,

    /// <summary>A git diff (<c>diff --git</c> with extended headers).</summary>
    Git = 1,

    /// <summary>A context diff (<c>diff -c</c>: <c>***</c>/<c>---</c>), read into the unified model.</summary>
    Context = 2,

    /// <summary>A normal diff (<c>diff</c> without <c>-u</c> or <c>-c</c>: <c>5c5</c>, <c>&lt;</c>, <c>---</c>,
    /// <c>&gt;</c>), read by <see cref="PatchDocument.ParseNormal"/> into hunks without context. It names no file.</summary>
    Normal = 3,

    /// <summary>An ed script as <c>diff -e</c> writes it, read as data by <see cref="PatchDocument.ParseEd"/> (never run)
    /// into hunks without context. It names no file.</summary>
    Ed = 4,
}
