using System.Globalization;
using Npgsql;
using PatchKit.Hosts;
using PatchKit.Lifecycle.Journal;

namespace PatchKit.Lifecycle.Postgres;

/// <summary>The run journal in a shared PostgreSQL database (see <see cref="PostgresRunStore"/>). Appends made while
/// a commit is under way go together into the next transaction (up to four transactions commit at once). A record
/// about a host the store holds a lease on is written only while that lease is the host's current one and has not expired; otherwise the append fails with
/// <see cref="LeaseLostException"/> and nothing is written (fencing).</summary>
public sealed class PostgresRunJournal : IRunJournal
{
    private const string Insert = "INSERT INTO patchkit_journal (run_id, format, kind, at_ticks, at_offset, key, host_id, message, data, duration_ticks, status, error_code, reconciled, fence, payload) ";
    private const string Values = "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)";
    private const string Fenced = "SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15 WHERE EXISTS "
        + "(SELECT 1 FROM patchkit_work w WHERE w.run_id = $1 AND w.host_id = $7 AND w.fence = $14 AND w.state = 'leased' AND w.expires_at > clock_timestamp())";

    private const int MaxWriters = 4;

    private readonly PostgresRunStore _store;
    private readonly object _gate = new();
    private readonly List<(JournalRecord Record, long? Fence, TaskCompletionSource Done)> _pending = [];
    private int _writers;

    internal PostgresRunJournal(PostgresRunStore store) => _store = store;

    /// <inheritdoc/>
    /// <exception cref="LeaseLostException">The record is about a host whose lease this store lost.</exception>
    public ValueTask AppendAsync(JournalRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool lead;
        lock (_gate)
        {
            _pending.Add((record, _store.FenceOf(record.RunId, record.HostId), done));
            // Up to MaxWriters groups commit at once on their own connections: the server flushes their commits
            // together, so the commit latency no longer bounds the throughput of one process.
            lead = _writers < MaxWriters;
            if (lead)
            {
                _writers++;
            }
        }

        if (lead)
        {
            _ = Task.Run(WriteGroupsAsync, CancellationToken.None);
        }

        return new ValueTask(done.Task);
    }

    /// <inheritdoc/>
    public async ValueTask<JournalReadResult> ReadAsync(string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);
        var records = await _store.RetryAsync(async (connection, ct) =>
        {
            var list = new List<JournalRecord>();
            await using var cmd = new NpgsqlCommand("SELECT seq, run_id, format, kind, at_ticks, at_offset, key, host_id, message, data, duration_ticks, status, error_code, reconciled, payload FROM patchkit_journal WHERE run_id = $1 ORDER BY seq", connection);
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = runId });
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                list.Add(ReadRow(reader));
            }

            return list;
        }, cancellationToken).ConfigureAwait(false);
        return new JournalReadResult(records, false);
    }

    private JournalRecord ReadRow(NpgsqlDataReader reader)
    {
        long seq = reader.GetInt64(0);
        int kind = reader.GetInt32(3);
        int? status = reader.IsDBNull(11) ? null : reader.GetInt32(11);
        int offset = reader.GetInt32(5);
        if (!Enum.IsDefined((JournalRecordKind)kind) || (status is { } s && !Enum.IsDefined((HostOperationStatus)s)) || offset is < -14 * 60 or > 14 * 60)
        {
            throw new JournalCorruptException($"Journal record damaged in the database {_store.Options.Endpoint}, sequence {seq.ToString(CultureInfo.InvariantCulture)}: a kind, status or time offset is out of range. Restore the journal from a backup or start a new run id.");
        }

        return JournalPayload.Read(new JournalRecord
        {
            Sequence = seq,
            RunId = reader.GetString(1),
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
            Reconciled = reader.GetBoolean(13),
        }, reader.IsDBNull(14) ? null : reader.GetString(14));
    }

    private async Task WriteGroupsAsync()
    {
        while (true)
        {
            (JournalRecord Record, long? Fence, TaskCompletionSource Done)[] group;
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    _writers--;
                    return;
                }

                group = [.. _pending];
                _pending.Clear();
            }

            try
            {
                bool[] written = await _store.RetryAsync((connection, ct) => WriteAsync(connection, group, ct), CancellationToken.None).ConfigureAwait(false);
                for (int i = 0; i < group.Length; i++)
                {
                    var (r, fence, done) = group[i];
                    if (written[i])
                    {
                        done.TrySetResult();
                    }
                    else
                    {
                        done.TrySetException(new LeaseLostException(string.Create(CultureInfo.InvariantCulture,
                            $"The journal refused a record about host {r.HostId} of run {r.RunId}: this worker's lease on it (fencing token {fence}) expired or moved to another worker.")));
                    }
                }
            }
            catch (Exception ex)
            {
                foreach (var (_, _, done) in group)
                {
                    done.TrySetException(ex);
                }
            }
        }
    }

    private static async Task<bool[]> WriteAsync(NpgsqlConnection connection, (JournalRecord Record, long? Fence, TaskCompletionSource Done)[] group, CancellationToken ct)
    {
        // No explicit transaction: PostgreSQL runs the statements of one batch (one Sync) in one implicit transaction,
        // committed before the server answers, so the group is still all or nothing and durable when this returns, in
        // one round trip instead of three (BEGIN with the batch, then COMMIT).
        await using var batch = new NpgsqlBatch(connection);

        // The records of no lease go in one statement (arrays unnested in order): one parse and one plan per group.
        var plain = group.Where(g => g.Fence is null).Select(g => g.Record).ToArray();
        if (plain.Length > 0)
        {
            var c = new NpgsqlBatchCommand(Insert + "SELECT r, f, k, a, o, ke, h, m, d, du, s, e, re, NULL, pl FROM unnest($1::text[], $2::int[], $3::int[], $4::bigint[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bigint[], $11::int[], $12::text[], $13::boolean[], $14::text[]) "
                + "WITH ORDINALITY AS t(r, f, k, a, o, ke, h, m, d, du, s, e, re, pl, n) ORDER BY n");
            c.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. plain.Select(r => r.RunId)] });
            c.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. plain.Select(r => r.Format)] });
            c.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. plain.Select(r => (int)r.Kind)] });
            c.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. plain.Select(r => r.At.UtcTicks)] });
            c.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. plain.Select(r => (int)r.At.Offset.TotalMinutes)] });
            c.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. plain.Select(r => r.Key)] });
            c.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. plain.Select(r => r.HostId)] });
            c.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. plain.Select(r => r.Message)] });
            c.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. plain.Select(r => r.Data)] });
            c.Parameters.Add(new NpgsqlParameter<long?[]> { TypedValue = [.. plain.Select(r => r.Duration?.Ticks)] });
            c.Parameters.Add(new NpgsqlParameter<int?[]> { TypedValue = [.. plain.Select(r => (int?)r.Status)] });
            c.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. plain.Select(r => r.ErrorCode)] });
            c.Parameters.Add(new NpgsqlParameter<bool[]> { TypedValue = [.. plain.Select(r => r.Reconciled)] });
            c.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. plain.Select(JournalPayload.Write)] });
            batch.BatchCommands.Add(c);
        }

        var fencedIndexes = new List<int>();
        for (int i = 0; i < group.Length; i++)
        {
            var (r, fence, _) = group[i];
            if (fence is null)
            {
                continue;
            }

            fencedIndexes.Add(i);
            var c = new NpgsqlBatchCommand(Insert + Fenced);
            c.Parameters.Add(new NpgsqlParameter<string> { TypedValue = r.RunId });
            c.Parameters.Add(new NpgsqlParameter<int> { TypedValue = r.Format });
            c.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)r.Kind });
            c.Parameters.Add(new NpgsqlParameter<long> { TypedValue = r.At.UtcTicks });
            c.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)r.At.Offset.TotalMinutes });
            c.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = r.Key, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            c.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = r.HostId, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            c.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = r.Message, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            c.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = r.Data, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            c.Parameters.Add(new NpgsqlParameter<long?> { TypedValue = r.Duration?.Ticks, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
            c.Parameters.Add(new NpgsqlParameter<int?> { TypedValue = (int?)r.Status, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
            c.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = r.ErrorCode, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            c.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = r.Reconciled });
            c.Parameters.Add(new NpgsqlParameter<long?> { TypedValue = fence, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
            c.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = JournalPayload.Write(r), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            batch.BatchCommands.Add(c);
        }

        await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        bool[] written = new bool[group.Length];
        for (int i = 0; i < group.Length; i++)
        {
            written[i] = group[i].Fence is null;
        }

        int first = plain.Length > 0 ? 1 : 0;
        for (int j = 0; j < fencedIndexes.Count; j++)
        {
            written[fencedIndexes[j]] = batch.BatchCommands[first + j].RecordsAffected == 1;
        }

        return written;
    }
}
