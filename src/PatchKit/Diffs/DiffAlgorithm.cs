namespace PatchKit.Diffs;

/// <summary>The line-matching algorithm a diff uses.</summary>
public enum DiffAlgorithm
{
    /// <summary>Myers' O(ND) algorithm with the linear-space refinement, as GNU diff runs it (its default).</summary>
    Myers = 0,

    /// <summary>git's histogram diff (<c>git diff --histogram</c>), falling back to Myers on lines that occur more than 64 times.</summary>
    Histogram = 1,

    /// <summary>Patience diff (<c>git diff --patience</c>): anchors on lines unique to both sides, Myers in between.</summary>
    Patience = 2,
}
