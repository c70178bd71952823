using PatchKit.Lifecycle.Repair;

namespace PatchKit.Lifecycle;

/// <summary>Adds the Repair stage to a pipeline.</summary>
public static class RepairPipelineBuilderExtensions
{
    /// <summary>Adds Repair: plan and roll out the promoted patches in waves inside the maintenance windows, by the
    /// least disruptive path per host.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The builder.</returns>
    public static PatchPipelineBuilder AddRepair(this PatchPipelineBuilder builder, RepairStageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        options ??= new RepairStageOptions();
        return builder.AddStage(ctx => new RepairStage(ctx.StageName, options), options);
    }
}
