using System.Buffers;

namespace PatchKit.Diffs;

/// <summary>Fixed-size blocks shared by the threads of one tree diff: taken by <see cref="ChunkedOutput"/> as a pair's
/// diff grows, given back when the pair is written out, so the output of thousands of files reuses a few blocks.</summary>
/// <remarks>Blocks live on the pinned object heap: a collection never moves or copies them (a block of 64 KiB would
/// otherwise be a small object that every compacting collection moves while it waits to be written). <see cref="Held"/>
/// is what the tree diff's window measures.</remarks>
internal sealed class ChunkPool
{
    /// <summary>The size of a pooled block.</summary>
    public const int ChunkSize = 1 << 16;

    private readonly Stack<byte[]> _free = new();
    private readonly int _keep;
    private long _held;

    /// <param name="keep">How many free blocks are kept for reuse; more are left to the collector.</param>
    public ChunkPool(int keep) => _keep = keep;

    /// <summary>Gets the bytes of the blocks taken and not yet given back (a block larger than
    /// <see cref="ChunkSize"/>, for one very long line, counts with its own size).</summary>
    public long Held => Volatile.Read(ref _held);

    /// <summary>Takes a block of at least <paramref name="size"/> bytes (not cleared).</summary>
    public byte[] Take(int size)
    {
        byte[]? block = null;
        if (size <= ChunkSize)
        {
            lock (_free)
            {
                _free.TryPop(out block);
            }
        }

        block ??= GC.AllocateUninitializedArray<byte>(Math.Max(size, ChunkSize), pinned: size <= ChunkSize);
        Interlocked.Add(ref _held, block.Length);
        return block;
    }

    /// <summary>Gives a block back.</summary>
    public void Return(byte[] block)
    {
        Interlocked.Add(ref _held, -block.Length);
        if (block.Length != ChunkSize)
        {
            return;
        }

        lock (_free)
        {
            if (_free.Count < _keep)
            {
                _free.Push(block);
            }
        }
    }
}

/// <summary>One pair's diff as a list of blocks from a <see cref="ChunkPool"/>: writing never copies what is already
/// written (no doubling of one array), and the blocks go back to the pool once the bytes are written out.</summary>
internal sealed class ChunkedOutput(ChunkPool pool) : IBufferWriter<byte>
{
    private readonly List<(byte[] Block, int Length)> _full = [];
    private byte[]? _current;
    private int _used;

    /// <summary>Gets whether nothing was written.</summary>
    public bool IsEmpty => _full.Count == 0 && _used == 0;

    /// <inheritdoc />
    public void Advance(int count)
    {
        if (count < 0 || _current is null || _used + count > _current.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        _used += count;
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _current.AsMemory(_used);
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _current.AsSpan(_used);
    }

    /// <summary>Copies <paramref name="bytes"/> in, across blocks when they do not fit in the current one.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (_current is null || _used == _current.Length)
            {
                Ensure(1);
            }

            int n = Math.Min(bytes.Length, _current!.Length - _used);
            bytes[..n].CopyTo(_current.AsSpan(_used));
            _used += n;
            bytes = bytes[n..];
        }
    }

    /// <summary>Hands each written segment to <paramref name="write"/> in order, then gives every block back.</summary>
    public void Drain<TState>(TState state, Action<TState, ReadOnlyMemory<byte>> write)
    {
        foreach ((byte[] block, int length) in _full)
        {
            write(state, block.AsMemory(0, length));
        }

        if (_current is not null && _used > 0)
        {
            write(state, _current.AsMemory(0, _used));
        }

        Reset();
    }

    /// <summary>Drops what was written and gives every block back.</summary>
    public void Reset()
    {
        foreach ((byte[] block, _) in _full)
        {
            pool.Return(block);
        }

        _full.Clear();
        if (_current is not null)
        {
            pool.Return(_current);
            _current = null;
        }

        _used = 0;
    }

    private void Ensure(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_current is not null && _current.Length - _used >= sizeHint)
        {
            return;
        }

        if (_current is not null)
        {
            if (_used > 0)
            {
                _full.Add((_current, _used));
            }
            else
            {
                pool.Return(_current);
            }
        }

        _current = pool.Take(sizeHint);
        _used = 0;
    }
}
