namespace PatchKit.Lifecycle;

/// <summary>A stage of a pipeline. The five built-in stages are internal; derive from this for a custom one and add it
/// with <see cref="PatchPipelineBuilder.AddStage{TOptions}"/>.</summary>
public abstract class PatchStage
{
    /// <summary>Runs the stage. Read and set the run's data on <paramref name="context"/>.</summary>
    /// <param name="context">The run.</param>
    /// <returns>A task that completes when the stage is done.</returns>
    protected internal abstract ValueTask ExecuteAsync(PatchRunContext context);
}
