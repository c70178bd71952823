using System.Buffers;

namespace PatchKit.Diffs.Apply;

/// <summary>The lines of one file, found once: their start offsets, and on first need an index from line hash to
/// the sorted lines holding it, so a hunk that is not where its header says is found without a linear scan per
/// offset (bounded time per hunk).</summary>
internal sealed class LineTable : IDisposable
{
    private int[] _starts;
    private int[]? _positions;
    private int[]? _bucketStart;
    private Dictionary<int, int>? _bucketByHash;

    private LineTable(int[] starts, int count, bool hasCrLf, bool hasLf)
    {
        _starts = starts;
        Count = count;
        HasCrLf = hasCrLf;
        HasLf = hasLf;
    }

    /// <summary>Gets the number of lines (a last line without a newline counts).</summary>
    public int Count { get; }

    /// <summary>Gets a value indicating whether some line ends with CRLF.</summary>
    public bool HasCrLf { get; }

    /// <summary>Gets a value indicating whether some line ends with a bare LF.</summary>
    public bool HasLf { get; }

    public static LineTable Build(ReadOnlySpan<byte> file)
    {
        int estimate = Math.Max(16, file.Length / 32);
        int[] starts = ArrayPool<int>.Shared.Rent(estimate + 1);
        int count = 0;
        int position = 0;
        bool hasCrLf = false;
        bool hasLf = false;
        while (position < file.Length)
        {
            if (count + 1 >= starts.Length)
            {
                int[] bigger = ArrayPool<int>.Shared.Rent(starts.Length * 2);
                starts.AsSpan(0, count).CopyTo(bigger);
                ArrayPool<int>.Shared.Return(starts);
                starts = bigger;
            }

            starts[count++] = position;
            int eol = file[position..].IndexOf((byte)'\n');
            if (eol < 0)
            {
                position = file.Length;
                break;
            }

            int nl = position + eol;
            if (nl > 0 && file[nl - 1] == (byte)'\r')
            {
                hasCrLf = true;
            }
            else
            {
                hasLf = true;
            }

            position = nl + 1;
        }

        starts[count] = file.Length;
        return new LineTable(starts, count, hasCrLf, hasLf);
    }

    public int StartOf(int line) => _starts[line];

    /// <summary>Gets the body (without line ending) of a line and its ending.</summary>
    public ReadOnlySpan<byte> Body(ReadOnlySpan<byte> file, int line, out LineEnding ending)
    {
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

    private void BuildIndex(ReadOnlySpan<byte> file, bool ignoreWhitespace)
    {
        var byHash = new Dictionary<int, int>();
        int[] bucketOf = new int[Count];
        var counts = new List<int>();
        for (int i = 0; i < Count; i++)
        {
            int h = Hash(Body(file, i, out _), ignoreWhitespace);
            if (!byHash.TryGetValue(h, out int bucket))
            {
                bucket = counts.Count;
                byHash.Add(h, bucket);
                counts.Add(0);
            }

            bucketOf[i] = bucket;
            counts[bucket]++;
        }

        int[] bucketStart = new int[counts.Count + 1];
        for (int b = 0; b < counts.Count; b++)
        {
            bucketStart[b + 1] = bucketStart[b] + counts[b];
        }

        int[] fill = new int[counts.Count];
        int[] positions = new int[Count];
        for (int i = 0; i < Count; i++)
        {
            int b = bucketOf[i];
            positions[bucketStart[b] + fill[b]++] = i;
        }

        _positions = positions;
        _bucketStart = bucketStart;
        _bucketByHash = byHash;
    }
}
