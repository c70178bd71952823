using System.Diagnostics;
using System.Text.Json;
using PatchKit.Hosts;
using PatchKit.Hosts.Esx;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Hosts.Esx;

/// <summary>The real vSphere simulator (tests/fixtures/vcsim: VMware's simulator package built from Debian's govmomi
/// source with PatchKit's launcher) in vCenter mode, and a real OpenSSH sshd with the stand-in esxcli
/// (tests/fixtures/esxi-ssh), started once for the "esx" collection.</summary>
public sealed class EsxServers : IAsyncLifetime
{
    public VcsimServer Vcenter { get; private set; } = null!;

    public EsxiSshServer Ssh { get; private set; } = null!;

    /// <summary>The cluster host whose SSH endpoint is <see cref="Ssh"/> (its product version matches the stand-in's).</summary>
    public const string SshHostName = "DC0_C0_H1";

    public async Task InitializeAsync()
    {
        Vcenter = await VcsimServer.StartAsync(
            "-mode", "vcenter", "-model", Path.Combine(RepoFiles.Root, "tests/fixtures/vcsim/models/mixed-builds.json"),
            "-vm", "4", "-standalone-host", "3", "-down", "DC0_H0", "-no-return", "DC0_H1", "-reboot-seconds", "1", "-patch-seconds", "1");
        Ssh = await EsxiSshServer.StartAsync("--maintenance", "--version", "8.0.2", "--build", "22380479");
    }

    public async Task DisposeAsync()
    {
        if (Ssh is not null)
        {
            await Ssh.DisposeAsync();
        }

        if (Vcenter is not null)
        {
            await Vcenter.DisposeAsync();
        }
    }

    public EsxHostAdapter Adapter(bool withSsh = true, bool allowApiInstall = false)
    {
        var o = new EsxHostAdapterOptions
        {
            Endpoint = new Uri(Vcenter.Url),
            UserName = Vcenter.UserName,
            Password = Secret.FromDelegate("test", _ => ValueTask.FromResult(Vcenter.Password)),
            ThumbprintSha256 = Vcenter.ThumbprintSha256,
            RebootPollInterval = TimeSpan.FromMilliseconds(250),
            AllowApiInstall = allowApiInstall,
        };
        if (withSsh)
        {
            o.Ssh[SshHostName] = Ssh.Options();
        }

        return new EsxHostAdapter(o);
    }
}

[CollectionDefinition("esx")]
public sealed class EsxCollection : ICollectionFixture<EsxServers>
{
}

/// <summary>A fact needing the ESX fixtures: skipped with the reason when they cannot run here, unless CI=true (then the
/// test runs and fails).</summary>
public sealed class EsxFactAttribute : FactAttribute
{
    public EsxFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("CI") != "true" && (EsxiSshServer.Missing() ?? VcsimServer.Missing()) is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>One patchkit-vcsim process; ended by closing its stdin.</summary>
public sealed class VcsimServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dir;

    private VcsimServer(Process process, string dir, JsonElement ready)
    {
        _process = process;
        _dir = dir;
        Ready = ready;
    }

    public static string Binary => Path.Combine(Environment.GetEnvironmentVariable("PATCHKIT_FIXTURE_CACHE") is { Length: > 0 } c ? c : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache/patchkit-fixtures"), "vcsim/bin/patchkit-vcsim");

    public static string? Missing() => File.Exists(Binary) ? null : "the vSphere simulator is not built (" + Binary + "); run tests/fixtures/vcsim/setup.sh";

    public JsonElement Ready { get; }

    public string Url => Ready.GetProperty("url").GetString()!;

    public string UserName => Ready.GetProperty("username").GetString()!;

    public string Password => Ready.GetProperty("password").GetString()!;

    public string? ThumbprintSha256 => Ready.TryGetProperty("thumbprintSha256", out var t) ? t.GetString() : null;

    public string StandinLog => Path.Combine(_dir, "standin.log");

    public IEnumerable<(string Moref, string Name, string Parent, string Version, string Build)> Hosts =>
        Ready.GetProperty("hosts").EnumerateArray().Select(h => (h.GetProperty("moref").GetString()!, h.GetProperty("name").GetString()!, h.GetProperty("parent").GetString()!, h.GetProperty("version").GetString()!, h.GetProperty("build").GetString()!));

    public IEnumerable<(string Moref, string Name, string Host, string PowerState)> Vms =>
        Ready.GetProperty("vms").EnumerateArray().Select(v => (v.GetProperty("moref").GetString()!, v.GetProperty("name").GetString()!, v.GetProperty("host").GetString()!, v.GetProperty("powerState").GetString()!));

    public string HostId(string name) => Hosts.Single(h => h.Name == name).Moref;

    public static async Task<VcsimServer> StartAsync(params string[] args)
    {
        if (Missing() is { } reason)
        {
            throw new InvalidOperationException(reason);
        }

        string dir = Directory.CreateTempSubdirectory("patchkit-vcsim-").FullName;
        Directory.CreateDirectory(Path.Combine(dir, "tmp"));
        string readyFile = Path.Combine(dir, "ready.json");
        var psi = new ProcessStartInfo(Binary)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (string a in new[] { "-listen", "127.0.0.1:0", "-ready-file", readyFile, "-stdin-exit", "-standin-log", Path.Combine(dir, "standin.log") })
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["TMPDIR"] = Path.Combine(dir, "tmp");
        var p = Process.Start(psi)!;
        var stderr = new System.Text.StringBuilder();
        p.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
        p.OutputDataReceived += (_, _) => { };
        p.BeginErrorReadLine();
        p.BeginOutputReadLine();
        var sw = Stopwatch.StartNew();
        while (!File.Exists(readyFile))
        {
            if (p.HasExited || sw.Elapsed > TimeSpan.FromSeconds(30))
            {
                if (!p.HasExited)
                {
                    p.Kill();
                }

                lock (stderr)
                {
                    throw new InvalidOperationException("patchkit-vcsim did not start: " + stderr);
                }
            }

            await Task.Delay(20);
        }

        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(readyFile));
        return new VcsimServer(p, dir, doc.RootElement.Clone());
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>One fixture sshd (tests/fixtures/esxi-ssh/start.sh), stopped by its stop.sh.</summary>
public sealed class EsxiSshServer : IAsyncDisposable
{
    private EsxiSshServer(string dir, JsonElement ready)
    {
        Dir = dir;
        Ready = ready;
    }

    public string Dir { get; }

    public JsonElement Ready { get; }

    public int Port => Ready.GetProperty("port").GetInt32();

    public string User => Ready.GetProperty("user").GetString()!;

    public string Password => Ready.GetProperty("password").GetString()!;

    public string HostKeySha256 => Ready.GetProperty("hostKeySha256").GetString()!;

    public string KnownHostsPath => Ready.GetProperty("knownHostsPath").GetString()!;

    public string CallLog => Ready.GetProperty("callLog").GetString()!;

    public string StateDir => Ready.GetProperty("stateDir").GetString()!;

    public string FakeRoot => Ready.GetProperty("fakeRoot").GetString()!;

    public static string? Missing() =>
        Environment.UserName != "root" && !OperatingSystem.IsWindows() && Environment.GetEnvironmentVariable("USER") != "root"
            ? "the ESXi SSH fixture needs root (useradd, sshd)"
            : !File.Exists("/usr/sbin/sshd") && Environment.GetEnvironmentVariable("CI") != "true"
                ? "sshd is not installed (tests/fixtures/esxi-ssh/start.sh installs openssh-server as root)"
                : null;

    public EsxSshOptions Options(bool knownHosts = false) => new()
    {
        Host = "127.0.0.1",
        Port = Port,
        UserName = User,
        Password = Secret.FromDelegate("test", _ => ValueTask.FromResult(Password)),
        HostKeySha256 = knownHosts ? null : HostKeySha256,
        KnownHostsPath = knownHosts ? KnownHostsPath : null,
    };

    public static async Task<EsxiSshServer> StartAsync(params string[] args)
    {
        string dir = Path.Combine("/tmp", "patchkit-esxi-" + Guid.NewGuid().ToString("N")[..12]);
        var (code, output) = await RunAsync("start.sh", [dir, .. args]);
        if (code != 0)
        {
            throw new InvalidOperationException("tests/fixtures/esxi-ssh/start.sh failed (" + code + "): " + output);
        }

        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "ready.json")));
        return new EsxiSshServer(dir, doc.RootElement.Clone());
    }

    private static async Task<(int Code, string Output)> RunAsync(string script, string[] args)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(RepoFiles.Root, "tests/fixtures/esxi-ssh", script));
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout + await stderr);
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync("stop.sh", [Dir]);
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
