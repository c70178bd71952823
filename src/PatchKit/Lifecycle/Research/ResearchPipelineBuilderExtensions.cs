using PatchKit.Lifecycle.Research;

namespace PatchKit.Lifecycle;

/// <summary>Adds the Research stage (the lab gate) to a pipeline.</summary>
public static class ResearchPipelineBuilderExtensions
{
    /// <summary>Adds Research: every approved patch is tried on a lab clone of a production machine of each group
    /// first, and only what passed is promoted.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The builder.</returns>
    public static PatchPipelineBuilder AddResearch(this PatchPipelineBuilder builder, ResearchStageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        options ??= new ResearchStageOptions();
        return builder.AddStage(ctx => new ResearchStage(ctx.StageName, options), options);
    }
}
