using Microsoft.Extensions.Logging;

namespace PatchKit.Lifecycle;

/// <summary>What a stage factory gets from the builder.</summary>
public sealed class PatchStageBuilderContext
{
    internal PatchStageBuilderContext(string stageName, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        StageName = stageName;
        TimeProvider = timeProvider;
        LoggerFactory = loggerFactory;
    }

    /// <summary>Gets the name of the stage being built.</summary>
    public string StageName { get; }

    /// <summary>Gets the pipeline's clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets the pipeline's logger factory.</summary>
    public ILoggerFactory LoggerFactory { get; }
}
