using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace PatchKit.Lifecycle.Journal;

/// <summary>The default journal: an append-only file of one record per line, <c>crc32hex SP json LF</c> (with an
/// <see cref="FileRunJournalOptions.AuthenticationKey"/>, <c>hmacsha256hex SP json LF</c>, each HMAC chained to the
/// previous record's). Each
/// append is written in one call and flushed to the disk (<see cref="FileStream.Flush(bool)"/> with
/// <see langword="true"/>) before it completes. On open, a torn last record (a crash in the middle of a write) is
/// detected by its missing line feed or checksum, reported, and cut off; damage anywhere else is
/// <see cref="JournalCorruptException"/>. One file may hold several runs.</summary>
public sealed class FileRunJournal : IDeferredFlushRunJournal, IDisposable
{
    private readonly object _gate = new();
    private readonly string _path;
    private readonly bool _flushToDisk;
    private TaskCompletionSource? _nextGroup;
    private TaskCompletionSource? _flushingGroup;
    private bool _flushing;
    private long _flushes;
    private FileStream? _stream;
    private long _sequence;
    private bool _tornAtOpen;
    private readonly byte[]? _key;
    private byte[] _lastMac = new byte[MacLength];
    private const int MacLength = 32;

    /// <summary>Initializes a new instance of the <see cref="FileRunJournal"/> class. The file is opened on first use.</summary>
    /// <param name="path">The journal file; created when missing.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    public FileRunJournal(string path, FileRunJournalOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = Path.GetFullPath(path);
        options ??= new FileRunJournalOptions();
        _flushToDisk = options.FlushToDisk;
        if (!options.AuthenticationKey.IsEmpty)
        {
            if (options.AuthenticationKey.Length < 16)
            {
                throw new ArgumentException("A journal authentication key must be at least 16 bytes.", nameof(options));
            }

            _key = options.AuthenticationKey.ToArray();
        }
    }

    /// <summary>Gets the full path of the journal file.</summary>
    public string FilePath => _path;

    /// <inheritdoc/>
    /// <remarks>Appends made while a flush is under way are flushed together by the next one (group commit): each
    /// append still completes only once its own record is on the disk.</remarks>
    public ValueTask AppendAsync(JournalRecord record, CancellationToken cancellationToken) => Append(record, flush: true);

    /// <inheritdoc/>
    /// <remarks>The record is written at once, in order, and joins the next group commit without starting one: a later
    /// <see cref="AppendAsync"/> (whose flush covers every record written before it) or <see cref="FlushAsync"/> puts
    /// it on the disk, and only then does the returned task complete.</remarks>
    public ValueTask AppendDeferredAsync(JournalRecord record, CancellationToken cancellationToken) => Append(record, flush: false);

    /// <inheritdoc/>
    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource? group;
        bool start = false;
        lock (_gate)
        {
            group = _nextGroup ?? _flushingGroup;
            if (_nextGroup is not null && !_flushing)
            {
                start = true;
                _flushing = true;
            }
        }

        if (start)
        {
            FlushGroups(inline: true);
        }

        return group is null || group.Task.IsCompletedSuccessfully ? ValueTask.CompletedTask : new ValueTask(group.Task);
    }

    /// <summary>Gets how many times the journal flushed a group of records to the disk (for tests of the group commit).</summary>
    internal long Flushes => Interlocked.Read(ref _flushes);

    private ValueTask Append(JournalRecord record, bool flush)
    {
        ArgumentNullException.ThrowIfNull(record);
        TaskCompletionSource group;
        bool start;
        lock (_gate)
        {
            var stream = Open();
            var withSeq = record with { Sequence = ++_sequence };
            byte[] json = JsonSerializer.SerializeToUtf8Bytes(withSeq, JournalJsonContext.Default.JournalRecord);
            int head = _key is null ? 8 : MacLength * 2;
            byte[] line = ArrayPool<byte>.Shared.Rent(json.Length + head + 2);
            try
            {
                if (_key is null)
                {
                    Utf8Formatter.TryFormat(Crc32.Compute(json), line, out _, new StandardFormat('x', 8));
                }
                else
                {
                    byte[] mac = Mac(_key, _lastMac, json);
                    Convert.TryToHexStringLower(mac, line.AsSpan(0, head), out _);
                    _lastMac = mac;
                }

                line[head] = (byte)' ';
                json.CopyTo(line, head + 1);
                line[json.Length + head + 1] = (byte)'\n';
                stream.Write(line, 0, json.Length + head + 2);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(line);
            }

            if (!_flushToDisk)
            {
                stream.Flush(flushToDisk: false);
                return ValueTask.CompletedTask;
            }

            group = _nextGroup ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            start = flush && !_flushing;
            _flushing |= flush;
        }

        if (start)
        {
            // Nobody flushes: this caller does, on its own thread (no thread-pool hop, no wake-up of another thread:
            // when the lanes append one at a time, as with the simulated timeline, that is every append).
            FlushGroups(inline: true);
        }

        return group.Task.IsCompletedSuccessfully ? ValueTask.CompletedTask : new ValueTask(group.Task);
    }

    /// <inheritdoc/>
    public ValueTask<JournalReadResult> ReadAsync(string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);
        lock (_gate)
        {
            _stream?.Flush();
            if (!File.Exists(_path))
            {
                return new(new JournalReadResult([], false));
            }

            byte[] bytes = ReadAll();
            var records = new List<JournalRecord>();
            Scan(bytes, _path, records, out _, out bool torn, _key, out _);
            return new(new JournalReadResult([.. records.Where(r => r.RunId == runId)], torn || _tornAtOpen));
        }
    }

    /// <summary>Flushes group after group until no append waits.</summary>
    /// <remarks>Group commit with one flusher: every append waits on the task of the group its record is in; the
    /// flusher takes the whole group, fsyncs once (outside the gate, so appenders keep writing: the stream is unbuffered,
    /// each record is one write call), and completes the group's task once. Appends made meanwhile form the next
    /// group. At most one thread-pool hop per group (none when the appender flushes its own group) instead of a
    /// semaphore handed from waiter to waiter (a hop per record), which cost more CPU than the records themselves in
    /// large runs.</remarks>
    /// <param name="inline">Whether an appender called it: it flushes one group (its own), then hands any next group
    /// to a thread-pool thread, so its own append is not held up by later ones.</param>
    private void FlushGroups(bool inline)
    {
        for (bool first = true; ; first = false)
        {
            TaskCompletionSource? group;
            FileStream? stream;
            lock (_gate)
            {
                _flushingGroup = null;
                group = _nextGroup;
                if (group is null)
                {
                    _flushing = false;
                    return;
                }

                if (inline && !first)
                {
                    ThreadPool.UnsafeQueueUserWorkItem(static j => j.FlushGroups(inline: false), this, preferLocal: false);
                    return;
                }

                _nextGroup = null;
                _flushingGroup = group;
                stream = _stream;
            }

            try
            {
                ObjectDisposedException.ThrowIf(stream is null, this);
                stream.Flush(flushToDisk: true); // every record of the group was written before it was taken
                Interlocked.Increment(ref _flushes);
                group.TrySetResult();
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or UnauthorizedAccessException)
            {
                group.TrySetException(ex);
            }
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stream?.Dispose();
            _stream = null;
        }
    }

    /// <summary>Parses the valid records of a journal; <paramref name="goodLength"/> is where the valid part ends.</summary>
    internal static void Scan(ReadOnlySpan<byte> bytes, string path, List<JournalRecord>? records, out long goodLength, out bool torn) =>
        Scan(bytes, path, records, out goodLength, out torn, null, out _);

    /// <summary>Parses the valid records of a journal, checking each record's HMAC chain when a key is given;
    /// <paramref name="lastMac"/> is the last valid record's HMAC (zeros without records or without a key).</summary>
    internal static void Scan(ReadOnlySpan<byte> bytes, string path, List<JournalRecord>? records, out long goodLength, out bool torn, byte[]? key, out byte[] lastMac)
    {
        lastMac = new byte[MacLength];
        goodLength = 0;
        torn = false;
        long lineNumber = 0;
        int offset = 0;
        while (offset < bytes.Length)
        {
            lineNumber++;
            var rest = bytes[offset..];
            int nl = rest.IndexOf((byte)'\n');
            bool last = nl < 0 || offset + nl + 1 == bytes.Length;
            string? problem = nl < 0 ? "record has no end of line" : key is null ? Check(rest[..nl], records) : CheckMac(rest[..nl], records, key, ref lastMac);
            if (problem is not null)
            {
                // With a key only a record cut short by a crash (no end of line) is a torn tail: a complete record that
                // fails authentication is forged or damaged, wherever it is.
                if (last && (key is null || nl < 0))
                {
                    torn = true;
                    return;
                }

                throw new JournalCorruptException(path, lineNumber, problem);
            }

            offset += nl + 1;
            goodLength = offset;
        }
    }

    private static byte[] Mac(byte[] key, ReadOnlySpan<byte> previous, ReadOnlySpan<byte> json)
    {
        using var h = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        h.AppendData(previous);
        h.AppendData(json);
        return h.GetHashAndReset();
    }

    private static string? CheckMac(ReadOnlySpan<byte> line, List<JournalRecord>? records, byte[] key, ref byte[] lastMac)
    {
        const int Head = MacLength * 2;
        if (line.Length >= 10 && line[8] == (byte)' ' && (line.Length <= Head || line[Head] != (byte)' '))
        {
            return "record is not authenticated (it carries a CRC-32, not an HMAC): the journal was written without a key, or the record was added by someone without it";
        }

        Span<byte> mac = stackalloc byte[MacLength];
        if (line.Length < Head + 2 || line[Head] != (byte)' ' || Convert.FromHexString(System.Text.Encoding.ASCII.GetString(line[..Head]), mac, out _, out int written) != OperationStatus.Done
            || written != MacLength)
        {
            return "record header is malformed";
        }

        var json = line[(Head + 1)..];
        byte[] expected = Mac(key, lastMac, json);
        if (!CryptographicOperations.FixedTimeEquals(expected, mac))
        {
            return "record fails authentication: it was forged, changed, moved or a record before it removed, or the key is not the one the journal was written with";
        }

        string? problem = Parse(json, records);
        if (problem is null)
        {
            lastMac = expected;
        }

        return problem;
    }

    private static string? Check(ReadOnlySpan<byte> line, List<JournalRecord>? records)
    {
        if (line.Length >= 66 && line[64] == (byte)' ' && line[8] != (byte)' ')
        {
            return "record is authenticated with a key (HMAC-SHA256): open the journal with that key";
        }

        if (line.Length < 10 || line[8] != (byte)' ' || !Utf8Parser.TryParse(line[..8], out uint crc, out int used, 'x') || used != 8)
        {
            return "record header is malformed";
        }

        var json = line[9..];
        if (Crc32.Compute(json) != crc)
        {
            return "checksum mismatch";
        }

        return Parse(json, records);
    }

    private static string? Parse(ReadOnlySpan<byte> json, List<JournalRecord>? records)
    {
        try
        {
            var record = JsonSerializer.Deserialize(json, JournalJsonContext.Default.JournalRecord);
            if (record is null)
            {
                return "record is empty";
            }

            records?.Add(record);
            return null;
        }
        catch (JsonException)
        {
            return "record is not valid JSON";
        }
    }

    private byte[] ReadAll()
    {
        using var fs = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var bytes = new byte[fs.Length];
        fs.ReadExactly(bytes);
        return bytes;
    }

    private FileStream Open()
    {
        if (_stream is not null)
        {
            return _stream;
        }

        string? dir = Path.GetDirectoryName(_path);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        var stream = new FileStream(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 1);
        try
        {
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            var records = new List<JournalRecord>();
            Scan(bytes, _path, records, out long good, out bool torn, _key, out byte[] lastMac);
            _lastMac = lastMac;
            if (torn)
            {
                _tornAtOpen = true;
                stream.SetLength(good);
                stream.Flush(true);
            }

            _sequence = records.Count == 0 ? 0 : records[^1].Sequence;
            stream.Position = good;
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        _stream = stream;
        return stream;
    }
}
