using System.Text.Json;
using PatchKit.Advisories;
using PatchKit.Advisories.Catalogs;
using PatchKit.Hosts.Simulated;
using PatchKit.Internal;
using PatchKit.Lifecycle;

namespace PatchKit.Cli.Commands;

/// <summary>The files `plan` and `run` take: fleet, catalog and/or advisory folders, policy.</summary>
/// <remarks>The fleet is either a simulated fleet description or a fleet file for real machines (<see cref="RealFleet"/>).
/// The catalog is the JSON catalog of <c>--catalog</c> followed by the advisory folders of <c>--advisories</c> (OSV, CSAF, CVE
/// records), in the order given: the first to name a patch id wins.</remarks>
internal sealed record LifecycleInputs(SimulatedFleetDescription? Fleet, RealFleet? Real, IPatchCatalog Catalog, LifecyclePolicy Policy)
{
    /// <summary>The option of `plan`, `run` and `worker` that adds a folder (or file) of advisories to the catalog.</summary>
    public static readonly ArgOption AdvisoriesOption = new('a', "advisories", true,
        "OSV records, CSAF documents and CVE records (a folder, sub-folders and *.json.gz included, or one file) to patch from, beside or instead of --catalog; repeatable");

    /// <summary>Gets the fingerprint of the input files as read (journaled when a run starts, compared on resume).</summary>
    public RunInputs Fingerprint { get; init; } = new();

    public static LifecycleInputs Load(CliContext context, List<(ArgOption Option, string? Value)> options, ArgOption fleet, ArgOption catalog, ArgOption policy)
    {
        string F(ArgOption o) => RunCommand.Value(options, o)
            ?? throw new ArgReaderException($"option '--{o.Long}' is required");
        string fleetPath = F(fleet);
        RequireCatalog(options, catalog);
        string policyPath = F(policy);
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

        var files = new List<(string Role, string Path, byte[] Bytes)> { ("fleet file", fleetPath, fleetBytes) };
        var sim = real is null ? Parse(fleetBytes, fleetPath, "fleet file", static b => SimulatedFleetDescription.Parse(b)) : null;
        var catalogRead = LoadCatalog(context, options, catalog, files);
        byte[] policyBytes = InputFile.ReadAllBytes(context, policyPath, "policy file");
        var policyRead = Parse(policyBytes, policyPath, "policy file", static b => LifecyclePolicy.Parse(b));
        files.Add(("policy file", policyPath, policyBytes));
        return new LifecycleInputs(sim, real, catalogRead, policyRead) { Fingerprint = RunInputs.Of(files) };
    }

    private static void RequireCatalog(List<(ArgOption Option, string? Value)> options, ArgOption catalog)
    {
        if (RunCommand.Value(options, catalog) is null && RunCommand.Value(options, AdvisoriesOption) is null)
        {
            throw new ArgReaderException($"option '--{catalog.Long}' or '--{AdvisoriesOption.Long}' is required");
        }
    }

    /// <summary>The JSON catalog of <paramref name="catalog"/> (if given) and the advisory folders of <see cref="AdvisoriesOption"/>, as one catalog.</summary>
    /// <param name="context">The CLI's context.</param>
    /// <param name="options">The command's options.</param>
    /// <param name="catalog">The catalog option.</param>
    /// <param name="fingerprint">Where to add what the run's input fingerprint covers: the catalog file's bytes and, per
    /// advisory folder, a listing of its files with their sizes and modification times.</param>
    public static IPatchCatalog LoadCatalog(CliContext context, List<(ArgOption Option, string? Value)> options, ArgOption catalog,
        List<(string Role, string Path, byte[] Bytes)>? fingerprint = null)
    {
        var catalogs = new List<IPatchCatalog>();
        if (RunCommand.Value(options, catalog) is { } catalogPath)
        {
            byte[] catalogBytes = InputFile.ReadAllBytes(context, catalogPath, "catalog file");
            catalogs.Add(Parse(catalogBytes, catalogPath, "catalog file", static b => JsonPatchCatalog.Parse(b)));
            fingerprint?.Add(("catalog file", catalogPath, catalogBytes));
        }

        foreach (var (option, value) in options)
        {
            if (option != AdvisoriesOption || value is null)
            {
                continue;
            }

            string path = context.Resolve(value);
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                throw new CliInputException($"the advisories '{value}': no such file or folder.", "Give a folder of OSV, CSAF or CVE JSON documents (or one such file) with --advisories.");
            }

            catalogs.Add(new AdvisoryFolderCatalog(path));
            fingerprint?.Add(("advisories", value, Listing(path)));
        }

        return catalogs.Count switch
        {
            0 => throw new ArgReaderException($"option '--{catalog.Long}' or '--{AdvisoriesOption.Long}' is required"),
            1 => catalogs[0],
            _ => new CompositePatchCatalog(catalogs),
        };
    }

    /// <summary>Catalog and policy only (a run against real hosts: the fleet is what the adapter's inventory finds).</summary>
    public static (IPatchCatalog Catalog, LifecyclePolicy Policy, RunInputs Fingerprint) LoadCatalogAndPolicy(CliContext context, List<(ArgOption Option, string? Value)> options, ArgOption catalog, ArgOption policy)
    {
        string F(ArgOption o) => RunCommand.Value(options, o)
            ?? throw new ArgReaderException($"option '--{o.Long}' is required");
        RequireCatalog(options, catalog);
        string policyPath = F(policy);
        var files = new List<(string Role, string Path, byte[] Bytes)>();
        var catalogRead = LoadCatalog(context, options, catalog, files);
        byte[] policyBytes = InputFile.ReadAllBytes(context, policyPath, "policy file");
        var policyRead = Parse(policyBytes, policyPath, "policy file", static b => LifecyclePolicy.Parse(b));
        files.Add(("policy file", policyPath, policyBytes));
        return (catalogRead, policyRead, RunInputs.Of(files));
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

    /// <summary>What the fingerprint of an advisory folder (or file) covers: each file's path under it and the SHA-256 of
    /// its bytes, in ordinal order (not modification times: the workers of a shared run may hold copies of the folder).</summary>
    private static byte[] Listing(string path)
    {
        var lines = new List<string>();
        IEnumerable<FileInfo> files = File.Exists(path)
            ? [new FileInfo(path)]
            : new DirectoryInfo(path).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 });
        foreach (var f in files)
        {
            string name = File.Exists(path) ? f.Name : Path.GetRelativePath(path, f.FullName);
            try
            {
                using var stream = f.OpenRead();
                lines.Add(name + "\t" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                lines.Add(name + "\tunreadable");
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return System.Text.Encoding.UTF8.GetBytes(string.Join("\n", lines));
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
