using System.Globalization;
using Microsoft.Data.Sqlite;
using PatchKit.Hosts;
using PatchKit.Lifecycle.Journal;

namespace PatchKit.Lifecycle.Sqlite;

/// <summary>A run journal in one SQLite database: the embedded journal for one machine. The database is in WAL mode
/// with <c>synchronous=FULL</c>; appends made while a commit is under way are written together in the next transaction
/// (one transaction, and one flush to the disk, per group of records), and each append completes only once its own
/// record is committed. One database may hold several runs. A database that is not a PatchKit journal, is damaged, or
/// was written by a newer PatchKit (a newer schema) is refused with <see cref="JournalCorruptException"/>.</summary>
/// <remarks>SQLite commits are atomic: a crash never leaves a torn record, so
/// <see cref="JournalReadResult.TornTailDetected"/> is always <see langword="false"/>.</remarks>
public sealed class SqliteRunJournal : IRunJournal, IDisposable
{
    /// <summary>The schema version this version of PatchKit writes and the newest it reads.</summary>
    public const int SchemaVersion = 1;

    /// <summary>SQLite's <c>application_id</c> of a PatchKit journal ("PKJ1").</summary>
    internal const int ApplicationId = 0x504B4A31;

    private readonly object _gate = new();
    private readonly Lock _io = new();
    private readonly string _path;
    private readonly List<(JournalRecord Record, TaskCompletionSource Done)> _pending = [];
    private SqliteConnection? _connection;
    private SqliteCommand? _insert;
    private SqliteParameter[] _insertParameters = [];
    private bool _writing;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="SqliteRunJournal"/> class. The database is opened (and
    /// created when missing) on first use.</summary>
    /// <param name="path">The database file.</param>
    public SqliteRunJournal(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = Path.GetFullPath(path);
    }

    /// <summary>Gets the full path of the database file.</summary>
    public string FilePath => _path;

    /// <inheritdoc/>
    public ValueTask AppendAsync(JournalRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool lead;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Open();
            _pending.Add((record, done));
            lead = !_writing;
            _writing = true;
        }

        if (lead)
        {
            // The first appender writes its group and every group that queued meanwhile, off the caller's thread.
            _ = Task.Run(WriteGroups, CancellationToken.None);
        }

        return new ValueTask(done.Task);
    }

    /// <inheritdoc/>
    public ValueTask<JournalReadResult> ReadAsync(string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var connection = Open();
            var records = new List<JournalRecord>();
            try
            {
                using var io = _io.EnterScope();
                using var cmd = connection.CreateCommand();
                cmd.CommandText = "SELECT seq, run_id, format, kind, at_ticks, at_offset, key, host_id, message, data, duration_ticks, status, error_code, reconciled, payload FROM patchkit_journal WHERE run_id = $run ORDER BY seq";
                cmd.Parameters.AddWithValue("$run", runId);
                using var reader = cmd.ExecuteReader();
                while (reader.Read())
                {
                    records.Add(ReadRow(reader));
                }
            }
            catch (SqliteException ex)
            {
                throw Damaged(ex);
            }

            return new(new JournalReadResult(records, false));
        }
    }

    /// <summary>Closes the database once the appends under way are written.</summary>
    public void Dispose()
    {
        while (true)
        {
            lock (_gate)
            {
                if (!_writing)
                {
                    _disposed = true;
                    _insert?.Dispose();
                    _insert = null;
                    _connection?.Dispose();
                    _connection = null;
                    return;
                }
            }

            Thread.Yield();
        }
    }

    private void WriteGroups()
    {
        while (true)
        {
            (JournalRecord Record, TaskCompletionSource Done)[] group;
            SqliteConnection connection;
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    _writing = false;
                    return;
                }

                group = [.. _pending];
                _pending.Clear();
                connection = _connection!;
            }

            try
            {
                using var io = _io.EnterScope();
                using (var tx = connection.BeginTransaction())
                {
                    // One prepared statement for the journal's life (only the writer thread uses it): compiled once,
                    // not once per group.
                    var cmd = _insert ??= PrepareInsert(connection);
                    cmd.Transaction = tx;
                    var p = _insertParameters;
                    foreach (var (r, _) in group)
                    {
                        p[0].Value = r.RunId;
                        p[1].Value = r.Format;
                        p[2].Value = (int)r.Kind;
                        p[3].Value = r.At.UtcTicks;
                        p[4].Value = (int)r.At.Offset.TotalMinutes;
                        p[5].Value = (object?)r.Key ?? DBNull.Value;
                        p[6].Value = (object?)r.HostId ?? DBNull.Value;
                        p[7].Value = (object?)r.Message ?? DBNull.Value;
                        p[8].Value = (object?)r.Data ?? DBNull.Value;
                        p[9].Value = r.Duration is { } d ? d.Ticks : DBNull.Value;
                        p[10].Value = r.Status is { } s ? (int)s : DBNull.Value;
                        p[11].Value = (object?)r.ErrorCode ?? DBNull.Value;
                        p[12].Value = r.Reconciled ? 1 : 0;
                        p[13].Value = (object?)JournalPayload.Write(r) ?? DBNull.Value;
                        cmd.ExecuteNonQuery();
                    }

                    tx.Commit();
                }

                foreach (var (_, done) in group)
                {
                    done.TrySetResult();
                }
            }
            catch (Exception ex)
            {
                var error = ex is SqliteException se ? new IOException($"Cannot write the journal database '{_path}': {se.Message}", se) : ex;
                foreach (var (_, done) in group)
                {
                    done.TrySetException(error);
                }
            }
        }
    }

    private SqliteCommand PrepareInsert(SqliteConnection connection)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = "INSERT INTO patchkit_journal (run_id, format, kind, at_ticks, at_offset, key, host_id, message, data, duration_ticks, status, error_code, reconciled, payload) "
            + "VALUES ($run, $format, $kind, $at, $offset, $key, $host, $message, $data, $duration, $status, $error, $reconciled, $payload)";
        _insertParameters = [.. new[] { "$run", "$format", "$kind", "$at", "$offset", "$key", "$host", "$message", "$data", "$duration", "$status", "$error", "$reconciled", "$payload" }
            .Select(n => cmd.Parameters.Add(n, SqliteType.Text))];
        cmd.Prepare();
        return cmd;
    }

    private JournalRecord ReadRow(SqliteDataReader reader)
    {
        long seq = reader.GetInt64(0);
        try
        {
            foreach (int column in (ReadOnlySpan<int>)[2, 3, 4, 5, 10, 11, 13])
            {
                if (!reader.IsDBNull(column) && reader.GetFieldType(column) != typeof(long))
                {
                    throw new InvalidCastException();
                }
            }

            int kind = reader.GetInt32(3);
            if (!Enum.IsDefined((JournalRecordKind)kind))
            {
                throw Damaged(seq, "record kind " + kind.ToString(CultureInfo.InvariantCulture) + " is unknown");
            }

            int? status = reader.IsDBNull(11) ? null : reader.GetInt32(11);
            if (status is { } st && !Enum.IsDefined((HostOperationStatus)st))
            {
                throw Damaged(seq, "step status " + st.ToString(CultureInfo.InvariantCulture) + " is unknown");
            }

            int offset = reader.GetInt32(5);
            if (offset is < -14 * 60 or > 14 * 60)
            {
                throw Damaged(seq, "time offset is out of range");
            }

            return JournalPayload.Read(new JournalRecord
            {
                Sequence = seq,
                RunId = reader.IsDBNull(1) ? throw Damaged(seq, "run id is missing") : reader.GetString(1),
                Format = reader.GetInt32(2),
                Kind = (JournalRecordKind)kind,
                At = new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(offset)),
                Key = reader.IsDBNull(6) ? null : reader.GetString(6),
                HostId = reader.IsDBNull(7) ? null : reader.GetString(7),
                Message = reader.IsDBNull(8) ? null : reader.GetString(8),
                Data = reader.IsDBNull(9) ? null : reader.GetString(9),
                Duration = reader.IsDBNull(10) ? null : TimeSpan.FromTicks(reader.GetInt64(10)),
                Status = (HostOperationStatus?)status,
                ErrorCode = reader.IsDBNull(12) ? null : reader.GetString(12),
                Reconciled = reader.GetInt64(13) != 0,
            }, reader.IsDBNull(14) ? null : reader.GetString(14));
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException or ArgumentOutOfRangeException)
        {
            throw Damaged(seq, "a column holds a value of the wrong type");
        }
    }

    private JournalCorruptException Damaged(long seq, string reason) =>
        new($"Journal record damaged in the database '{_path}', sequence {seq.ToString(CultureInfo.InvariantCulture)}: {reason}. Restore the journal from a backup or start a new run id.");

    private JournalCorruptException Damaged(SqliteException ex) =>
        new($"The journal database '{_path}' cannot be read: {ex.Message.TrimEnd('.')} (SQLite error {ex.SqliteErrorCode.ToString(CultureInfo.InvariantCulture)}). Restore it from a backup or start a new journal.", ex);

    private SqliteConnection Open()
    {
        if (_connection is not null)
        {
            return _connection;
        }

        string? dir = Path.GetDirectoryName(_path);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false, Mode = SqliteOpenMode.ReadWriteCreate }.ToString());
        try
        {
            connection.Open();
            Migrate(connection);
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw Damaged(ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        _connection = connection;
        return connection;
    }

    private void Migrate(SqliteConnection connection)
    {
        Execute(connection, "PRAGMA busy_timeout = 10000");
        long appId = Scalar(connection, "PRAGMA application_id");
        long version = Scalar(connection, "PRAGMA user_version");
        long tables = Scalar(connection, "SELECT count(*) FROM sqlite_master");
        if (appId != ApplicationId && (appId != 0 || tables != 0))
        {
            throw new JournalCorruptException($"The database '{_path}' is not a PatchKit journal (it holds other tables). Give another path for the journal.");
        }

        if (version > SchemaVersion)
        {
            throw new JournalCorruptException($"The journal database '{_path}' has schema version {version.ToString(CultureInfo.InvariantCulture)}, written by a newer PatchKit; this version reads up to {SchemaVersion.ToString(CultureInfo.InvariantCulture)}. Use that newer version, or start a new journal.");
        }

        Execute(connection, "PRAGMA journal_mode = WAL");
        Execute(connection, "PRAGMA synchronous = FULL");
        if (version < 1)
        {
            using var tx = connection.BeginTransaction();
            Execute(connection, """
                CREATE TABLE IF NOT EXISTS patchkit_journal (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    run_id TEXT NOT NULL,
                    format INTEGER NOT NULL,
                    kind INTEGER NOT NULL,
                    at_ticks INTEGER NOT NULL,
                    at_offset INTEGER NOT NULL,
                    key TEXT,
                    host_id TEXT,
                    message TEXT,
                    data TEXT,
                    duration_ticks INTEGER,
                    status INTEGER,
                    error_code TEXT,
                    reconciled INTEGER NOT NULL,
                    payload TEXT);
                CREATE INDEX IF NOT EXISTS patchkit_journal_run ON patchkit_journal (run_id, seq);
                PRAGMA application_id = 1347111473;
                PRAGMA user_version = 1;
                """, tx);
            tx.Commit();
        }
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? tx = null)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
