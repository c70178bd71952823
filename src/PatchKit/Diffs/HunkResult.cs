namespace PatchKit.Diffs;

/// <summary>The outcome of one hunk.</summary>
/// <param name="Index">The 0-based index of the hunk in its file patch.</param>
/// <param name="Status">Whether the hunk applied, was already applied, or failed.</param>
/// <param name="Line">For an applied hunk, the 1-based line of the result where it was applied (what GNU patch prints
/// in "Hunk #2 succeeded at 120"); otherwise the 1-based line of the original where it was expected (its header line
/// moved by the offset of the hunk before, as in "Hunk #1 FAILED at 40").</param>
/// <param name="Offset">How many lines away from the line the hunk header names it was found (positive: later).</param>
/// <param name="Fuzz">How many context lines at each end were ignored to find it (0: exact).</param>
/// <param name="Reason">Why the hunk failed or was skipped, in words; <see langword="null"/> when it applied.</param>
public readonly record struct HunkResult(int Index, HunkStatus Status, int Line, int Offset, int Fuzz, string? Reason)
{
    /// <summary>Gets why the hunk did not apply (its nearest place, the lines that differ there, whether it looks
    /// already applied or differs only in white space), or <see langword="null"/> when it applied or the apply was
    /// told not to look (<see cref="ApplyOptions.DiagnoseFailures"/>).</summary>
    public HunkFailureDiagnosis? Diagnosis { get; init; }
}
