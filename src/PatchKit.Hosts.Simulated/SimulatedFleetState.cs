namespace PatchKit.Hosts.Simulated;

/// <summary>The whole simulated world: written atomically to the state file after every change, so a killed
/// orchestrator finds the fleet as it really is when it resumes.</summary>
internal sealed class SimulatedFleetState
{
    public DateTimeOffset Now { get; set; }

    public long NextId { get; set; } = 1;

    public List<SimulatedMachine> Machines { get; set; } = [];

    public List<string> BrokenPatches { get; set; } = [];

    public SimulatedTimings Timings { get; set; } = new();

    public int Migrations { get; set; }
}
