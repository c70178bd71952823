namespace PatchKit.Integrations;

/// <summary>An issue as an <see cref="IIssueTracker"/> knows it.</summary>
public sealed class TrackedIssue
{
    /// <summary>Gets the tracker's id for the issue (a Bugzilla bug number, for example).</summary>
    public required string Id { get; init; }

    /// <summary>Gets the stable key the issue was filed under.</summary>
    public required string StableKey { get; init; }

    /// <summary>Gets the tracker's status word (<c>CONFIRMED</c>, <c>RESOLVED</c>), or <see langword="null"/> when not known.</summary>
    public string? Status { get; init; }

    /// <summary>Gets the tracker's resolution word (<c>FIXED</c>), or <see langword="null"/> while the issue is open.</summary>
    public string? Resolution { get; init; }
}
