namespace PatchKit.Lifecycle;

/// <summary>Arguments of the hook called after a stage ran (also when it threw).</summary>
/// <param name="context">The run.</param>
/// <param name="stageName">The stage.</param>
/// <param name="elapsed">How long the stage took, on the run's clock.</param>
/// <param name="exception">What the stage threw, or <see langword="null"/>.</param>
public readonly struct OnStageCompletedArguments(PatchRunContext context, string stageName, TimeSpan elapsed, Exception? exception)
{
    /// <summary>Gets the run.</summary>
    public PatchRunContext Context { get; } = context;

    /// <summary>Gets the stage name.</summary>
    public string StageName { get; } = stageName;

    /// <summary>Gets how long the stage took.</summary>
    public TimeSpan Elapsed { get; } = elapsed;

    /// <summary>Gets what the stage threw, or <see langword="null"/>.</summary>
    public Exception? Exception { get; } = exception;
}
