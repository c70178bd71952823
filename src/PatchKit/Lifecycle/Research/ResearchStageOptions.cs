namespace PatchKit.Lifecycle.Research;

/// <summary>Options of the Research stage: the lab gate (snapshot production, clone to the lab, apply, verify,
/// promote only what passed, clean up).</summary>
public sealed class ResearchStageOptions : PatchStageOptions
{
    /// <summary>Initializes a new instance of the <see cref="ResearchStageOptions"/> class.</summary>
    public ResearchStageOptions()
        : base(ResearchConstants.DefaultName)
    {
    }

    /// <summary>Gets or sets whether a patch must pass the lab to be promoted. When no machine of a group can be
    /// snapshotted and cloned, its patches are then held; with <see langword="false"/> they are promoted untested.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RequireLab { get; set; } = true;

    /// <summary>Gets or sets an extra verification run on the patched clone after the health check; return
    /// <see langword="false"/> to reject the patch.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Func<OnLabVerifyArguments, ValueTask<bool>>? Verify { get; set; }

    /// <summary>Gets or sets how long to wait for a clone to come back after a reboot.</summary>
    /// <value>The default value is 30 minutes.</value>
    public TimeSpan RebootTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Gets or sets how long any other lab step may take (on the run's clock) before it is cancelled and
    /// recorded as timed out.</summary>
    /// <value>The default value is 2 hours.</value>
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Gets or sets where a patch that fails lab verification is reported: one issue per patch and group,
    /// found again by a stable key so a later run comments instead of filing twice. A tracker failure is logged and
    /// never fails the run.</summary>
    /// <value>The default value is <see langword="null"/>: nothing is filed.</value>
    public Integrations.IIssueTracker? IssueTracker { get; set; }

    /// <summary>Gets or sets the product issues are filed against; required with <see cref="IssueTracker"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? IssueProduct { get; set; }

    /// <summary>Gets or sets the component issues are filed against; required with <see cref="IssueTracker"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? IssueComponent { get; set; }

    /// <summary>Gets or sets the version issues are filed against, or <see langword="null"/> for the tracker's default.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? IssueVersion { get; set; }

    /// <summary>Gets or sets the folder the run's report is written to; an issue filed for a failed patch points at the
    /// report there.</summary>
    /// <value>The default value is <see langword="null"/>: issues name the run id only.</value>
    public string? ReportDirectory { get; set; }

    /// <inheritdoc/>
    protected internal override void Validate(ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (RebootTimeout <= TimeSpan.Zero)
        {
            errors.Add("RebootTimeout must be positive.");
        }

        if (IssueTracker is not null && (string.IsNullOrEmpty(IssueProduct) || string.IsNullOrEmpty(IssueComponent)))
        {
            errors.Add("IssueProduct and IssueComponent must be set when IssueTracker is.");
        }
    }
}
