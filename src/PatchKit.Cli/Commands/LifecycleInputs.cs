using System.Text.Json;
using PatchKit.Advisories;
using PatchKit.Hosts.Simulated;
using PatchKit.Lifecycle;

namespace PatchKit.Cli.Commands;

/// <summary>The three files `plan` and `run` take: fleet, catalog, policy.</summary>
internal sealed record LifecycleInputs(SimulatedFleetDescription Fleet, JsonPatchCatalog Catalog, LifecyclePolicy Policy)
{
    public static LifecycleInputs Load(CliContext context, List<(ArgOption Option, string? Value)> options, ArgOption fleet, ArgOption catalog, ArgOption policy)
    {
        string F(ArgOption o) => RunCommand.Value(options, o) is { } v
            ? context.Resolve(v)
            : throw new ArgReaderException($"option '--{o.Long}' is required");
        string fleetPath = F(fleet), catalogPath = F(catalog), policyPath = F(policy);
        try
        {
            return new LifecycleInputs(
                SimulatedFleetDescription.Parse(File.ReadAllBytes(fleetPath)),
                JsonPatchCatalog.Load(catalogPath),
                LifecyclePolicy.Load(policyPath));
        }
        catch (JsonException ex)
        {
            throw new ArgReaderException($"invalid JSON: {ex.Message}");
        }
    }
}
