namespace PatchKit.Lifecycle.Research;

/// <summary>The lab verdict on one patch for one group of like machines.</summary>
/// <param name="Group">The group (<c>Esx-8.0.2</c>): same kind and version.</param>
/// <param name="PatchId">The patch.</param>
/// <param name="SourceHostId">The production machine the lab clone was made from, or the empty string.</param>
/// <param name="CloneId">The lab clone, or the empty string.</param>
/// <param name="Passed">Whether the patch is promoted to production for this group.</param>
/// <param name="Message">What happened in the lab.</param>
public sealed record LabTestResult(string Group, string PatchId, string SourceHostId, string CloneId, bool Passed, string Message)
{
    /// <summary>Gets the issue the tracker holds for this verdict: the issue filed or commented on for a held patch, or the
    /// issue resolved because the patch now passes; <see langword="null"/> when no tracker is configured or none applies.</summary>
    public string? IssueId { get; init; }

    /// <summary>Gets why the issue tracker could not be told (unreachable, a wrong API key, an unknown product), or
    /// <see langword="null"/>. A tracker failure never changes the verdict.</summary>
    public string? IssueProblem { get; init; }
}
