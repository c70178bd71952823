using System.Collections.Concurrent;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace PatchKit.Lifecycle.Postgres;

/// <summary>One PostgreSQL database shared by every orchestrator of a fleet: the run journal
/// (<see cref="Journal"/>), each run's plan (written once), and the work queue of the run's hosts, claimed as leases
/// with <c>FOR UPDATE SKIP LOCKED</c>. Every lease carries an expiry and a fencing token; while this store holds a
/// lease on a host, each journal record about that host is written only if the lease is still this one and has not
/// expired, so a worker that was paused or cut off past its lease can no longer act through the journal. Waves and the
/// limit of hosts per cluster in maintenance hold across every orchestrator. The schema is migrated on open.</summary>
/// <remarks>Lease expiry is measured on the database server's clock, the one clock every orchestrator shares. When the
/// connection breaks (the server restarted, a network blip) each operation is retried, for up to
/// <see cref="ReconnectTimeout"/>, on a new connection.</remarks>
public sealed class PostgresRunStore : IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _source;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Run, string Host), long> _fences = new();

    private PostgresRunStore(PostgresJournalOptions options, NpgsqlDataSource source, TimeProvider time)
    {
        Options = options;
        _source = source;
        _time = time;
        Journal = new PostgresRunJournal(this);
    }

    /// <summary>Gets where the database is and how this store logs in.</summary>
    public PostgresJournalOptions Options { get; }

    /// <summary>Gets the run journal of this store; its appends about a host this store holds a lease on are fenced.</summary>
    public PostgresRunJournal Journal { get; }

    /// <summary>Gets or sets how long an operation is retried on new connections while the database cannot be
    /// reached (a restart) before it fails.</summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan ReconnectTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Forgets the lease this store held on a host after the host was completed: records about it are no
    /// longer fenced by this store (a run that only reads the journal back to build its report writes none).</summary>
    internal void ReleaseFence(string runId, string hostId, long fence) =>
        _fences.TryRemove(new KeyValuePair<(string, string), long>((runId, hostId), fence));

    internal NpgsqlDataSource Source => _source;

    /// <summary>Connects to the database and applies the schema migrations it lacks.</summary>
    /// <param name="options">Where the database is.</param>
    /// <param name="timeProvider">The clock for waits between reconnection attempts, or <see langword="null"/> for the system's.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The store.</returns>
    /// <exception cref="PostgresJournalException">The database cannot be reached, refuses the login, or has a newer schema.</exception>
    public static async Task<PostgresRunStore> OpenAsync(PostgresJournalOptions options, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var source = options.CreateDataSource();
        try
        {
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    await Schema.MigrateAsync(source, options, cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (NpgsqlException ex) when (attempt < 3 && IsConnectionLoss(ex))
                {
                    // The connection was lost inside the schema transaction (this process was stopped past the
                    // server's idle-transaction limit, an administrator ended the session; the client sees the
                    // server's message or only the closed socket): nothing was committed, so do it again. A database
                    // that cannot be reached at all fails at the open, with its own sentence, and is not retried.
                    source.Clear();
                }
            }
        }
        catch
        {
            await source.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new PostgresRunStore(options, source, timeProvider ?? TimeProvider.System);
    }

    /// <summary>Writes a run's plan and its hosts to the queue, once. Called again with the same plan (a restarted
    /// planner) it does nothing; with another plan it fails.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="plan">The plan's text (as the planner serialized it); its hash identifies it.</param>
    /// <param name="hosts">The hosts to work on, in order.</param>
    /// <param name="maxPerCluster">How many hosts of one cluster may be leased at once across every worker; 0 for no limit.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when this call wrote the plan; <see langword="false"/> when it was there already.</returns>
    /// <exception cref="PostgresJournalException">The run exists with another plan.</exception>
    public Task<bool> CreateRunAsync(string runId, string plan, IReadOnlyList<WorkItem> hosts, int maxPerCluster, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentOutOfRangeException.ThrowIfNegative(maxPerCluster);
        string hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(plan)));
        return RetryAsync(async (connection, ct) =>
        {
            await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            bool created;
            await using (var cmd = new NpgsqlCommand("INSERT INTO patchkit_runs (run_id, plan_hash, plan, max_per_cluster) VALUES ($1, $2, $3, $4) ON CONFLICT (run_id) DO NOTHING", connection, tx))
            {
                cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = runId });
                cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = hash });
                cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = plan });
                cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = maxPerCluster });
                created = await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
            }

            if (!created)
            {
                await using var check = new NpgsqlCommand("SELECT plan_hash FROM patchkit_runs WHERE run_id = $1", connection, tx);
                check.Parameters.Add(new NpgsqlParameter<string> { TypedValue = runId });
                string existing = (string)(await check.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
                if (existing != hash)
                {
                    throw new PostgresJournalException($"Run '{runId}' exists in the journal database {Options.Endpoint} with another plan (the inputs changed since it was planned). Resume it with the same fleet, catalog and policy, or start a new run id.");
                }

                return false;
            }

            using (var batch = new NpgsqlBatch(connection, tx))
            {
                for (int i = 0; i < hosts.Count; i++)
                {
                    var c = new NpgsqlBatchCommand("INSERT INTO patchkit_work (run_id, host_id, ordinal, wave, cluster) VALUES ($1, $2, $3, $4, $5)");
                    c.Parameters.Add(new NpgsqlParameter<string> { TypedValue = runId });
                    c.Parameters.Add(new NpgsqlParameter<string> { TypedValue = hosts[i].HostId });
                    c.Parameters.Add(new NpgsqlParameter<int> { TypedValue = i });
                    c.Parameters.Add(new NpgsqlParameter<int> { TypedValue = hosts[i].Wave });
                    c.Parameters.Add(new NpgsqlParameter<string> { TypedValue = hosts[i].Cluster ?? string.Empty });
                    batch.BatchCommands.Add(c);
                }

                if (batch.BatchCommands.Count > 0)
                {
                    await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }
            }

            await tx.CommitAsync(ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <summary>Claims the next host of the run this worker may work on: a host whose lease expired (taken over
    /// first), else a pending one, of the lowest wave not yet finished, in a cluster below its limit.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="workerId">This worker's name (for people and the journal).</param>
    /// <param name="duration">How long the lease lasts unless renewed.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The lease, or <see langword="null"/> when nothing can be claimed now (see <see cref="GetProgressAsync"/>
    /// to tell "wait" from "finished").</returns>
    public Task<HostLease?> ClaimAsync(string runId, string workerId, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentException.ThrowIfNullOrEmpty(workerId);
        return RetryAsync<HostLease?>(async (connection, ct) =>
        {
            await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);

            // Claims of one run are serialized by a transaction-level advisory lock, so the per-cluster count cannot
            // be passed by two claims at once; the rows are still locked FOR UPDATE SKIP LOCKED so a claim never waits
            // for a row another worker is completing or renewing.
            await using (var lockCmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('patchkit-claim:' || $1))", connection, tx))
            {
                lockCmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = runId });
                await lockCmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            await using var cmd = new NpgsqlCommand("""
                WITH candidate AS (
                    SELECT w.host_id FROM patchkit_work w
                    WHERE w.run_id = $1
                      AND (w.state = 'pending' OR (w.state = 'leased' AND w.expires_at < clock_timestamp()))
                      AND w.wave = (SELECT min(x.wave) FROM patchkit_work x WHERE x.run_id = $1 AND x.state <> 'done')
                      AND ((SELECT r.max_per_cluster FROM patchkit_runs r WHERE r.run_id = $1) = 0 OR w.cluster = ''
                           OR (SELECT count(*) FROM patchkit_work c WHERE c.run_id = $1 AND c.cluster = w.cluster AND c.state = 'leased' AND c.host_id <> w.host_id)
                              < (SELECT r.max_per_cluster FROM patchkit_runs r WHERE r.run_id = $1))
                    ORDER BY (w.state = 'leased') DESC, w.ordinal
                    LIMIT 1
                    FOR UPDATE SKIP LOCKED)
                UPDATE patchkit_work w SET state = 'leased', holder = $2, fence = nextval('patchkit_fence'),
                    expires_at = clock_timestamp() + $3, claims = w.claims + 1
                FROM candidate WHERE w.run_id = $1 AND w.host_id = candidate.host_id
                RETURNING w.host_id, w.fence, w.claims, w.wave, w.cluster
                """, connection, tx);
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = runId });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = workerId });
            cmd.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = duration, NpgsqlDbType = NpgsqlDbType.Interval });
            HostLease? lease = null;
            await using (var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                if (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    lease = new HostLease(runId, reader.GetString(0), workerId, reader.GetInt64(1), reader.GetInt32(2) > 1, reader.GetInt32(3), reader.GetString(4));
                }
            }

            await tx.CommitAsync(ct).ConfigureAwait(false);
            if (lease is not null)
            {
                _fences[(runId, lease.HostId)] = lease.FencingToken;
            }

            return lease;
        }, cancellationToken);
    }

    /// <summary>Extends a lease that is still this worker's and has not expired.</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="duration">The new time left.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the lease is extended.</returns>
    /// <exception cref="LeaseLostException">The lease expired or moved to another worker.</exception>
    public Task RenewAsync(HostLease lease, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return FencedUpdateAsync(lease, "UPDATE patchkit_work SET expires_at = clock_timestamp() + $4 WHERE run_id = $1 AND host_id = $2 AND fence = $3 AND state = 'leased' AND expires_at > clock_timestamp()",
            duration, "renew", cancellationToken);
    }

    /// <summary>Marks the leased host done (fenced: only by the lease's holder, before it expired).</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the host is marked done.</returns>
    /// <exception cref="LeaseLostException">The lease expired or moved to another worker.</exception>
    public async Task CompleteAsync(HostLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await FencedUpdateAsync(lease, "UPDATE patchkit_work SET state = 'done', expires_at = NULL WHERE run_id = $1 AND host_id = $2 AND fence = $3 AND state = 'leased' AND expires_at > clock_timestamp() AND $4 IS NOT NULL",
            TimeSpan.Zero, "complete", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Counts the run's hosts by state.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The counts.</returns>
    public Task<RunProgress> GetProgressAsync(string runId, CancellationToken cancellationToken = default) =>
        RetryAsync(async (connection, ct) =>
        {
            await using var cmd = new NpgsqlCommand("SELECT count(*) FILTER (WHERE state = 'pending'), count(*) FILTER (WHERE state = 'leased'), count(*) FILTER (WHERE state = 'done'), coalesce(sum(claims), 0) FROM patchkit_work WHERE run_id = $1", connection);
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = runId });
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await reader.ReadAsync(ct).ConfigureAwait(false);
            return new RunProgress((int)reader.GetInt64(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2), (int)reader.GetInt64(3));
        }, cancellationToken);

    /// <summary>Gets the plan a run was created with, or <see langword="null"/> for an unknown run.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The plan's text.</returns>
    public Task<string?> GetPlanAsync(string runId, CancellationToken cancellationToken = default) =>
        RetryAsync(async (connection, ct) =>
        {
            await using var cmd = new NpgsqlCommand("SELECT plan FROM patchkit_runs WHERE run_id = $1", connection);
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = runId });
            return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
        }, cancellationToken);

    /// <summary>Closes the connections.</summary>
    /// <returns>A task that completes when they are closed.</returns>
    public ValueTask DisposeAsync() => _source.DisposeAsync();

    /// <summary>Closes the connections.</summary>
    public void Dispose() => _source.Dispose();

    /// <summary>The fencing token this store holds for a host of a run, if any.</summary>
    internal long? FenceOf(string runId, string? hostId) =>
        hostId is not null && _fences.TryGetValue((runId, hostId), out long fence) ? fence : null;

    internal async Task<T> RetryAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        long started = _time.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                await using var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                return await work(connection, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsConnectionLoss(ex) && !cancellationToken.IsCancellationRequested)
            {
                if (_time.GetElapsedTime(started) > ReconnectTimeout)
                {
                    throw new PostgresJournalException(Schema.Describe(ex, Options) ?? $"The journal database {Options.Endpoint} failed: {ex.Message}", ex);
                }

                _source.Clear();
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 2000));
            }
            catch (Exception ex) when (ex is not (PostgresJournalException or LeaseLostException or OperationCanceledException) && Schema.Describe(ex, Options) is { } message)
            {
                throw new PostgresJournalException(message, ex);
            }
        }
    }

    // 25P03 and 57P05: the server ended a session left idle (in a transaction) too long, e.g. a process stopped while
    // it held one; 57P01 and 57P02: an administrator or a crash of another session ended it. Nothing of an open
    // transaction was committed, so the work is done again on a new connection.
    private static bool IsSessionEnded(PostgresException ex) => ex.SqlState is "57P01" or "57P02" or "57P05" or "25P03";

    private static bool IsConnectionLoss(Exception ex) => ex switch
    {
        PostgresException pg => IsSessionEnded(pg) || pg.SqlState is "57P03" or "08000" or "08003" or "08006" or "08001" or "08004",
        NpgsqlException n => n.IsTransient || n.InnerException is System.Net.Sockets.SocketException or IOException or EndOfStreamException,
        _ => false,
    };

    private Task FencedUpdateAsync(HostLease lease, string sql, TimeSpan duration, string what, CancellationToken cancellationToken) =>
        RetryAsync(async (connection, ct) =>
        {
            await using var cmd = new NpgsqlCommand(sql, connection);
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = lease.RunId });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = lease.HostId });
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = lease.FencingToken });
            cmd.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = duration, NpgsqlDbType = NpgsqlDbType.Interval });
            if (await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false) != 1)
            {
                throw new LeaseLostException(string.Create(CultureInfo.InvariantCulture,
                    $"Worker '{lease.WorkerId}' cannot {what} host {lease.HostId} of run {lease.RunId}: its lease (fencing token {lease.FencingToken}) expired or moved to another worker."));
            }

            return true;
        }, cancellationToken);
}

/// <summary>A host of a run's plan, as the work queue holds it.</summary>
/// <param name="HostId">The host.</param>
/// <param name="Wave">The wave's position (0 first): no host of a wave is claimed before every host of the earlier waves is done.</param>
/// <param name="Cluster">The cluster whose limit of hosts at once applies, or <see langword="null"/> for none.</param>
public sealed record WorkItem(string HostId, int Wave, string? Cluster);

/// <summary>A claim on a host, valid until it expires or moves.</summary>
/// <param name="RunId">The run.</param>
/// <param name="HostId">The host.</param>
/// <param name="WorkerId">The holder.</param>
/// <param name="FencingToken">The token every write about the host carries; a newer claim has a larger one.</param>
/// <param name="TakenOver">Whether an earlier holder's lease expired: the host is resumed from the journal.</param>
/// <param name="Wave">The host's wave.</param>
/// <param name="Cluster">The host's cluster, or the empty string.</param>
public sealed record HostLease(string RunId, string HostId, string WorkerId, long FencingToken, bool TakenOver, int Wave, string Cluster);

/// <summary>A run's hosts by state in the work queue.</summary>
/// <param name="Pending">Not yet claimed.</param>
/// <param name="Leased">Claimed and not done (held, or expired and waiting to be taken over).</param>
/// <param name="Done">Finished.</param>
/// <param name="Claims">Claims made in all, takeovers included.</param>
public sealed record RunProgress(int Pending, int Leased, int Done, int Claims);
