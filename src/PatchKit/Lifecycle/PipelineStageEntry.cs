namespace PatchKit.Lifecycle;

/// <summary>A stage as the pipeline runs it, with its hooks copied from its options when the pipeline was built.</summary>
internal sealed record PipelineStageEntry(string Name, PatchStage Stage, Func<OnStageStartingArguments, ValueTask>? OnStarting,
    Func<OnStageCompletedArguments, ValueTask>? OnCompleted);
