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

    /// <summary>Gets or sets how new snapshots of this guest are taken.</summary>
    public KvmSnapshotMode SnapshotMode { get; set; }

    /// <summary>The external snapshots taken by the adapter, oldest first (each one overlay per disk).</summary>
    public List<KvmExternalSnapshot> ExternalSnapshots { get; set; } = [];

    /// <summary>The command a lab clone of this guest is verified with (empty: none).</summary>
    public List<string> LabVerify { get; set; } = [];

    public TimeSpan LabVerifyTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>For a lab clone: the guest it was cloned from.</summary>
    public string? CloneOf { get; set; }

    /// <summary>For a lab clone: its own folder (disk, sockets), removed when it is destroyed.</summary>
    public string? CloneDirectory { get; set; }

    /// <summary>For a lab clone: the snapshot it was made from.</summary>
    public string? CloneSnapshot { get; set; }
}

/// <summary>An external snapshot: one qcow2 overlay per writable disk, taken by <c>blockdev-snapshot-sync</c>.</summary>
internal sealed class KvmExternalSnapshot
{
    public string Name { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }

    public List<KvmOverlay> Layers { get; set; } = [];

    /// <summary>Whether a commit began (its base then holds part of the overlay's data: no revert any more).</summary>
    public bool CommitStarted { get; set; }
}

/// <summary>One disk's overlay: writes since the snapshot go to <see cref="Node"/> (file <see cref="File"/>); the
/// snapshot's content is <see cref="BaseNode"/> (file <see cref="BaseFile"/>).</summary>
internal sealed class KvmOverlay
{
    /// <summary>The disk's device path (<c>query-block</c>'s <c>qdev</c>), stable while nodes change.</summary>
    public string Qdev { get; set; } = string.Empty;

    public string BaseNode { get; set; } = string.Empty;

    public string BaseFile { get; set; } = string.Empty;

    public string Node { get; set; } = string.Empty;

    public string File { get; set; } = string.Empty;

    public long VirtualSize { get; set; }

    /// <summary>The file at the bottom of the chain (the one QEMU's command line names).</summary>
    public string OriginalFile { get; set; } = string.Empty;

    /// <summary>Whether <see cref="Node"/> was added with <c>blockdev-add</c> (after a revert) and must be deleted with <c>blockdev-del</c>.</summary>
    public bool MonitorOwned { get; set; }
}
