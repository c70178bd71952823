namespace PatchKit.Integrations;

/// <summary>An issue tracker PatchKit files problems in (a patch that fails lab verification, say). Filing is
/// idempotent by <see cref="IssueReport.StableKey"/>: callers look the key up with <see cref="FindAsync"/> before they
/// file, so a retried or resumed run finds the issue it filed instead of filing a second one.</summary>
/// <remarks>Implementations throw <see cref="IssueTrackerException"/> for every tracker or network failure and never put
/// a credential in its message.</remarks>
public interface IIssueTracker
{
    /// <summary>Finds the issue filed under a stable key.</summary>
    /// <param name="stableKey">The key given in <see cref="IssueReport.StableKey"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The issue, or <see langword="null"/> when none carries the key.</returns>
    /// <exception cref="IssueTrackerException">The tracker refused the request or could not be reached.</exception>
    Task<TrackedIssue?> FindAsync(string stableKey, CancellationToken cancellationToken);

    /// <summary>Files a new issue.</summary>
    /// <param name="report">What to file.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The issue filed.</returns>
    /// <exception cref="IssueTrackerException">The tracker refused the report or could not be reached.</exception>
    Task<TrackedIssue> FileAsync(IssueReport report, CancellationToken cancellationToken);

    /// <summary>Adds a comment to an issue.</summary>
    /// <param name="issueId">The issue's id, as in <see cref="TrackedIssue.Id"/>.</param>
    /// <param name="text">The comment.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the comment is stored.</returns>
    /// <exception cref="IssueTrackerException">The tracker refused the comment or could not be reached.</exception>
    Task CommentAsync(string issueId, string text, CancellationToken cancellationToken);

    /// <summary>Resolves an issue as fixed, with a comment saying why.</summary>
    /// <param name="issueId">The issue's id, as in <see cref="TrackedIssue.Id"/>.</param>
    /// <param name="comment">Why it is resolved.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the issue is resolved.</returns>
    /// <exception cref="IssueTrackerException">The tracker refused the change or could not be reached.</exception>
    Task ResolveAsync(string issueId, string comment, CancellationToken cancellationToken);
}
