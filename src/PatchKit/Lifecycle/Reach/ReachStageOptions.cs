namespace PatchKit.Lifecycle.Reach;

/// <summary>Options of the Reach stage (discover and identify every host and guest).</summary>
public sealed class ReachStageOptions : PatchStageOptions
{
    /// <summary>Initializes a new instance of the <see cref="ReachStageOptions"/> class.</summary>
    public ReachStageOptions()
        : base(ReachConstants.DefaultName)
    {
    }

    /// <summary>Gets tags a host must carry one of to be included; empty includes every host.</summary>
    public IList<string> IncludeTags { get; } = [];

    /// <summary>Gets tags that exclude a host.</summary>
    public IList<string> ExcludeTags { get; } = [];

    /// <summary>Gets or sets a hook called for every host found (after filtering).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Func<OnHostReachedArguments, ValueTask>? OnHostReached { get; set; }

    /// <summary>Gets or sets a value indicating whether snapshots and lab clones PatchKit named for another run
    /// (<see cref="ReachResult.Leftovers"/>) are removed. Off by default: another run may still be using them, so they
    /// are only reported; a dry run never removes them.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool RemoveLeftovers { get; set; }
}
