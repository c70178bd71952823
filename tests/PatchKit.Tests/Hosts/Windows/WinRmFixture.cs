using System.Diagnostics;
using System.Text.Json;
using PatchKit.Hosts;
using PatchKit.Hosts.Windows;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Hosts.Windows;

/// <summary>The real WinRM fixture (tests/fixtures/winrm): Apache with mod_auth_gssapi + gss-ntlmssp (real NTLM,
/// Negotiate, Basic, TLS) in front of a replay server that answers with WS-Management responses recorded from a real
/// Windows host and does real NTLM message sealing. Started once per collection; stopped at the end.</summary>
public sealed class WinRmFixture : IAsyncLifetime
{
    public static string Dir { get; } = Path.Combine(RepoFiles.Root, "tests", "fixtures", "winrm");

    public static string Cache { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("PATCHKIT_FIXTURE_CACHE") is { Length: > 0 } c ? c
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "patchkit-fixtures"), "winrm");

    /// <summary>Why the fixture cannot run here (null when it can). Under CI=true the tests never skip.</summary>
    public static string? Unavailable { get; } =
        File.Exists(Path.Combine(Cache, "setup.env")) && File.Exists("/usr/sbin/apache2")
            ? null
            : "the WinRM fixture is not set up (run tests/fixtures/winrm/setup.sh as root; test.sh does)";

    public Dictionary<string, string> Env { get; } = new(StringComparer.Ordinal);

    public string HttpUrl => Env["PATCHKIT_WINRM_HTTP_URL"];

    public string HttpsUrl => Env["PATCHKIT_WINRM_HTTPS_URL"];

    public string UserName => Env["PATCHKIT_WINRM_USER"];

    public string Password => Env["PATCHKIT_WINRM_PASSWORD"];

    public string Thumbprint => Env["PATCHKIT_WINRM_THUMBPRINT_SHA256"];

    public string RunDir => Env["PATCHKIT_WINRM_RUN_DIR"];

    public async Task InitializeAsync()
    {
        if (Unavailable is not null && !WinRmFactAttribute.InCi)
        {
            return;
        }

        var psi = new ProcessStartInfo("bash", [Path.Combine(Dir, "start.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["PATCHKIT_WINRM_PORTS"] = "auto";
        psi.Environment["PATCHKIT_WINRM_CANNED"] = Path.Combine(Dir, "canned-patchkit.json");
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException("tests/fixtures/winrm/start.sh failed: " + await stderr);
        }

        foreach (string line in (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.IndexOf('=', StringComparison.Ordinal) is var i and > 0)
            {
                Env[line[..i]] = line[(i + 1)..];
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (Env.TryGetValue("PATCHKIT_WINRM_RUN_DIR", out string? run))
        {
            using var p = Process.Start(new ProcessStartInfo("bash", [Path.Combine(Dir, "stop.sh"), run]) { RedirectStandardOutput = true })!;
            await p.WaitForExitAsync();
        }
    }

    /// <summary>Connection options for one of the fixture's listeners.</summary>
    public WinRmConnectionOptions Options(bool https, WinRmAuthentication auth, string? password = null) => new()
    {
        Endpoint = new Uri(https ? HttpsUrl : HttpUrl),
        Authentication = auth,
        UserName = UserName,
        Password = Secret.FromDelegate("test password", _ => ValueTask.FromResult(password ?? Password)),
        CertificateThumbprintSha256 = https ? Thumbprint : null,
        OperationTimeout = TimeSpan.FromSeconds(20),
    };

    /// <summary>The envelope log's records (one per request the replay server received), from <paramref name="fromSeq"/> on.</summary>
    public List<JsonElement> Envelopes(int fromSeq = 0)
    {
        var list = new List<JsonElement>();
        string path = Path.Combine(RunDir, "envelopes.jsonl");
        if (!File.Exists(path))
        {
            return list;
        }

        foreach (string line in File.ReadAllLines(path))
        {
            var e = JsonDocument.Parse(line).RootElement.Clone();
            if (e.GetProperty("seq").GetInt32() > fromSeq)
            {
                list.Add(e);
            }
        }

        return list;
    }

    public int LastSeq => Envelopes() is { Count: > 0 } l ? l[^1].GetProperty("seq").GetInt32() : 0;
}

/// <summary>A fact that needs the WinRM fixture: skipped with the reason when it is not set up, except under CI=true,
/// where a missing fixture fails the test.</summary>
public sealed class WinRmFactAttribute : FactAttribute
{
    public WinRmFactAttribute()
    {
        if (WinRmFixture.Unavailable is { } why && !InCi)
        {
            Skip = why;
        }
    }

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}

[CollectionDefinition("winrm")]
public sealed class WinRmCollection : ICollectionFixture<WinRmFixture>
{
}

/// <summary>A second fixture instance for tests that simulate a reboot (the fixture answers 503 to every Create for a
/// few seconds, which would disturb the other tests).</summary>
[CollectionDefinition("winrm-reboot")]
public sealed class WinRmRebootCollection : ICollectionFixture<WinRmFixture>
{
}

/// <summary>A theory that needs the WinRM fixture (see <see cref="WinRmFactAttribute"/>).</summary>
public sealed class WinRmTheoryAttribute : TheoryAttribute
{
    public WinRmTheoryAttribute()
    {
        if (WinRmFixture.Unavailable is { } why && !WinRmFactAttribute.InCi)
        {
            Skip = why;
        }
    }
}
