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
}
