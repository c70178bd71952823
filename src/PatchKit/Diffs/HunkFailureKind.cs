namespace PatchKit.Diffs;

/// <summary>What a failed hunk's nearest place says about why it did not apply.</summary>
public enum HunkFailureKind
{
    /// <summary>No place holds enough of the hunk's old side (fewer than half of its lines) to call it the place.</summary>
    NotFound = 0,

    /// <summary>The lines the hunk removes are there, but some of its context lines differ.</summary>
    ContextChanged = 1,

    /// <summary>Some of the lines the hunk removes differ from the file (the code it changes was changed).</summary>
    Changed = 2,

    /// <summary>Every line of the old side is there once blanks are ignored: the file differs only in white space
    /// (apply with <see cref="ApplyOptions.IgnoreWhitespace"/>).</summary>
    WhitespaceOnly = 3,

    /// <summary>Every line of the old side is there, but with other line endings (CRLF against LF; apply with
    /// <see cref="ApplyOptions.MatchLineEndings"/>).</summary>
    LineEndingsOnly = 4,

    /// <summary>The hunk's new side is there and its old side is not: the change was applied before, or the patch is
    /// reversed (the file cannot tell the two apart).</summary>
    AlreadyApplied = 5,

    /// <summary>The whole old side is there, but where the hunk may not go: before the place the previous hunk
    /// applied at, or away from the start or end of the file the hunk is anchored to (it has fewer context lines on
    /// that side).</summary>
    Misplaced = 6,
}
