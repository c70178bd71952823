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

    /// <inheritdoc/>
    protected internal override void Validate(ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (RebootTimeout <= TimeSpan.Zero)
        {
            errors.Add("RebootTimeout must be positive.");
        }
    }
}
