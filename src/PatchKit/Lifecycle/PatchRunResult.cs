using PatchKit.Lifecycle.Repair;
using PatchKit.Lifecycle.Report;

namespace PatchKit.Lifecycle;

/// <summary>What a run did.</summary>
public sealed class PatchRunResult
{
    internal PatchRunResult(PatchRunContext context, int attempt, bool tornTailDetected)
    {
        Context = context;
        Attempt = attempt;
        TornTailDetected = tornTailDetected;
    }

    /// <summary>Gets the run id.</summary>
    public string RunId => Context.RunId;

    /// <summary>Gets which attempt of the run id this was (1 for a fresh run).</summary>
    public int Attempt { get; }

    /// <summary>Gets whether the journal's last record had been torn by a crash (it was ignored).</summary>
    public bool TornTailDetected { get; }

    /// <summary>Gets the run's context, with what every stage found.</summary>
    public PatchRunContext Context { get; }

    /// <summary>Gets the plan, when Repair ran.</summary>
    public RepairPlan? Plan => Context.Plan;

    /// <summary>Gets the report, when Report ran.</summary>
    public PatchRunReport? Report => Context.Report;
}
