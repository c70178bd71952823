using PatchKit.Cli.Rendering;
using PatchKit.Hosts.Simulated;
using PatchKit.Lifecycle;

namespace PatchKit.Cli.Commands;

/// <summary>`patchkit plan`: the dry run. Reach and Resolve run; the plan (order, waves, evacuations, reboots, window
/// fit, estimated duration) is printed; nothing on any host is changed.</summary>
internal static class PlanCommand
{
    private static readonly ArgOption s_fleet = new('f', "fleet", true, "fleet: a simulated fleet description, or a fleet file for real machines (JSON)");
    private static readonly ArgOption s_esx = new('\0', "esx", true, "VMware vCenter/ESXi connection file (JSON), instead of --fleet: plan for real hosts");
    private static readonly ArgOption s_catalog = new('c', "catalog", true, "patch catalog (JSON)");
    private static readonly ArgOption s_policy = new('p', "policy", true, "policy: approvals, windows, waves (JSON)");
    private static readonly ArgOption s_json = new('\0', "json", false, "print the plan as JSON");
    private static readonly ArgOption s_help = new('h', "help", false, "show this help");
    private static readonly ArgOption[] s_options = [s_fleet, s_esx, s_catalog, LifecycleInputs.AdvisoriesOption, s_policy, s_json, s_help];

    public static int Run(CliContext context, string[] args)
    {
        var (options, _) = ArgReader.Parse(args, s_options);
        if (options.Exists(o => o.Option == s_help))
        {
            ArgReader.PrintHelp(context.Output, "patchkit plan (-f FLEET | --esx CONNECTION) (-c CATALOG | -a ADVISORIES)... -p POLICY [--json]", s_options);
            return ExitCodes.Success;
        }

        if (RunCommand.Value(options, s_esx) is { } esxPath)
        {
            return PlanEsx(context, options, esxPath);
        }

        var inputs = LifecycleInputs.Load(context, options, s_fleet, s_catalog, s_policy);
        TimeProvider clock = inputs.Fleet is { } sim ? new SimulatedTimeProvider(sim.StartTime) : TimeProvider.System;
        var pipeline = inputs.Policy.CreatePipeline(inputs.Catalog, null, clock, null, null, simulatedTimeline: inputs.Fleet is not null);
        var run = new PatchRunOptions { RunId = "plan", DryRun = true };
        if (inputs.Fleet is not null)
        {
            run.Adapters.Add(new SimulatedHostAdapter(inputs.Fleet, new SimulatedHostAdapterOptions { TimeProvider = clock }));
        }
        else
        {
            foreach (var a in inputs.Real!.Adapters)
            {
                run.Adapters.Add(a);
            }
        }

        var result = pipeline.ExecuteAsync(run, context.CancellationToken).GetAwaiter().GetResult();
        if (options.Exists(o => o.Option == s_json))
        {
            context.Output.Write(System.Text.Encoding.UTF8.GetString(Lifecycle.Report.ReportRenderer.ToJson(result.Report!)));
            context.Output.WriteLine();
        }
        else
        {
            PlanPrinter.Print(context.Output, result.Plan!, result.Report!);
        }

        return ExitCodes.Success;
    }

    /// <summary>The plan for real VMware hosts: the vCenter's inventory, the wall clock; then per host the install path,
    /// who empties it and where to (or why it cannot be emptied), and its build before and after.</summary>
    private static int PlanEsx(CliContext context, List<(ArgOption Option, string? Value)> options, string esxPath)
    {
        if (RunCommand.Value(options, s_fleet) is not null)
        {
            throw new ArgReaderException("give either '--fleet' or '--esx', not both");
        }

        var connection = LifecycleInputs.LoadEsx(context, context.Resolve(esxPath));
        var (catalog, policy, _) = LifecycleInputs.LoadCatalogAndPolicy(context, options, s_catalog, s_policy);
        PatchKit.Hosts.Esx.EsxHostAdapter adapter;
        try
        {
            adapter = new PatchKit.Hosts.Esx.EsxHostAdapter(connection.ToOptions(context.Resolve));
        }
        catch (PatchKit.Hosts.HostAdapterException ex)
        {
            throw new CliInputException("the ESX connection file '" + esxPath + "' cannot be used: " + ex.Message, "Fix the file and run again.", ex);
        }

        try
        {
            var pipeline = policy.CreatePipeline(catalog, null, TimeProvider.System, null, null, simulatedTimeline: false);
            var run = new PatchRunOptions { RunId = "plan", DryRun = true };
            run.Adapters.Add(adapter);
            var result = pipeline.ExecuteAsync(run, context.CancellationToken).GetAwaiter().GetResult();
            if (options.Exists(o => o.Option == s_json))
            {
                context.Output.Write(System.Text.Encoding.UTF8.GetString(Lifecycle.Report.ReportRenderer.ToJson(result.Report!)));
                context.Output.WriteLine();
                return ExitCodes.Success;
            }

            PlanPrinter.Print(context.Output, result.Plan!, result.Report!);
            List<PatchKit.Hosts.Esx.EsxHostFacts> facts;
            try
            {
                facts = adapter.DescribeHostsAsync(context.CancellationToken).GetAwaiter().GetResult();
            }
            catch (PatchKit.Hosts.HostAdapterException ex)
            {
                throw new CliInputException("the ESX hosts at " + connection.Endpoint + " cannot be described: " + ex.Message, "Check the connection file and that the server is reachable.", ex);
            }

            context.Output.WriteLine();
            context.Output.WriteLine("ESX hosts:");
            foreach (var h in facts)
            {
                var steps = result.Plan!.Hosts.FirstOrDefault(x => x.HostId == h.Id)?.Steps.Where(st => st.PatchId is not null).Select(st => st.PatchId!).Distinct(StringComparer.Ordinal).ToList() ?? [];
                string after = steps.Count == 0 ? "unchanged"
                    : steps.Select(id => System.Text.RegularExpressions.Regex.Match(id, @"^ESXi-\d+\.\d+\S*?-(\d{5,})-(standard|no-tools)$", System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
                        .LastOrDefault(m => m.Success) is { } m ? "build " + m.Groups[1].Value + " (" + string.Join(", ", steps) + ")" : "with " + string.Join(", ", steps);
                context.Output.WriteLine($"  {h.Name,-18} {h.Id,-10} {(h.Cluster.Length > 0 ? "cluster " + h.Cluster : "standalone")}");
                context.Output.WriteLine("      install path: " + h.InstallPath);
                context.Output.WriteLine("      build: " + h.Build + " → " + after);
                context.Output.WriteLine("      evacuation: " + h.Evacuation);
            }

            return ExitCodes.Success;
        }
        finally
        {
            adapter.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
