using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PatchKit.Hosts;
using PatchKit.Hosts.Kvm;

namespace PatchKit.Tests.Hosts.Kvm;

/// <summary>A real Debian bookworm guest (tests/fixtures/qemu/setup-distro.sh: debootstrap minbase with qemu-guest-agent
/// and apt, booted by the fixture's QEMU): the inventory reads its real <c>dpkg-query -W</c> through the agent, and a
/// patch installs real .deb files with the guest's apt.</summary>
public sealed class KvmDebianGuestTests(KvmDebianGuestFixture debian) : IClassFixture<KvmDebianGuestFixture>
{
    private static HostOperation Op() => new("deb") { Timeout = TimeSpan.FromMinutes(5) };

    private static async Task<string> ShAsync(KvmHostAdapter a, string script)
    {
        var r = await a.ExecAsync(Op(), new GuestCommand { Program = "/bin/sh", Arguments = ["-c", script], Timeout = TimeSpan.FromMinutes(2) });
        Assert.True(r.ExitCode == 0, "guest: " + script + ": " + Encoding.UTF8.GetString(r.StandardError.Span));
        return Encoding.UTF8.GetString(r.StandardOutput.Span);
    }

    [DistroFact]
    public async Task Inventory_ReadsTheRealDpkgDatabase_ThenAPatchInstallsARepositoryDebAndAnUpgrade_VersionsChange()
    {
        debian.EnsureRunning();
        await using var a = debian.CreateAdapter();

        // the inventory: the OS identity and every package dpkg knows, as the build's own dpkg-query counted them
        var inv = await a.GetInventoryAsync(CancellationToken.None);
        var g = inv.Hosts.Single(h => h.Id == "deb");
        Assert.Equal(HostStatus.Reachable, g.Status);
        Assert.Equal("debian", g.Os!.Id);
        Assert.Equal(debian.Env["PATCHKIT_DISTRO_PACKAGES"], g.Packages.Count.ToString(CultureInfo.InvariantCulture));
        Assert.All(g.Packages, p => Assert.Equal(PackageFormat.Dpkg, p.Format));
        Assert.Equal(debian.Env["PATCHKIT_DISTRO_QGA_VERSION"], g.Packages.Single(p => p.Name == "qemu-guest-agent").Version);
        Assert.Equal("qemu", g.Packages.Single(p => p.Name == "qemu-guest-agent").SourceName);
        Assert.Contains(g.Packages, p => p.Name == "apt" && p.Architecture == "amd64");
        Assert.Equal("1.0", g.Packages.Single(p => p.Name == "pk-demo").Version);
        Assert.DoesNotContain(g.Packages, p => p.Name == "hello");
        string dpkg = await ShAsync(a, "dpkg-query -W -f='${Package} ${Version}\\n' | sort");
        Assert.Equal(dpkg.Trim().Split('\n'), g.Packages.Select(p => p.Name + " " + p.Version).Order(StringComparer.Ordinal));

        // pk-demo 1.1, built here with dpkg-deb; hello, a real Debian package from the apt mirror (the guest has no network)
        string work = Directory.CreateTempSubdirectory("patchkit-deb-").FullName;
        try
        {
            string upgrade = BuildPkDemo(work, "1.1");
            string hello = Directory.EnumerateFiles(debian.Env["PATCHKIT_DISTRO_DEBS"], "hello_*.deb").Single();
            string helloVersion = Path.GetFileName(hello).Split('_')[1];

            // a wrong checksum: refused before anything reaches the guest
            var bad = await a.InstallAsync(Op(), new InstallRequest
            {
                PatchId = "pk-bad",
                Payloads = [new InstallPayload { Kind = "package", Location = new Uri(upgrade).AbsoluteUri, Sha256 = new string('0', 64) }],
            });
            Assert.Equal(HostOperationStatus.Failed, bad.Status);
            Assert.Contains("SHA-256", bad.Message, StringComparison.Ordinal);
            Assert.Equal("1.0", (await ShAsync(a, "cat /usr/share/pk-demo/VERSION")).Trim());

            var r = await a.InstallAsync(Op(), new InstallRequest
            {
                PatchId = "pk-2026-1",
                Payloads =
                [
                    new InstallPayload { Kind = "package", Location = new Uri(upgrade).AbsoluteUri, Sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(upgrade))) },
                    new InstallPayload { Kind = "package", Location = hello },
                ],
            });
            Assert.True(r.Status == HostOperationStatus.Succeeded, r.Message);
            Assert.Equal(["pk-2026-1"], r.Installed);

            var after = (await a.GetInventoryAsync(CancellationToken.None)).Hosts.Single(h => h.Id == "deb");
            Assert.Equal("1.1", after.Packages.Single(p => p.Name == "pk-demo").Version);
            Assert.Equal(helloVersion, after.Packages.Single(p => p.Name == "hello").Version);
            Assert.Equal(g.Packages.Count + 1, after.Packages.Count);
            Assert.Contains(after.InstalledPatches, p => p.PatchId == "pk-2026-1");
            Assert.Equal("1.1", (await ShAsync(a, "cat /usr/share/pk-demo/VERSION")).Trim());
            Assert.Equal("Hello, world!", (await ShAsync(a, "hello")).Trim());
            Assert.Equal(string.Empty, (await ShAsync(a, "ls /var/tmp | grep patchkit- || true")).Trim()); // uploads removed

            // installing it again does nothing
            var again = await a.InstallAsync(Op(), new InstallRequest { PatchId = "pk-2026-1", Payloads = [new InstallPayload { Kind = "package", Location = hello }] });
            Assert.Equal(HostOperationStatus.Succeeded, again.Status);
            Assert.Contains("already installed", again.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string BuildPkDemo(string dir, string version)
    {
        string root = Path.Combine(dir, "pk-demo");
        Directory.CreateDirectory(Path.Combine(root, "DEBIAN"));
        Directory.CreateDirectory(Path.Combine(root, "usr", "share", "pk-demo"));
        File.WriteAllText(Path.Combine(root, "DEBIAN", "control"),
            "Package: pk-demo\nVersion: " + version + "\nArchitecture: all\nMaintainer: PatchKit tests <tests@patchkit.invalid>\nDescription: PatchKit test package\n upgraded by the tests.\n");
        File.WriteAllText(Path.Combine(root, "usr", "share", "pk-demo", "VERSION"), version + "\n");
        string deb = Path.Combine(dir, "pk-demo_" + version + "_all.deb");
        var psi = new ProcessStartInfo("dpkg-deb") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { "--root-owner-group", "-b", root, deb })
        {
            psi.ArgumentList.Add(arg);
        }

        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, "dpkg-deb: " + err);
        return deb;
    }
}

/// <summary>The Debian guest of tests/fixtures/qemu/setup-distro.sh, started once for the class on an overlay of the
/// cached root image.</summary>
public sealed class KvmDebianGuestFixture : IDisposable
{
    public KvmDebianGuestFixture()
    {
        if ((KvmFixtures.QemuMissing ?? KvmFixtures.DistroMissing) is { } why)
        {
            Error = why;
            return;
        }

        Env = KvmFixtures.ReadEnv(Path.Combine(KvmFixtures.Cache, "distro", "distro.env"));
        Root = QemuGuest.NewRunDir();
        string disk = Path.Combine(Root, "root.qcow2");
        using (var img = Process.Start("qemu-img", ["create", "-q", "-f", "qcow2", "-b", Env["PATCHKIT_DISTRO_ROOT"], "-F", "qcow2", disk]))
        {
            img.WaitForExit();
            if (img.ExitCode != 0)
            {
                throw new InvalidOperationException("qemu-img create " + disk + " exited " + img.ExitCode);
            }
        }

        Guest = QemuGuest.Start(Root, "deb", new Dictionary<string, string>
        {
            ["MEM"] = "256M", ["DISK"] = disk, ["INITRD"] = Env["PATCHKIT_DISTRO_INITRD"],
            ["MEMFILE"] = "/dev/shm/patchkit-" + Path.GetFileName(Root) + "-deb.ram",
        });
        GuestAgentClient.ConnectAsync("unix:" + Guest.Qga, new KvmClientOptions { ConnectTimeout = TimeSpan.FromSeconds(180) }).GetAwaiter().GetResult().DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    public string? Error { get; }

    public IReadOnlyDictionary<string, string> Env { get; } = new Dictionary<string, string>();

    public string Root { get; } = string.Empty;

    public QemuGuest Guest { get; } = null!;

    public void EnsureRunning()
    {
        if (Error is not null)
        {
            throw new InvalidOperationException(Error);
        }
    }

    public KvmHostAdapter CreateAdapter()
    {
        var o = new KvmHostAdapterOptions { StateFile = Path.Combine(Root, "kvm-state.json"), BootTimeout = TimeSpan.FromSeconds(180) };
        var h = new KvmHostDescription { Id = "kvm-d", RunDirectory = Root, Cluster = "debian" };
        h.Guests.Add(new KvmGuestDescription
        {
            Id = "deb", Qmp = "unix:" + Guest.Qmp, Agent = "unix:" + Guest.Qga, PidFile = Path.Combine(Root, "deb.pid"),
            StateDirectory = "/var/lib/patchkit", PatchRoot = "/",
        });
        o.Hosts.Add(h);
        return new KvmHostAdapter(o);
    }

    public void Dispose()
    {
        if (Error is null)
        {
            QemuGuest.StopAll(Root);
        }
    }
}

/// <summary>A fact that needs the Debian guest of setup-distro.sh: skipped with the reason when it is not built, except
/// under CI=true, where the test runs and fails.</summary>
internal sealed class DistroFactAttribute : FactAttribute
{
    public DistroFactAttribute()
    {
        if (!KvmFixtures.InCi && (KvmFixtures.QemuMissing ?? KvmFixtures.DistroMissing) is { } why)
        {
            Skip = why;
        }
    }
}
