using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PatchKit.Hosts.Simulated;
using PatchKit.Tests.Infrastructure;
using Xunit.Abstractions;

namespace PatchKit.Tests.Cli.Commands;

/// <summary>Scale-out proven by killing: four real `patchkit worker` processes share one run queued in the tests' own
/// PostgreSQL (`patchkit run --workers`) over the example simulated fleet in real-time mode (every host call takes
/// 30 ms of wall-clock time, the fleet's state file shared under a file lock). At seeded random moments one or two
/// workers are SIGKILLed and started again; once per suite (in the first round where a lease holder can be caught outside the fleet's file lock) a worker that holds a lease is SIGSTOPped until its lease
/// expired and another worker took its host over, then SIGCONTed. Afterwards every approved patch was installed on
/// every host exactly once (the simulated fleet counts installs), nothing is left in maintenance mode or snapshotted,
/// no journal record about a host carries an older fencing token than one written before it (no stale worker's write
/// was accepted after its lease moved), the report every worker prints equals the report of one `patchkit run`
/// process over the same fleet, host by host, and the workers' reports equal each other times included.</summary>
[Collection("postgres")]
public sealed class WorkerChaosTests(PostgresServer server, ITestOutputHelper output)
{
    private const int Seed = 20261205;
    private const int RequiredKills = 50;
    private const string Lease = "1.5";
    private const int KillsPerRound = 20;

    [PostgresFact]
    [Trait("Category", "Crash")]
    public void Workers_KilledAndPausedAtSeededRandomMoments_PatchEveryHostOnceAndReportLikeOneProcess()
    {
        var db = server.NewDatabase("chaos");
        string url = server.Url(db.Database);
        using var dir = new TempDir();
        var reference = SingleProcessReport(dir.Path);
        var random = new Random(Seed);
        int kills = 0, rounds = 0;
        bool paused = false;
        var watch = Stopwatch.StartNew();
        while (kills < RequiredKills || !paused)
        {
            rounds++;
            Assert.True(rounds <= 12, $"{kills} kills after {rounds - 1} rounds");
            string runId = "chaos-" + rounds.ToString(CultureInfo.InvariantCulture);
            string state = Path.Combine(dir.Path, runId, "fleet-state.json");
            var queued = CliRunner.RunProcess(dir.Path, ["run", "--workers", .. Inputs(), "-r", runId, "-j", url, "--state", state, "-q"]);
            Assert.True(queued.ExitCode == 0, queued.Output + queued.Error);
            Assert.Contains("queued: 8 hosts in 3 waves", queued.Output, StringComparison.Ordinal);

            var workers = new Worker?[4];
            var finished = new string?[4];
            int generation = 0;
            Worker Start(int slot) => new(dir.Path, slot, ++generation, ["worker", .. Inputs(), "-r", runId, "-j", url, "--state", state, "--lease", Lease,
                "--sim-call-delay", "30", "-o", Path.Combine(dir.Path, runId, "reports"), "-q", "--json"]);
            for (int i = 0; i < workers.Length; i++)
            {
                workers[i] = Start(i);
            }

            var deadline = Stopwatch.StartNew();
            int roundKills = 0;
            while (finished.Any(f => f is null))
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(150), $"round {rounds} did not finish: " + string.Join(" | ", workers.Select(w => w?.Describe())));
                Thread.Sleep(random.Next(200, 900));
                for (int i = 0; i < workers.Length; i++)
                {
                    if (workers[i] is { } w && w.Process.HasExited)
                    {
                        var (code, stdout, stderr) = w.Collect();
                        Assert.True(code == 0, $"worker {w.Id} exited {code}:\n{stderr}");
                        finished[i] = stdout;
                        workers[i] = null;
                    }
                }

                if (!paused && PauseLeaseHolder(db.Database, runId, workers))
                {
                    paused = true;
                    continue;
                }

                // A victim has run for a while (a worker needs its start-up before it claims anything), and each round
                // ends with a kill-free stretch so that it finishes.
                var running = roundKills >= KillsPerRound ? [] : Enumerable.Range(0, workers.Length)
                    .Where(i => workers[i] is { } w && w.Age > TimeSpan.FromMilliseconds(random.Next(800, 2500))).ToList();
                int victims = Math.Min(running.Count, random.Next(3) == 0 ? 2 : 1);
                for (int v = 0; v < victims; v++)
                {
                    int slot = running[random.Next(running.Count)];
                    running.Remove(slot);
                    var w = workers[slot]!;
                    try
                    {
                        w.Process.Kill(); // SIGKILL
                    }
                    catch (InvalidOperationException)
                    {
                        // exited just before
                    }

                    w.Process.WaitForExit();
                    if (w.Process.ExitCode != 137 && w.Process.ExitCode != -1)
                    {
                        // It finished on its own just before the signal.
                        var (code, stdout, stderr) = w.Collect();
                        Assert.True(code == 0, $"worker {w.Id} exited {code}:\n{stderr}");
                        finished[slot] = stdout;
                        workers[slot] = null;
                        continue;
                    }

                    w.Collect();
                    kills++;
                    roundKills++;
                    workers[slot] = Start(slot);
                }
            }

            AssertRound(db.Database, runId, state, reference, finished!);
            output.WriteLine($"round {rounds}: {kills} kills so far, {generation} worker processes, {watch.Elapsed.TotalSeconds:F1} s");
        }

        Assert.True(paused, "no worker was paused past its lease");
        output.WriteLine($"seed {Seed}: {kills} SIGKILLs over {rounds} rounds, 1 SIGSTOP past the lease, {watch.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>The database stopped and started again under four running workers: they wait for it, reconnect, and
    /// finish the run; every patch once, nothing left in maintenance, every report like one process's.</summary>
    [PostgresFact]
    [Trait("Category", "Crash")]
    public void Workers_DatabaseRestartedUnderThem_ReconnectAndFinishEveryHostOnce()
    {
        var db = server.NewDatabase("restart");
        string url = server.Url(db.Database);
        using var dir = new TempDir();
        var reference = SingleProcessReport(dir.Path);
        const string runId = "restart";
        string state = Path.Combine(dir.Path, runId, "fleet-state.json");
        var queued = CliRunner.RunProcess(dir.Path, ["run", "--workers", .. Inputs(), "-r", runId, "-j", url, "--state", state, "-q"]);
        Assert.True(queued.ExitCode == 0, queued.Output + queued.Error);
        var workers = Enumerable.Range(0, 4).Select(i => new Worker(dir.Path, i, 1, ["worker", .. Inputs(), "-r", runId, "-j", url, "--state", state,
            "--lease", "3", "--sim-call-delay", "60", "-o", Path.Combine(dir.Path, runId, "reports"), "-q", "--json"])).ToArray();
        try
        {
            // Wait until the workers are in the middle of the run: a host done and another leased.
            var waited = Stopwatch.StartNew();
            while (true)
            {
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(120), "the workers did not start working: " + string.Join(" | ", workers.Select(w => w.Describe())));
                Assert.DoesNotContain(workers, w => w.Process.HasExited);
                string progress = server.Psql($"SELECT count(*) FILTER (WHERE state = 'done') || ' ' || count(*) FILTER (WHERE state = 'leased') FROM patchkit_work WHERE run_id = '{runId}'", db.Database);
                if (progress.Split(' ') is [var done, var leased] && done != "0" && leased != "0")
                {
                    break;
                }

                Thread.Sleep(50);
            }

            server.Stop();
            Thread.Sleep(3000); // longer than a lease: the workers' leases expire while the database is away
            Assert.DoesNotContain(workers, w => w.Process.HasExited);
            server.Start();
            output.WriteLine($"database stopped for 3 s after {waited.Elapsed.TotalSeconds:F1} s, with the workers in the middle of the run");

            var reports = new string[workers.Length];
            for (int i = 0; i < workers.Length; i++)
            {
                Assert.True(workers[i].Process.WaitForExit(TimeSpan.FromSeconds(150)), $"worker {workers[i].Id} did not finish after the restart");
                var (code, stdout, stderr) = workers[i].Collect();
                Assert.True(code == 0, $"worker {workers[i].Id} exited {code}:\n{stderr}");
                reports[i] = stdout;
            }

            AssertRound(db.Database, runId, state, reference, reports);
            string claims = server.Psql($"SELECT sum(claims) FROM patchkit_work WHERE run_id = '{runId}'", db.Database);
            output.WriteLine($"finished: {claims} claims for 8 hosts");
        }
        finally
        {
            if (!File.Exists(Path.Combine(server.DataDir, "postmaster.pid")))
            {
                server.Start();
            }

            foreach (var w in workers)
            {
                try
                {
                    w.Process.Kill();
                }
                catch (InvalidOperationException)
                {
                }
            }
        }
    }

    /// <summary>A worker stopped (SIGSTOP) inside a transaction past the server's 10 s limit for a session idle in a
    /// transaction: the server ends the session (25P03), which frees the locks for the others. When the worker goes on
    /// it finds its connection gone; it connects again and does the work again (the cut-off transaction never
    /// committed) instead of failing, then finishes the run: every host once, reports like one process. Once in its
    /// start-up's schema transaction and once in a claim: the test holds the lock each one takes, so the worker waits
    /// inside the transaction, is stopped there, and the lock is let go under it.</summary>
    [PostgresFact]
    [Trait("Category", "Crash")]
    public async Task Worker_StoppedInsideItsTransactionsPastTheIdleLimit_AtStartAndInAClaim_ConnectsAgainAndFinishes()
    {
        var db = server.NewDatabase("idletx");
        string url = server.Url(db.Database);
        using var dir = new TempDir();
        var reference = SingleProcessReport(dir.Path);
        const string runId = "idletx";
        string state = Path.Combine(dir.Path, runId, "fleet-state.json");
        var queued = CliRunner.RunProcess(dir.Path, ["run", "--workers", .. Inputs(), "-r", runId, "-j", url, "--state", state, "-q"]);
        Assert.True(queued.ExitCode == 0, queued.Output + queued.Error);

        string cs = string.Create(CultureInfo.InvariantCulture,
            $"Host=127.0.0.1;Port={server.Port};Database={db.Database};Username=patchkit;Password={File.ReadAllText(db.PasswordFile!).Trim()};Application Name=patchkit-test;Pooling=false");
        await using var migration = await HoldLockAsync(cs, "SELECT pg_advisory_xact_lock(" + PatchKit.Lifecycle.Postgres.Schema.MigrationLock.ToString(CultureInfo.InvariantCulture) + ")");
        await using var claim = await HoldLockAsync(cs, "SELECT pg_advisory_xact_lock(hashtext('patchkit-claim:" + runId + "'))");
        var worker = new Worker(dir.Path, 0, 1, ["worker", .. Inputs(), "-r", runId, "-j", url, "--state", state, "--lease", Lease,
            "--sim-call-delay", "30", "-o", Path.Combine(dir.Path, runId, "reports"), "-q", "--json"]);
        bool collected = false;
        try
        {
            foreach (var (what, held) in new[] { ("its schema transaction", migration), ("a claim", claim) })
            {
                WaitFor(() => server.Psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'patchkit' AND wait_event_type = 'Lock'", db.Database) != "0",
                    worker, "the worker waiting for the lock in " + what);
                Signal("STOP", worker.Process.Id);
                await held.Transaction.CommitAsync();
                var stopped = Stopwatch.StartNew();
                WaitFor(() => server.Psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'patchkit' AND (state LIKE 'idle in transaction%' OR wait_event_type = 'Lock')", db.Database) == "0",
                    worker, "the server ending the stopped worker's sessions in " + what);
                output.WriteLine($"stopped in {what}; the server ended its sessions after {stopped.Elapsed.TotalSeconds:F1} s");
                Signal("CONT", worker.Process.Id);
            }

            Assert.True(worker.Process.WaitForExit(TimeSpan.FromSeconds(150)), "the worker did not finish after it went on");
            var (code, stdout, stderr) = worker.Collect();
            collected = true;
            Assert.True(code == 0, $"worker exited {code}:\n{stderr}");
            AssertRound(db.Database, runId, state, reference, [stdout]);
        }
        finally
        {
            try
            {
                if (!collected && !worker.Process.HasExited)
                {
                    Signal("CONT", worker.Process.Id);
                    worker.Process.Kill();
                }
            }
            catch (InvalidOperationException)
            {
                // collected (and disposed) where the test failed
            }
        }
    }

    private static async Task<HeldLock> HoldLockAsync(string connectionString, string sql)
    {
        var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (var cmd = new Npgsql.NpgsqlCommand(sql, connection, transaction))
        {
            await cmd.ExecuteNonQueryAsync();
        }

        return new HeldLock(connection, transaction);
    }

    private static void WaitFor(Func<bool> condition, Worker worker, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), "timed out waiting for " + what);
            if (worker.Process.HasExited)
            {
                var (code, _, stderr) = worker.Collect();
                Assert.Fail($"the worker ended (exit {code}) while waiting for {what}:\n{stderr}");
            }

            Thread.Sleep(100);
        }
    }

    private sealed record HeldLock(Npgsql.NpgsqlConnection Connection, Npgsql.NpgsqlTransaction Transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
    }

    private static string[] Inputs() => ["-f", RepoFiles.Example("fleet.json"), "-c", RepoFiles.Example("catalog.json"), "-p", RepoFiles.Example("policy.json")];

    private static JsonObject SingleProcessReport(string dir)
    {
        var single = CliRunner.RunProcess(dir, ["run", .. Inputs(), "-r", "single", "-o", Path.Combine(dir, "single"), "-q", "--json"]);
        Assert.True(single.ExitCode == 0, single.Error);
        return (JsonObject)JsonNode.Parse(single.Output)!;
    }

    /// <summary>SIGSTOPs the worker holding a lease, waits until another worker has claimed that host (the lease
    /// expired on the database's clock), then SIGCONTs it: the paused worker must be fenced out.</summary>
    private bool PauseLeaseHolder(string database, string runId, Worker?[] workers)
    {
        // The simulated fleet's state file is locked for a moment by every host call (a stand-in for the hosts, which
        // a real fleet does not share): a worker paused while it holds that lock would stall every worker's host calls,
        // not only its own. Pause it at another moment then: a few tries a few milliseconds apart.
        string[]? parts = null;
        Worker? holder = null;
        for (int attempt = 0; attempt < 20 && holder is null; attempt++)
        {
            string row = server.Psql($"SELECT host_id || ' ' || holder || ' ' || fence FROM patchkit_work WHERE run_id = '{runId}' AND state = 'leased' AND expires_at > clock_timestamp() ORDER BY fence LIMIT 1", database);
            if (row.Length == 0)
            {
                return false;
            }

            parts = row.Split(' ');
            var candidate = workers.FirstOrDefault(w => w is not null && w.Id == parts[1] && !w.Process.HasExited);
            if (candidate is null)
            {
                return false;
            }

            Signal("STOP", candidate.Process.Id);
            string pid = candidate.Process.Id.ToString(CultureInfo.InvariantCulture);
            if (File.ReadAllLines("/proc/locks").Any(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, "POSIX", _, _, var p, ..] && p == pid))
            {
                Signal("CONT", candidate.Process.Id);
                Thread.Sleep(7);
                continue;
            }

            holder = candidate;
        }

        if (holder is null || parts is null)
        {
            return false;
        }

        var waited = Stopwatch.StartNew();
        string fence = parts[2];
        while (waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            string now = server.Psql($"SELECT fence FROM patchkit_work WHERE run_id = '{runId}' AND host_id = '{parts[0]}'", database);
            if (now != fence)
            {
                break;
            }

            Thread.Sleep(100);
        }

        Signal("CONT", holder.Process.Id);
        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), $"host {parts[0]} was not taken over within 60 s of pausing {parts[1]}");
        string claims = server.Psql($"SELECT claims FROM patchkit_work WHERE run_id = '{runId}' AND host_id = '{parts[0]}'", database);
        Assert.True(int.Parse(claims, CultureInfo.InvariantCulture) >= 2, $"host {parts[0]} was not taken over while {parts[1]} was paused");
        output.WriteLine($"paused {parts[1]} holding {parts[0]} (fencing token {fence}) for {waited.Elapsed.TotalSeconds:F1} s until another worker took the host over");
        return true;
    }

    private void AssertRound(string database, string runId, string statePath, JsonObject reference, string[] reports)
    {
        // Every host done; no journal record about a host carries an older fencing token than one before it.
        Assert.Equal("8", server.Psql($"SELECT count(*) FROM patchkit_work WHERE run_id = '{runId}' AND state = 'done'", database));
        Assert.NotEqual("0", server.Psql($"SELECT count(*) FROM patchkit_journal WHERE run_id = '{runId}' AND fence IS NOT NULL", database));
        Assert.Equal("0", server.Psql($"""
            SELECT count(*) FROM (SELECT fence, max(fence) OVER (PARTITION BY host_id ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
            FROM patchkit_journal WHERE run_id = '{runId}' AND fence IS NOT NULL) t WHERE fence < before
            """.ReplaceLineEndings(" "), database));

        // Every approved patch installed exactly once; nothing left in maintenance mode, snapshotted or cloned.
        var world = SimulatedHostAdapter.ReadState(statePath);
        var fleet = SimulatedFleetDescription.Parse(File.ReadAllBytes(RepoFiles.Example("fleet.json")));
        Assert.DoesNotContain(world.Machines, m => m.CloneOf is not null);
        foreach (var m in world.Machines)
        {
            var applied = ((JsonArray)reference["hosts"]!.AsArray().Single(h => (string)h!["hostId"]! == m.Id)!["patchesApplied"]!).Select(p => (string)p!).ToList();
            Assert.True(applied.Count == m.InstallCounts.Count && applied.TrueForAll(p => m.InstallCounts.GetValueOrDefault(p) == 1),
                $"{m.Id}: installs {string.Join(", ", m.InstallCounts.Select(kv => kv.Key + "×" + kv.Value))}, expected {string.Join(", ", applied)} once each");
            Assert.False(m.InMaintenanceMode, m.Id + " left in maintenance mode");
            Assert.False(m.PendingReboot, m.Id + " left pending reboot");
            Assert.Empty(m.Snapshots);
            Assert.Equal(fleet.Hosts.Single(h => h.Id == m.Id).ParentId, m.ParentId);
        }

        // The report every worker printed, built from the shared journal, equals the single process's.
        foreach (string report in reports)
        {
            var r = (JsonObject)JsonNode.Parse(report)!;
            Assert.Equal(Essence(reference), Essence(r));
        }

        // And the workers' reports equal each other with their times (the timeline rebuilt from the shared journal:
        // replayed steps advance it by their journaled durations, a reconciled step by its planned one), whichever
        // worker printed it and however often it was killed. Not the single process's times: it dispatches the hosts
        // of a wave to its lanes as they free up on its own timeline, the workers start each host at the plan's start.
        var timelines = reports.Select(Timeline).ToList();
        Assert.All(timelines, t => Assert.Equal(timelines[0], t));
    }

    /// <summary>A report without what differs by the printing process (when and where it wrote, its run history).</summary>
    private static string Timeline(string report)
    {
        var r = (JsonObject)JsonNode.Parse(report)!;
        r.Remove("generatedAt");
        r.Remove("reportPaths");
        r.Remove("history");
        return r.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>What a report says about the run, without the timeline's times (replayed steps take no time on the
    /// reporting process's timeline) and the attempt history.</summary>
    private static string Essence(JsonObject report)
    {
        var keep = new JsonObject();
        foreach (string k in new[] { "halted", "patched", "patchedPendingReboot", "skipped", "notApplicable", "failed", "rolledBack", "planned", "compliancePercent", "restartsAvoided", "leftInMaintenanceMode" })
        {
            keep[k] = report[k]?.DeepClone();
        }

        var hosts = new JsonArray();
        foreach (var h in report["hosts"]!.AsArray())
        {
            var o = new JsonObject();
            foreach (string k in new[] { "hostId", "kind", "cluster", "wave", "path", "state", "skipReason", "message", "patchesApplied", "restartsAvoided" })
            {
                o[k] = h![k]?.DeepClone();
            }

            hosts.Add(o);
        }

        keep["hosts"] = hosts;
        keep["waves"] = new JsonArray([.. report["waves"]!.AsArray().Select(w => (JsonNode?)new JsonObject { ["name"] = w!["name"]!.DeepClone(), ["hostIds"] = w["hostIds"]!.DeepClone() })]);
        return keep.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static void Signal(string signal, int pid)
    {
        var (code, _, error) = Proc.Run("kill", "/", "-" + signal, pid.ToString(CultureInfo.InvariantCulture));
        Assert.True(code == 0, error);
    }

    private sealed class Worker
    {
        private readonly Task<string> _stdout;
        private readonly Task<string> _stderr;
        private readonly Stopwatch _started = Stopwatch.StartNew();

        public Worker(string dir, int slot, int generation, string[] args)
        {
            Id = "w" + slot.ToString(CultureInfo.InvariantCulture) + "-" + generation.ToString(CultureInfo.InvariantCulture);
            Process = CliRunner.StartProcess(dir, [.. args, "--worker-id", Id]);
            Process.StandardInput.Close();
            _stdout = Process.StandardOutput.ReadToEndAsync();
            _stderr = Process.StandardError.ReadToEndAsync();
        }

        public string Id { get; }

        public Process Process { get; }

        public TimeSpan Age => _started.Elapsed;

        public string Describe() => Id + (Process.HasExited ? " exited" : " running");

        public (int Code, string Stdout, string Stderr) Collect()
        {
            Process.WaitForExit();
            var result = (Process.ExitCode, _stdout.Result, _stderr.Result);
            Process.Dispose();
            return result;
        }
    }
}
