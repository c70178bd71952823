using PatchKit.Lifecycle.Reach;

namespace PatchKit.Lifecycle;

/// <summary>Adds the Reach stage to a pipeline.</summary>
public static class ReachPipelineBuilderExtensions
{
    /// <summary>Adds Reach: inventory through every adapter of the run.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The builder.</returns>
    public static PatchPipelineBuilder AddReach(this PatchPipelineBuilder builder, ReachStageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        options ??= new ReachStageOptions();
        return builder.AddStage(ctx => new ReachStage(ctx.StageName, options), options);
    }
}
