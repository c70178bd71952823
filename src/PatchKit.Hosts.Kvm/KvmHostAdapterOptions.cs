namespace PatchKit.Hosts.Kvm;

/// <summary>What a <see cref="KvmHostAdapter"/> manages: KVM hosts, each running QEMU guests, reached through their QMP
/// and guest-agent sockets. The adapter runs on the KVM host (it starts QEMU processes for live update, migration and
/// lab clones, as libvirt does).</summary>
public sealed class KvmHostAdapterOptions
{
    /// <summary>Gets the KVM hosts.</summary>
    public IList<KvmHostDescription> Hosts { get; } = [];

    /// <summary>Gets or sets the QEMU binary installed on the hosts: the one a live update starts, and whose version is
    /// the host's version. Defaults to <c>/usr/bin/qemu-system-x86_64</c>.</summary>
    public string QemuBinary { get; set; } = "/usr/bin/qemu-system-x86_64";

    /// <summary>Gets or sets the module folder of <see cref="QemuBinary"/> (passed as <c>QEMU_MODULE_DIR</c> to the process a
    /// live update starts), for a binary installed at another path than the one its build expects (the accelerator and
    /// device modules are then not found). <see langword="null"/>: QEMU's own default.</summary>
    public string? QemuModuleDirectory { get; set; }

    /// <summary>Gets the firmware and ROM folders of <see cref="QemuBinary"/> (<c>-L</c>, each added once to the command
    /// line of the process a live update starts), for a binary installed at another path (it looks for its BIOS beside
    /// itself otherwise).</summary>
    public IList<string> QemuDataDirectories { get; } = [];

    /// <summary>Gets or sets how a live update moves a guest onto <see cref="QemuBinary"/>. Defaults to
    /// <see cref="KvmLiveUpdateMode.Auto"/>.</summary>
    public KvmLiveUpdateMode LiveUpdateMode { get; set; }

    /// <summary>Gets or sets <c>qemu-img</c> (lab clones). Defaults to <c>/usr/bin/qemu-img</c>.</summary>
    public string QemuImgBinary { get; set; } = "/usr/bin/qemu-img";

    /// <summary>Gets or sets a file where the adapter keeps where each guest runs now (its sockets change with every live
    /// update and migration) and its lab clones, so that another adapter instance, or a resumed run, finds them.
    /// <see langword="null"/> keeps it in memory only.</summary>
    public string? StateFile { get; set; }

    /// <summary>Gets or sets the client timeouts and clock.</summary>
    public KvmClientOptions Client { get; set; } = new();

    /// <summary>Gets or sets how long a guest may take to answer its agent after a reboot or a lab clone's boot, when the
    /// operation names no timeout. Defaults to 120 s.</summary>
    public TimeSpan BootTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Gets or sets how long a migration may run before it is cancelled (the guest then keeps running where it
    /// was). Defaults to 120 s.</summary>
    public TimeSpan MigrationBudget { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Gets or sets the migration bandwidth limit in bytes per second. Defaults to 1 GiB/s (QEMU's own default
    /// is 128 MiB/s).</summary>
    public long MaxBandwidthBytesPerSecond { get; set; } = 1L << 30;

    /// <summary>Gets or sets the downtime limit for migrations and live updates, in milliseconds. Defaults to 300.</summary>
    public int DowntimeLimitMilliseconds { get; set; } = 300;
}

/// <summary>One KVM host.</summary>
public sealed class KvmHostDescription
{
    /// <summary>Gets or sets the host's id.</summary>
    public required string Id { get; set; }

    /// <summary>Gets or sets a folder on the host for the sockets, pid files and logs of the QEMU processes the adapter
    /// starts there (live update and migration targets, lab clones).</summary>
    public required string RunDirectory { get; set; }

    /// <summary>Gets or sets the cluster name (evacuation moves guests to another host of the same cluster).</summary>
    public string Cluster { get; set; } = string.Empty;

    /// <summary>Gets or sets whether this host sees the same disk images as the other hosts of its cluster. When a
    /// migration's source or target does not, the guest's writable disks are copied to the target during the migration
    /// (an NBD export on the target, <c>blockdev-mirror</c> from the source) into the target's run directory; the source's
    /// images are left in place. Defaults to <see langword="true"/>.</summary>
    public bool SharedStorage { get; set; } = true;

    /// <summary>Gets the guests this host runs.</summary>
    public IList<KvmGuestDescription> Guests { get; } = [];

    /// <summary>Gets the command that patches the KVM host itself (program and arguments, run on the machine running
    /// PatchKit, for example <c>ssh root@host apt-get -y upgrade</c>); each payload's location is appended as one more
    /// argument and the patch id is in the environment variable <c>PATCHKIT_PATCH_ID</c>; exit code 0 installs the
    /// patch. With a command here (and a <see cref="RebootCommand"/>), a patch that needs a reboot of the host is
    /// applied the way a hypervisor is patched: its guests are evacuated by live migration first and brought back
    /// after. Empty: the host takes no install (patches apply to its guests, or move them onto a new QEMU).</summary>
    public IList<string> InstallCommand { get; } = [];

    /// <summary>Gets the command that reboots the KVM host and returns once it is back (program and arguments, run on
    /// the machine running PatchKit); exit code 0 is a successful reboot. Empty: the host offers no reboot.</summary>
    public IList<string> RebootCommand { get; } = [];
}

/// <summary>One QEMU guest.</summary>
public sealed class KvmGuestDescription
{
    /// <summary>Gets or sets the guest's id.</summary>
    public required string Id { get; set; }

    /// <summary>Gets or sets the QMP socket (<c>unix:PATH</c>).</summary>
    public required string Qmp { get; set; }

    /// <summary>Gets or sets the guest agent's host-side socket (<c>unix:PATH</c>); <see langword="null"/> when the guest has no agent.</summary>
    public string? Agent { get; set; }

    /// <summary>Gets or sets QEMU's pid file; <see langword="null"/> to find the process by its QMP socket in <c>/proc</c>.</summary>
    public string? PidFile { get; set; }

    /// <summary>Gets or sets the folder inside the guest where the adapter records installed patches (on a persistent
    /// filesystem). Defaults to <c>/var/lib/patchkit</c>.</summary>
    public string StateDirectory { get; set; } = "/var/lib/patchkit";

    /// <summary>Gets or sets the folder inside the guest that unified diffs are applied under. Defaults to <c>/</c>.</summary>
    public string PatchRoot { get; set; } = "/";

    /// <summary>Gets or sets the number of leading path components stripped from a diff's paths (<c>patch -p</c>). Defaults to 1.</summary>
    public int PatchStrip { get; set; } = 1;

    /// <summary>Gets the guest's tags.</summary>
    public IList<string> Tags { get; } = [];

    /// <summary>Gets the verification command run in each lab clone of this guest when the lab checks the patched clone
    /// (program and arguments, run through the guest agent after the health check passes): exit code 0 passes the
    /// patch, any other exit code or a timeout holds it; the command's output is kept in the step's message. Empty: no
    /// command.</summary>
    public IList<string> LabVerifyCommand { get; } = [];

    /// <summary>Gets or sets how long <see cref="LabVerifyCommand"/> may run. Defaults to 5 minutes.</summary>
    public TimeSpan LabVerifyTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets how the adapter takes snapshots of this guest. Defaults to
    /// <see cref="KvmSnapshotMode.Internal"/>.</summary>
    public KvmSnapshotMode SnapshotMode { get; set; }
}

/// <summary>How a guest's snapshots are taken.</summary>
public enum KvmSnapshotMode
{
    /// <summary>Internal qcow2 snapshots of memory and disks (<c>snapshot-save</c>); reverting restores both without a reboot.</summary>
    Internal,

    /// <summary>External disk-only snapshots: a qcow2 overlay per disk (<c>blockdev-snapshot-sync</c>) that takes the
    /// writes; removing the snapshot commits the overlay into its base (<c>block-commit</c>), reverting switches the disks
    /// back to the base and resets the guest (its memory no longer matches its disks).</summary>
    External,
}

/// <summary>How a live update moves a running guest onto a new QEMU process on the same host (its RAM stays in place:
/// the guest's memory must be a shared memory backend, <c>-object memory-backend-file,share=on</c>).</summary>
public enum KvmLiveUpdateMode
{
    /// <summary><see cref="CprTransfer"/> when the running and the installed QEMU are 10.0 or later and the guest's
    /// machine has <c>aux-ram-share=on</c>; <see cref="IgnoreShared"/> otherwise. The result says which mode ran.</summary>
    Auto,

    /// <summary>Local migration over a unix socket with the <c>x-ignore-shared</c> capability: only device state moves.
    /// Works with any QEMU version (and from an old version to a new one).</summary>
    IgnoreShared,

    /// <summary>QEMU's <c>cpr-reboot</c> mode (QEMU 8.2 or later on both sides): the old QEMU saves the device state to
    /// a file (the shared RAM stays in place), the new one, already started with <c>-incoming defer</c>, loads it.</summary>
    CprReboot,

    /// <summary>QEMU's <c>cpr-transfer</c> mode (QEMU 10.0 or later on both sides, and <c>-machine aux-ram-share=on</c>
    /// on the guest): the old QEMU passes its memory file descriptors to the new one over a cpr channel (a unix socket),
    /// then the device state over the main channel.</summary>
    CprTransfer,
}
