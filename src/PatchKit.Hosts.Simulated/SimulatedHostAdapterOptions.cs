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

    /// <summary>Gets or sets whether several processes share <see cref="StatePath"/>: every call then takes an
    /// exclusive lock on the state file (<c>STATE.lock</c>) and reads the state again under it, so each call sees the
    /// others' changes and writes its own atomically. Slower (a read of the whole state per call): for small fleets
    /// worked on by several orchestrators at once.</summary>
    /// <value>The default value is <see langword="false"/> (this process owns the state file).</value>
    public bool SharedState { get; set; }

    /// <summary>Gets or sets how long every host call takes in wall-clock time (real-time mode, for scale-out runs
    /// and chaos tests), spent before the call acts and outside the locks.</summary>
    /// <value>The default value is <see cref="TimeSpan.Zero"/> (calls answer at once).</value>
    public TimeSpan CallDelay { get; set; }
}
