using System.Globalization;
using PatchKit.Advisories;
using PatchKit.Cli.Rendering;
using PatchKit.Hosts.Simulated;
using PatchKit.Integrations;
using PatchKit.Integrations.Bugzilla;
using PatchKit.Lifecycle;
using PatchKit.Lifecycle.Journal;
using PatchKit.Lifecycle.Postgres;
using PatchKit.Lifecycle.Repair;
using PatchKit.Lifecycle.Report;

namespace PatchKit.Cli.Commands;

/// <summary>`patchkit run`: the whole lifecycle over a fleet, catalog and policy, journaled and resumable by run id.</summary>
internal static class RunCommand
{
    /// <summary>Gets or sets the crash point at which the simulated fleet kills the process: set only by the crash tests'
    /// own host of the CLI (tests/PatchKit.TestHost), never by the shipped CLI.</summary>
    internal static int? CrashAtPoint { get; set; }

    /// <summary>Gets or sets a wrapper around the issue tracker of `--bugzilla`: set only by the crash tests' own host of the
    /// CLI (to kill the process right after a bug is filed), never by the shipped CLI.</summary>
    internal static Func<IIssueTracker, IIssueTracker>? WrapIssueTracker { get; set; }

    private static readonly ArgOption s_fleet = new('f', "fleet", true, "fleet: a simulated fleet description, or a fleet file for real machines (JSON)");
    private static readonly ArgOption s_esx = new('\0', "esx", true, "VMware vCenter/ESXi connection file (JSON), instead of --fleet: patch real hosts");
    private static readonly ArgOption s_catalog = new('c', "catalog", true, "patch catalog (JSON)");
    private static readonly ArgOption s_policy = new('p', "policy", true, "policy: approvals, windows, waves (JSON)");
    private static readonly ArgOption s_runId = new('r', "run-id", true, "run id; an existing id resumes that run");
    private static readonly ArgOption s_journal = new('j', "journal", true, "journal: a file, sqlite:FILE, or postgres://USER@HOST:PORT/DB?password-env=VAR (or password-file=PATH) (default: OUTPUT/RUN-ID.journal)");
    private static readonly ArgOption s_journalKeyEnv = new('\0', "journal-key-env", true, "authenticate the journal file's records (HMAC-SHA256) with the key in this environment variable");
    private static readonly ArgOption s_journalKeyFile = new('\0', "journal-key-file", true, "authenticate the journal file's records (HMAC-SHA256) with the key in this file");
    private static readonly ArgOption s_state = new('\0', "state", true, "simulated fleet state file (default: JOURNAL.fleet-state.json)");
    private static readonly ArgOption s_bugzilla = new('\0', "bugzilla", true, "Bugzilla connection file (JSON): file a bug for each patch that fails the lab (the policy's labIssues say where)");
    private static readonly ArgOption s_output = new('o', "output", true, "report folder (default: patchkit-reports)");
    private static readonly ArgOption s_json = new('\0', "json", false, "print the JSON report on stdout");
    private static readonly ArgOption s_quiet = new('q', "quiet", false, "no progress on stderr");
    private static readonly ArgOption s_force = new('\0', "force", false, "resume even though the fleet, catalog or policy changed: the run's journal is set aside and the run starts again from the hosts' current state (see docs/journals.md)");
    private static readonly ArgOption s_help = new('h', "help", false, "show this help");
    private static readonly ArgOption s_workers = new('\0', "workers", false, "plan the run and queue its hosts in the PostgreSQL journal for `patchkit worker` processes, then stop");
    private static readonly ArgOption s_removeLeftovers = new('\0', "remove-leftovers", false, "remove snapshots and lab clones PatchKit named for another run (a lost or cut journal); otherwise they are only reported");
    private static readonly ArgOption[] s_options = [s_fleet, s_esx, s_catalog, LifecycleInputs.AdvisoriesOption, s_policy, s_runId, s_journal, s_journalKeyEnv, s_journalKeyFile, s_state, s_bugzilla, s_output, s_workers, s_removeLeftovers, s_force, s_json, s_quiet, s_help];

    private static readonly ArgOption s_workerJournal = new('j', "journal", true, "the shared journal: postgres://USER@HOST:PORT/DB?password-env=VAR (or password-file=PATH)");
    private static readonly ArgOption s_workerRunId = new('r', "run-id", true, "the run to work on (queued by `patchkit run --workers`)");
    private static readonly ArgOption s_workerState = new('\0', "state", true, "simulated fleet state file shared by the workers of this machine (default: OUTPUT/RUN-ID.fleet-state.json)");
    private static readonly ArgOption s_lease = new('\0', "lease", true, "seconds a host's lease lasts unless renewed (default 30; renewed every third of it)");
    private static readonly ArgOption s_workerId = new('\0', "worker-id", true, "this worker's name in the queue (default: HOSTNAME-PID)");
    private static readonly ArgOption s_callDelay = new('\0', "sim-call-delay", true, "simulated fleet only: milliseconds every host call takes in wall-clock time (real-time mode)");
    private static readonly ArgOption[] s_workerOptions = [s_fleet, s_catalog, LifecycleInputs.AdvisoriesOption, s_policy, s_workerRunId, s_workerJournal, s_workerState, s_output, s_lease, s_workerId, s_callDelay, s_json, s_quiet, s_help];

    public static int Run(CliContext context, string[] args)
    {
        var (options, _) = ArgReader.Parse(args, s_options);
        if (options.Exists(o => o.Option == s_help))
        {
            ArgReader.PrintHelp(context.Output, "patchkit run (-f FLEET | --esx CONNECTION) (-c CATALOG | -a ADVISORIES)... -p POLICY [-r RUN-ID] [-j JOURNAL] [-o DIR]", s_options);
            context.Output.WriteLine();
            context.Output.WriteLine("Exit codes: 0 every planned host patched; 1 some hosts failed, were rolled back, or the run halted; 2 trouble.");
            return ExitCodes.Success;
        }

        if (Value(options, s_esx) is { } esxPath)
        {
            return RunEsx(context, options, esxPath);
        }

        if (options.Exists(o => o.Option == s_workers))
        {
            return Enqueue(context, options);
        }

        var inputs = LifecycleInputs.Load(context, options, s_fleet, s_catalog, s_policy);
        using var tracker = OpenTracker(context, options, inputs.Policy);
        string output = context.Resolve(Value(options, s_output) ?? "patchkit-reports");
        TimeProvider clock = inputs.Fleet is { } sim ? new SimulatedTimeProvider(sim.StartTime) : TimeProvider.System;
        string runId = Value(options, s_runId) ?? "run-" + clock.GetUtcNow().ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];
        string journalValue = Value(options, s_journal) ?? Path.Combine(output, runId + ".journal");
        var key = JournalOption.ReadKey(context, Value(options, s_journalKeyEnv), Value(options, s_journalKeyFile));
        bool force = options.Exists(o => o.Option == s_force);
        var journalOption = JournalOption.Open(context, journalValue, key);
        try
        {
            string journalPath = journalOption.Display;
            string statePath = context.Resolve(Value(options, s_state) ?? (journalOption.LocalPath ?? Path.Combine(output, runId)) + ".fleet-state.json");
            var earlier = journalOption.ReadRun(runId, context.CancellationToken);
            bool resuming = earlier.Exists;
            if (earlier is { Completed: { } completed } finished)
            {
                return PrintFinished(context, options, runId, journalPath, output, completed, finished.Attempts);
            }

            // Starts the run again with the inputs given now (--force): the journal file is set aside, never edited.
            void Restart(string why, Exception? inner)
            {
                if (journalOption.LocalPath is null || journalOption.Journal is not PatchKit.Lifecycle.Journal.FileRunJournal)
                {
                    throw new CliInputException(
                        $"run '{runId}' cannot be resumed with --force: its journal ({journalPath}) is a database, whose records of the run are shared and are not set aside.",
                        "Start a new run with another --run-id (the new run plans from the hosts' current state).", inner);
                }

                journalOption.Dispose();
                string setAside = SetAside(journalOption.LocalPath);
                context.Error.WriteLine($"patchkit run: --force: the inputs changed since run {runId} started ({why}); its journal was moved to {setAside} and the run starts again from the hosts' current state.");
                journalOption = JournalOption.Open(context, journalValue, key);
                journalOption.WriteInputs(runId, inputs.Fingerprint, clock.GetUtcNow(), context.CancellationToken);
            }

            if (resuming && earlier.Inputs is { } startedWith && inputs.Fingerprint.ChangesSince(startedWith) is { Count: > 0 } changes)
            {
                if (!force)
                {
                    throw new CliInputException(
                        $"run '{runId}' cannot be resumed: its inputs changed since it started (journal {journalPath}):"
                        + string.Concat(changes.Select(c => Environment.NewLine + "  " + c)),
                        ChangedInputsHint);
                }

                Restart(string.Join("; ", changes), null);
                resuming = false;
            }
            else if (!resuming)
            {
                journalOption.WriteInputs(runId, inputs.Fingerprint, clock.GetUtcNow(), context.CancellationToken);
            }

            PatchRunResult result;
            try
            {
                result = Execute(context, options, inputs, tracker, clock, output, runId, journalOption, statePath);
            }
            catch (Exception ex) when (resuming && (ex is KeyNotFoundException || ex.InnerException is KeyNotFoundException))
            {
                // A journal written before inputs were fingerprinted names a host or patch the inputs given now do not have.
                var missing = (KeyNotFoundException)(ex as KeyNotFoundException ?? ex.InnerException!);
                string what = ErrorText.TryParseKey(missing.Message, out _, out string? name) && name is not null ? $"'{name}'" : "a host or patch";
                if (!force)
                {
                    throw new CliInputException(
                        $"run '{runId}' cannot be resumed: its journal ({journalPath}) names {what}, which the fleet, catalog or policy given now does not have; the inputs changed since the run started.",
                        ChangedInputsHint, ex);
                }

                Restart(what + " is gone", ex);
                result = Execute(context, options, inputs, tracker, clock, output, runId, journalOption, statePath);
            }

            return Print(context, options, runId, journalPath, result);
        }
        finally
        {
            journalOption.Dispose();
        }
    }

    private const string ChangedInputsHint =
        "Resume with the same fleet, catalog and policy files as the earlier attempt, or start a new run with another --run-id (the new run plans from the hosts' current state; the old journal is kept), "
        + "or add --force to run this run id again with the new inputs: its journal is set aside, so nothing the earlier attempts did is replayed or rolled back by it, and the run plans again from what the hosts report now.";

    /// <summary>Runs the pipeline of `run` over a simulated or real fleet with the journal given.</summary>
    private static PatchRunResult Execute(CliContext context, List<(ArgOption Option, string? Value)> options, LifecycleInputs inputs, BugzillaTracker? tracker,
        TimeProvider clock, string output, string runId, JournalOption journalOption, string statePath)
    {
        if (options.Exists(o => o.Option == s_removeLeftovers))
        {
            inputs.Policy.RemoveLeftovers = true;
        }

        var pipeline = inputs.Policy.CreatePipeline(inputs.Catalog, journalOption.Journal, clock, null, output, simulatedTimeline: inputs.Fleet is not null, Wrap(tracker));
        var printer = ProgressPrinter.For(context, options.Exists(o => o.Option == s_quiet));
        var run = new PatchRunOptions { RunId = runId, Progress = printer, HostProgress = printer };
        if (inputs.Fleet is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(statePath)!);
            run.Adapters.Add(new SimulatedHostAdapter(inputs.Fleet, new SimulatedHostAdapterOptions
            {
                StatePath = statePath,
                TimeProvider = clock,
                Faults = new SimulatedFaultOptions { CrashAtPoint = CrashAtPoint },
            }));
        }
        else
        {
            foreach (var a in inputs.Real!.Adapters)
            {
                run.Adapters.Add(a);
            }
        }

        try
        {
            return pipeline.ExecuteAsync(run, context.CancellationToken).GetAwaiter().GetResult();
        }
        finally
        {
            printer?.Finish();
        }
    }

    /// <summary>Moves a run's journal file to the first free <c>JOURNAL.set-aside-N</c> and returns that name.</summary>
    private static string SetAside(string journal)
    {
        for (int n = 1; ; n++)
        {
            string to = journal + ".set-aside-" + n.ToString(CultureInfo.InvariantCulture);
            if (!File.Exists(to))
            {
                File.Move(journal, to);
                return to;
            }
        }
    }

    /// <summary>`patchkit run --workers`: Reach, Resolve and Research run here; the plan is journaled once and its hosts
    /// queued in the PostgreSQL journal; the workers repair them.</summary>
    private static int Enqueue(CliContext context, List<(ArgOption Option, string? Value)> options)
    {
        string runId = Value(options, s_runId) ?? throw new ArgReaderException("option '--workers' needs '--run-id' (the workers name the run)");
        string journal = Value(options, s_journal) ?? throw new ArgReaderException("option '--workers' needs '--journal postgres://…' (the journal the workers share)");
        return Shared(context, options, runId, journal, Value(options, s_state), RepairQueueRole.Enqueue, "planner-" + Environment.ProcessId, TimeSpan.FromSeconds(30), TimeSpan.Zero);
    }

    /// <summary>`patchkit worker`: claims hosts of a queued run from the PostgreSQL journal and repairs them until every
    /// host is done, then prints the run's report, built from the shared journal.</summary>
    public static int Worker(CliContext context, string[] args)
    {
        var (options, _) = ArgReader.Parse(args, s_workerOptions);
        if (options.Exists(o => o.Option == s_help))
        {
            ArgReader.PrintHelp(context.Output, "patchkit worker -f FLEET (-c CATALOG | -a ADVISORIES)... -p POLICY -r RUN-ID -j postgres://… [--lease SECONDS] [-o DIR]", s_workerOptions);
            context.Output.WriteLine();
            context.Output.WriteLine("Start the run with `patchkit run --workers -r RUN-ID -j postgres://…` first; any number of workers, on any machines, then share it.");
            context.Output.WriteLine("Exit codes: 0 every planned host patched; 1 some hosts failed, were rolled back, or the run halted; 2 trouble.");
            return ExitCodes.Success;
        }

        string runId = Value(options, s_workerRunId) ?? throw new ArgReaderException("option '--run-id' is required");
        string journal = Value(options, s_workerJournal) ?? throw new ArgReaderException("option '--journal' is required (postgres://…)");
        var lease = TimeSpan.FromSeconds(Seconds(Value(options, s_lease), "--lease", 30, 0.3));
        var delay = TimeSpan.FromMilliseconds(Seconds(Value(options, s_callDelay), "--sim-call-delay", 0, 0));
        string workerId = Value(options, s_workerId) ?? Environment.MachineName + "-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        return Shared(context, options, runId, journal, Value(options, s_workerState), RepairQueueRole.Work, workerId, lease, delay);
    }

    private static double Seconds(string? value, string option, double fallback, double minimum)
    {
        if (value is null)
        {
            return fallback;
        }

        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v >= minimum && v <= 86_400
            ? v
            : throw new ArgReaderException($"option '{option}' needs a number from {minimum.ToString(CultureInfo.InvariantCulture)} to 86400, not '{value}'");
    }

    private static int Shared(CliContext context, List<(ArgOption Option, string? Value)> options, string runId, string journalValue, string? state,
        RepairQueueRole role, string workerId, TimeSpan lease, TimeSpan callDelay)
    {
        var inputs = LifecycleInputs.Load(context, options, s_fleet, s_catalog, s_policy);
        string output = context.Resolve(Value(options, s_output) ?? "patchkit-reports");
        using var journalOption = JournalOption.Open(context, journalValue);
        var store = journalOption.Store ?? throw new ArgReaderException(
            (role == RepairQueueRole.Enqueue ? "option '--workers'" : "patchkit worker") + " needs a PostgreSQL journal (--journal postgres://…), which every worker shares");
        string statePath = context.Resolve(state ?? Path.Combine(output, runId) + ".fleet-state.json");
        TimeProvider clock = inputs.Fleet is { } sim ? new SimulatedTimeProvider(sim.StartTime) : TimeProvider.System;

        // Every process of a shared run works from the inputs the run was queued with: a worker given another policy or
        // fleet would plan and act differently from the others.
        var queuedWith = journalOption.ReadRun(runId, context.CancellationToken).Inputs;
        if (queuedWith is not null && inputs.Fingerprint.ChangesSince(queuedWith) is { Count: > 0 } changes)
        {
            throw new CliInputException(
                $"run '{runId}' was queued with other inputs than {(role == RepairQueueRole.Enqueue ? "these" : "this worker's")} (journal {journalOption.Display}):"
                + string.Concat(changes.Select(c => Environment.NewLine + "  " + c)),
                "Give every worker the fleet, catalog and policy files the run was queued with, or queue a new run with another --run-id.");
        }

        if (queuedWith is null && role == RepairQueueRole.Enqueue)
        {
            journalOption.WriteInputs(runId, inputs.Fingerprint, clock.GetUtcNow(), context.CancellationToken);
        }

        var pipeline = inputs.Policy.CreatePipeline(inputs.Catalog, journalOption.Journal, clock, null, output, simulatedTimeline: inputs.Fleet is not null);
        var adapters = new List<PatchKit.Hosts.IHostAdapter>();
        if (inputs.Fleet is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(statePath)!);
            adapters.Add(new SimulatedHostAdapter(inputs.Fleet, new SimulatedHostAdapterOptions
            {
                StatePath = statePath,
                TimeProvider = clock,
                SharedState = true,
                CallDelay = callDelay,
                Faults = new SimulatedFaultOptions { CrashAtPoint = CrashAtPoint },
            }));
        }
        else
        {
            adapters.AddRange(inputs.Real!.Adapters);
        }

        var progress = ProgressPrinter.For(context, options.Exists(o => o.Option == s_quiet));
        var run = new PatchRunOptions { RunId = runId, Progress = progress, HostProgress = progress, RepairQueue = new PostgresRepairQueue(store, workerId, lease), RepairQueueRole = role };
        foreach (var a in adapters)
        {
            run.Adapters.Add(a);
        }

        PatchRunResult result;
        try
        {
            result = pipeline.ExecuteAsync(run, context.CancellationToken).GetAwaiter().GetResult();
        }
        catch (PipelineStageException ex) when (ex.InnerException is null && role == RepairQueueRole.Work)
        {
            throw new CliInputException("patchkit worker: " + ex.Message + ".", "Queue the run first: patchkit run --workers -r " + runId + " --journal … with the same fleet, catalog and policy.", ex);
        }
        finally
        {
            progress?.Finish();
        }

        if (role == RepairQueueRole.Enqueue)
        {
            var plan = result.Context.Plan!;
            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {runId} queued: {plan.Hosts.Count} hosts in {plan.Waves.Count} waves, {plan.NotPlanned.Count} not planned"));
            context.Output.WriteLine("journal: " + journalOption.Display);
            context.Output.WriteLine($"start workers: patchkit worker -r {runId} -j '{journalValue}' -f … -c … -p …");
            return ExitCodes.Success;
        }

        int mine = result.Context.Repair?.Outcomes.Count ?? 0;
        context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worker {workerId}: repaired {mine} hosts of run {runId}; every host is done"));

        // Every host is done: the report is built from the shared journal (every step replays; nothing runs again).
        var report = new PatchRunOptions { RunId = runId, Progress = null };
        foreach (var a in adapters)
        {
            report.Adapters.Add(a);
        }

        result = pipeline.ExecuteAsync(report, context.CancellationToken).GetAwaiter().GetResult();
        return Print(context, options, runId, journalOption.Display, result);
    }

    /// <summary>A run against real VMware hosts: the fleet is the vCenter's inventory, time is the wall clock.</summary>
    private static int RunEsx(CliContext context, List<(ArgOption Option, string? Value)> options, string esxPath)
    {
        if (Value(options, s_fleet) is not null)
        {
            throw new ArgReaderException("give either '--fleet' or '--esx', not both");
        }

        var connection = LifecycleInputs.LoadEsx(context, context.Resolve(esxPath));
        var (catalog, policy, fingerprint) = LifecycleInputs.LoadCatalogAndPolicy(context, options, s_catalog, s_policy);
        using var tracker = OpenTracker(context, options, policy);
        string output = context.Resolve(Value(options, s_output) ?? "patchkit-reports");
        string runId = Value(options, s_runId) ?? "run-" + DateTimeOffset.UtcNow.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];
        using var journalOption = JournalOption.Open(context, Value(options, s_journal) ?? Path.Combine(output, runId + ".journal"), JournalOption.ReadKey(context, Value(options, s_journalKeyEnv), Value(options, s_journalKeyFile)));
        string journalPath = journalOption.Display;
        var earlier = journalOption.ReadRun(runId, context.CancellationToken);
        if (earlier is { Completed: { } completed } finished)
        {
            return PrintFinished(context, options, runId, journalPath, output, completed, finished.Attempts);
        }

        if (!earlier.Exists)
        {
            journalOption.WriteInputs(runId, fingerprint, DateTimeOffset.UtcNow, context.CancellationToken);
        }
        else if (earlier.Inputs is { } startedWith && fingerprint.ChangesSince(startedWith) is { Count: > 0 } changes)
        {
            throw new CliInputException(
                $"run '{runId}' cannot be resumed: its inputs changed since it started (journal {journalPath}):" + string.Concat(changes.Select(c => Environment.NewLine + "  " + c)),
                "Resume with the same catalog and policy files as the earlier attempt, or start a new run with another --run-id (the new run plans from the hosts' current state; the old journal is kept).");
        }

        PatchKit.Hosts.Esx.EsxHostAdapter adapter;
        try
        {
            adapter = new PatchKit.Hosts.Esx.EsxHostAdapter(connection.ToOptions(context.Resolve));
        }
        catch (PatchKit.Hosts.HostAdapterException ex)
        {
            throw new CliInputException("the ESX connection file '" + esxPath + "' cannot be used: " + ex.Message, "Fix the file and run again.", ex);
        }

        policy.RemoveLeftovers |= options.Exists(o => o.Option == s_removeLeftovers);
        var pipeline = policy.CreatePipeline(catalog, journalOption.Journal, TimeProvider.System, null, output, simulatedTimeline: false, Wrap(tracker));
        var printer = ProgressPrinter.For(context, options.Exists(o => o.Option == s_quiet));
        var run = new PatchRunOptions { RunId = runId, Progress = printer, HostProgress = printer };
        run.Adapters.Add(adapter);
        PatchRunResult result;
        try
        {
            result = pipeline.ExecuteAsync(run, context.CancellationToken).GetAwaiter().GetResult();
        }
        finally
        {
            printer?.Finish();
            adapter.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return Print(context, options, runId, journalPath, result);
    }

    /// <summary>`run` with the id of a run that finished: nothing is run again; say so and show the report it wrote.</summary>
    private static int PrintFinished(CliContext context, List<(ArgOption Option, string? Value)> options, string runId, string journalPath, string output,
        PatchKit.Lifecycle.Journal.JournalRecord completed, int attempts)
    {
        string stem = Path.Combine(output, "patchkit-report-" + runId);
        PatchKit.Lifecycle.Report.PatchRunReport? report = null;
        string? problem = null;
        try
        {
            var info = new FileInfo(stem + ".json");
            report = info.Exists && info.Length <= 512L * 1024 * 1024
                ? ReportRenderer.FromJson(File.ReadAllBytes(info.FullName))
                : null;
            problem = report is null ? "its JSON report " + info.FullName + " is missing (was it written to another --output folder?)" : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            problem = "its JSON report " + stem + ".json cannot be read (" + ErrorText.Describe(ex) + ")";
        }

        if (options.Exists(o => o.Option == s_json) && report is not null)
        {
            context.Output.Write(System.Text.Encoding.UTF8.GetString(ReportRenderer.ToJson(report)));
            context.Output.WriteLine();
        }
        else
        {
            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {runId} finished at {completed.At:yyyy-MM-dd HH:mm} UTC after {Rendering.Plural.Of(attempts, "attempt")}; nothing was run again."));
            if (report is not null)
            {
                context.Output.WriteLine(SummaryLine(report));
                foreach (string ext in new[] { ".json", ".md", ".html" })
                {
                    if (File.Exists(stem + ext))
                    {
                        context.Output.WriteLine("report: " + stem + ext);
                    }
                }
            }

            context.Output.WriteLine("journal: " + journalPath);
            context.Output.WriteLine("To patch what changed since, start a new run (another --run-id, or none for a fresh one).");
        }

        if (report is null)
        {
            context.Error.WriteLine("patchkit run: run " + runId + " finished, but " + problem + ".");
            return ExitCodes.Trouble;
        }

        return report.Failed + report.RolledBack > 0 || report.Halted ? ExitCodes.Partial : ExitCodes.Success;
    }

    /// <summary>The Bugzilla of `--bugzilla FILE`, or <see langword="null"/>.</summary>
    private static BugzillaTracker? OpenTracker(CliContext context, List<(ArgOption Option, string? Value)> options, PatchKit.Lifecycle.LifecyclePolicy policy)
    {
        if (Value(options, s_bugzilla) is not { } path)
        {
            return null;
        }

        var file = LifecycleInputs.LoadBugzilla(context, path, policy, Value(options, s_policy) ?? string.Empty);
        return new BugzillaTracker(file.ToOptions(context.Resolve));
    }

    private static IIssueTracker? Wrap(BugzillaTracker? tracker) =>
        tracker is null ? null : WrapIssueTracker is { } wrap ? wrap(tracker) : tracker;

    /// <summary>The one-line outcome of a run, as `run` prints it.</summary>
    private static string SummaryLine(PatchKit.Lifecycle.Report.PatchRunReport report) => string.Create(CultureInfo.InvariantCulture,
        $"patched {report.Patched}, pending reboot {report.PatchedPendingReboot}, skipped {report.Skipped}, not applicable {report.NotApplicable}, failed {report.Failed}, rolled back {report.RolledBack}; compliance {report.CompliancePercent:F1} %");

    private static int Print(CliContext context, List<(ArgOption Option, string? Value)> options, string runId, string journalPath, PatchRunResult result)
    {
        var report = result.Report!;
        if (options.Exists(o => o.Option == s_json))
        {
            context.Output.Write(System.Text.Encoding.UTF8.GetString(ReportRenderer.ToJson(report)));
            context.Output.WriteLine();
        }
        else
        {
            context.Output.WriteLine($"run {runId} (attempt {result.Attempt}{(result.TornTailDetected ? ", torn journal tail ignored" : string.Empty)})");
            context.Output.WriteLine(SummaryLine(report));
            if (report.NeedsAttention.Count > 0)
            {
                context.Output.WriteLine($"needs attention: {Rendering.Plural.Of(report.NeedsAttention.Count, "host")}");
                foreach (var a in report.NeedsAttention.Take(20))
                {
                    string patches = a.Patches.Count > 0 ? " (" + string.Join(", ", a.Patches) + ")" : string.Empty;
                    context.Output.WriteLine($"  {a.HostId}{patches}: {a.What}");
                    context.Output.WriteLine($"    next: {a.NextStep}");
                }

                if (report.NeedsAttention.Count > 20)
                {
                    context.Output.WriteLine($"  … {report.NeedsAttention.Count - 20} more in the report");
                }
            }

            foreach (var f in report.Fixes)
            {
                context.Output.WriteLine($"fixes: {f.PatchId}" + (f.Cves.Count > 0 ? " (" + string.Join(", ", f.Cves) + ")" : string.Empty) + " on " + string.Join("; ", f.Hosts));
            }

            foreach (var h in report.HeldPatches)
            {
                context.Output.WriteLine($"held by policy: {h.PatchId} ({h.Reason}) on {Rendering.Plural.Of(h.HostIds.Count, "host")}");
            }

            foreach (var f in result.Context.ReportFiles)
            {
                context.Output.WriteLine("report: " + f);
            }

            context.Output.WriteLine("journal: " + journalPath);
        }

        return report.Failed + report.RolledBack > 0 || report.Halted ? ExitCodes.Partial : ExitCodes.Success;
    }

    internal static string? Value(List<(ArgOption Option, string? Value)> options, ArgOption option)
    {
        string? v = null;
        foreach (var (o, value) in options)
        {
            if (o == option)
            {
                v = value;
            }
        }

        return v;
    }
}
