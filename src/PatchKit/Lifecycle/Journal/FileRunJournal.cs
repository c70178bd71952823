using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace PatchKit.Lifecycle.Journal;

/// <summary>The default journal: an append-only file of one record per line, <c>crc32hex SP json LF</c>. Each
/// append is written in one call and flushed to the disk (<see cref="FileStream.Flush(bool)"/> with
/// <see langword="true"/>) before it completes. On open, a torn last record (a crash in the middle of a write) is
/// detected by its missing line feed or checksum, reported, and cut off; damage anywhere else is
/// <see cref="JournalCorruptException"/>. One file may hold several runs.</summary>
public sealed class FileRunJournal : IRunJournal, IDisposable
{
    private readonly object _gate = new();
    private readonly string _path;
    private readonly bool _flushToDisk;
    private FileStream? _stream;
    private long _sequence;
    private bool _tornAtOpen;

    /// <summary>Initializes a new instance of the <see cref="FileRunJournal"/> class. The file is opened on first use.</summary>
    /// <param name="path">The journal file; created when missing.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    public FileRunJournal(string path, FileRunJournalOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = Path.GetFullPath(path);
        _flushToDisk = (options ?? new FileRunJournalOptions()).FlushToDisk;
    }

    /// <summary>Gets the full path of the journal file.</summary>
    public string FilePath => _path;

    /// <inheritdoc/>
    public ValueTask AppendAsync(JournalRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            var stream = Open();
            var withSeq = record with { Sequence = ++_sequence };
            byte[] json = JsonSerializer.SerializeToUtf8Bytes(withSeq, JournalJsonContext.Default.JournalRecord);
            byte[] line = ArrayPool<byte>.Shared.Rent(json.Length + 10);
            try
            {
                Utf8Formatter.TryFormat(Crc32.Compute(json), line, out _, new StandardFormat('x', 8));
                line[8] = (byte)' ';
                json.CopyTo(line, 9);
                line[json.Length + 9] = (byte)'\n';
                stream.Write(line, 0, json.Length + 10);
                stream.Flush(_flushToDisk);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(line);
            }
        }

        return ValueTask.CompletedTask;
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
            Scan(bytes, _path, records, out _, out bool torn);
            return new(new JournalReadResult([.. records.Where(r => r.RunId == runId)], torn || _tornAtOpen));
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
    internal static void Scan(ReadOnlySpan<byte> bytes, string path, List<JournalRecord>? records, out long goodLength, out bool torn)
    {
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
            string? problem = nl < 0 ? "record has no end of line" : Check(rest[..nl], records);
            if (problem is not null)
            {
                if (last)
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

    private static string? Check(ReadOnlySpan<byte> line, List<JournalRecord>? records)
    {
        if (line.Length < 10 || line[8] != (byte)' ' || !Utf8Parser.TryParse(line[..8], out uint crc, out int used, 'x') || used != 8)
        {
            return "record header is malformed";
        }

        var json = line[9..];
        if (Crc32.Compute(json) != crc)
        {
            return "checksum mismatch";
        }

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
            Scan(bytes, _path, records, out long good, out bool torn);
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
