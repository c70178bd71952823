namespace PatchKit.Diffs;

/// <summary>Reads a stream ahead on its own thread into a few reused chunk buffers, so copying the next block out of the
/// page cache (the kernel's share of a large read) runs beside the parsing of the current one instead of before it.</summary>
/// <remarks>Each buffer keeps <see cref="Headroom"/> bytes free in front of its data: the reader's unconsumed tail of
/// the previous block (an incomplete line) is copied there, so a block is parsed where it was read, without copying it
/// again. At most <see cref="Buffers"/> buffers exist, so memory stays bounded whatever the size of the stream.</remarks>
internal sealed class ReadAhead : IDisposable
{
    /// <summary>Bytes kept free in front of each chunk for the previous block's tail.</summary>
    public const int Headroom = 64 * 1024;

    /// <summary>Bytes read into each chunk at most.</summary>
    public const int Chunk = 1 << 20;

    private const int Buffers = 3;

    private readonly Stream _stream;
    private readonly object _gate = new();
    private readonly Queue<(byte[] Buffer, int Length)> _full = new();
    private readonly Stack<byte[]> _free = new();
    private readonly Thread _thread;
    private int _allocated;
    private bool _stop;
    private bool _ended;
    private Exception? _error;

    public ReadAhead(Stream stream)
    {
        _stream = stream;
        _thread = new Thread(Run) { IsBackground = true, Name = "PatchKit read-ahead" };
        _thread.Start();
    }

    /// <summary>Takes the next chunk in order: its data is <c>buffer[Headroom..Headroom + length)</c>; a length of 0 is
    /// the end of the stream. Rethrows what the read threw.</summary>
    public byte[] Take(out int length)
    {
        lock (_gate)
        {
            while (_full.Count == 0)
            {
                if (_error is not null)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_error);
                }

                Monitor.Wait(_gate);
            }

            (byte[] buffer, length) = _full.Dequeue();
            Monitor.PulseAll(_gate);
            return buffer;
        }
    }

    /// <summary>Gives a chunk buffer back for the next read.</summary>
    public void Return(byte[] buffer)
    {
        lock (_gate)
        {
            _free.Push(buffer);
            Monitor.PulseAll(_gate);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stop = true;
            _free.Clear(); // nothing of the chunks outlives the read, even while the thread is still ending
            _full.Clear();
            Monitor.PulseAll(_gate);
        }

        // Not joined: a read from a pipe may block until the writer closes it; the thread ends at its next step.
    }

    private void Run()
    {
        try
        {
            while (true)
            {
                byte[] buffer;
                lock (_gate)
                {
                    while (!_stop && _free.Count == 0 && _allocated == Buffers)
                    {
                        Monitor.Wait(_gate);
                    }

                    if (_stop || _ended)
                    {
                        return;
                    }

                    if (_free.Count > 0)
                    {
                        buffer = _free.Pop();
                    }
                    else
                    {
                        _allocated++;
                        buffer = GC.AllocateUninitializedArray<byte>(Headroom + Chunk);
                    }
                }

                int n = _stream.Read(buffer, Headroom, Chunk);
                lock (_gate)
                {
                    _full.Enqueue((buffer, n));
                    _ended = n == 0;
                    Monitor.PulseAll(_gate);
                    if (_ended)
                    {
                        return;
                    }
                }
            }
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                _error = ex;
                Monitor.PulseAll(_gate);
            }
        }
    }
}
