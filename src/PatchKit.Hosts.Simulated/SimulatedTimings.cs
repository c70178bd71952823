namespace PatchKit.Hosts.Simulated;

/// <summary>How long simulated operations take (simulated time; nothing waits for real).</summary>
public sealed record SimulatedTimings
{
    /// <summary>Gets the time to take or remove a snapshot.</summary>
    public TimeSpan Snapshot { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets the time to clone a machine to the lab.</summary>
    public TimeSpan LabClone { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets the time to install one patch.</summary>
    public TimeSpan Install { get; set; } = TimeSpan.FromMinutes(8);

    /// <summary>Gets the time to apply one patch live.</summary>
    public TimeSpan LiveUpdate { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets the time for a hypervisor host to reboot.</summary>
    public TimeSpan HostReboot { get; set; } = TimeSpan.FromMinutes(12);

    /// <summary>Gets the time for a guest to reboot.</summary>
    public TimeSpan GuestReboot { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Gets the time to live-migrate one guest.</summary>
    public TimeSpan MigratePerGuest { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>Gets the time after which a hanging migration is given up.</summary>
    public TimeSpan MigrationTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Gets the time to enter or leave maintenance mode.</summary>
    public TimeSpan MaintenanceMode { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets the time for a health check.</summary>
    public TimeSpan HealthCheck { get; set; } = TimeSpan.FromSeconds(30);
}
