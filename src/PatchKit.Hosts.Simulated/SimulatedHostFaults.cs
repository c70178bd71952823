namespace PatchKit.Hosts.Simulated;

/// <summary>Faults injected into one simulated machine.</summary>
public sealed record SimulatedHostFaults
{
    /// <summary>Gets whether every install on this machine fails.</summary>
    public bool InstallFails { get; init; }

    /// <summary>Gets whether live migration off (or onto) this host hangs until the migration timeout.</summary>
    public bool MigrationHangs { get; init; }

    /// <summary>Gets whether the machine does not come back after a reboot.</summary>
    public bool NoReturnAfterReboot { get; init; }

    /// <summary>Gets whether the health check fails once any patch has been installed in this run.</summary>
    public bool HealthFailsAfterPatch { get; init; }
}
