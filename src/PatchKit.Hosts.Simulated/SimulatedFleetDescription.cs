using System.Text.Json;

namespace PatchKit.Hosts.Simulated;

/// <summary>A simulated fleet as JSON: machines, the simulated start time, timings and patch-level faults.</summary>
public sealed record SimulatedFleetDescription
{
    /// <summary>Gets the simulated time the run starts at.</summary>
    public DateTimeOffset StartTime { get; set; } = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Gets the machines.</summary>
    public IReadOnlyList<SimulatedHostDescription> Hosts { get; set; } = [];

    /// <summary>Gets the ids of patches that break the health check wherever they are installed (the lab finds them).</summary>
    public IReadOnlyList<string> BrokenPatches { get; set; } = [];

    /// <summary>Gets the simulated timings.</summary>
    public SimulatedTimings Timings { get; set; } = new();

    /// <summary>Reads a description from UTF-8 JSON.</summary>
    /// <param name="utf8Json">The document.</param>
    /// <returns>The description.</returns>
    /// <exception cref="JsonException">The document is not a valid description.</exception>
    public static SimulatedFleetDescription Parse(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, SimulatedJsonContext.Default.SimulatedFleetDescription)
            ?? throw new JsonException("The fleet document is empty.");

    /// <summary>Writes the description as UTF-8 JSON.</summary>
    /// <returns>The document.</returns>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, SimulatedJsonContext.Default.SimulatedFleetDescription);
}
