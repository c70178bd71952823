namespace PatchKit.Hosts.Kvm;

/// <summary>Where each guest runs now and which lab clones exist; kept in <see cref="KvmHostAdapterOptions.StateFile"/>.</summary>
internal sealed class KvmState
{
    public Dictionary<string, KvmGuestState> Guests { get; set; } = new(StringComparer.Ordinal);

    public List<string> MaintenanceHosts { get; set; } = [];
}

internal sealed class KvmGuestState
{
    public string Id { get; set; } = string.Empty;

    public string HostId { get; set; } = string.Empty;

    public string Qmp { get; set; } = string.Empty;

    public string? Agent { get; set; }

    public string? PidFile { get; set; }

    public int Generation { get; set; }

    public string StateDirectory { get; set; } = "/var/lib/patchkit";

    public string PatchRoot { get; set; } = "/";

    public int PatchStrip { get; set; } = 1;

    public List<string> Tags { get; set; } = [];

    /// <summary>For a lab clone: the guest it was cloned from.</summary>
    public string? CloneOf { get; set; }

    /// <summary>For a lab clone: its own folder (disk, sockets), removed when it is destroyed.</summary>
    public string? CloneDirectory { get; set; }

    /// <summary>For a lab clone: the snapshot it was made from.</summary>
    public string? CloneSnapshot { get; set; }
}
