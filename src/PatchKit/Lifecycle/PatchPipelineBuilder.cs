using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PatchKit.Lifecycle.Journal;

namespace PatchKit.Lifecycle;

/// <summary>Composes the lifecycle: <c>AddReach()</c> → <c>AddResolve()</c> → <c>AddResearch()</c> →
/// <c>AddRepair()</c> → <c>AddReport()</c>, plus custom stages, into an immutable <see cref="PatchPipeline"/>.</summary>
/// <example>
/// <code>
/// var pipeline = new PatchPipelineBuilder { TimeProvider = clock, Journal = new FileRunJournal("run.journal") }
///     .AddReach()
///     .AddResolve(new ResolveStageOptions { Catalog = catalog })
///     .AddResearch()
///     .AddRepair(new RepairStageOptions { MaxConcurrency = 4 })
///     .AddReport(new ReportStageOptions { OutputDirectory = "reports" })
///     .Build();
/// </code>
/// </example>
public sealed class PatchPipelineBuilder
{
    private readonly List<(string Name, Func<PatchStageBuilderContext, PatchStage> Factory, PatchStageOptions Options)> _entries = [];
    private bool _built;

    /// <summary>Gets or sets the clock every stage uses.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the logger factory.</summary>
    /// <value>The default value is <see cref="NullLoggerFactory.Instance"/>.</value>
    public ILoggerFactory LoggerFactory { get; set; } = NullLoggerFactory.Instance;

    /// <summary>Gets or sets the journal every step is recorded in.</summary>
    /// <value>The default value is <see langword="null"/>: an <see cref="InMemoryRunJournal"/> (not durable).</value>
    public IRunJournal? Journal { get; set; }

    /// <summary>Gets or sets whether the run's time is simulated (a simulated fleet on a clock that jumps to every
    /// timer's due time): each host's timeline then advances by the durations its adapter reports, and steps are not
    /// timed out. Real adapters leave it off: windows are checked against the wall clock, step durations are measured,
    /// and a step that runs past its timeout is cancelled.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool SimulatedTimeline { get; set; }

    /// <summary>Adds a stage. The options are validated now and every problem is reported at once.</summary>
    /// <typeparam name="TOptions">The stage's options type.</typeparam>
    /// <param name="factory">Creates the stage when the pipeline is built.</param>
    /// <param name="options">The stage's options.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The options are invalid or the name is already used.</exception>
    /// <exception cref="InvalidOperationException">The builder has already built its pipeline.</exception>
    public PatchPipelineBuilder AddStage<TOptions>(Func<PatchStageBuilderContext, PatchStage> factory, TOptions options)
        where TOptions : PatchStageOptions
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(options);
        if (_built)
        {
            throw new InvalidOperationException("This builder has already built its pipeline; create a new builder.");
        }

        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Name))
        {
            errors.Add("Name must not be empty.");
        }
        else if (_entries.Exists(e => string.Equals(e.Name, options.Name, StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add($"A stage named '{options.Name}' is already in the pipeline.");
        }

        options.Validate(errors);
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid {typeof(TOptions).Name}: " + string.Join(" ", errors), nameof(options));
        }

        _entries.Add((options.Name, factory, options));
        return this;
    }

    /// <summary>Builds the pipeline. The builder cannot be used afterwards.</summary>
    /// <returns>An immutable, thread-safe pipeline.</returns>
    /// <exception cref="InvalidOperationException">No stage was added, or the builder already built.</exception>
    public PatchPipeline Build()
    {
        if (_built)
        {
            throw new InvalidOperationException("This builder has already built its pipeline; create a new builder.");
        }

        if (_entries.Count == 0)
        {
            throw new InvalidOperationException("Add at least one stage before building.");
        }

        _built = true;
        var stages = new List<(string, PatchStage, PatchStageOptions)>(_entries.Count);
        foreach (var (name, factory, options) in _entries)
        {
            stages.Add((name, factory(new PatchStageBuilderContext(name, TimeProvider, LoggerFactory)), options));
        }

        return new PatchPipeline(stages, TimeProvider, LoggerFactory, Journal ?? new InMemoryRunJournal(), SimulatedTimeline);
    }
}
