using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Cli.Commands;

/// <summary>`patchkit run --journal postgres://…` through the real process against the tests' own PostgreSQL.</summary>
[Collection("postgres")]
public sealed class PostgresJournalCommandTests(PostgresServer server)
{
    private static string[] RunArgs(string journal) =>
        ["run", "-f", RepoFiles.Example("fleet.json"), "-c", RepoFiles.Example("catalog.json"), "-p", RepoFiles.Example("policy.json"), "-r", "r1", "-q", "--journal", journal];

    [PostgresFact]
    public void Run_PostgresJournalTwice_SecondAttemptResumesFromTheDatabase()
    {
        var db = server.NewDatabase("cli");
        using var dir = new TempDir();
        var first = CliRunner.RunProcess(dir.Path, RunArgs(server.Url(db.Database)));
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.True(first.Output.Contains("attempt 1", StringComparison.Ordinal) && first.Output.Contains("patched 8", StringComparison.Ordinal), first.Output);
        Assert.Contains("journal: postgres://patchkit@" + db.Endpoint, first.Output, StringComparison.Ordinal);
        var second = CliRunner.RunProcess(dir.Path, RunArgs(server.Url(db.Database)));
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("run r1 finished at ", second.Output, StringComparison.Ordinal);
        Assert.Equal("1", server.Psql("SELECT count(*) FROM patchkit_journal WHERE kind = 0 AND run_id = 'r1'", db.Database));
        var state = PatchKit.Hosts.Simulated.SimulatedHostAdapter.ReadState(Path.Combine(dir.Path, "patchkit-reports", "r1.fleet-state.json"));
        Assert.All(state.Machines, m => Assert.All(m.InstallCounts, kv => Assert.Equal(1, kv.Value)));
    }

    [PostgresFact]
    public void Run_PostgresJournal_ResumeWithChangedPolicy_ExitsTwoNamingTheChange_SameInputsResume()
    {
        var db = server.NewDatabase("cli");
        using var dir = new TempDir();
        string policy = Path.Combine(dir.Path, "policy.json");
        File.Copy(RepoFiles.Example("policy.json"), policy);
        string[] args = ["run", "-f", RepoFiles.Example("fleet.json"), "-c", RepoFiles.Example("catalog.json"), "-p", policy, "-r", "r1", "-q", "--journal", server.Url(db.Database)];
        Assert.Equal(0, CliRunner.RunProcess(dir.Path, args).ExitCode);
        Assert.Equal("1", server.Psql("SELECT count(*) FROM patchkit_journal WHERE kind = 4 AND key = 'run-inputs' AND run_id = 'r1'", db.Database));
        // As if the run had been interrupted before its end.
        server.Psql("DELETE FROM patchkit_journal WHERE kind = 5 AND run_id = 'r1'", db.Database);
        File.WriteAllText(policy, File.ReadAllText(policy).Replace("\"maxConcurrency\": 2", "\"maxConcurrency\": 3", StringComparison.Ordinal));

        var (code, output, error) = CliRunner.RunProcess(dir.Path, args);
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        Assert.Contains("policy.json: maxConcurrency 2 → 3", error, StringComparison.Ordinal);
        Assert.Equal("0", server.Psql("SELECT count(*) FROM patchkit_journal WHERE kind = 5 AND run_id = 'r1'", db.Database));

        File.Copy(RepoFiles.Example("policy.json"), policy, overwrite: true);
        var resumed = CliRunner.RunProcess(dir.Path, args);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains("run r1 (attempt 2)", resumed.Output, StringComparison.Ordinal);
    }

    [PostgresFact]
    public void Worker_InputsOtherThanTheQueuedRun_ExitsTwoNamingTheChange_ActsOnNoHost()
    {
        var db = server.NewDatabase("cli");
        using var dir = new TempDir();
        string policy = Path.Combine(dir.Path, "policy.json");
        File.Copy(RepoFiles.Example("policy.json"), policy);
        string url = server.Url(db.Database);
        string state = Path.Combine(dir.Path, "fleet-state.json");
        string[] inputs = ["-f", RepoFiles.Example("fleet.json"), "-c", RepoFiles.Example("catalog.json"), "-p", policy, "-r", "w1", "-j", url, "--state", state, "-q"];
        var queued = CliRunner.RunProcess(dir.Path, ["run", "--workers", .. inputs]);
        Assert.True(queued.ExitCode == 0, queued.Output + queued.Error);
        Assert.Equal("1", server.Psql("SELECT count(*) FROM patchkit_journal WHERE kind = 4 AND key = 'run-inputs' AND run_id = 'w1'", db.Database));
        string before = server.Psql("SELECT count(*) FROM patchkit_journal WHERE run_id = 'w1'", db.Database);

        File.WriteAllText(policy, File.ReadAllText(policy).Replace("\"maxConcurrency\": 2", "\"maxConcurrency\": 3", StringComparison.Ordinal));
        var (code, _, error) = CliRunner.RunProcess(dir.Path, ["worker", .. inputs]);
        Assert.Equal(2, code);
        Assert.Contains("was queued with other inputs than this worker's", error, StringComparison.Ordinal);
        Assert.Contains("policy.json: maxConcurrency 2 → 3", error, StringComparison.Ordinal);
        Assert.Contains("Give every worker the fleet, catalog and policy files the run was queued with, or queue a new run with another --run-id", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.Equal(before, server.Psql("SELECT count(*) FROM patchkit_journal WHERE run_id = 'w1'", db.Database));

        // Queuing the same run id again with the changed policy is refused the same way.
        var requeued = CliRunner.RunProcess(dir.Path, ["run", "--workers", .. inputs]);
        Assert.Equal(2, requeued.ExitCode);
        Assert.Contains("was queued with other inputs than these", requeued.Error, StringComparison.Ordinal);
    }

    [PostgresFact]
    public void Run_PostgresDown_ExitsTwoNamingTheEndpointWithoutStackTrace()
    {
        server.Require();
        int closed;
        using (var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            l.Start();
            closed = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        }

        using var dir = new TempDir();
        var (code, _, error) = CliRunner.RunProcess(dir.Path, RunArgs($"postgres://patchkit@127.0.0.1:{closed}/x?password-file={Uri.EscapeDataString(server.PasswordFile)}"));
        Assert.Equal(2, code);
        Assert.Contains($"127.0.0.1:{closed}/x cannot be reached", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotContain(File.ReadAllText(server.PasswordFile).Trim(), error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_PasswordInTheAddress_ExitsTwoWithoutEchoingIt()
    {
        using var dir = new TempDir();
        var (code, _, error) = CliRunner.Run(dir.Path, null, RunArgs("postgres://patchkit:hunter2@127.0.0.1:1/x"));
        Assert.Equal(2, code);
        Assert.Contains("password-env", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [PostgresFact]
    public void Run_PostgresSchemaNewer_ExitsTwoSayingSo()
    {
        var db = server.NewDatabase("cli");
        using var dir = new TempDir();
        Assert.Equal(0, CliRunner.RunProcess(dir.Path, RunArgs(server.Url(db.Database))).ExitCode);
        server.Psql("INSERT INTO patchkit_schema (version) VALUES (5)", db.Database);
        var (code, _, error) = CliRunner.RunProcess(dir.Path, RunArgs(server.Url(db.Database)));
        Assert.Equal(2, code);
        Assert.Contains("schema version 5", error, StringComparison.Ordinal);
    }
}
