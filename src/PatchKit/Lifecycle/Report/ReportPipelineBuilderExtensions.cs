using PatchKit.Lifecycle.Report;

namespace PatchKit.Lifecycle;

/// <summary>Adds the Report stage to a pipeline.</summary>
public static class ReportPipelineBuilderExtensions
{
    /// <summary>Adds Report: JSON, Markdown and HTML, plus a history entry per run.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults (report kept in memory).</param>
    /// <returns>The builder.</returns>
    public static PatchPipelineBuilder AddReport(this PatchPipelineBuilder builder, ReportStageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        options ??= new ReportStageOptions();
        return builder.AddStage(ctx => new ReportStage(ctx.StageName, options), options);
    }
}
