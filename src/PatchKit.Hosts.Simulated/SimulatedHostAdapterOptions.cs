using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PatchKit.Hosts.Simulated;

/// <summary>Options for <see cref="SimulatedHostAdapter"/>.</summary>
public sealed class SimulatedHostAdapterOptions
{
    /// <summary>Gets or sets the state file. When set, the fleet's state is loaded from it if it exists and written to
    /// it atomically (temporary file, flush to disk, rename) after every change.</summary>
    /// <value>The default value is <see langword="null"/> (state kept in memory).</value>
    public string? StatePath { get; set; }

    /// <summary>Gets or sets the clock that timestamps installs and boots.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the logger factory.</summary>
    /// <value>The default value is <see cref="NullLoggerFactory.Instance"/>.</value>
    public ILoggerFactory LoggerFactory { get; set; } = NullLoggerFactory.Instance;

    /// <summary>Gets or sets the orchestrator-level faults.</summary>
    public SimulatedFaultOptions Faults { get; set; } = new();
}
