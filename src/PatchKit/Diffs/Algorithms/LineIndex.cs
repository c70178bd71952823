using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace PatchKit.Diffs.Algorithms;

/// <summary>Splits two inputs into lines (a line ends after its LF and keeps any CR) and gives every distinct
/// line of the compared middle parts one <see cref="int"/> id, hashing each line once (git <c>xdiff/xprepare.c</c>).
/// Ids start at 1; equal ids mean byte-equal lines (a last line without LF differs from the same text with one).</summary>
internal sealed class LineIndex
{
    private int[] _buckets = [];
    private int[] _next = [];
    private uint[] _hashes = [];
    private int[] _starts = [];
    private int[] _lengths = [];
    private byte[] _owner = [];
    private int _count;

    /// <summary>Gets the number of ids handed out plus one (ids are 1..Count-1).</summary>
    public int Count => _count + 1;

    /// <summary>Counts the lines of <paramref name="text"/> and writes their start offsets, plus one final entry (the length).</summary>
    public static int[] LineStarts(ReadOnlySpan<byte> text)
    {
        int[] starts = [];
        LineStarts(text, ref starts);
        return starts;
    }

    /// <summary>As <see cref="LineStarts(ReadOnlySpan{byte})"/>, into <paramref name="starts"/> (replaced by a larger array
    /// when too small; only the first lines + 1 entries are meaningful). Returns the number of lines.</summary>
    public static int LineStarts(ReadOnlySpan<byte> text, ref int[] starts)
    {
        int lf = text.Count((byte)'\n');
        int lines = lf + (text.Length > 0 && text[^1] != (byte)'\n' ? 1 : 0);
        if (starts.Length < lines + 1)
        {
            starts = new int[Math.Max(lines + 1, starts.Length * 2)];
        }

        int pos = 0;
        for (int i = 0; i < lf; i++)
        {
            starts[i] = pos;
            pos += text[pos..].IndexOf((byte)'\n') + 1;
        }

        if (lines > lf)
        {
            starts[lf] = pos;
        }

        starts[lines] = text.Length;
        return lines;
    }

    /// <summary>Assigns ids to lines <c>[from, to)</c> of both inputs.</summary>
    public void Build(
        ReadOnlySpan<byte> a, int[] startsA, int fromA, int toA, int[] idsA,
        ReadOnlySpan<byte> b, int[] startsB, int fromB, int toB, int[] idsB)
    {
        int total = (toA - fromA) + (toB - fromB);
        int size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, total * 2));
        if (_buckets.Length < size)
        {
            _buckets = new int[size];
        }
        else
        {
            Array.Clear(_buckets, 0, size);
        }

        if (_next.Length < total + 1)
        {
            int cap = Math.Max(total + 1, _next.Length * 2);
            _next = new int[cap];
            _hashes = new uint[cap];
            _starts = new int[cap];
            _lengths = new int[cap];
            _owner = new byte[cap];
        }

        _count = 0;
        uint mask = (uint)size - 1;
        for (int i = fromA; i < toA; i++)
        {
            idsA[i - fromA] = Intern(a, b, a.Slice(startsA[i], startsA[i + 1] - startsA[i]), 0, startsA[i], mask, size);
        }

        for (int i = fromB; i < toB; i++)
        {
            idsB[i - fromB] = Intern(a, b, b.Slice(startsB[i], startsB[i + 1] - startsB[i]), 1, startsB[i], mask, size);
        }
    }

    private int Intern(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> line, byte owner, int start, uint mask, int size)
    {
        uint h = Hash(line);
        int bucket = (int)(h & mask);
        for (int id = _buckets[bucket]; id != 0; id = _next[id])
        {
            if (_hashes[id] == h && _lengths[id] == line.Length)
            {
                ReadOnlySpan<byte> other = (_owner[id] == 0 ? a : b).Slice(_starts[id], line.Length);
                if (other.SequenceEqual(line))
                {
                    return id;
                }
            }
        }

        int n = ++_count;
        _hashes[n] = h;
        _lengths[n] = line.Length;
        _starts[n] = start;
        _owner[n] = owner;
        _next[n] = _buckets[bucket];
        _buckets[bucket] = n;
        _ = size;
        return n;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hash(ReadOnlySpan<byte> s)
    {
        const ulong K1 = 0x9E3779B97F4A7C15UL;
        const ulong K2 = 0xC2B2AE3D27D4EB4FUL;
        ulong h = (ulong)s.Length * K1;
        ReadOnlySpan<byte> whole = s;
        if (s.Length >= 32)
        {
            // Long lines (minified files): four independent lanes, so the multiplies overlap.
            ulong h1 = h, h2 = h ^ K2, h3 = h + K1, h4 = h - K2;
            do
            {
                h1 = BitOperations.RotateLeft(h1 ^ (BinaryPrimitives.ReadUInt64LittleEndian(s) * K2), 29) * K1;
                h2 = BitOperations.RotateLeft(h2 ^ (BinaryPrimitives.ReadUInt64LittleEndian(s[8..]) * K2), 29) * K1;
                h3 = BitOperations.RotateLeft(h3 ^ (BinaryPrimitives.ReadUInt64LittleEndian(s[16..]) * K2), 29) * K1;
                h4 = BitOperations.RotateLeft(h4 ^ (BinaryPrimitives.ReadUInt64LittleEndian(s[24..]) * K2), 29) * K1;
                s = s[32..];
            }
            while (s.Length >= 32);
            h = BitOperations.RotateLeft(h1, 1) + BitOperations.RotateLeft(h2, 7) + BitOperations.RotateLeft(h3, 12) + BitOperations.RotateLeft(h4, 18);
        }

        while (s.Length >= 8)
        {
            h = BitOperations.RotateLeft(h ^ (BinaryPrimitives.ReadUInt64LittleEndian(s) * K2), 29) * K1;
            s = s[8..];
        }

        if (s.Length > 0)
        {
            // The last 1-7 bytes without a loop per byte: the line's last 8 bytes (overlapping what was hashed), two
            // overlapping 4-byte reads, or the first, middle and last byte (for 3 bytes or fewer: all of them).
            ulong tail = whole.Length >= 8 ? BinaryPrimitives.ReadUInt64LittleEndian(whole[^8..])
                : s.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(s) | ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(s[^4..]) << 32)
                : s[0] | ((ulong)s[s.Length >> 1] << 8) | ((ulong)s[^1] << 16);
            h = BitOperations.RotateLeft(h ^ (tail * K2), 29) * K1;
        }

        h ^= h >> 31;
        h *= K2;
        return (uint)(h ^ (h >> 32));
    }
}
