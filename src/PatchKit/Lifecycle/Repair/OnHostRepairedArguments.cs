namespace PatchKit.Lifecycle.Repair;

/// <summary>Arguments of the hook called when a host's repair ended (whatever the outcome).</summary>
/// <param name="context">The run.</param>
/// <param name="outcome">How the host ended.</param>
public readonly struct OnHostRepairedArguments(PatchRunContext context, HostOutcome outcome)
{
    /// <summary>Gets the run.</summary>
    public PatchRunContext Context { get; } = context;

    /// <summary>Gets the outcome.</summary>
    public HostOutcome Outcome { get; } = outcome;
}
