using System.Text.Json;
using PatchKit.Internal;

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
    /// <exception cref="JsonException">The document is not a valid description: not JSON, an unknown key, a value of the
    /// wrong kind, a missing key (<c>startTime</c>, a host's <c>id</c> and <c>kind</c>), a duplicate host id or a <c>parentId</c>
    /// that names no host. The message lists every problem with its JSON path, line and column.</exception>
    public static SimulatedFleetDescription Parse(ReadOnlySpan<byte> utf8Json) =>
        JsonInput.Read(utf8Json, SimulatedJsonContext.Default.SimulatedFleetDescription, "fleet", SimulatedFleetValidator.AlsoRequired, SimulatedFleetValidator.Validate);

    /// <summary>Writes the description as UTF-8 JSON.</summary>
    /// <returns>The document.</returns>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, SimulatedJsonContext.Default.SimulatedFleetDescription);
}
