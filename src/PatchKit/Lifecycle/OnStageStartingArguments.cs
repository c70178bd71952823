namespace PatchKit.Lifecycle;

/// <summary>Arguments of the hook called before a stage runs.</summary>
/// <param name="context">The run.</param>
/// <param name="stageName">The stage.</param>
public readonly struct OnStageStartingArguments(PatchRunContext context, string stageName)
{
    /// <summary>Gets the run.</summary>
    public PatchRunContext Context { get; } = context;

    /// <summary>Gets the stage name.</summary>
    public string StageName { get; } = stageName;
}
