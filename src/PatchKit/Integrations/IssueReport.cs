namespace PatchKit.Integrations;

/// <summary>An issue to file in an <see cref="IIssueTracker"/>.</summary>
public sealed class IssueReport
{
    /// <summary>Gets the key that identifies this problem across runs (for example <c>patchkit:verify:KB5034441:esx-lab-01</c>);
    /// the tracker stores it with the issue so <see cref="IIssueTracker.FindAsync"/> finds it again.</summary>
    public required string StableKey { get; init; }

    /// <summary>Gets the one-line summary.</summary>
    public required string Summary { get; init; }

    /// <summary>Gets the description (the first comment).</summary>
    public required string Description { get; init; }

    /// <summary>Gets the product the issue is filed against.</summary>
    public required string Product { get; init; }

    /// <summary>Gets the component the issue is filed against.</summary>
    public required string Component { get; init; }

    /// <summary>Gets the product version the issue is filed against, or <see langword="null"/> for the tracker's default.</summary>
    public string? Version { get; init; }

    /// <summary>Gets the priority.</summary>
    /// <value>The default value is <see cref="IssuePriority.Unknown"/>: the tracker's default.</value>
    public IssuePriority Priority { get; init; }
}
