namespace PatchKit.Hosts.Simulated;

/// <summary>Orchestrator-level fault injection: crash the process at the N-th crash point. Crash points sit just
/// before and just after every change the simulated fleet makes, which is where a real orchestrator can die with a
/// step in flight.</summary>
public sealed class SimulatedFaultOptions
{
    /// <summary>Gets or sets the 1-based crash point at which <see cref="Crash"/> is called, or <see langword="null"/>.</summary>
    /// <value>The default value is <see langword="null"/> (never).</value>
    public int? CrashAtPoint { get; set; }

    /// <summary>Gets or sets what a crash does.</summary>
    /// <value>The default kills the current process at once (SIGKILL), with no cleanup.</value>
    public Action Crash { get; set; } = static () => System.Diagnostics.Process.GetCurrentProcess().Kill();
}
