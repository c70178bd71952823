using PatchKit.Hosts.Simulated;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Cli;

/// <summary>What the real CLI process prints and how it ends: counts in words, <c>-q</c>, SIGTERM.</summary>
public sealed class ConsoleOutputTests
{
    [Fact]
    public void Plan_OneHost_SaysOneHostInOneWave()
    {
        using var dir = new TempDir();
        File.WriteAllText(Path.Combine(dir.Path, "fleet.json"), """
            { "startTime": "2026-01-05T00:00:00+00:00", "hosts": [ { "id": "kvm01", "kind": "Kvm", "version": "8.2" } ] }
            """);
        File.WriteAllText(Path.Combine(dir.Path, "catalog.json"), """
            { "patches": [ { "id": "qemu-8.2.9", "appliesTo": [ { "kind": "Kvm" } ], "severity": "Critical", "releasedAt": "2025-12-01T00:00:00+00:00" } ] }
            """);
        File.WriteAllText(Path.Combine(dir.Path, "policy.json"), """{ "requireLab": false, "canaryFraction": 0 }""");

        var (code, output, error) = CliRunner.RunProcess(dir.Path, "plan", "-f", "fleet.json", "-c", "catalog.json", "-p", "policy.json");

        Assert.True(code == 0, error);
        Assert.Contains("Plan: 1 host in 1 wave,", output, StringComparison.Ordinal);
        Assert.Contains("(1 host, ", output, StringComparison.Ordinal);
        Assert.DoesNotContain(" 1 hosts", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_Quiet_PrintsNothingOnStandardError()
    {
        using var dir = new TempDir();
        var (code, output, error) = CliRunner.RunProcess(dir.Path, "demo", "-q", "-o", "out");
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, error);
        Assert.Contains("HTML report: ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Sigterm_StopsAndExitsWith143()
    {
        using var dir = new TempDir();
        var fleet = SimulatedFleetGenerator.Generate(seed: 7, hypervisors: 500, guestsPerHost: 3, hostsPerCluster: 16);
        File.WriteAllBytes(Path.Combine(dir.Path, "fleet.json"), fleet.ToJson());
        using var p = CliRunner.StartProcess(dir.Path, "run", "-f", "fleet.json", "-c", RepoFiles.Example("catalog.json"), "-p", RepoFiles.Example("policy.json"), "-r", "long");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = new System.Text.StringBuilder();
        bool signalled = false;
        while (p.StandardError.ReadLine() is { } line)
        {
            stderr.AppendLine(line);
            if (!signalled && line.StartsWith("[repair", StringComparison.Ordinal))
            {
                // The run is in its longest stage: ask it to stop, as systemd or docker stop would.
                Assert.Equal(0, Proc.Run("kill", dir.Path, "-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ExitCode);
                signalled = true;
            }
        }

        Assert.True(p.WaitForExit(60_000));
        Assert.True(signalled, "the run ended before its repair stage: " + stderr);
        Assert.Equal(143, p.ExitCode);
        // The run saw the signal (its token was cancelled) and stopped at a safe point; the runtime's default would kill it mid-step.
        Assert.Contains("patchkit: terminated", stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("patched 2000", await stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir.Path, "patchkit-reports", "long.journal")));
    }
}
