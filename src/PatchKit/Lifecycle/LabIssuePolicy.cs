namespace PatchKit.Lifecycle;

/// <summary>Where a patch that fails lab verification is reported in the issue tracker (the policy file's
/// <c>labIssues</c>): one issue per patch and host group.</summary>
public sealed class LabIssuePolicy
{
    /// <summary>Gets or sets the product issues are filed against (Bugzilla's <c>product</c>).</summary>
    public string Product { get; set; } = string.Empty;

    /// <summary>Gets or sets the component issues are filed against (Bugzilla's <c>component</c>).</summary>
    public string Component { get; set; } = string.Empty;

    /// <summary>Gets or sets the version issues are filed against, or <see langword="null"/> for the tracker's default.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Version { get; set; }
}
