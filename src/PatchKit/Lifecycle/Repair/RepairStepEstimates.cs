namespace PatchKit.Lifecycle.Repair;

/// <summary>How long the planner expects each step to take; window fit and the dry run's duration come from these.</summary>
public sealed class RepairStepEstimates
{
    /// <summary>Gets or sets a snapshot, revert or snapshot removal.</summary>
    /// <value>The default value is 2 minutes.</value>
    public TimeSpan Snapshot { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets a live migration, per guest.</summary>
    /// <value>The default value is 2 minutes.</value>
    public TimeSpan MigratePerGuest { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets entering or leaving maintenance mode.</summary>
    /// <value>The default value is 2 minutes.</value>
    public TimeSpan MaintenanceMode { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets installing one patch.</summary>
    /// <value>The default value is 10 minutes.</value>
    public TimeSpan Install { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets applying one patch live.</summary>
    /// <value>The default value is 3 minutes.</value>
    public TimeSpan LiveUpdate { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Gets or sets rebooting a hypervisor host.</summary>
    /// <value>The default value is 15 minutes.</value>
    public TimeSpan HostReboot { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Gets or sets rebooting a guest.</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan GuestReboot { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets a verification.</summary>
    /// <value>The default value is 1 minute.</value>
    public TimeSpan Verify { get; set; } = TimeSpan.FromMinutes(1);
}
