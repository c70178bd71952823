using PatchKit.Lifecycle.Journal;
using PatchKit.Lifecycle.Postgres;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Lifecycle.Journal;

/// <summary>The journal contract on a real PostgreSQL (the tests' own server, tests/fixtures/postgres).</summary>
[Collection("postgres")]
[RequiresPostgres]
public sealed class PostgresRunJournalContractTests(PostgresServer server) : RunJournalContractTests
{
    private readonly List<PostgresRunStore> _stores = [];
    private PostgresJournalOptions? _database;

    protected override IRunJournal Open()
    {
        _database ??= server.NewDatabase("contract");
        var store = PostgresRunStore.OpenAsync(_database).GetAwaiter().GetResult();
        _stores.Add(store);
        return store.Journal;
    }

    public override void Dispose()
    {
        foreach (var s in _stores)
        {
            s.Dispose();
        }

        base.Dispose();
    }
}

/// <summary>The PostgreSQL store on a real server: migrations, clear errors (down, login refused, newer schema, run
/// id with another plan), the work queue (waves, per-cluster limit across orchestrators, every host claimed once by
/// racing workers), leases with expiry and fencing, and a server restarted under a connected store.</summary>
[Collection("postgres")]
public sealed class PostgresRunStoreTests(PostgresServer server)
{
    private static readonly WorkItem[] s_plan =
    [
        new("lab1", 0, "c1"),
        new("esx1", 1, "c1"), new("esx2", 1, "c1"), new("esx3", 1, "c1"),
        new("kvm1", 1, "c2"), new("kvm2", 1, "c2"),
        new("vm1", 2, null),
    ];

    private static JournalRecord Rec(string run, string? host, string key) =>
        new() { Format = JournalRecord.CurrentFormat, RunId = run, Kind = JournalRecordKind.StepStarted, Key = key, HostId = host, At = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero) };

    [PostgresFact]
    public async Task OpenAsync_TwoOrchestratorsAtOnce_SchemaMigratedOnce()
    {
        var db = server.NewDatabase();
        var opened = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostgresRunStore.OpenAsync(db)));
        foreach (var s in opened)
        {
            await s.DisposeAsync();
        }

        Assert.Equal("1", server.Psql("SELECT string_agg(version::text, ',') FROM patchkit_schema", db.Database));
    }

    [PostgresFact]
    public async Task OpenAsync_SchemaNewerThanTheCode_RefusedNamingTheDatabase()
    {
        var db = server.NewDatabase();
        await (await PostgresRunStore.OpenAsync(db)).DisposeAsync();
        server.Psql("INSERT INTO patchkit_schema (version) VALUES (42)", db.Database);
        var ex = await Assert.ThrowsAsync<PostgresJournalException>(() => PostgresRunStore.OpenAsync(db));
        Assert.Contains("schema version 42", ex.Message, StringComparison.Ordinal);
        Assert.Contains(db.Endpoint, ex.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task OpenAsync_NothingListening_ClearErrorNamingTheEndpoint()
    {
        server.Require();
        int closed;
        using (var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            l.Start();
            closed = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        }

        var options = server.Options("postgres");
        options.Port = closed;
        options.ConnectTimeout = TimeSpan.FromSeconds(2);
        var ex = await Assert.ThrowsAsync<PostgresJournalException>(() => PostgresRunStore.OpenAsync(options));
        Assert.Contains("127.0.0.1:" + closed + "/postgres cannot be reached", ex.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task OpenAsync_WrongPassword_LoginRefusedAndThePasswordNotInTheMessage()
    {
        var db = server.NewDatabase();
        string variable = "PATCHKIT_TEST_PG_WRONG_" + Guid.NewGuid().ToString("N")[..6];
        Environment.SetEnvironmentVariable(variable, "not-the-password-3141");
        try
        {
            var options = server.Options(db.Database);
            options.PasswordFile = null;
            options.PasswordEnvironmentVariable = variable;
            var ex = await Assert.ThrowsAsync<PostgresJournalException>(() => PostgresRunStore.OpenAsync(options));
            Assert.Contains("refused the login of user 'patchkit'", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("3141", ex.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void OpenAsync_PasswordVariableNotSet_SaysWhichVariable()
    {
        var options = new PostgresJournalOptions { PasswordEnvironmentVariable = "PATCHKIT_TEST_PG_UNSET_VARIABLE" };
        var ex = Assert.ThrowsAny<PostgresJournalException>(() => PostgresRunStore.OpenAsync(options).GetAwaiter().GetResult());
        Assert.Contains("PATCHKIT_TEST_PG_UNSET_VARIABLE, which is not set", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://ops:secret@db/patchkit")]
    [InlineData("postgres://ops@db/patchkit?password=secret")]
    public void Parse_PasswordInTheAddress_RefusedWithoutEchoingIt(string address)
    {
        var ex = Assert.Throws<ArgumentException>(() => PostgresJournalOptions.Parse(address));
        Assert.Contains("password-env", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FullAddress_EveryPart()
    {
        var o = PostgresJournalOptions.Parse("postgresql://ops%2B1@db.example:6543/fleet_runs?password-file=%2Fetc%2Fpk%2Fpw");
        Assert.Equal(("db.example", 6543, "fleet_runs", "ops+1", "/etc/pk/pw", (string?)null), (o.Host, o.Port, o.Database, o.Username, o.PasswordFile, o.PasswordEnvironmentVariable));
        Assert.Equal("db.example:6543/fleet_runs", o.Endpoint);
        Assert.Equal(5432, PostgresJournalOptions.Parse("postgres://db/x?password-env=PW").Port);
    }

    [PostgresFact]
    public async Task CreateRunAsync_SamePlanAgainThenAnotherPlan_OnceThenRefused()
    {
        await using var store = await PostgresRunStore.OpenAsync(server.NewDatabase());
        Assert.True(await store.CreateRunAsync("r", "plan-a", s_plan, 1));
        Assert.False(await store.CreateRunAsync("r", "plan-a", s_plan, 1));
        var ex = await Assert.ThrowsAsync<PostgresJournalException>(() => store.CreateRunAsync("r", "plan-b", s_plan, 1));
        Assert.Contains("Run 'r' exists", ex.Message, StringComparison.Ordinal);
        Assert.Contains("another plan", ex.Message, StringComparison.Ordinal);
        Assert.Equal("plan-a", await store.GetPlanAsync("r"));
        Assert.Equal(new RunProgress(7, 0, 0, 0), await store.GetProgressAsync("r"));
    }

    [PostgresFact]
    public async Task ClaimAsync_TwoOrchestrators_WavesInOrderAndOneHostPerClusterFleetWide()
    {
        var db = server.NewDatabase();
        await using var a = await PostgresRunStore.OpenAsync(db);
        await using var b = await PostgresRunStore.OpenAsync(db);
        await a.CreateRunAsync("r", "p", s_plan, maxPerCluster: 1);
        var minute = TimeSpan.FromMinutes(1);

        var lab = await a.ClaimAsync("r", "A", minute);
        Assert.Equal("lab1", lab!.HostId);
        Assert.Null(await b.ClaimAsync("r", "B", minute)); // wave 1 waits for the lab wave
        await a.CompleteAsync(lab);

        var first = await b.ClaimAsync("r", "B", minute);
        var second = await a.ClaimAsync("r", "A", minute);
        Assert.Equal(("esx1", "kvm1"), (first!.HostId, second!.HostId)); // esx2 waits: c1 is at its limit
        Assert.Null(await a.ClaimAsync("r", "A", minute));
        Assert.True(second.FencingToken > first.FencingToken && first.FencingToken > lab.FencingToken);
        await b.CompleteAsync(first);
        Assert.Equal("esx2", (await a.ClaimAsync("r", "A", minute))!.HostId);
        Assert.Equal(new RunProgress(3, 2, 2, 4), await a.GetProgressAsync("r"));
    }

    [PostgresFact]
    public async Task ClaimAsync_EightRacingWorkers_EveryHostClaimedExactlyOnce()
    {
        var db = server.NewDatabase();
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostgresRunStore.OpenAsync(db)));
        var hosts = Enumerable.Range(0, 300).Select(i => new WorkItem("h" + i, i / 100, "c" + (i % 10))).ToArray();
        await stores[0].CreateRunAsync("race", "p", hosts, maxPerCluster: 3);
        var claimed = new System.Collections.Concurrent.ConcurrentBag<string>();
        int maxPerCluster = 0;
        var inFlight = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var store = stores[w % stores.Length];
            while (true)
            {
                var lease = await store.ClaimAsync("race", "w" + w, TimeSpan.FromMinutes(1));
                if (lease is null)
                {
                    if ((await store.GetProgressAsync("race")).Done == hosts.Length)
                    {
                        return;
                    }

                    await Task.Delay(5);
                    continue;
                }

                int now = inFlight.AddOrUpdate(lease.Cluster, 1, (_, n) => n + 1);
                InterlockedMax(ref maxPerCluster, now);
                claimed.Add(lease.HostId);
                await Task.Yield();
                inFlight.AddOrUpdate(lease.Cluster, 0, (_, n) => n - 1);
                await store.CompleteAsync(lease);
            }
        })));
        foreach (var s in stores)
        {
            await s.DisposeAsync();
        }

        Assert.Equal(hosts.Length, claimed.Count);
        Assert.Equal(hosts.Length, claimed.Distinct().Count());
        Assert.InRange(maxPerCluster, 1, 3);
    }

    [PostgresFact]
    public async Task Lease_ExpiredAndTakenOver_StaleWorkerFencedOutOfJournalAndQueue()
    {
        var db = server.NewDatabase();
        await using var stale = await PostgresRunStore.OpenAsync(db);
        await using var fresh = await PostgresRunStore.OpenAsync(db);
        await stale.CreateRunAsync("r", "p", [new WorkItem("esx1", 0, "c1")], 1);
        // Claimed for a minute so a loaded machine cannot let it expire before the renewal; the renewal shortens it.
        var old = await stale.ClaimAsync("r", "A", TimeSpan.FromMinutes(1));
        await stale.Journal.AppendAsync(Rec("r", "esx1", "repair/esx1/enter-maintenance"), CancellationToken.None);
        await stale.RenewAsync(old!, TimeSpan.FromMilliseconds(300));

        // A waits past its lease (as a paused or cut-off worker would); B takes the host over.
        await Task.Delay(700);
        var taken = await fresh.ClaimAsync("r", "B", TimeSpan.FromMinutes(1));
        Assert.NotNull(taken);
        Assert.True(taken.TakenOver);
        Assert.True(taken.FencingToken > old!.FencingToken);

        var lost = await Assert.ThrowsAsync<LeaseLostException>(async () => await stale.Journal.AppendAsync(Rec("r", "esx1", "repair/esx1/install/KB1"), CancellationToken.None));
        Assert.Contains("fencing token " + old.FencingToken, lost.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<LeaseLostException>(() => stale.CompleteAsync(old));
        await Assert.ThrowsAsync<LeaseLostException>(() => stale.RenewAsync(old, TimeSpan.FromMinutes(1)));

        // Records with no host (run-level) are not fenced; the new holder's records are accepted.
        await stale.Journal.AppendAsync(Rec("r", null, "run-level"), CancellationToken.None);
        await fresh.Journal.AppendAsync(Rec("r", "esx1", "repair/esx1/install/KB1"), CancellationToken.None);
        await fresh.CompleteAsync(taken);
        var keys = (await fresh.Journal.ReadAsync("r", CancellationToken.None)).Records.Select(r => r.Key!).ToArray();
        Assert.Equal(["repair/esx1/enter-maintenance", "run-level", "repair/esx1/install/KB1"], keys);
        Assert.Equal(new RunProgress(0, 0, 1, 2), await fresh.GetProgressAsync("r"));
    }

    [PostgresFact]
    public async Task Store_ServerRestartedUnderIt_ReconnectsAndFinishes()
    {
        var db = server.NewDatabase();
        await using var store = await PostgresRunStore.OpenAsync(db);
        await store.CreateRunAsync("r", "p", [new WorkItem("h1", 0, null), new WorkItem("h2", 0, null)], 0);
        var lease = await store.ClaimAsync("r", "A", TimeSpan.FromMinutes(5));
        await store.Journal.AppendAsync(Rec("r", "h1", "before"), CancellationToken.None);

        server.Stop();
        var append = store.Journal.AppendAsync(Rec("r", "h1", "during"), CancellationToken.None).AsTask();
        var claim = store.ClaimAsync("r", "A", TimeSpan.FromMinutes(5));
        await Task.Delay(500);
        Assert.False(append.IsCompleted);
        server.Start();

        await append;
        Assert.Equal("h2", (await claim)!.HostId);
        await store.CompleteAsync(lease!);
        var keys = (await store.Journal.ReadAsync("r", CancellationToken.None)).Records.Select(r => r.Key!).ToArray();
        Assert.Equal(["before", "during"], keys);
    }

    [PostgresFact]
    public async Task Journal_AppendsOneAtATime_OneTransactionEachOnTheServer_NoPoolResetBetween()
    {
        // Counted on the server (pg_stat_database of a database only this test uses). A backend's counts reach the
        // shared statistics when it ends, so each phase closes its store and waits until the database has no backend.
        var db = server.NewDatabase("commits");
        long Commits()
        {
            for (int i = 0; i < 600 && server.Psql($"SELECT count(*) FROM pg_stat_activity WHERE datname = '{db.Database}'") != "0"; i++)
            {
                Thread.Sleep(50);
            }

            // An ending backend leaves pg_stat_activity before it flushes its counts (PostgreSQL runs its shutdown hooks
            // in that order): read until the count has held still for a second.
            long seen = Count();
            for (int still = 0, i = 0; still < 5 && i < 100; i++)
            {
                Thread.Sleep(200);
                long now = Count();
                still = now == seen ? still + 1 : 0;
                seen = now;
            }

            return seen;
        }

        long Count() => long.Parse(server.Psql($"SELECT xact_commit FROM pg_stat_database WHERE datname = '{db.Database}'"), System.Globalization.CultureInfo.InvariantCulture);

        await (await PostgresRunStore.OpenAsync(db)).DisposeAsync();
        long c0 = Commits();
        await (await PostgresRunStore.OpenAsync(db)).DisposeAsync();
        long opening = Commits() - c0;

        const int Appends = 40;
        long c1 = Commits();
        await using (var store = await PostgresRunStore.OpenAsync(db))
        {
            for (int i = 0; i < Appends; i++)
            {
                await store.Journal.AppendAsync(Rec("r", null, "k" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)), CancellationToken.None);
            }

            Assert.Equal(Appends, (await store.Journal.ReadAsync("r", CancellationToken.None)).Records.Count);
        }

        // One transaction per append (plus the one read): the pool's DISCARD ALL on each returned connection was a
        // second transaction per append (about 2 per record before).
        long perAppends = Commits() - c1 - opening;
        Assert.InRange(perAppends, Appends, Appends + 8);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
