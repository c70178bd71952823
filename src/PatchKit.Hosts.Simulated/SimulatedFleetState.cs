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

    /// <summary>The machines of a shared fleet, each in its own file (<see langword="null"/>: the machines are in
    /// <see cref="Machines"/>).</summary>
    public List<string>? MachineIds { get; set; }
}

/// <summary>One machine of a shared fleet, in its own file so that calls about different machines do not wait for each other.</summary>
internal sealed class SimulatedHostFile
{
    public DateTimeOffset Now { get; set; }

    public SimulatedMachine Machine { get; set; } = new();
}
