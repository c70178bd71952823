using System.Diagnostics;
using PatchKit.Hosts.Kvm;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Hosts.Kvm;

/// <summary>Runs the repository's fixture scripts (tests/fixtures/qemu, tests/fixtures/qga-host) and says whether the
/// real QEMU and qemu-ga are there. With CI=true a missing QEMU fails the tests (the fixture throws); otherwise they are
/// skipped with the reason.</summary>
internal static class KvmFixtures
{
    public static string QemuDir => Path.Combine(RepoFiles.Root, "tests", "fixtures", "qemu");

    public static string QgaHostDir => Path.Combine(RepoFiles.Root, "tests", "fixtures", "qga-host");

    public static string Cache => Path.Combine(
        Environment.GetEnvironmentVariable("PATCHKIT_FIXTURE_CACHE") is { Length: > 0 } c ? c : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "patchkit-fixtures"),
        "qemu");

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why the guest fixture cannot run, or null.</summary>
    public static string? QemuMissing =>
        !File.Exists("/usr/bin/qemu-system-x86_64") ? "qemu-system-x86_64 is not installed (run tests/fixtures/qemu/setup.sh)"
        : !File.Exists(Path.Combine(Cache, "fixture.env")) ? "the fixture guest is not built (run tests/fixtures/qemu/setup.sh)"
        : null;

    /// <summary>Why the Debian guest (setup-distro.sh) cannot run, or null.</summary>
    public static string? DistroMissing =>
        !File.Exists(Path.Combine(Cache, "distro", "distro.env")) ? "the Debian guest is not built (run tests/fixtures/qemu/setup-distro.sh as root)" : null;

    /// <summary>Why the QEMU 10 of setup-qemu10.sh (the CPR live-update tests) cannot run, or null.</summary>
    public static string? Qemu10Missing =>
        !File.Exists(Path.Combine(Cache, "qemu10", "qemu10.env")) ? "QEMU 10 is not unpacked (run tests/fixtures/qemu/setup-qemu10.sh)" : null;

    /// <summary>Reads a fixture's KEY=VALUE file.</summary>
    public static Dictionary<string, string> ReadEnv(string path) =>
        File.ReadAllLines(path).Select(l => l.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);

    public static string? QgaMissing => !File.Exists("/usr/sbin/qemu-ga") ? "qemu-ga is not installed (run tests/fixtures/qemu/setup.sh)" : null;

    /// <summary>Runs a script and returns its KEY=VALUE lines.</summary>
    public static Dictionary<string, string> Run(string script, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(script);
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        if (env is not null)
        {
            foreach (var (k, v) in env)
            {
                psi.Environment[k] = v;
            }
        }

        using var p = Process.Start(psi)!;
        var errTask = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        string err = errTask.GetAwaiter().GetResult();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException(Path.GetFileName(script) + " exited " + p.ExitCode + ": " + err + output);
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in output.Split('\n'))
        {
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                values[line[..eq]] = line[(eq + 1)..];
            }
        }

        return values;
    }
}

/// <summary>The QEMU processes the tests started, as /proc shows them: whether a pid is a live QEMU, which live QEMUs
/// name a path in their command line, and stopping them.</summary>
internal static class TestQemus
{
    /// <summary>Alive (not a zombie) and a <c>qemu-system</c> binary: a pid from a file is checked before it is killed.</summary>
    public static bool IsQemu(int pid) =>
        QemuProcess.IsAlive(pid) && QemuProcess.TryReadCommandLine(pid) is { Count: > 0 } argv && argv[0].Contains("qemu-system", StringComparison.Ordinal);

    /// <summary>The live QEMU processes with an argument for which <paramref name="argument"/> holds.</summary>
    public static List<(int Pid, List<string> Argv)> Matching(Func<string, bool> argument)
    {
        var found = new List<(int, List<string>)>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid)
                && QemuProcess.IsAlive(pid) && QemuProcess.TryReadCommandLine(pid) is { Count: > 0 } argv
                && argv[0].Contains("qemu-system", StringComparison.Ordinal) && argv.Skip(1).Any(argument))
            {
                found.Add((pid, argv));
            }
        }

        return found;
    }

    /// <summary>SIGKILL, when the process is still there.</summary>
    public static void Kill(int pid)
    {
        try
        {
            Process.GetProcessById(pid).Kill();
        }
        catch (ArgumentException)
        {
        }
    }

    /// <summary>Kills the QEMU named by every pid file under <paramref name="root"/> (only a live QEMU: a pid file's
    /// number may have been reused).</summary>
    public static void KillFromPidFiles(string root)
    {
        foreach (string file in Directory.EnumerateFiles(root, "*.pid", SearchOption.AllDirectories))
        {
            if (int.TryParse(File.ReadAllText(file).Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid) && IsQemu(pid))
            {
                Kill(pid);
            }
        }
    }
}

/// <summary>A fact that needs the real QEMU guest: skipped with the reason when QEMU is missing, except under CI=true,
/// where the test runs and fails.</summary>
internal sealed class QemuFactAttribute : FactAttribute
{
    public QemuFactAttribute()
    {
        if (!KvmFixtures.InCi && KvmFixtures.QemuMissing is { } why)
        {
            Skip = why;
        }
    }
}

/// <summary>A fact that needs the real qemu-ga on the host: skipped when missing, except under CI=true.</summary>
internal sealed class QgaFactAttribute : FactAttribute
{
    public QgaFactAttribute()
    {
        if (!KvmFixtures.InCi && KvmFixtures.QgaMissing is { } why)
        {
            Skip = why;
        }
    }
}

/// <summary>The real qemu-ga listening on a unix socket on the host (tests/fixtures/qga-host), started once per class.</summary>
public sealed class QgaHostFixture : IDisposable
{
    private readonly string? _dir;

    public QgaHostFixture()
    {
        if (KvmFixtures.QgaMissing is { } why)
        {
            Error = why;
            return;
        }

        var v = KvmFixtures.Run(Path.Combine(KvmFixtures.QgaHostDir, "start.sh"), []);
        Socket = v["SOCKET"];
        Pid = int.Parse(v["PID"], System.Globalization.CultureInfo.InvariantCulture);
        _dir = v["DIR"];
        Scratch = Path.Combine(_dir, "scratch");
    }

    public string? Error { get; }

    public string Socket { get; } = string.Empty;

    public int Pid { get; }

    public string Scratch { get; } = string.Empty;

    public void EnsureRunning()
    {
        if (Error is not null)
        {
            throw new InvalidOperationException(Error);
        }
    }

    public void Dispose()
    {
        if (_dir is not null)
        {
            KvmFixtures.Run(Path.Combine(KvmFixtures.QgaHostDir, "stop.sh"), [_dir]);
        }
    }
}

/// <summary>A real QEMU (TCG) guest from tests/fixtures/qemu: QMP and agent sockets, a qcow2 data disk, file-backed RAM.</summary>
public sealed class QemuGuest
{
    public required string RunDir { get; init; }

    public required string Name { get; init; }

    public required int Pid { get; init; }

    public required string Qmp { get; init; }

    public required string Qga { get; init; }

    public required string Disk { get; init; }

    public required string MemFile { get; init; }

    /// <summary>Starts one guest; the environment variables are start-guest.sh's (INCOMING, PAUSED, DISK, MEMFILE, ...).</summary>
    public static QemuGuest Start(string runDir, string name, IReadOnlyDictionary<string, string>? env = null)
    {
        if (KvmFixtures.QemuMissing is { } why)
        {
            throw new InvalidOperationException(why);
        }

        var v = KvmFixtures.Run(Path.Combine(KvmFixtures.QemuDir, "start-guest.sh"), [runDir, name], env);
        return new QemuGuest
        {
            RunDir = runDir, Name = name, Pid = int.Parse(v["PID"], System.Globalization.CultureInfo.InvariantCulture),
            Qmp = v["QMP"], Qga = v["QGA"], Disk = v["DISK"], MemFile = v["MEMFILE"],
        };
    }

    public static string NewRunDir() => Directory.CreateTempSubdirectory("patchkit-kvm-").FullName;

    public void Stop() => KvmFixtures.Run(Path.Combine(KvmFixtures.QemuDir, "stop-guest.sh"), [RunDir, Name]);

    public bool IsAlive()
    {
        string stat = "/proc/" + Pid + "/stat";
        try
        {
            string s = File.ReadAllText(stat);
            return !s[(s.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Stops the lab clones the adapter started under <paramref name="runDir"/> (each in its own <c>lab-NAME</c>
    /// folder) that a failed test left running: by the pid in the clone's pid file, only when that process is the QEMU
    /// started with that pid file; then removes that clone's own memory file (<c>patchkit-lab-NAME-*.ram</c>, named in
    /// its command line), never a memory file another QEMU may share.</summary>
    public static void StopLabClones(string runDir)
    {
        if (!Directory.Exists(runDir))
        {
            return;
        }

        foreach (string pidFile in Directory.EnumerateFiles(runDir, "clone.pid", SearchOption.AllDirectories))
        {
            if (!int.TryParse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture, out int pid)
                || PatchKit.Hosts.Kvm.QemuProcess.TryReadCommandLine(pid) is not { Count: > 0 } argv
                || !argv[0].Contains("qemu-system", StringComparison.Ordinal) || !argv.Contains(pidFile))
            {
                continue;
            }

            TestQemus.Kill(pid);
            for (int i = 0; i < 100 && PatchKit.Hosts.Kvm.QemuProcess.IsAlive(pid); i++)
            {
                Thread.Sleep(50);
            }

            if (PatchKit.Hosts.Kvm.QemuProcess.MemPath(argv) is { } mem && Path.GetFileName(mem).StartsWith("patchkit-lab-", StringComparison.Ordinal))
            {
                File.Delete(mem);
            }
        }
    }

    public static void StopAll(string runDir)
    {
        StopLabClones(runDir);
        KvmFixtures.Run(Path.Combine(KvmFixtures.QemuDir, "stop-guest.sh"), [runDir, "--all"]);
        try
        {
            Directory.Delete(runDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
