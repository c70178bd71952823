using System.Globalization;
using PatchKit.Advisories;
using PatchKit.Cli.Demo;
using PatchKit.Cli.Rendering;
using PatchKit.Hosts.Simulated;
using PatchKit.Lifecycle;
using PatchKit.Lifecycle.Journal;

namespace PatchKit.Cli.Commands;

/// <summary>`patchkit demo`: the whole lifecycle on an embedded simulated fleet, progress on stderr, HTML report written.</summary>
internal static class DemoCommand
{
    private static readonly ArgOption s_output = new('o', "output", true, "folder for the report and journal (default: a new folder under the temp folder, printed)");
    private static readonly ArgOption s_quiet = new('q', "quiet", false, "no progress on stderr");
    private static readonly ArgOption s_scale = new('\0', "scale", true, "benchmark mode: N generated machines, prints timings");
    private static readonly ArgOption s_journal = new('\0', "journal", true, "benchmark journal: memory, file (no fsync), fsync (default), sqlite, or postgres://… (as run --journal)");
    private static readonly ArgOption s_help = new('h', "help", false, "show this help");
    private static readonly ArgOption[] s_options = [s_output, s_quiet, s_scale, s_journal, s_help];

    public static int Run(CliContext context, string[] args)
    {
        var (options, _) = ArgReader.Parse(args, s_options);
        if (options.Exists(o => o.Option == s_help))
        {
            ArgReader.PrintHelp(context.Output, "patchkit demo [-o DIR] [--scale N [--journal MODE]]", s_options);
            return ExitCodes.Success;
        }

        var fleet = DemoScenario.Fleet();
        string runId = "demo-" + fleet.StartTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];

        // Not the current folder: a demo run from a clone would leave an untracked folder in the repository.
        string output = RunCommand.Value(options, s_output) is { } named ? context.Resolve(named) : Path.Combine(Path.GetTempPath(), "patchkit-" + runId);
        if (RunCommand.Value(options, s_scale) is { } scale)
        {
            return ScaleRun.Run(context, ArgReader.ParseInt(s_scale, scale), RunCommand.Value(options, s_journal) ?? "fsync", output);
        }

        Directory.CreateDirectory(output);
        var clock = new SimulatedTimeProvider(fleet.StartTime);
        var adapter = new SimulatedHostAdapter(fleet, new SimulatedHostAdapterOptions { TimeProvider = clock });
        using var journal = new FileRunJournal(Path.Combine(output, runId + ".journal"));
        var pipeline = DemoScenario.Policy().CreatePipeline(new JsonPatchCatalog(DemoScenario.Catalog()), journal, clock, null, output, simulatedTimeline: true);
        bool quiet = options.Exists(o => o.Option == s_quiet);
        var printer = ProgressPrinter.For(context, quiet);
        var run = new PatchRunOptions { RunId = runId, Progress = printer, HostProgress = printer };
        run.Adapters.Add(adapter);
        if (!quiet)
        {
            context.Error.WriteLine($"patchkit demo: {Plural.Of(fleet.Hosts.Count, "simulated machine")} (ESX hosts with VMs, KVM hosts with QEMU guests), simulated time from {fleet.StartTime:yyyy-MM-dd}");
        }

        PatchRunResult result;
        try
        {
            result = pipeline.ExecuteAsync(run, context.CancellationToken).GetAwaiter().GetResult();
        }
        finally
        {
            printer?.Finish();
        }

        var r = result.Report!;
        context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"patched {r.Patched}, pending reboot {r.PatchedPendingReboot}, skipped {r.Skipped}, not applicable {r.NotApplicable}, failed {r.Failed}, rolled back {r.RolledBack}"));
        context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"compliance {r.CompliancePercent:F1} %, {Plural.Of(r.RestartsAvoided, "restart")} avoided, {r.MaintenanceTime.TotalHours:F1} h in maintenance mode, mean {r.MeanDaysBetweenPatches:F1} days between patches"));
        string html = result.Context.ReportFiles.FirstOrDefault(f => f.EndsWith(".html", StringComparison.Ordinal)) ?? "(none)";
        context.Output.WriteLine("HTML report: " + html);
        context.Output.WriteLine("output folder (report, journal): " + output);
        return ExitCodes.Success;
    }
}
