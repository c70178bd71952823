namespace PatchKit.Lifecycle.Resolve;

/// <summary>Arguments of the hook called for every host Resolve assessed.</summary>
/// <param name="context">The run.</param>
/// <param name="assessment">What the host misses and what is approved.</param>
public readonly struct OnHostAssessedArguments(PatchRunContext context, HostAssessment assessment)
{
    /// <summary>Gets the run.</summary>
    public PatchRunContext Context { get; } = context;

    /// <summary>Gets the assessment.</summary>
    public HostAssessment Assessment { get; } = assessment;
}
