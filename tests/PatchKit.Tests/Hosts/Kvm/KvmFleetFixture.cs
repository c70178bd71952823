using PatchKit.Hosts;
using PatchKit.Hosts.Kvm;

namespace PatchKit.Tests.Hosts.Kvm;

/// <summary>Real QEMU guests for the adapter tests, started once for the collection: <c>prod</c> (booted, agent running)
/// on host <c>kvm-a</c>, an empty host <c>kvm-b</c> in the same cluster, and on <c>kvm-c</c> a guest whose vCPUs never
/// run (<c>stuck</c>: QEMU answers, the agent never does) and one whose QEMU is not running at all (<c>down</c>).</summary>
public sealed class KvmFleetFixture : IDisposable
{
    public KvmFleetFixture()
    {
        if (KvmFixtures.QemuMissing is { } why)
        {
            Error = why;
            return;
        }

        Root = QemuGuest.NewRunDir();
        HostA = Dir("kvm-a");
        HostB = Dir("kvm-b");
        HostC = Dir("kvm-c");
        // memory files named after this fixture's folder, so parallel runs do not collide and Dispose finds them
        string shm = "/dev/shm/patchkit-" + Path.GetFileName(Root);
        Prod = QemuGuest.Start(HostA, "prod", new Dictionary<string, string> { ["MEM"] = "192M", ["MEMFILE"] = shm + "-prod.ram" });
        Stuck = QemuGuest.Start(HostC, "stuck", new Dictionary<string, string> { ["PAUSED"] = "1", ["MEM"] = "64M", ["MEMFILE"] = shm + "-stuck.ram" });
        StateFile = Path.Combine(Root, "kvm-state.json");
        GuestAgentClient.ConnectAsync("unix:" + Prod.Qga, new KvmClientOptions { ConnectTimeout = TimeSpan.FromSeconds(120) }).GetAwaiter().GetResult().DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    public string? Error { get; }

    public string Root { get; } = string.Empty;

    public string HostA { get; } = string.Empty;

    public string HostB { get; } = string.Empty;

    public string HostC { get; } = string.Empty;

    public QemuGuest Prod { get; } = null!;

    public QemuGuest Stuck { get; } = null!;

    public string StateFile { get; } = string.Empty;

    private string Dir(string name) => Directory.CreateDirectory(Path.Combine(Root, name)).FullName;

    /// <summary>A fresh adapter over the fleet; the state file tells it where <c>prod</c> runs after earlier tests moved it.</summary>
    public KvmHostAdapter CreateAdapter(Action<KvmHostAdapterOptions>? configure = null)
    {
        if (Error is not null)
        {
            throw new InvalidOperationException(Error);
        }

        var o = new KvmHostAdapterOptions { StateFile = StateFile, BootTimeout = TimeSpan.FromSeconds(120) };
        var a = new KvmHostDescription { Id = "kvm-a", RunDirectory = HostA, Cluster = "lab" };
        a.Guests.Add(new KvmGuestDescription
        {
            Id = "prod", Qmp = "unix:" + Prod.Qmp, Agent = "unix:" + Prod.Qga, PidFile = Path.Combine(HostA, "prod.pid"),
            StateDirectory = "/mnt/data/patchkit", PatchRoot = "/",
        });
        var b = new KvmHostDescription { Id = "kvm-b", RunDirectory = HostB, Cluster = "lab" };
        var c = new KvmHostDescription { Id = "kvm-c", RunDirectory = HostC, Cluster = "other" };
        c.Guests.Add(new KvmGuestDescription { Id = "stuck", Qmp = "unix:" + Stuck.Qmp, Agent = "unix:" + Stuck.Qga, PidFile = Path.Combine(HostC, "stuck.pid") });
        c.Guests.Add(new KvmGuestDescription { Id = "down", Qmp = "unix:" + Path.Combine(HostC, "down.qmp"), Agent = "unix:" + Path.Combine(HostC, "down.qga") });
        o.Hosts.Add(a);
        o.Hosts.Add(b);
        o.Hosts.Add(c);
        configure?.Invoke(o);
        return new KvmHostAdapter(o);
    }

    public static HostOperation Op(string hostId) => new(hostId) { Timeout = TimeSpan.FromMinutes(3) };

    public void Dispose()
    {
        if (Error is not null)
        {
            return;
        }

        TestQemus.KillFromPidFiles(Root);

        foreach (string mem in Directory.EnumerateFiles("/dev/shm", "patchkit-*"))
        {
            if (mem.Contains(Path.GetFileName(Root), StringComparison.Ordinal) || mem.Contains("patchkit-prod-", StringComparison.Ordinal) || mem.Contains("patchkit-lab-", StringComparison.Ordinal))
            {
                File.Delete(mem);
            }
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class KvmFleetCollection : ICollectionFixture<KvmFleetFixture>
{
    public const string Name = "kvm-fleet";
}
