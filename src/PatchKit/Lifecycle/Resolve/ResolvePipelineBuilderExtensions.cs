using PatchKit.Lifecycle.Resolve;

namespace PatchKit.Lifecycle;

/// <summary>Adds the Resolve stage to a pipeline.</summary>
public static class ResolvePipelineBuilderExtensions
{
    /// <summary>Adds Resolve: missing patches per host from the catalog, and the approval rules.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The options; <see cref="ResolveStageOptions.Catalog"/> is required.</param>
    /// <returns>The builder.</returns>
    public static PatchPipelineBuilder AddResolve(this PatchPipelineBuilder builder, ResolveStageOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        return builder.AddStage(ctx => new ResolveStage(ctx.StageName, options), options);
    }
}
