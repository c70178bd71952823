using System.Globalization;
using System.Net.Sockets;
using Npgsql;

namespace PatchKit.Lifecycle.Postgres;

/// <summary>The versioned schema: migration N brings version N-1 to N. Applied on start, in one transaction under an
/// advisory lock (orchestrators starting together apply each once); a database whose version is newer than the code
/// is refused.</summary>
internal static class Schema
{
    public const long MigrationLock = 0x5041_5443_484B_4954; // "PATCHKIT"

    public static readonly string[] Migrations =
    [
        // 1: the journal, the runs with their plan, the work queue of hosts with leases and fencing tokens.
        """
        CREATE TABLE patchkit_journal (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            run_id text NOT NULL,
            format int NOT NULL,
            kind int NOT NULL,
            at_ticks bigint NOT NULL,
            at_offset int NOT NULL,
            key text,
            host_id text,
            message text,
            data text,
            duration_ticks bigint,
            status int,
            error_code text,
            reconciled boolean NOT NULL,
            fence bigint,
            payload text);
        CREATE INDEX patchkit_journal_run ON patchkit_journal (run_id, seq);
        CREATE TABLE patchkit_runs (
            run_id text PRIMARY KEY,
            plan_hash text NOT NULL,
            plan text NOT NULL,
            max_per_cluster int NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now());
        CREATE SEQUENCE patchkit_fence;
        CREATE TABLE patchkit_work (
            run_id text NOT NULL REFERENCES patchkit_runs (run_id),
            host_id text NOT NULL,
            ordinal int NOT NULL,
            wave int NOT NULL,
            cluster text NOT NULL,
            state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'leased', 'done')),
            holder text,
            fence bigint,
            expires_at timestamptz,
            claims int NOT NULL DEFAULT 0,
            PRIMARY KEY (run_id, host_id));
        CREATE INDEX patchkit_work_claim ON patchkit_work (run_id, state, wave, ordinal);
        """,
    ];

    public static int CodeVersion => Migrations.Length;

    public static async Task MigrateAsync(NpgsqlDataSource source, PostgresJournalOptions options, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(source, options, cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var cmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = MigrationLock });
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var cmd = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS patchkit_schema (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())", connection, tx))
        {
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        int version;
        await using (var cmd = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM patchkit_schema", connection, tx))
        {
            version = Convert.ToInt32(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        if (version > CodeVersion)
        {
            throw new PostgresJournalException($"The journal database {options.Endpoint} has schema version {version.ToString(CultureInfo.InvariantCulture)}, made by a newer PatchKit; this version knows up to {CodeVersion.ToString(CultureInfo.InvariantCulture)}. Use that newer version, or another database.");
        }

        for (int v = version + 1; v <= CodeVersion; v++)
        {
            await using var cmd = new NpgsqlCommand(Migrations[v - 1] + "; INSERT INTO patchkit_schema (version) VALUES (" + v.ToString(CultureInfo.InvariantCulture) + ")", connection, tx);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens a connection, turning "cannot reach" and "login refused" into a sentence naming the database.</summary>
    public static async Task<NpgsqlConnection> OpenAsync(NpgsqlDataSource source, PostgresJournalOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Describe(ex, options) is { } message)
        {
            throw new PostgresJournalException(message, ex);
        }
    }

    public static string? Describe(Exception ex, PostgresJournalOptions options) => ex switch
    {
        PostgresException { SqlState: "28P01" or "28000" } => $"The journal database {options.Endpoint} refused the login of user '{options.Username}' (wrong password or no access); check the password reference.",
        PostgresException { SqlState: "3D000" } => $"The journal database {options.Endpoint} does not exist; create it (CREATE DATABASE) or name another.",
        PostgresException { SqlState: "57P03" } => $"The journal database {options.Endpoint} is starting up or shutting down; try again in a moment.",
        NpgsqlException { InnerException: SocketException or TimeoutException } or NpgsqlException { IsTransient: true } =>
            $"The journal database {options.Endpoint} cannot be reached: {ex.InnerException?.Message ?? ex.Message}. Check that PostgreSQL runs there and accepts connections.",
        TimeoutException => $"The journal database {options.Endpoint} did not answer in time.",
        _ => null,
    };
}
