namespace PatchKit.Diffs;

/// <summary>The flavour of unified diff written.</summary>
public enum DiffFormat
{
    /// <summary>GNU <c>diff -u</c>: <c>---</c>/<c>+++</c> headers with GNU's timestamps, <c>diff -Naur</c> lines in trees.</summary>
    Gnu = 0,

    /// <summary>git's format: <c>diff --git</c>, <c>index</c> lines with blob ids, modes, new and deleted files.</summary>
    Git = 1,
}
