using PatchKit.Cli.Rendering;
using PatchKit.Hosts.Simulated;
using PatchKit.Lifecycle;

namespace PatchKit.Cli.Commands;

/// <summary>`patchkit plan`: the dry run. Reach and Resolve run; the plan (order, waves, evacuations, reboots, window
/// fit, estimated duration) is printed; nothing on any host is changed.</summary>
internal static class PlanCommand
{
    private static readonly ArgOption s_fleet = new('f', "fleet", true, "simulated fleet description (JSON)");
    private static readonly ArgOption s_catalog = new('c', "catalog", true, "patch catalog (JSON)");
    private static readonly ArgOption s_policy = new('p', "policy", true, "policy: approvals, windows, waves (JSON)");
    private static readonly ArgOption s_json = new('\0', "json", false, "print the plan as JSON");
    private static readonly ArgOption s_help = new('h', "help", false, "show this help");
    private static readonly ArgOption[] s_options = [s_fleet, s_catalog, s_policy, s_json, s_help];

    public static int Run(CliContext context, string[] args)
    {
        var (options, _) = ArgReader.Parse(args, s_options);
        if (options.Exists(o => o.Option == s_help))
        {
            ArgReader.PrintHelp(context.Output, "patchkit plan -f FLEET -c CATALOG -p POLICY [--json]", s_options);
            return ExitCodes.Success;
        }

        var inputs = LifecycleInputs.Load(context, options, s_fleet, s_catalog, s_policy);
        var clock = new SimulatedTimeProvider(inputs.Fleet.StartTime);
        var adapter = new SimulatedHostAdapter(inputs.Fleet, new SimulatedHostAdapterOptions { TimeProvider = clock });
        var pipeline = inputs.Policy.CreatePipeline(inputs.Catalog, null, clock, null, null, simulatedTimeline: true);
        var run = new PatchRunOptions { RunId = "plan", DryRun = true };
        run.Adapters.Add(adapter);
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
}
