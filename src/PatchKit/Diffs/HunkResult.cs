namespace PatchKit.Diffs;

/// <summary>The outcome of one hunk.</summary>
/// <param name="Index">The 0-based index of the hunk in its file patch.</param>
/// <param name="Status">Whether the hunk applied, was already applied, or failed.</param>
/// <param name="Line">The 1-based line of the original file where the hunk's old side starts (where it was applied,
/// found already applied, or, for a failure, where it was expected).</param>
/// <param name="Offset">How many lines away from the line the hunk header names it was found (positive: later).</param>
/// <param name="Fuzz">How many context lines at each end were ignored to find it (0: exact).</param>
/// <param name="Reason">Why the hunk failed or was skipped, in words; <see langword="null"/> when it applied.</param>
public readonly record struct HunkResult(int Index, HunkStatus Status, int Line, int Offset, int Fuzz, string? Reason);
