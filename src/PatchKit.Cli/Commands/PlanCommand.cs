using PatchKit.Cli.Rendering;
using PatchKit.Hosts.Simulated;
using PatchKit.Lifecycle;

namespace PatchKit.Cli.Commands;

/// <summary>`patchkit plan`: the dry run. Reach and Resolve run; the plan (order, waves, evacuations, reboots, window
/// fit, estimated duration) is printed; nothing on any host is changed.</summary>
internal static class PlanCommand
{
    private static readonly ArgOption s_fleet = new('f', "fleet", true, "fleet: a simulated fleet description, or a fleet file for real machines (JSON)");
    private static readonly ArgOption s_catalog = new('c', "catalog", true, "patch catalog (JSON)");
    private static readonly ArgOption s_policy = new('p', "policy", true, "policy: approvals, windows, waves (JSON)");
    private static readonly ArgOption s_json = new('\0', "json", false, "print the plan as JSON");
    private static readonly ArgOption s_help = new('h', "help", false, "show this help");
    private static readonly ArgOption[] s_options = [s_fleet, s_catalog, LifecycleInputs.AdvisoriesOption, s_policy, s_json, s_help];

    public static int Run(CliContext context, string[] args)
    {
        var (options, _) = ArgReader.Parse(args, s_options);
        if (options.Exists(o => o.Option == s_help))
        {
            ArgReader.PrintHelp(context.Output, "patchkit plan -f FLEET (-c CATALOG | -a ADVISORIES)... -p POLICY [--json]", s_options);
            return ExitCodes.Success;
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
}
