using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PatchKit.Advisories;
using PatchKit.Internal;
using PatchKit.Lifecycle.Journal;
using PatchKit.Lifecycle.Repair;
using PatchKit.Lifecycle.Report;
using PatchKit.Lifecycle.Research;
using PatchKit.Lifecycle.Resolve;

namespace PatchKit.Lifecycle;

/// <summary>A policy file (JSON): approvals, maintenance windows, waves, concurrency and error budget. It builds the
/// standard five-stage pipeline, which is what <c>patchkit plan</c> and <c>patchkit run</c> use.</summary>
public sealed class LifecyclePolicy
{
    /// <summary>Gets the approval rules.</summary>
    public ApprovalPolicy Approval { get; set; } = new();

    /// <summary>Gets the maintenance windows (empty: always open).</summary>
    public IList<MaintenanceWindow> Windows { get; set; } = [];

    /// <summary>Gets how many hosts are patched at once.</summary>
    /// <value>The default value is 4.</value>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>Gets how many hosts may fail before the run halts.</summary>
    /// <value>The default value is 2.</value>
    public int ErrorBudget { get; set; } = 2;

    /// <summary>Gets the share of hosts in the canary wave when none is tagged <c>canary</c>.</summary>
    /// <value>The default value is 0.1.</value>
    public double CanaryFraction { get; set; } = 0.1;

    /// <summary>Gets whether any failure in the lab or canary wave halts the run.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool HaltOnEarlyWaveFailure { get; set; } = true;

    /// <summary>Gets or sets whether snapshots and lab clones PatchKit named for another run (a lost or cut journal)
    /// are removed by Reach (<see cref="Reach.ReachStageOptions.RemoveLeftovers"/>); otherwise they are reported.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool RemoveLeftovers { get; set; }

    /// <summary>Gets whether patches must pass the lab to be promoted.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RequireLab { get; set; } = true;

    /// <summary>Gets how far ahead a host may wait for a window.</summary>
    /// <value>The default value is 30 days.</value>
    public TimeSpan WindowHorizon { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Gets where patches that fail lab verification are reported when the pipeline is given an issue tracker.</summary>
    /// <value>The default value is <see langword="null"/>: a tracker cannot be used.</value>
    public LabIssuePolicy? LabIssues { get; set; }

    /// <summary>Reads a policy from UTF-8 JSON.</summary>
    /// <param name="utf8Json">The document.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="JsonException">The document is not a valid policy: not JSON, an unknown key, a value of the wrong
    /// kind or out of range (<c>maxConcurrency</c> below 1), an unknown time zone. The message lists every problem with
    /// its JSON path, line and column.</exception>
    public static LifecyclePolicy Parse(ReadOnlySpan<byte> utf8Json) =>
        JsonInput.Read(utf8Json, LifecycleJsonContext.Default.LifecyclePolicy, "policy", null, LifecyclePolicyValidator.Validate);

    /// <summary>Reads a policy file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="JsonException">The file is not a valid policy; the message names the file and lists every problem
    /// with its JSON path, line and column.</exception>
    public static LifecyclePolicy Load(string path) => JsonInput.Load(path, static bytes => Parse(bytes));

    /// <summary>Writes the policy as UTF-8 JSON.</summary>
    /// <returns>The document.</returns>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, LifecycleJsonContext.Default.LifecyclePolicy);

    /// <summary>Builds Reach → Resolve → Research → Repair → Report with this policy.</summary>
    /// <param name="catalog">Where patches come from.</param>
    /// <param name="journal">The journal, or <see langword="null"/> for an in-memory one.</param>
    /// <param name="timeProvider">The clock, or <see langword="null"/> for the system clock.</param>
    /// <param name="loggerFactory">The logger factory, or <see langword="null"/>.</param>
    /// <param name="reportDirectory">Where report files go, or <see langword="null"/> to keep the report in memory.</param>
    /// <param name="simulatedTimeline">Whether host timelines advance by the durations adapters report (simulated
    /// fleets, see <see cref="PatchPipelineBuilder.SimulatedTimeline"/>) instead of by the wall clock.</param>
    /// <param name="issueTracker">Where patches that fail lab verification are filed (with <see cref="LabIssues"/>), or
    /// <see langword="null"/>.</param>
    /// <returns>The pipeline.</returns>
    /// <exception cref="ArgumentException">An issue tracker is given but the policy has no <see cref="LabIssues"/>.</exception>
    public PatchPipeline CreatePipeline(IPatchCatalog catalog, IRunJournal? journal, TimeProvider? timeProvider, ILoggerFactory? loggerFactory,
        string? reportDirectory, bool simulatedTimeline = false, Integrations.IIssueTracker? issueTracker = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (issueTracker is not null && LabIssues is null)
        {
            throw new ArgumentException("The policy names no labIssues (product and component) to file lab failures under.", nameof(issueTracker));
        }

        var repair = new RepairStageOptions
        {
            MaxConcurrency = MaxConcurrency,
            ErrorBudget = ErrorBudget,
            CanaryFraction = CanaryFraction,
            HaltOnEarlyWaveFailure = HaltOnEarlyWaveFailure,
            WindowHorizon = WindowHorizon,
        };
        foreach (var w in Windows)
        {
            repair.Windows.Add(w);
        }

        return new PatchPipelineBuilder
        {
            TimeProvider = timeProvider ?? TimeProvider.System,
            LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance,
            Journal = journal,
            SimulatedTimeline = simulatedTimeline,
        }
            .AddReach(new Reach.ReachStageOptions { RemoveLeftovers = RemoveLeftovers })
            .AddResolve(new ResolveStageOptions { Catalog = catalog, Approval = Approval })
            .AddResearch(new ResearchStageOptions
            {
                RequireLab = RequireLab,
                IssueTracker = issueTracker,
                IssueProduct = LabIssues?.Product,
                IssueComponent = LabIssues?.Component,
                IssueVersion = LabIssues?.Version,
                ReportDirectory = reportDirectory,
            })
            .AddRepair(repair)
            .AddReport(new ReportStageOptions { OutputDirectory = reportDirectory })
            .Build();
    }
}
