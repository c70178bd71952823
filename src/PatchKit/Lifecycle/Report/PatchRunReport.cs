using PatchKit.Lifecycle.Repair;
using PatchKit.Lifecycle.Research;

namespace PatchKit.Lifecycle.Report;

/// <summary>The machine-readable report of a run; <see cref="ReportRenderer"/> turns it into JSON, Markdown and HTML.</summary>
public sealed record PatchRunReport
{
    /// <summary>Gets the run id.</summary>
    public required string RunId { get; init; }

    /// <summary>Gets when the report was made.</summary>
    public DateTimeOffset GeneratedAt { get; init; }

    /// <summary>Gets when the run's timeline started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets when the run's timeline ended (the last host's last step).</summary>
    public DateTimeOffset EndedAt { get; init; }

    /// <summary>Gets whether this was a dry run (a plan only).</summary>
    public bool DryRun { get; init; }

    /// <summary>Gets whether the run resumed an earlier attempt.</summary>
    public bool Resumed { get; init; }

    /// <summary>Gets whether the error budget halted the run.</summary>
    public bool Halted { get; init; }

    /// <summary>Gets why the run halted.</summary>
    public string HaltReason { get; set; } = string.Empty;

    /// <summary>Gets the hosts patched.</summary>
    public int Patched { get; init; }

    /// <summary>Gets the hosts patched with a reboot pending.</summary>
    public int PatchedPendingReboot { get; init; }

    /// <summary>Gets the hosts skipped (window, approval, lab, error budget, unreachable).</summary>
    public int Skipped { get; init; }

    /// <summary>Gets the hosts nothing applied to.</summary>
    public int NotApplicable { get; init; }

    /// <summary>Gets the hosts that failed.</summary>
    public int Failed { get; init; }

    /// <summary>Gets the hosts rolled back after a failed verification.</summary>
    public int RolledBack { get; init; }

    /// <summary>Gets the hosts planned (dry run).</summary>
    public int Planned { get; init; }

    /// <summary>Gets the share of hosts with no approved patch missing after the run (patched, up to date, or with
    /// nothing approved), in percent. Pending reboots do not count as compliant.</summary>
    public double CompliancePercent { get; init; }

    /// <summary>Gets the mean days between patches over the hosts with at least two installs, or <see langword="null"/>.</summary>
    public double? MeanDaysBetweenPatches { get; init; }

    /// <summary>Gets the total time hosts spent in maintenance mode.</summary>
    public TimeSpan MaintenanceTime { get; init; }

    /// <summary>Gets the restarts avoided by live update and live migration.</summary>
    public int RestartsAvoided { get; init; }

    /// <summary>Gets the waves.</summary>
    public IReadOnlyList<RepairWave> Waves { get; set; } = [];

    /// <summary>Gets the hosts.</summary>
    public IReadOnlyList<HostReport> Hosts { get; set; } = [];

    /// <summary>Gets the lab verdicts.</summary>
    public IReadOnlyList<LabTestResult> LabTests { get; set; } = [];

    /// <summary>Gets the plan (dry runs), or <see langword="null"/>.</summary>
    public RepairPlan? Plan { get; init; }

    /// <summary>Gets the earlier runs, oldest first, this one last.</summary>
    public IReadOnlyList<RunHistoryEntry> History { get; set; } = [];

    /// <summary>Gets the hosts that were in maintenance mode when the run began and are still left so (an earlier run
    /// that crashed, a journal that was lost): they need attention and are not counted as compliant.</summary>
    public IReadOnlyList<string> LeftInMaintenanceMode { get; set; } = [];

    /// <summary>Gets the hosts that need an administrator (failed, rolled back, skipped, pending a reboot, left in
    /// maintenance mode), each with what happened and the next step; the report lists them first.</summary>
    public IReadOnlyList<AttentionItem> NeedsAttention { get; set; } = [];

    /// <summary>Gets the patches the approval policy held back, with the rule that held each.</summary>
    public IReadOnlyList<HeldPatchSummary> HeldPatches { get; set; } = [];

    /// <summary>Gets the approved patches that fix advisories (CVEs, or read from advisory documents), each with the
    /// advisories it fixes and why it applies to each host.</summary>
    public IReadOnlyList<AdvisoryFixSummary> Fixes { get; set; } = [];
}
