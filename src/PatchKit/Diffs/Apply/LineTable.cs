using System.Buffers;

namespace PatchKit.Diffs.Apply;

/// <summary>The lines of one file, found once: their start offsets, and on first need an index from line hash to
/// the sorted lines holding it, so a hunk that is not where its header says is found without a linear scan per
/// offset (bounded time per hunk).</summary>
internal sealed class LineTable : IDisposable
{
    private readonly int _length;
    private int[] _starts;
    private int _count;
    private bool _complete;
    private bool? _hasCrLf;
    private bool _hasLf;
    private int[]? _positions;
    private int[]? _bucketStart;
    private Dictionary<int, int>? _bucketByHash;

    private LineTable(int length)
    {
        _length = length;
        _starts = ArrayPool<int>.Shared.Rent(Math.Clamp(length / 32, 16, 1 << 16));
        _starts[0] = 0;
        _complete = length == 0;
    }

    /// <summary>Creates the table; lines are found lazily, only as far as the hunks look (a patch near the top of a
    /// big file does not scan the rest of it).</summary>
    public static LineTable Build(ReadOnlySpan<byte> file) => new(file.Length);

    /// <summary>Gets the number of lines (a last line without a newline counts), scanning to the end.</summary>
    public int Count(ReadOnlySpan<byte> file)
    {
        EnsureLines(file, int.MaxValue);
        return _count;
    }

    /// <summary>Finds lines until at least <paramref name="lines"/> are known or the file ends.</summary>
    /// <returns><see langword="true"/> when the file has at least that many lines.</returns>
    public bool EnsureLines(ReadOnlySpan<byte> file, int lines)
    {
        while (_count < lines && !_complete)
        {
            int position = _starts[_count];
            if (_count + 2 >= _starts.Length)
            {
                int[] bigger = ArrayPool<int>.Shared.Rent(_starts.Length * 2);
                _starts.AsSpan(0, _count + 1).CopyTo(bigger);
                ArrayPool<int>.Shared.Return(_starts);
                _starts = bigger;
            }

            int eol = file[position..].IndexOf((byte)'\n');
            int next = eol < 0 ? file.Length : position + eol + 1;
            _starts[++_count] = next;
            _complete = next >= _length;
        }

        return _count >= lines;
    }

    /// <summary>Clamps a 0-based line index to [0, number of lines] without scanning past it.</summary>
    public int ClampLine(ReadOnlySpan<byte> file, long line)
    {
        if (line <= 0)
        {
            return 0;
        }

        int wanted = (int)Math.Min(line, int.MaxValue - 1);
        return EnsureLines(file, wanted) ? wanted : _count;
    }

    /// <summary>Gets a value indicating whether some line ends with CRLF (scans the whole file).</summary>
    public bool HasCrLf(ReadOnlySpan<byte> file)
    {
        ScanEndings(file);
        return _hasCrLf!.Value;
    }

    /// <summary>Gets a value indicating whether some line ends with a bare LF (scans the whole file).</summary>
    public bool HasLf(ReadOnlySpan<byte> file)
    {
        ScanEndings(file);
        return _hasLf;
    }

    /// <summary>Gets the byte offset where a line starts (<paramref name="line"/> may be the line count: the end).</summary>
    public int StartOf(ReadOnlySpan<byte> file, int line)
    {
        EnsureLines(file, line);
        return _starts[Math.Min(line, _count)];
    }

    /// <summary>Gets the body (without line ending) of a line and its ending.</summary>
    public ReadOnlySpan<byte> Body(ReadOnlySpan<byte> file, int line, out LineEnding ending)
    {
        EnsureLines(file, line + 1);
        int start = _starts[line];
        int end = _starts[line + 1];
        if (end > start && file[end - 1] == (byte)'\n')
        {
            end--;
            if (end > start && file[end - 1] == (byte)'\r')
            {
                end--;
                ending = LineEnding.CrLf;
            }
            else
            {
                ending = LineEnding.Lf;
            }
        }
        else
        {
            ending = LineEnding.None;
        }

        return file[start..end];
    }

    /// <summary>Gets the sorted lines whose hash equals the hash of <paramref name="body"/> (a superset of the lines
    /// that match it), building the index on first use.</summary>
    public ReadOnlySpan<int> Candidates(ReadOnlySpan<byte> file, ReadOnlySpan<byte> body, bool ignoreWhitespace)
    {
        if (_bucketByHash is null)
        {
            BuildIndex(file, ignoreWhitespace);
        }

        if (!_bucketByHash!.TryGetValue(Hash(body, ignoreWhitespace), out int bucket))
        {
            return [];
        }

        return _positions.AsSpan(_bucketStart![bucket], _bucketStart[bucket + 1] - _bucketStart[bucket]);
    }

    public void Dispose()
    {
        if (_starts.Length > 0)
        {
            ArrayPool<int>.Shared.Return(_starts);
            _starts = [];
        }
    }

    internal static int Hash(ReadOnlySpan<byte> body, bool ignoreWhitespace)
    {
        var hash = default(HashCode);
        if (!ignoreWhitespace)
        {
            hash.AddBytes(body);
        }
        else
        {
            foreach (byte b in body)
            {
                if (!LineMatcher.IsBlank(b))
                {
                    hash.Add(b);
                }
            }
        }

        return hash.ToHashCode();
    }

    private void ScanEndings(ReadOnlySpan<byte> file)
    {
        if (_hasCrLf is not null)
        {
            return;
        }

        int crlf = file.IndexOf("\r\n"u8);
        int lines = Count(file);
        int lf = 0;
        for (int i = 0; i < lines && lf == 0; i++)
        {
            int end = _starts[i + 1];
            if (end > 0 && file[end - 1] == (byte)'\n' && (end < 2 || file[end - 2] != (byte)'\r'))
            {
                lf++;
            }
        }

        _hasCrLf = crlf >= 0;
        _hasLf = lf > 0;
    }

    private void BuildIndex(ReadOnlySpan<byte> file, bool ignoreWhitespace)
    {
        int count = Count(file);
        int[] hashes = new int[count];
        for (int i = 0; i < count; i++)
        {
            hashes[i] = Hash(Body(file, i, out _), ignoreWhitespace);
        }

        (_bucketByHash, _bucketStart, _positions) = LineBuckets.Group(hashes, 0);
    }
}
