using PatchKit.Hosts;

namespace PatchKit.Lifecycle;

/// <summary>What one run works on.</summary>
public sealed class PatchRunOptions
{
    /// <summary>Gets or sets the run id. A run started again with the same id and journal resumes.</summary>
    /// <value>The default value is <see langword="null"/> (a new id is made from the clock).</value>
    public string? RunId { get; set; }

    /// <summary>Gets the adapters whose hosts the run covers.</summary>
    public IList<IHostAdapter> Adapters { get; } = [];

    /// <summary>Gets or sets where progress for people goes.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public IProgress<PatchProgress>? Progress { get; set; }

    /// <summary>Gets or sets where per-host progress goes, or <see langword="null"/>: each journaled step as it starts (its key
    /// without the host id, <c>repair/install/KB5098765</c>) and what adapters report while it runs (a migration's percentage).</summary>
    public IProgress<PatchKit.Hosts.HostProgress>? HostProgress { get; set; }

    /// <summary>Gets or sets whether the run only plans: Reach and Resolve run, Research and Repair describe what they
    /// would do, and nothing is changed on any host.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool DryRun { get; set; }

    /// <summary>Gets or sets the work queue through which several processes repair this run together, or
    /// <see langword="null"/> for a run repaired by this process alone.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Repair.IRepairWorkQueue? RepairQueue { get; set; }

    /// <summary>Gets or sets what this process does with <see cref="RepairQueue"/>: enqueue the plan, or work on it.</summary>
    /// <value>The default value is <see cref="Repair.RepairQueueRole.Enqueue"/>.</value>
    public Repair.RepairQueueRole RepairQueueRole { get; set; }
}
