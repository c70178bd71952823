namespace PatchKit.Diffs;

/// <summary>One line of a failed hunk's old side that differs from the file at the hunk's nearest place.</summary>
/// <param name="FileLine">The 1-based line of the file where the line was expected.</param>
/// <param name="Kind">What the line is in the hunk: <see cref="HunkLineKind.Context"/>, or
/// <see cref="HunkLineKind.Removed"/> (for a hunk applied in reverse, its added lines are the ones removed).</param>
/// <param name="Expected">The line the hunk expects, without its line ending (UTF-8, invalid bytes replaced).</param>
/// <param name="Found">The line the file holds there, without its line ending, or <see langword="null"/> when the
/// file ends before that line.</param>
public readonly record struct HunkLineDifference(int FileLine, HunkLineKind Kind, string Expected, string? Found);
