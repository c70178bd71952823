namespace PatchKit.Hosts.Simulated;

/// <summary>A snapshot in the simulated state: what was installed when it was taken.</summary>
internal sealed class SimulatedSnapshot
{
    public string Id { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }

    public List<InstalledPatch> Installed { get; set; } = [];

    public bool PendingReboot { get; set; }
}
