using System.Text.Json;
using PatchKit.Advisories;
using PatchKit.Hosts.Simulated;
using PatchKit.Internal;
using PatchKit.Lifecycle;

namespace PatchKit.Cli.Commands;

/// <summary>The three files `plan` and `run` take: fleet, catalog, policy.</summary>
/// <remarks>The fleet is either a simulated fleet description or a fleet file for real machines (<see cref="RealFleet"/>).</remarks>
internal sealed record LifecycleInputs(SimulatedFleetDescription? Fleet, RealFleet? Real, JsonPatchCatalog Catalog, LifecyclePolicy Policy)
{
    /// <summary>Gets the fingerprint of the three files as read (journaled when a run starts, compared on resume).</summary>
    public RunInputs Fingerprint { get; init; } = new();

    public static LifecycleInputs Load(CliContext context, List<(ArgOption Option, string? Value)> options, ArgOption fleet, ArgOption catalog, ArgOption policy)
    {
        string F(ArgOption o) => RunCommand.Value(options, o)
            ?? throw new ArgReaderException($"option '--{o.Long}' is required");
        string fleetPath = F(fleet), catalogPath = F(catalog), policyPath = F(policy);
        byte[] fleetBytes = InputFile.ReadAllBytes(context, fleetPath, "fleet file");
        RealFleet? real = null;
        if (RealFleet.IsRealFleet(fleetBytes))
        {
            try
            {
                real = RealFleet.Parse(fleetBytes, context.Resolve(fleetPath));
            }
            catch (Exception ex) when (ex is FleetFileException or ArgumentException)
            {
                throw new CliInputException($"the fleet file '{fleetPath}' is not valid: {ex.Message}", "Fix the fleet file and run again (docs/kvm.md describes the fleet file for real machines).", ex);
            }
        }

        var sim = real is null ? Parse(fleetBytes, fleetPath, "fleet file", static b => SimulatedFleetDescription.Parse(b)) : null;
        byte[] catalogBytes = InputFile.ReadAllBytes(context, catalogPath, "catalog file");
        var catalogRead = Parse(catalogBytes, catalogPath, "catalog file", static b => JsonPatchCatalog.Parse(b));
        byte[] policyBytes = InputFile.ReadAllBytes(context, policyPath, "policy file");
        var policyRead = Parse(policyBytes, policyPath, "policy file", static b => LifecyclePolicy.Parse(b));
        return new LifecycleInputs(sim, real, catalogRead, policyRead)
        {
            Fingerprint = RunInputs.Of([("fleet file", fleetPath, fleetBytes), ("catalog file", catalogPath, catalogBytes), ("policy file", policyPath, policyBytes)]),
        };
    }

    /// <summary>Catalog and policy only (a run against real hosts: the fleet is what the adapter's inventory finds).</summary>
    public static (JsonPatchCatalog Catalog, LifecyclePolicy Policy, RunInputs Fingerprint) LoadCatalogAndPolicy(CliContext context, List<(ArgOption Option, string? Value)> options, ArgOption catalog, ArgOption policy)
    {
        string F(ArgOption o) => RunCommand.Value(options, o)
            ?? throw new ArgReaderException($"option '--{o.Long}' is required");
        string catalogPath = F(catalog), policyPath = F(policy);
        byte[] catalogBytes = InputFile.ReadAllBytes(context, catalogPath, "catalog file");
        var catalogRead = Parse(catalogBytes, catalogPath, "catalog file", static b => JsonPatchCatalog.Parse(b));
        byte[] policyBytes = InputFile.ReadAllBytes(context, policyPath, "policy file");
        return (catalogRead, Parse(policyBytes, policyPath, "policy file", static b => LifecyclePolicy.Parse(b)),
            RunInputs.Of([("catalog file", catalogPath, catalogBytes), ("policy file", policyPath, policyBytes)]));
    }

    /// <summary>The ESX connection file of `run --esx`.</summary>
    public static EsxConnectionFile LoadEsx(CliContext context, string path)
    {
        var file = Read(context, path, "esx connection file", static b => EsxConnectionFile.Parse(b));
        var problems = EsxConnectionFile.Validate(file);
        return problems.Count == 0 ? file : throw new CliInputException(
            $"the esx connection file '{path}' is not valid: " + string.Join("; ", problems) + ".", "Fix the file and run again (examples/esx.json shows every key).");
    }

    /// <summary>The Bugzilla connection file of `run --bugzilla`; the policy must say what to file lab failures under.</summary>
    public static BugzillaConnectionFile LoadBugzilla(CliContext context, string path, LifecyclePolicy policy, string policyPath)
    {
        var file = Read(context, path, "bugzilla connection file", static b => BugzillaConnectionFile.Parse(b));
        var problems = BugzillaConnectionFile.Validate(file);
        if (problems.Count > 0)
        {
            throw new CliInputException(
                $"the bugzilla connection file '{path}' is not valid: " + string.Join("; ", problems) + ".", "Fix the file and run again (docs/bugzilla.md shows every key).");
        }

        return policy.LabIssues is not null ? file : throw new CliInputException(
            $"'--bugzilla' is given but the policy file '{policyPath}' has no labIssues: the product and component lab failures are filed under.",
            "Add \"labIssues\": { \"product\": \"…\", \"component\": \"…\" } to the policy (docs/bugzilla.md), or leave out --bugzilla.");
    }

    private static T Read<T>(CliContext context, string path, string what, Func<byte[], T> parse) =>
        Parse(InputFile.ReadAllBytes(context, path, what), path, what, parse);

    private static T Parse<T>(byte[] bytes, string path, string what, Func<byte[], T> parse)
    {
        try
        {
            return parse(bytes);
        }
        catch (JsonInputException ex)
        {
            string message = ex.Problems.Count == 1
                ? $"the {what} '{path}' is not valid: {ex.Problems[0]}"
                : $"the {what} '{path}' has {Rendering.Plural.Of(ex.Problems.Count, "problem")}:" + string.Concat(ex.Problems.Select(p => Environment.NewLine + "  " + p));
            throw new CliInputException(message, $"Fix the {what} and run again (the key names and value formats are those of examples/{what.Split(' ')[0]}.json in the PatchKit repository).", ex);
        }
        catch (JsonException ex)
        {
            throw new CliInputException($"the {what} '{path}' is not valid: {ErrorText.Describe(ex)}.", $"Fix the {what} and run again.", ex);
        }
    }
}
